"""Two confirmations of one bank transfer at the same moment (two staff members, or a person and the
bank statement upload) mark the order paid once: one sale per part in the ledger, one email
(PostgreSQL: SQLite serialises writers anyway)."""
import pytest
from sqlalchemy import func, select

from marketplace.notifications.models import OutboxMessage
from marketplace.orders import settlement
from marketplace.orders.models import Order
from marketplace.payments.models import LedgerEntry
from marketplace.payments.outcomes import Outcome
from tests import factories
from tests.races import at_once

RACERS = 4


@pytest.mark.postgres_only  # concurrent writers and row locks
@pytest.mark.committed  # the racing threads must see the committed order
def test_racing_confirmations_of_one_transfer_pay_the_order_once(app, db):
    order, _ = factories.unpaid_order(2)
    order_id, amount = order.id, order.payment.to_transfer_idr
    db.session.commit()
    outcomes = at_once(app, *[lambda: settlement.confirm_bank_transfer(order_id, amount, None).kind] * RACERS)
    db.session.expire_all()
    assert sorted(map(str, outcomes)) == sorted([str(Outcome.PAID)] + [str(Outcome.ALREADY_SETTLED)] * (RACERS - 1))
    assert db.session.get(Order, order_id).status == "paid"
    assert db.session.execute(select(func.count(LedgerEntry.id)).where(LedgerEntry.kind == "sale")).scalar_one() == 2
    assert db.session.execute(select(func.count(OutboxMessage.id))
                              .where(OutboxMessage.template == "payment_confirmed")).scalar_one() == 1
