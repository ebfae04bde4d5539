"""What payments refuse, and how each refusal is said (see ``marketplace.core.errors``)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.core.errors import DomainError


class PaymentsError(DomainError):
    messages = {
        "provider_error": _l("The payment provider said: %(error)s"),
        "payout_invalid": _l("A payout must be more than zero and at most the balance available for payout."),
        "not_a_transfer": _l("This order is not paid by bank transfer."),
        "amount_invalid": _l("Enter the amount that arrived, more than zero."),
        "reference_missing": _l("Enter the bank reference of the transfer."),
        "cash_refund": _l("The seller collected this cash on delivery, so the seller gives it back to the "
                          "customer; the program has nothing to send."),
        "not_cash": _l("This order was not paid in cash to you: program staff refund it to the customer."),
        "statement_empty": _l("The file is empty. Nothing was confirmed. Export the account statement (mutasi "
                              "rekening) as CSV and upload it again."),
        "statement_unreadable": _l("This file cannot be read as a CSV text file. Nothing was confirmed. Export the "
                                   "statement from internet banking as CSV and upload it again."),
        "statement_no_header": _l("No column headings found. Nothing was confirmed. The statement needs columns "
                                  "for the description and the credit (or the amount), e.g. Tanggal, Keterangan, "
                                  "Kredit."),
        "statement_bad_amount": _l("Line %(line)s: %(value)s is not an amount in whole rupiah. Nothing was "
                                   "confirmed."),
        "statement_too_big": _l("The file is too large (at most 2 MB and 20,000 lines). Nothing was confirmed. "
                                "Export a shorter period."),
        "no_transfer_code": _l("Too many bank transfers are waiting right now. Please choose another way to "
                               "pay, or try again later."),
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


class TransferError(PaymentsError):
    """A bank transfer or refund that cannot be recorded as asked (its code says why)."""


class StatementError(PaymentsError):
    """A bank statement file that cannot be read (its code says why; nothing was confirmed)."""
