"""Two staff members upload the same bank statement at the same moment, its lines in other orders (two
banks' exports, or one file sorted differently): each order is confirmed once, by whichever upload
reaches it first, and neither upload fails. On PostgreSQL one transaction per file deadlocked here."""
import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.extensions import db as _db
from marketplace.notifications.models import OutboxMessage
from marketplace.orders.models import Order
from marketplace.orders.statement import confirm_statement
from marketplace.payments.models import LedgerEntry
from tests import factories
from tests.payments.test_bank_statement import _bca_style
from tests.races import at_once

ROUNDS = 10


def _order_in(program_id: int) -> Order:
    seller = factories.business(factories.user("graduate", program_id=program_id))
    placed = factories.order([(factories.product(seller, stock=5, price_idr=40_000).variants[0], 2)])
    return placed


@pytest.mark.postgres_only  # concurrent writers and row locks
@pytest.mark.committed  # the racing threads must see the committed orders
def test_one_statement_uploaded_twice_at_once_in_other_orders_confirms_each_order_once(app, db):
    program = factories.program()
    staff_ids = [factories.user("staff", program_id=program.id).id for _ in range(2)]
    rounds = []
    for _ in range(ROUNDS):
        first, second = _order_in(program.id), _order_in(program.id)
        lines = [(f"TRANSFER {o.number}", o.payment.to_transfer_idr) for o in (first, second)]
        rounds.append((_bca_style(*lines), _bca_style(*reversed(lines))))
    db.session.commit()
    failures: list[str] = []
    confirmed = 0
    for statements in rounds:
        uploads = [lambda staff_id=staff_id, statement=statement: confirm_statement(
                       statement.encode(), _db.session.get(User, staff_id)).confirmed
                   for staff_id, statement in zip(staff_ids, statements, strict=True)]
        for outcome in at_once(app, *uploads):
            if isinstance(outcome, Exception):
                failures.append(repr(outcome))  # a deadlock, say
            else:
                confirmed += len(outcome)
    assert failures == []
    assert confirmed == ROUNDS * 2  # every order confirmed by one upload or the other, never both
    db.session.expire_all()
    paid = db.session.execute(select(func.count(Order.id)).where(Order.status == "paid")).scalar_one()
    assert paid == ROUNDS * 2
    sales = db.session.execute(select(func.count(LedgerEntry.id)).where(LedgerEntry.kind == "sale")).scalar_one()
    assert sales == ROUNDS * 2  # one credit per seller, each seller selling once
    emails = db.session.execute(select(func.count(OutboxMessage.id))
                                .where(OutboxMessage.template == "payment_confirmed")).scalar_one()
    assert emails == ROUNDS * 2
