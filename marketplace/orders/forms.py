from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from marketplace.core.forms import PROVINCE_CHOICES, Form, RupiahField
from marketplace.core.ids import MAX_ID
from marketplace.core.phone import indonesian_e164
from marketplace.core.regions import PROVINCES
from marketplace.orders.cart import MAX_QUANTITY_PER_LINE
from marketplace.payments.models import PaymentMethod

QUANTITY_RANGE = NumberRange(min=1, max=MAX_QUANTITY_PER_LINE,
                             message=_l("Choose a quantity between %(min)s and %(max)s."))


class AddToCartForm(Form):
    variant_id = IntegerField(_l("Option"), validators=[InputRequired(_l("Choose an option.")),
                                                       NumberRange(min=1, max=MAX_ID, message=_l("Choose an option."))])
    quantity = IntegerField(_l("Quantity"), default=1,
                            validators=[InputRequired(_l("Enter a quantity.")), QUANTITY_RANGE])


class QuantityForm(Form):
    quantity = IntegerField(_l("Quantity"), validators=[InputRequired(_l("Enter a quantity.")), QUANTITY_RANGE])


class ActionForm(Form):
    """A button that only needs the CSRF token."""


def indonesian_phone(form, field) -> None:
    if (number := indonesian_e164(field.data)) is None:
        raise ValidationError(_l("Enter an Indonesian phone number, e.g. 0812 3456 7890."))
    field.data = number


PAYMENT_LABELS = {
    PaymentMethod.STRIPE.value: _l("Card (Visa, Mastercard)"),
    PaymentMethod.BANK_TRANSFER.value: _l("Bank transfer"),
    PaymentMethod.COD.value: _l("Cash on delivery or pickup"),
}


class CheckoutForm(Form):
    email = EmailField(_l("Email"), validators=[InputRequired(_l("Enter your email.")),
                                                Email(_l("Enter a valid email address.")), Length(max=254)])
    recipient = StringField(_l("Recipient's name"), validators=[InputRequired(_l("Enter the recipient's name.")),
                                                               Length(max=120)])
    phone = StringField(_l("Phone"), validators=[InputRequired(_l("Enter a phone number.")), indonesian_phone])
    street = StringField(_l("Street address"), validators=[InputRequired(_l("Enter the street address.")),
                                                          Length(min=5, max=200)])
    kelurahan = StringField(_l("Kelurahan / desa"), validators=[InputRequired(_l("Enter the kelurahan or desa.")),
                                                               Length(max=80)])
    kecamatan = StringField(_l("Kecamatan"), validators=[InputRequired(_l("Enter the kecamatan.")), Length(max=80)])
    city = StringField(_l("City or regency"), validators=[InputRequired(_l("Enter the city or regency.")),
                                                         Length(max=80)])
    province = SelectField(_l("Province"), choices=PROVINCE_CHOICES,
                           validators=[InputRequired(_l("Choose a province."))])
    postal_code = StringField(_l("Postal code"), validators=[
        InputRequired(_l("Enter the postal code.")), Regexp(r"^\d{5}$", message=_l("A postal code has 5 digits."))])
    payment_method = RadioField(_l("Payment"), validators=[InputRequired(_l("Choose how to pay."))])

    def validate_province(self, field) -> None:
        if field.data not in PROVINCES:
            raise ValidationError(_l("Choose a province."))


def checkout_form(businesses, payment_methods: list[str], pickup: dict[int, bool], delivery: dict[int, bool],
                  **kwargs) -> CheckoutForm:
    """The checkout form with one delivery choice per seller in the cart."""

    class _Form(CheckoutForm):
        pass

    for business in businesses:
        choices = []
        if delivery.get(business.id, True):
            choices.append(SelectChoice("delivery", _l("Delivery to my address")))
        if pickup.get(business.id):
            choices.append(SelectChoice("pickup", _l("I will pick it up")))
        setattr(_Form, f"delivery_{business.id}", RadioField(
            business.name, choices=choices, default=choices[0].value if choices else None,
            validators=[InputRequired(_l("Choose delivery or pickup."))]))
    form = _Form(**kwargs)
    form.payment_method.choices = [SelectChoice(m, PAYMENT_LABELS[m]) for m in payment_methods]
    if not form.payment_method.data and payment_methods:
        form.payment_method.data = payment_methods[0]
    return form


class PlaceOrderForm(Form):
    idempotency_key = HiddenField(validators=[InputRequired(), Regexp(r"^[A-Za-z0-9_-]{16,64}$")])


class ShipForm(Form):
    courier = StringField(_l("Courier"), validators=[Optional(), Length(max=60)])
    tracking_number = StringField(_l("Tracking number"), validators=[Optional(), Length(max=80)])


class CancelForm(Form):
    reason = TextAreaField(_l("Reason (the customer sees it)"),
                           validators=[InputRequired(_l("Give a reason.")), Length(max=500)])


class ResolveProblemForm(Form):
    """Staff decide a customer's problem report: the button pressed says which way."""

    reason = TextAreaField(_l("Reason (the customer and the seller read it)"),
                           filters=[lambda text: text.strip() if isinstance(text, str) else text],
                           validators=[DataRequired(_l("Give a reason.")), Length(max=500)])
    resolution = RadioField(choices=[SelectChoice("release", _l("Release the money to the seller")),
                                     SelectChoice("refund", _l("Refund the customer"))],
                            validators=[InputRequired(_l("Choose release or refund."))])


class CashReturnedForm(Form):
    note = StringField(_l("How you gave it back (optional, the customer sees it)"),
                       validators=[Optional(), Length(max=120)])


class ProblemForm(Form):
    note = TextAreaField(_l("What is wrong? (the seller and program staff see it)"),
                         validators=[InputRequired(_l("Say what is wrong with the parcel.")), Length(max=1000)])


RATE = [InputRequired(_l("Enter a rate (0 for free).")), NumberRange(min=0, max=10_000_000)]


class DeliverySettingsForm(Form):
    same_city_idr = RupiahField(_l("Same city (Rp)"), validators=RATE)
    same_province_idr = RupiahField(_l("Same province (Rp)"), validators=RATE)
    java_idr = RupiahField(_l("Elsewhere on Java (Rp)"), validators=RATE)
    outside_java_idr = RupiahField(_l("Outside Java (Rp)"), validators=RATE)
    delivery_enabled = BooleanField(_l("I deliver"))
    pickup_enabled = BooleanField(_l("Buyers may pick up"))

    def validate_pickup_enabled(self, field) -> None:
        if not field.data and not self.delivery_enabled.data:
            raise ValidationError(_l("Offer delivery, pickup or both."))
