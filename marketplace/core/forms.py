"""The base of every form on the site, and fields shared by several domains."""
import re

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import Form as WtfForm
from wtforms import IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import HiddenInput, TextInput

from marketplace.core.regions import PROVINCES


class CatalogTranslations:
    """WTForms' messages in the visitor's language, from our own catalog (see core/form_messages.py):
    WTForms ships no Indonesian, and Flask-WTF's lookup would answer in English."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


_TRANSLATIONS = CatalogTranslations()

# A province list opens on a prompt that says what to do, not on a blank line (nor on the first
# province, which would be chosen by anyone who did not look).
PROVINCE_CHOICES = [SelectChoice("", _l("Choose a province"))] + [SelectChoice(p) for p in PROVINCES]


class SubForm(WtfForm):
    """A form nested in another (FormField): no CSRF token of its own, WTForms' messages in the
    visitor's language like every Form. A plain ``wtforms.Form`` would answer in English."""

    class Meta:
        def get_translations(self, form):
            return _TRANSLATIONS


class Form(FlaskForm):
    """A FlaskForm whose hidden fields (the CSRF token above all) carry no id: a page with several
    forms would otherwise repeat ``id="csrf_token"``, and ids must be unique on a page."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _TRANSLATIONS

    def hidden_tag(self, *fields):
        named = (getattr(self, f, None) if isinstance(f, str) else f for f in (fields or self))
        tags = "\n".join(str(f(id=False)) for f in named if f is not None and isinstance(f.widget, HiddenInput))
        return Markup(tags)  # nosec B704  # WTForms escapes the values of the fields it renders



# Rupiah typed the Indonesian way ---------------------------------------------------------------

# Whole rupiah, with dots (or spaces) between groups of three digits, or no separators at all.
_RUPIAH_DIGITS = re.compile(r"\d{1,3}(?:[. ]\d{3})+|\d+")
_RUPIAH_PREFIX = re.compile(r"^(?:rp|idr)\.?\s*", re.IGNORECASE)
_RUPIAH_SUFFIX = re.compile(r",(?:-|0{1,2})$")  # "18.500,-" and "18.500,00" on price tags
RUPIAH_HINT = _l("In rupiah, e.g. 18.500 or Rp 18.500.")
RUPIAH_INVALID = _l("Type an amount in whole rupiah, e.g. 18.500 or Rp 18.500.")
# Amounts are stored in INTEGER columns (4 bytes on PostgreSQL): nothing larger can be saved, so no form
# may hand a larger one to a service (it answered 500 on PostgreSQL instead of saying what is wrong).
MAX_RUPIAH_IDR = 2_147_483_647
RUPIAH_TOO_LARGE = _l("That amount is too large.")


def parse_rupiah(text: str | None) -> int | None:
    """18500, "18.500", "Rp 18.500", "Rp18.500,-" -> 18500; empty -> None; anything else -> ValueError.

    "18.5" and "18,500" are refused rather than guessed: in Indonesian the dot groups thousands and the
    comma starts decimals, while in English it is the other way round."""
    if not (text or "").strip():
        return None
    value = _RUPIAH_SUFFIX.sub("", _RUPIAH_PREFIX.sub("", text.strip())).strip()
    if len(value) > 40 or not _RUPIAH_DIGITS.fullmatch(value):
        raise ValueError(value)
    return int(value.replace(".", "").replace(" ", ""))


def format_rupiah_input(amount: int | None) -> str:
    """The value an input shows again: 18500 -> "18.500", as it is typed."""
    return "" if amount is None else f"{amount:,}".replace(",", ".")


class RupiahField(IntegerField):
    """An amount in whole rupiah that accepts what Indonesians type ("18.500", "Rp 18.500") and says
    how to type it. A text input: a number input refuses "Rp" and reads "18.500" as eighteen and a half."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, description=RUPIAH_HINT, render_kw=None, **kwargs):
        # inputmode "decimal": the keypad has the dot that "numeric" keypads leave out.
        super().__init__(label, validators, description=description,
                         render_kw={"inputmode": "decimal", "autocomplete": "off", **(render_kw or {})}, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = parse_rupiah(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(str(RUPIAH_INVALID)) from None
        if self.data is not None and self.data > MAX_RUPIAH_IDR:
            self.data = None
            raise ValueError(str(RUPIAH_TOO_LARGE))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_rupiah_input(self.data)
