"""What orders refuse, and how each refusal is said (see ``marketplace.core.errors``): each error is
a case the views turn into words through ``show_error``."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.core.errors import DomainError


class OrderError(DomainError):
    code = "order_error"
    messages = {
        "order_error": _l("That did not work. Please check your order and try again."),
        "out_of_stock": _l("Only %(n)d left of %(title)s."),
        "sold_out": _l("%(title)s is sold out."),
        "unavailable": _l("That product is no longer for sale."),
        "own_storefront": _l("You cannot buy from your own storefront."),
        "invalid_quantity": _l("Choose a quantity between 1 and %(max)d."),
        "cart_empty": _l("Your cart is empty."),
        "delivery_unavailable": _l("%(name)s does not offer that delivery option."),
        "invalid_transition": _l("That step is not possible for this order now."),
        "missing_shipping_details": _l("Enter the courier and the tracking number."),
        "payment_arrived": _l("Your payment had already arrived, so the order goes ahead."),
        "not_allowed": _l("That did not work. Please check your order and try again."),
        "refund_failed": _l("The card payment could not be refunded, so the order was not cancelled and nothing was "
                            "changed. The payment provider said: %(error)s. Please try again later, or ask program "
                            "staff for help."),
        "unknown_province": _l("Choose a province."),
        "negative_rate": _l("That did not work. Please check your order and try again."),
        "prices_changed": _l("Something changed since you reviewed your order. Please check the highlighted "
                             "prices and place your order again."),
    }


class OutOfStock(OrderError):
    code = "out_of_stock"

    def __init__(self, title: str, available: int):
        self.title = title
        self.available = max(0, available)
        super().__init__("sold_out" if self.available == 0 else "out_of_stock", title=title, n=self.available)


class ProductUnavailable(OrderError):
    code = "unavailable"
    status = 404

    def __init__(self, title: str = ""):
        super().__init__(title=title)
        self.title = title


class OwnStorefront(OrderError):
    code = "own_storefront"


class InvalidQuantity(OrderError):
    code = "invalid_quantity"

    def __init__(self, max_quantity: int = 99):
        super().__init__(max=max_quantity)


class CartEmpty(OrderError):
    code = "cart_empty"


class DeliveryUnavailable(OrderError):
    code = "delivery_unavailable"

    def __init__(self, business_name: str):
        super().__init__(name=business_name)
        self.business_name = business_name


class InvalidTransition(OrderError):
    """The part is not in a state that allows this step (or a second click came after the first)."""

    code = "invalid_transition"


class PaymentArrived(OrderError):
    """The customer asked to cancel, but the money had already come: the order goes ahead."""

    code = "payment_arrived"


class NotAllowed(OrderError):
    """Missing, or not this person's: answered as a 404 so ids cannot be probed."""

    code = "not_allowed"
    status = 404


class RefundFailed(OrderError):
    """The payment provider refused or could not be reached; nothing was changed."""

    code = "refund_failed"
    status = 502

    def __init__(self, message: str):
        super().__init__(error=message.strip().rstrip("."))
        self.provider_message = message


class MissingShippingDetails(InvalidTransition):
    """A parcel sent by courier needs the courier's name and a tracking number."""

    code = "missing_shipping_details"


class UnknownProvince(OrderError):
    code = "unknown_province"


class NegativeRate(OrderError):
    code = "negative_rate"


class PricesChanged(OrderError):
    """A price, quantity or delivery cost differs from what the customer reviewed: nothing was stored."""

    code = "prices_changed"
    status = 409

    def __init__(self, changes: list):
        super().__init__()
        self.changes = changes
