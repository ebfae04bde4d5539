"""What can go wrong in orders: each error is a case the views turn into a message."""
from __future__ import annotations


class OrderError(Exception):
    code = "order_error"


class OutOfStock(OrderError):
    code = "out_of_stock"

    def __init__(self, title: str, available: int):
        super().__init__(f"only {available} left of {title}")
        self.title = title
        self.available = max(0, available)


class ProductUnavailable(OrderError):
    code = "unavailable"

    def __init__(self, title: str = ""):
        super().__init__(f"{title} is not for sale")
        self.title = title


class OwnStorefront(OrderError):
    code = "own_storefront"


class InvalidQuantity(OrderError):
    code = "invalid_quantity"


class CartEmpty(OrderError):
    code = "cart_empty"


class DeliveryUnavailable(OrderError):
    code = "delivery_unavailable"

    def __init__(self, business_name: str):
        super().__init__(business_name)
        self.business_name = business_name


class InvalidTransition(OrderError):
    code = "invalid_transition"


class PaymentArrived(OrderError):
    """The customer asked to cancel, but the money had already come: the order goes ahead."""

    code = "payment_arrived"


class NotAllowed(OrderError):
    code = "not_allowed"


class RefundFailed(OrderError):
    """The payment provider refused or could not be reached; nothing was changed."""

    code = "refund_failed"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class MissingShippingDetails(InvalidTransition):
    """A parcel sent by courier needs the courier's name and a tracking number."""

    code = "missing_shipping_details"


class UnknownProvince(OrderError):
    code = "unknown_province"


class NegativeRate(OrderError):
    code = "negative_rate"
