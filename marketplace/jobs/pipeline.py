"""The firm's hiring pipeline: a vacancy's applications page by page, moving them through the stages (each move
timestamped in the history and emailed to the applicant in their language, an interview with its .ics file),
moving several at once, and notes only the firm's members read.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from marketplace.accounts import tokens
from marketplace.accounts.models import User
from marketplace.core import audit
from marketplace.core.ids import MAX_ID
from marketplace.core.policy import firm_reads_application
from marketplace.core.timeutil import JAKARTA, as_utc, jakarta_today, utcnow
from marketplace.core.transactions import transactional
from marketplace.extensions import db
from marketplace.jobs.errors import InvalidInput, JobsError, NotFound
from marketplace.jobs.models import (
    FINAL_STAGES,
    Application,
    ApplicationEvent,
    ApplicationNote,
    Firm,
    Stage,
    Vacancy,
)
from marketplace.jobs.vacancies import firm_vacancy
from marketplace.notifications.services import Attachment, send_email

PIPELINE_MOVES = (Stage.SCREENING.value, Stage.INTERVIEW.value, Stage.OFFER.value, Stage.HIRED.value,
                  Stage.NOT_SELECTED.value)
BULK_MOVES = (Stage.SCREENING.value, Stage.OFFER.value, Stage.NOT_SELECTED.value)


class PipelineRow(NamedTuple):
    """One application on the firm's pipeline page, read as a plain row (a vacancy may have hundreds)."""

    id: int
    name: str
    skills: str
    stage: str
    created_at: datetime

    @property
    def skill_list(self) -> list[str]:
        return [s for s in self.skills.split(",") if s]

    @property
    def applied_on(self) -> date:
        """The day in Jakarta (the page shows it with the ``day`` filter, like every other day)."""
        return as_utc(self.created_at).astimezone(JAKARTA).date()


PIPELINE_PAGE_SIZE = 50


@dataclass
class PipelinePage:
    vacancy: Vacancy
    rows: list[PipelineRow]
    counts: dict[str, int]  # applications per stage, for the stage tabs
    stage: str | None
    page: int
    has_next: bool

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def pipeline(actor: User, vacancy_id: int, stage: str | None = None, page: int = 1,
             per_page: int = PIPELINE_PAGE_SIZE) -> PipelinePage:
    """One page of a vacancy's applications (optionally of one stage), oldest first, with the count per stage.
    Pages keep the screen usable on a phone and the page fast when a vacancy draws hundreds."""
    vacancy = firm_vacancy(actor, vacancy_id)
    stage = stage if stage in {s.value for s in Stage} else None
    page = min(max(page, 1), 10_000)
    counts = dict(db.session.execute(
        select(Application.stage, func.count()).where(Application.vacancy_id == vacancy.id)
        .group_by(Application.stage)).all())
    query = (select(Application.id, Application.name, Application.skills, Application.stage, Application.created_at)
             .where(Application.vacancy_id == vacancy.id))
    if stage:
        query = query.where(Application.stage == stage)
    rows = db.session.execute(query.order_by(Application.created_at, Application.id)
                              .limit(per_page + 1).offset((page - 1) * per_page)).all()
    return PipelinePage(vacancy, [PipelineRow._make(r) for r in rows[:per_page]], counts, stage, page,
                        len(rows) > per_page)


def application_for_firm(actor: User, application_id: int) -> tuple[Application, list[ApplicationNote]]:
    application = db.session.execute(
        select(Application).where(Application.id == application_id)
        .options(joinedload(Application.vacancy).joinedload(Vacancy.firm).selectinload(Firm.members),
                 joinedload(Application.reference), selectinload(Application.events))
    ).scalar_one_or_none()
    if not firm_reads_application(actor, application):
        raise NotFound()
    notes = list(db.session.execute(
        select(ApplicationNote).where(ApplicationNote.application_id == application.id)
        .options(joinedload(ApplicationNote.author)).order_by(ApplicationNote.id)).scalars())
    return application, notes


@dataclass(frozen=True)
class Move:
    stage: str
    interview_at: datetime | None = None  # aware
    interview_place: str = ""
    start_on: date | None = None


def check_move(move: Move) -> None:
    if move.stage not in PIPELINE_MOVES:
        raise InvalidInput("stage")
    if move.stage == Stage.INTERVIEW.value:
        if move.interview_at is None or not move.interview_place.strip():
            raise InvalidInput("interview")
        if move.interview_at < utcnow() - timedelta(hours=1) or move.interview_at > utcnow() + timedelta(days=366):
            raise InvalidInput("interview_time")
    if move.stage == Stage.HIRED.value:
        if move.start_on is None:
            raise InvalidInput("start_on")
        if not jakarta_today() - timedelta(days=90) <= move.start_on <= jakarta_today() + timedelta(days=366):
            raise InvalidInput("start_on")


def set_stage(application: Application, stage: str, move: Move | None = None) -> None:
    application.stage = stage
    application.stage_changed_at = utcnow()
    event = ApplicationEvent(stage=stage)
    if stage == Stage.INTERVIEW.value and move is not None:
        application.interview_at = move.interview_at.astimezone(UTC)
        application.interview_place = move.interview_place.strip()[:300]
        event.interview_at, event.interview_place = application.interview_at, application.interview_place
    if stage == Stage.HIRED.value and move is not None:
        application.start_on = move.start_on
        event.start_on = move.start_on
    application.events.append(event)


def email_stage(application: Application) -> None:
    applicant = application.applicant
    if applicant is None or applicant.deleted_at is not None:
        return
    attachment = interview_ics(application) if application.stage == Stage.INTERVIEW.value else None
    send_email(applicant.email, "jobs_application_stage", applicant.locale, attachment=attachment,
               application=application, vacancy=application.vacancy,
               link=tokens.public_link("jobs_graduate.application", application_id=application.id))


@transactional
def move_application(actor: User, application_id: int, move: Move) -> Application:
    """Move one application to a stage; timestamped in its history and emailed to the applicant in their
    language (an interview with its .ics file). Commits."""
    application, _notes = application_for_firm(actor, application_id)
    check_move(move)
    if application.is_final:
        raise JobsError("final_stage")
    set_stage(application, move.stage, move)
    audit.record(actor.id, "application.move", "application", application.id, detail=move.stage)
    email_stage(application)
    return application


@transactional
def bulk_move(actor: User, vacancy_id: int, application_ids: list[int], stage: str) -> int:
    """Move several applications of one vacancy at once (stages that need no date). Applications of other
    vacancies or firms, and those already final, are left alone. Commits; returns how many moved."""
    vacancy = firm_vacancy(actor, vacancy_id)
    if stage not in BULK_MOVES:
        raise InvalidInput("stage")
    ids = [i for i in application_ids if isinstance(i, int) and 0 < i <= MAX_ID][:1000]
    applications = db.session.execute(
        select(Application).where(Application.vacancy_id == vacancy.id, Application.id.in_(ids or [0]),
                                  Application.stage.not_in(FINAL_STAGES))
        .options(selectinload(Application.events), joinedload(Application.applicant))).scalars().all()
    for application in applications:
        set_stage(application, stage)
        audit.record(actor.id, "application.move", "application", application.id, detail=stage)
        email_stage(application)
    return len(applications)


@transactional
def add_note(actor: User, application_id: int, body: str) -> ApplicationNote:
    application, _notes = application_for_firm(actor, application_id)
    body = (body or "").strip()
    if not body:
        raise InvalidInput("note")
    note = ApplicationNote(application_id=application.id, author_id=actor.id, body=body[:5000])
    db.session.add(note)
    return note


def _ics_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r", "").replace("\n", "\\n"))


def interview_ics(application: Application) -> Attachment:
    """An RFC 5545 calendar event for the interview, in UTC (calendars show it in local time)."""
    start = as_utc(application.interview_at).astimezone(UTC)
    end = start + timedelta(hours=1)
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    summary = f"Interview: {application.vacancy.title} - {application.vacancy.firm.legal_name}"
    host = current_app.config["PUBLIC_URL"].split("//", 1)[-1].split("/", 1)[0] or "pasarbangkit"
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Pasar Bangkit//Jobs//ID", "METHOD:PUBLISH", "BEGIN:VEVENT",
        f"UID:application-{application.id}-{start.strftime('%Y%m%dT%H%M%SZ')}@{host}",
        f"DTSTAMP:{stamp}", f"DTSTART:{start.strftime('%Y%m%dT%H%M%SZ')}", f"DTEND:{end.strftime('%Y%m%dT%H%M%SZ')}",
        f"SUMMARY:{_ics_text(summary)}", f"LOCATION:{_ics_text(application.interview_place or '')}",
        "END:VEVENT", "END:VCALENDAR",
    ]
    return Attachment("interview.ics", "text/calendar; method=PUBLISH", "\r\n".join(lines) + "\r\n")
