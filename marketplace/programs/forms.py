from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from marketplace.accounts.forms import LANGUAGE_CHOICES, strip
from marketplace.core.forms import Form


class ActionForm(Form):
    """Buttons that change something (approve, reject, revoke): only the CSRF token."""


class InvitationForm(Form):
    role = SelectField(_l("Invite as"),
                       choices=[SelectChoice("graduate", _l("Graduate")), SelectChoice("mentor", _l("Mentor"))])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Email"), filters=[strip], validators=[
        DataRequired(), Email(check_deliverability=False, message=_l("Please enter a valid email address.")),
        Length(max=254)])
    cohort_id = SelectField(_l("Cohort"), coerce=int, validate_choice=True,
                            description=_l("Required for graduates."))
    language = SelectField(_l("Language of the email"), choices=LANGUAGE_CHOICES, default="id")

    def set_cohorts(self, cohorts) -> "InvitationForm":
        self.cohort_id.choices = [SelectChoice(0, "-")] + [SelectChoice(c.id, c.name) for c in cohorts]
        return self


class ProgramForm(Form):
    name = StringField(_l("Program name"), validators=[DataRequired(), Length(max=160)])
    institution = StringField(_l("Institution"), validators=[DataRequired(), Length(max=160)])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=80)])


class CohortForm(Form):
    name = StringField(_l("Cohort name"), validators=[DataRequired(), Length(max=80)])
    started_on = DateField(_l("Started on"), validators=[DataRequired()])
    graduated_on = DateField(_l("Graduated on"), validators=[Optional()])


class StaffForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Email"), filters=[strip], validators=[
        DataRequired(), Email(check_deliverability=False, message=_l("Please enter a valid email address.")),
        Length(max=254)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="id")
