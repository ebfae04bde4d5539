from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from marketplace.core.forms import Form


def strip(value):
    """People paste addresses with spaces around them."""
    return value.strip() if isinstance(value, str) else value


LANGUAGE_CHOICES = [SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")]


def _email_field():
    return EmailField(_l("Email"), filters=[strip], validators=[
        DataRequired(), Email(check_deliverability=False, message=_l("Please enter a valid email address.")),
        Length(max=254)])


def _new_password_field(label=None):
    return PasswordField(label or _l("Password"), validators=[DataRequired(), Length(max=200)],
                         description=_l("At least 10 characters. A short sentence is easy to remember."))


def _confirm_field(target: str):
    return PasswordField(_l("Repeat the password"), validators=[
        DataRequired(), EqualTo(target, message=_l("The two passwords are not the same."))])


class LoginForm(Form):
    email = EmailField(_l("Email"), filters=[strip],
                       validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in"))
    next = HiddenField()


class RegisterForm(Form):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    email = _email_field()
    password = _new_password_field()
    confirm = _confirm_field("password")
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="id")


class PartnerRegisterForm(RegisterForm):
    organisation = StringField(_l("Company or organisation"), validators=[DataRequired(), Length(max=160)])


class EmailOnlyForm(Form):
    """Resending the verification link, and asking for a password reset."""

    email = _email_field()


class NewPasswordForm(Form):
    password = _new_password_field(_l("New password"))
    confirm = _confirm_field("password")


class AcceptInvitationForm(Form):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    password = _new_password_field()
    confirm = _confirm_field("password")
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="id")


class ProfileForm(Form):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    phone = TelField(_l("Phone (WhatsApp)"), validators=[Optional(), Length(max=30)],
                     description=_l("An Indonesian number, e.g. 0812 3456 7890."))
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password = _new_password_field(_l("New password"))
    confirm = _confirm_field("password")


class DeleteAccountForm(Form):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=200)])
    confirm = BooleanField(_l("I understand that this cannot be undone."), validators=[DataRequired()])
