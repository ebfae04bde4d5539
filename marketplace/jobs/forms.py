"""Job-board forms. None asks about rehabilitation, health or criminal records, and none may."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from marketplace.accounts.forms import LANGUAGE_CHOICES, _email_field
from marketplace.core.forms import Form, RupiahField
from marketplace.jobs import pipeline, profile, vacancies
from marketplace.jobs.models import EmploymentType, Stage

EMPLOYMENT_TYPES = {
    EmploymentType.FULL_TIME.value: _l("Full-time"),
    EmploymentType.PART_TIME.value: _l("Part-time"),
    EmploymentType.CONTRACT.value: _l("Contract"),
    EmploymentType.APPRENTICESHIP.value: _l("Apprenticeship (magang)"),
}
STAGES = {
    Stage.APPLIED.value: _l("Applied"),
    Stage.SCREENING.value: _l("Screening"),
    Stage.INTERVIEW.value: _l("Interview"),
    Stage.OFFER.value: _l("Offer"),
    Stage.HIRED.value: _l("Hired"),
    Stage.NOT_SELECTED.value: _l("Not selected"),
    Stage.WITHDRAWN.value: _l("Withdrawn"),
}


class ActionForm(Form):
    """Buttons that change something: only the CSRF token."""


class ReasonForm(Form):
    reason = TextAreaField(_l("Reason (the firm sees it)"), validators=[DataRequired(), Length(max=1000)])


class OptionalReasonForm(Form):
    reason = TextAreaField(_l("Note for the firm (optional)"), validators=[Optional(), Length(max=1000)])


class FirmForm(Form):
    legal_name = StringField(_l("Legal name of the company"), validators=[DataRequired(), Length(max=160)])
    nib = StringField(_l("NIB (business identification number, 13 digits)"),
                      validators=[DataRequired(), Length(max=20)])
    sector = StringField(_l("Sector"), validators=[DataRequired(), Length(max=80)])
    city = StringField(_l("City or regency"), validators=[DataRequired(), Length(max=80)])
    contact_name = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=120)])
    contact_phone = StringField(_l("Contact phone (optional)"), validators=[Optional(), Length(max=30)])
    pledge = BooleanField(_l("We accept the fair-chance hiring pledge"))


class InviteColleagueForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = _email_field()
    language = SelectField(_l("Language of the email"), choices=LANGUAGE_CHOICES, default="id")


class VacancyForm(Form):
    title = StringField(_l("Job title"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000)])
    employment_type = SelectField(_l("Employment type"),
                                  choices=[SelectChoice(k, v) for k, v in EMPLOYMENT_TYPES.items()])
    city = StringField(_l("City or regency"), validators=[Optional(), Length(max=80)])
    remote = BooleanField(_l("Remote work possible"))
    salary_min_idr = RupiahField(_l("Salary from (Rp per month, optional)"), validators=[
        Optional(), NumberRange(min=0, max=vacancies.MAX_SALARY_IDR)])
    salary_max_idr = RupiahField(_l("Salary up to (Rp per month, optional)"), validators=[
        Optional(), NumberRange(min=0, max=vacancies.MAX_SALARY_IDR)])
    skills = StringField(_l("Skills (separated by commas)"), validators=[Optional(), Length(max=400)])
    openings = IntegerField(_l("Number of openings"), default=1, validators=[
        InputRequired(), NumberRange(min=1, max=vacancies.MAX_OPENINGS)])
    closes_on = DateField(_l("Closing date"), validators=[InputRequired()])

    def to_data(self) -> vacancies.VacancyData:
        return vacancies.VacancyData(
            title=self.title.data, description=self.description.data or "", employment_type=self.employment_type.data,
            city=self.city.data or "", remote=self.remote.data, salary_min_idr=self.salary_min_idr.data,
            salary_max_idr=self.salary_max_idr.data, skills=self.skills.data or "", openings=self.openings.data,
            closes_on=self.closes_on.data)


class ProfileForm(Form):
    city = StringField(_l("City or regency where you want to work"), validators=[Optional(), Length(max=80)])
    skills = StringField(_l("Skills (separated by commas)"), validators=[Optional(), Length(max=400)])
    experience = TextAreaField(_l("Work experience"), validators=[Optional(), Length(max=5000)])
    training_title = StringField(_l("Training received"), validators=[Optional(), Length(max=160)])
    training_started_on = DateField(_l("Training started"), validators=[Optional()])
    training_finished_on = DateField(_l("Training finished"), validators=[Optional()])
    link_storefront = BooleanField(_l("Link my shop as a portfolio in my applications"))
    digest_opt_in = BooleanField(_l("Send me a weekly email of new vacancies that match my skills and city"))

    def to_data(self) -> profile.ProfileData:
        return profile.ProfileData(
            city=self.city.data or "", skills=self.skills.data or "", experience=self.experience.data or "",
            training_title=self.training_title.data or "", training_started_on=self.training_started_on.data,
            training_finished_on=self.training_finished_on.data, link_storefront=self.link_storefront.data,
            digest_opt_in=self.digest_opt_in.data)


class ApplyForm(Form):
    cover_note = TextAreaField(_l("Cover note"), validators=[Optional(), Length(max=3000)])
    share_phone = BooleanField(_l("Share my phone number with the firm"))
    cv = FileField(_l("CV (PDF)"))


class ConfirmApplicationForm(Form):
    token = HiddenField(validators=[DataRequired(), Length(max=8000)])


class MoveForm(Form):
    stage = SelectField(_l("Move to"), choices=[SelectChoice(s, STAGES[s]) for s in pipeline.PIPELINE_MOVES])
    interview_at = DateTimeLocalField(_l("Interview date and time (Jakarta time)"), validators=[Optional()],
                                      format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"])
    interview_place = StringField(_l("Interview place or video link"), validators=[Optional(), Length(max=300)])
    start_on = DateField(_l("Start date (for a hire)"), validators=[Optional()])


class BulkMoveForm(Form):
    stage = SelectField(_l("Move the selected applications to"),
                        choices=[SelectChoice(s, STAGES[s]) for s in pipeline.BULK_MOVES])
    application_ids = SelectMultipleField(coerce=int, validate_choice=False)


class NoteForm(Form):
    body = TextAreaField(_l("Note (only your firm's members see it)"), validators=[DataRequired(), Length(max=5000)])
