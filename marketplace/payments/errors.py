"""What payments refuse, and how each refusal is said (see ``marketplace.core.errors``)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.core.errors import DomainError


class PaymentsError(DomainError):
    messages = {
        "provider_error": _l("The payment provider said: %(error)s"),
        "payout_invalid": _l("A payout must be more than zero and at most the balance."),
    }


class PaymentError(PaymentsError):
    """The provider refused or could not be reached. ``provider_message`` is the provider's own words,
    safe to show to the customer; ``provider_code`` its code (e.g. ``card_declined``)."""

    code = "provider_error"
    status = 502

    def __init__(self, message: str, provider_code: str | None = None):
        super().__init__(error=message)
        self.provider_message = message
        self.provider_code = provider_code


class PayoutError(PaymentsError):
    """A payout of nothing, without a bank reference, or of more than the seller's balance."""

    code = "payout_invalid"
