"""The seller's earnings: balance, ledger and payouts received (blueprint ``earnings``)."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.catalog import storefronts as catalog
from marketplace.core.nav import register_nav
from marketplace.core.policy import Role, allow
from marketplace.orders import lookup
from marketplace.payments import ledger, payouts

bp = Blueprint("earnings", __name__, url_prefix="/seller/earnings")

register_nav(_l("Earnings"), "earnings.overview", {Role.GRADUATE}, 41)


@bp.get("")
@allow(Role.GRADUATE)
def overview():
    business = catalog.business_of(current_user.id)
    if business is None:
        return render_template("orders/money/earnings.html", business=None)
    return render_template("orders/money/earnings.html", business=business, balance=ledger.balance(business.id),
                           entries=payouts.ledger_entries(business.id), payouts=payouts.payouts_for(business.id),
                           cash_owed=lookup.cash_refunds_owed_by(business.id))
