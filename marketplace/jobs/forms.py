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
from marketplace.jobs import pipeline, profile, training, vacancies
from marketplace.jobs.models import EmploymentType, Stage, TrainingKind

EMPLOYMENT_TYPES = {
    EmploymentType.FULL_TIME.value: _l("Full-time"),
    EmploymentType.PART_TIME.value: _l("Part-time"),
    EmploymentType.CONTRACT.value: _l("Contract"),
    EmploymentType.APPRENTICESHIP.value: _l("Apprenticeship (magang)"),
}
TRAINING_KINDS = {
    TrainingKind.BUSINESS.value: _l("Business training"),
    TrainingKind.LIFE_SKILLS.value: _l("Life-skills training"),
    TrainingKind.OTHER.value: _l("Other training"),
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
    link_storefront = BooleanField(_l("Link my shop as a portfolio in my applications"))
    digest_opt_in = BooleanField(_l("Send me a weekly email of new vacancies that match my skills and city"))

    def to_data(self) -> profile.ProfileData:
        return profile.ProfileData(
            city=self.city.data or "", skills=self.skills.data or "", experience=self.experience.data or "",
            link_storefront=self.link_storefront.data, digest_opt_in=self.digest_opt_in.data)


class ApplyForm(Form):
    cover_note = TextAreaField(_l("Cover note"), validators=[Optional(), Length(max=3000)])
    share_phone = BooleanField(_l("Share my phone number with the firm"))
    share_training = BooleanField(_l("Send the training record my program keeps"), default=True)
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


class TrainingForm(Form):
    """Staff record a training for every graduate of a cohort, or for one graduate (``c<id>`` / ``g<id>``)."""

    recipient = SelectField(_l("For"), validators=[DataRequired()], choices=[])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, v) for k, v in TRAINING_KINDS.items()])
    title = StringField(_l("Training"), validators=[DataRequired(), Length(max=160)])
    started_on = DateField(_l("Started on"), validators=[InputRequired()])
    finished_on = DateField(_l("Finished on"), validators=[Optional()])

    def for_program(self, trainings: training.ProgramTrainings) -> TrainingForm:
        cohorts = [(f"c{c.id}", _l("Every graduate of %(cohort)s", cohort=c.name)) for c in trainings.cohorts]
        people = [(f"g{g.graduate.id}", g.graduate.name) for g in trainings.graduates]
        self.recipient.choices = {str(_l("Cohorts")): cohorts, str(_l("One graduate")): people}
        return self

    def recipient_ids(self) -> tuple[int | None, int | None]:
        """(cohort id, graduate id): exactly one is set."""
        kind, number = self.recipient.data[:1], self.recipient.data[1:]
        value = int(number) if number.isdigit() and len(number) < 12 else 0
        return (value, None) if kind == "c" else (None, value)

    def to_data(self) -> training.TrainingData:
        return training.TrainingData(kind=self.kind.data, title=self.title.data or "",
                                     started_on=self.started_on.data, finished_on=self.finished_on.data)
