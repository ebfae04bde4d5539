"""Mentoring forms: they parse and check the shape of input; the rules live in the services."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from marketplace.core.forms import Form, RupiahField, SubForm

METRICS = [("revenue", _l("Monthly revenue (Rp)")), ("orders", _l("Orders in a month")),
           ("active_products", _l("Products on sale")), ("repeat_customers", _l("Repeat customers in a month")),
           ("manual", _l("A number we keep ourselves"))]
MILESTONES = [("first_sale", _l("First sale")), ("business_licence", _l("Business licence (NIB)")),
              ("bank_account", _l("Bank account")), ("first_employee", _l("First employee")),
              ("first_hire", _l("First hire through the job board"))]
MODES = [("visit", _l("Visit")), ("call", _l("Phone call")), ("whatsapp", _l("WhatsApp")),
         ("group", _l("Group session"))]
OWNERS = [("graduate", _l("Graduate")), ("mentor", _l("Mentor"))]
SUPPORT_KINDS = [("equipment", _l("Equipment")), ("capital_grant", _l("Capital grant")),
                 ("training", _l("Extra training")), ("other", _l("Other support"))]


def _choices(pairs):
    return [SelectChoice(value, label) for value, label in pairs]


class ActionForm(Form):
    """Buttons that change something (mark done, end an assignment): only the CSRF token."""


class AssignForm(Form):
    graduate_id = SelectField(_l("Graduate"), coerce=int, validate_choice=True)
    mentor_id = SelectField(_l("Mentor"), coerce=int, validate_choice=True)

    def set_people(self, graduates, mentors) -> AssignForm:
        self.graduate_id.choices = [SelectChoice(g.id, g.name) for g in graduates]
        self.mentor_id.choices = [SelectChoice(m.id, m.name) for m in mentors]
        return self


class GoalForm(Form):
    metric = SelectField(_l("What the goal measures"), choices=_choices(METRICS))
    title = StringField(_l("Goal"), validators=[DataRequired(), Length(max=120)])
    target = IntegerField(_l("Target"), validators=[InputRequired(), NumberRange(min=1, max=1_000_000_000_000)])
    due_on = DateField(_l("Due date"), validators=[InputRequired()])


class GoalValueForm(Form):
    value = IntegerField(_l("Value now"), validators=[InputRequired(), NumberRange(min=0, max=1_000_000_000_000)])


class MilestoneForm(Form):
    kind = SelectField(_l("Milestone"), choices=_choices(MILESTONES))
    achieved_on = DateField(_l("Date achieved"), validators=[InputRequired()], default=date.today)


class ActionRow(SubForm):
    description = StringField(_l("Action"), validators=[Optional(), Length(max=300)])
    owner = SelectField(_l("Who does it"), choices=_choices(OWNERS), default="graduate")
    due_on = DateField(_l("Due date"), validators=[Optional()])


class CheckInForm(Form):
    held_on = DateField(_l("Date"), validators=[InputRequired()], default=date.today)
    mode = SelectField(_l("How you met"), choices=_choices(MODES))
    notes = TextAreaField(_l("Notes (the graduate reads these)"), validators=[Optional(), Length(max=5000)])
    private_notes = TextAreaField(_l("Private notes (only you and the program's staff)"),
                                  validators=[Optional(), Length(max=5000)])
    needs_support = BooleanField(_l("Needs support from the program (staff are alerted, without the notes)"))
    actions = FieldList(FormField(ActionRow), min_entries=3, max_entries=3)


class SupportForm(Form):
    kind = SelectField(_l("Kind of support"), choices=_choices(SUPPORT_KINDS))
    description = StringField(_l("What was given"), validators=[DataRequired(), Length(max=300)])
    amount_idr = RupiahField(_l("Value (Rp)"), default=0,
                              validators=[InputRequired(), NumberRange(min=0, max=10_000_000_000)])
    given_on = DateField(_l("Given on"), validators=[InputRequired()])


class ImpactFilterForm(Form):
    """The impact page's filters (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    first = StringField(_l("From month"), validators=[Optional(), Length(max=7)])
    last = StringField(_l("To month"), validators=[Optional(), Length(max=7)])
    cohort_id = SelectField(_l("Cohort"), coerce=int, validate_choice=False, validators=[Optional()])

    def set_cohorts(self, cohorts) -> ImpactFilterForm:
        self.cohort_id.choices = [SelectChoice(0, _l("All cohorts"))] + [SelectChoice(c.id, c.name) for c in cohorts]
        return self

    def month(self, name: str, end: bool = False) -> date | None:
        """"2026-03" -> 2026-03-01 (or the month's last day); None if empty or malformed."""
        import calendar

        raw = (getattr(self, name).data or "").strip()
        try:
            year, month = int(raw[:4]), int(raw[5:7])
            if len(raw) != 7 or raw[4] != "-" or not 2000 <= year <= 2100 or not 1 <= month <= 12:
                return None
        except ValueError:
            return None
        return date(year, month, calendar.monthrange(year, month)[1] if end else 1)


class ReferenceRequestForm(Form):
    note = TextAreaField(_l("A note to your mentor (optional): which jobs, what to mention"),
                         validators=[Optional(), Length(max=500)])


class ReferenceForm(Form):
    body = TextAreaField(_l("Reference"), validators=[DataRequired(), Length(max=1500)],
                         description=_l("At most 1,500 characters. Plain text, or *italic*, **bold** and lists."))


class AttachReferenceForm(Form):
    # The service checks that the application is one of the graduate's in progress.
    application_id = SelectField(_l("Job application"), coerce=int, validate_choice=False,
                                 validators=[InputRequired()])

    def set_applications(self, applications) -> AttachReferenceForm:
        self.application_id.choices = [SelectChoice(a.application_id, f"{a.vacancy_title} · {a.firm_name}")
                                       for a in applications]
        return self
