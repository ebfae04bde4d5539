"""One interface for every way of paying.

``StripeProvider`` when STRIPE_SECRET_KEY is set (card payments through PaymentIntents), and
``OfflineProvider`` for bank transfer and cash on delivery (money confirmed by a person). A local
gateway (QRIS, virtual accounts, e-wallets) would be one more class with the same methods.

Amounts cross this interface as integer rupiah. Only ``StripeProvider`` converts: Stripe treats IDR
as a two-decimal currency, so Rp 150.000 goes to Stripe as ``amount=15000000``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from flask import current_app

from marketplace.payments.errors import PaymentError
from marketplace.payments.models import PaymentMethod

STRIPE_UNITS_PER_RUPIAH = 100


@dataclass(frozen=True)
class IntentState:
    ref: str | None
    status: str                 # provider's own word: "succeeded", "requires_payment_method", ...
    amount_idr: int
    client_secret: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"


class PaymentProvider(Protocol):
    name: str
    online: bool  # True: the customer pays on our payment step; False: a person confirms the money

    def start(self, *, order_public_id: str, amount_idr: int, email: str) -> IntentState: ...
    def retrieve(self, ref: str) -> IntentState: ...
    def cancel(self, ref: str) -> IntentState: ...
    def refund(self, ref: str | None, amount_idr: int, idempotency_key: str | None = None) -> str: ...
    def refunded_idr(self, ref: str) -> int: ...


class OfflineProvider:
    """Bank transfer or cash on delivery: nothing to call; staff or the seller confirm the money."""

    online = False

    def __init__(self, name: str):
        self.name = name

    def start(self, *, order_public_id: str, amount_idr: int, email: str) -> IntentState:
        return IntentState(ref=None, status="pending", amount_idr=amount_idr)

    def retrieve(self, ref: str) -> IntentState:
        raise PaymentError("offline payments have nothing to retrieve")

    def cancel(self, ref: str) -> IntentState:
        raise PaymentError("offline payments have nothing to cancel")

    def refund(self, ref: str | None, amount_idr: int, idempotency_key: str | None = None) -> str:
        return "manual"  # the money goes back by hand; the ledger records it

    def refunded_idr(self, ref: str) -> int:
        raise PaymentError("offline payments have no refunds to read")


class StripeProvider:
    name = PaymentMethod.STRIPE.value
    online = True

    def __init__(self, secret_key: str, api_base: str | None = None, send_optional_params: bool = True):
        import stripe

        self._stripe = stripe
        kwargs = {"max_network_retries": 0 if api_base else 2}
        if api_base:
            kwargs["base_addresses"] = {"api": api_base}
        self._client = stripe.StripeClient(secret_key, **kwargs).v1
        self._send_optional = send_optional_params

    @staticmethod
    def to_stripe_amount(amount_idr: int) -> int:
        return int(amount_idr) * STRIPE_UNITS_PER_RUPIAH

    @staticmethod
    def from_stripe_amount(amount: int | None) -> int:
        return int(amount or 0) // STRIPE_UNITS_PER_RUPIAH

    def _state(self, intent) -> IntentState:
        return IntentState(ref=intent.id, status=intent.status, amount_idr=self.from_stripe_amount(intent.amount),
                           client_secret=getattr(intent, "client_secret", None))

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except self._stripe.StripeError as exc:
            message = getattr(exc, "user_message", None) or str(exc) or "payment provider error"
            raise PaymentError(message, getattr(exc, "code", None)) from exc

    def start(self, *, order_public_id: str, amount_idr: int, email: str) -> IntentState:
        params = {"amount": self.to_stripe_amount(amount_idr), "currency": "idr",
                  "payment_method_types": ["card"], "metadata": {"order": order_public_id}}
        if self._send_optional:
            # Real Stripe accepts these; localstripe answers 400 to them (STRIPE_SEND_OPTIONAL_PARAMS).
            params["description"] = f"Pasar Bangkit order {order_public_id}"
            params["receipt_email"] = email
        intent = self._call(self._client.payment_intents.create, params,
                            {"idempotency_key": f"order-{order_public_id}"})
        return self._state(intent)

    def retrieve(self, ref: str) -> IntentState:
        return self._state(self._call(self._client.payment_intents.retrieve, ref))

    def cancel(self, ref: str) -> IntentState:
        return self._state(self._call(self._client.payment_intents.cancel, ref))

    def refund(self, ref: str | None, amount_idr: int, idempotency_key: str | None = None) -> str:
        options = {"idempotency_key": idempotency_key} if idempotency_key else None
        refund = self._call(self._client.refunds.create,
                            {"payment_intent": ref, "amount": self.to_stripe_amount(amount_idr)}, options)
        return refund.id

    def refunded_idr(self, ref: str) -> int:
        """Everything refunded (or on its way back) for this PaymentIntent, whoever asked for it."""
        refunds = self._call(self._client.refunds.list, {"payment_intent": ref, "limit": 100})
        return sum(self.from_stripe_amount(r.amount) for r in refunds.auto_paging_iter()
                   if r.status in ("succeeded", "pending"))

    def construct_event(self, payload: bytes, signature: str, secret: str):
        """Verify ``Stripe-Signature`` (and its timestamp, 300 s tolerance); raise ValueError if bad."""
        try:
            return self._stripe.Webhook.construct_event(payload, signature, secret)
        except self._stripe.SignatureVerificationError as exc:
            raise ValueError("bad signature") from exc


def stripe_configured() -> bool:
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))


def stripe_provider() -> StripeProvider:
    config = current_app.config
    return StripeProvider(config["STRIPE_SECRET_KEY"], config.get("STRIPE_API_BASE"),
                          config.get("STRIPE_SEND_OPTIONAL_PARAMS", True))


def provider_for(method: str) -> PaymentProvider:
    if method == PaymentMethod.STRIPE.value:
        if not stripe_configured():
            raise PaymentError("card payments are not available")
        return stripe_provider()
    return OfflineProvider(method)


@dataclass(frozen=True)
class BankAccount:
    """The program's account that bank-transfer customers pay into."""

    bank: str
    number: str
    name: str


def bank_account() -> BankAccount | None:
    """The configured account, or None until all three settings are given: half an account number
    would send a customer's money nowhere."""
    config = current_app.config
    values = [config.get(key) for key in
              ("BANK_TRANSFER_BANK", "BANK_TRANSFER_ACCOUNT_NUMBER", "BANK_TRANSFER_ACCOUNT_NAME")]
    if not all(values):
        return None
    return BankAccount(*values)


def available_methods() -> list[str]:
    """Card when Stripe is configured; bank transfer and cash on delivery always."""
    offline = [PaymentMethod.BANK_TRANSFER.value, PaymentMethod.COD.value]
    return ([PaymentMethod.STRIPE.value] if stripe_configured() else []) + offline
