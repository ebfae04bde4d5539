"""Services own the transaction: ``@transactional`` commits when the service returns, rolls back when it
raises, and a service called inside another's transaction joins it."""
from __future__ import annotations

import pytest

from marketplace.core.i18n import remember_language
from marketplace.core.transactions import transaction, transactional
from marketplace.extensions import db
from tests import factories


class Refused(Exception):
    pass


@transactional
def _rename_then_refuse(user, name: str) -> None:
    user.name = name
    db.session.flush()
    raise Refused()


def _stored_locale_and_name(user) -> tuple[str, str]:
    db.session.expire(user)
    return user.locale, user.name


def test_a_service_commits_its_work_when_it_returns(db):
    user = factories.user(locale="id")
    db.session.commit()
    remember_language(user, "en")
    db.session.rollback()  # nothing left to undo: the service committed
    assert _stored_locale_and_name(user)[0] == "en"


def test_a_service_that_raises_leaves_nothing_behind(db):
    user = factories.user(name="Sari")
    db.session.commit()
    with pytest.raises(Refused):
        _rename_then_refuse(user, "Bayu")
    assert _stored_locale_and_name(user)[1] == "Sari"


def test_services_inside_one_transaction_are_undone_together(db):
    user = factories.user(name="Sari", locale="id")
    db.session.commit()
    with pytest.raises(Refused), transaction():
        remember_language(user, "en")  # joins: not committed on its own
        _rename_then_refuse(user, "Bayu")
    assert _stored_locale_and_name(user) == ("id", "Sari")
