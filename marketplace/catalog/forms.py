from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from marketplace.catalog import products
from marketplace.catalog.models import BusinessStatus, ProductStatus
from marketplace.core.errors import InvalidPhone
from marketplace.core.forms import PROVINCE_CHOICES, Form, RupiahField
from marketplace.core.phone import normalise_phone

_NO_ADDRESS = _l("A city or regency only: never a street address.")


def _whatsapp(form, field) -> None:
    try:
        normalise_phone(field.data)
    except InvalidPhone:
        raise ValidationError(_l("Enter an Indonesian mobile number, e.g. 0812 3456 7890.")) from None


def _city_not_address(form, field) -> None:
    if field.data and any(ch.isdigit() for ch in field.data):
        raise ValidationError(_NO_ADDRESS)


class StorefrontForm(Form):
    name = StringField(_l("Shop name"), validators=[DataRequired(), Length(max=120)])
    slug = StringField(_l("Web address (optional)"), validators=[
        Optional(), Length(max=80),
        Regexp(r"^[a-zA-Z0-9-]+$", message=_l("Use letters, numbers and dashes only."))])
    description = TextAreaField(_l("Short description"), validators=[Optional(), Length(max=300)])
    city = StringField(_l("City or regency"), validators=[DataRequired(), Length(max=80), _city_not_address])
    # Optional while the shop is a draft; the service refuses to open a shop without one.
    province = SelectField(_l("Province"), choices=PROVINCE_CHOICES,
                           default="")
    whatsapp = StringField(_l("WhatsApp number"), validators=[Optional(), Length(max=30), _whatsapp])
    status = SelectField(_l("Shop status"), choices=[
        SelectChoice(BusinessStatus.DRAFT.value, _l("Draft (not visible)")),
        SelectChoice(BusinessStatus.OPEN.value, _l("Open")),
        SelectChoice(BusinessStatus.HOLIDAY.value, _l("On holiday (visible, no new orders)"))])
    story = TextAreaField(_l("Your story (optional)"), validators=[Optional(), Length(max=3000)])
    story_opt_in = BooleanField(_l("Show my story on my public shop page"))
    logo = FileField(_l("Logo"))
    banner = FileField(_l("Banner"))


class ProductForm(Form):
    title = StringField(_l("Product name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    price_idr = RupiahField(_l("Price (Rp)"), validators=[
        InputRequired(), NumberRange(min=0, max=products.MAX_PRICE_IDR)])
    stock = IntegerField(_l("Stock"), validators=[Optional(), NumberRange(min=0, max=products.MAX_STOCK)])
    weight_grams = IntegerField(_l("Weight (grams, for delivery)"), default=0, validators=[
        InputRequired(), NumberRange(min=0, max=products.MAX_WEIGHT_GRAMS)])
    category_id = SelectField(_l("Category"), coerce=int, validate_choice=True)
    status = SelectField(_l("Status"), choices=[
        SelectChoice(ProductStatus.DRAFT.value, _l("Draft")),
        SelectChoice(ProductStatus.ACTIVE.value, _l("Active (on sale)")),
        SelectChoice(ProductStatus.ARCHIVED.value, _l("Archived"))])

    def set_categories(self, categories, locale: str) -> None:
        self.category_id.choices = [SelectChoice(0, _l("No category"))] + [
            SelectChoice(c.id, c.name(locale)) for c in categories]


class QuickEditForm(Form):
    price_idr = RupiahField(_l("Price (Rp)"), validators=[
        InputRequired(), NumberRange(min=0, max=products.MAX_PRICE_IDR)])
    stock = IntegerField(_l("Stock"), validators=[Optional(), NumberRange(min=0, max=products.MAX_STOCK)])


class BulkArchiveForm(Form):
    pass  # product ids come as a checkbox list, read with request.form.getlist


class VariantForm(Form):
    size = StringField(_l("Size"), validators=[Optional(), Length(max=30)])
    colour = StringField(_l("Colour"), validators=[Optional(), Length(max=30)])
    stock = IntegerField(_l("Stock"), validators=[InputRequired(), NumberRange(min=0, max=products.MAX_STOCK)])
    price_idr = RupiahField(_l("Own price (Rp, optional)"), validators=[
        Optional(), NumberRange(min=0, max=products.MAX_PRICE_IDR)])


class PhotoUploadForm(Form):
    photos = MultipleFileField(_l("Photos (JPEG, PNG or WebP, up to 8 MB each)"))


class MovePhotoForm(Form):
    direction = HiddenField(validators=[DataRequired()])


class ConfirmForm(Form):
    pass


class ModerationForm(Form):
    reason = TextAreaField(_l("Reason (the seller will see this)"), validators=[DataRequired(), Length(max=1000)])


class OptionalReasonForm(Form):
    reason = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=1000)])


class SearchForm(Form):
    class Meta(Form.Meta):
        csrf = False  # a GET form

    q = StringField(_l("Search"))
