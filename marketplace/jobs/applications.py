"""Applying (a checked CV kept aside, a preview of exactly what the firm will see, then sending), the applicant's
own applications, withdrawing, and downloading a CV (the applicant, or the firm's members, audit-logged).
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from marketplace.accounts import tokens
from marketplace.accounts.models import User
from marketplace.core import audit
from marketplace.core.policy import (
    applicant_of,
    firm_reads_application,
)
from marketplace.core.transactions import transaction, transactional
from marketplace.extensions import db
from marketplace.jobs.errors import CVRejected, JobsError, NotFound
from marketplace.jobs.listing import public_vacancy
from marketplace.jobs.models import (
    Application,
    ApplicationEvent,
    Firm,
    Stage,
    Vacancy,
)
from marketplace.jobs.pipeline import set_stage
from marketplace.jobs.profile import graduate_only, profile_of, storefront_url_of
from marketplace.jobs.training import trainings_of
from marketplace.notifications.services import send_email
from marketplace.storage import get_storage

APPLY_PREVIEW = "apply-preview"


@dataclass(frozen=True)
class Snapshot:
    """Exactly what the firm will see: the preview shows it, the application stores it."""

    name: str
    email: str
    phone: str | None
    city: str
    skills: str
    experience: str
    trainings: list[dict]  # the program's training record (``TrainingRecord.as_sent``), if the applicant sends it
    storefront_url: str | None
    cover_note: str
    cv_filename: str | None
    cv_bytes: int | None

    @property
    def skill_list(self) -> list[str]:
        return [s for s in self.skills.split(",") if s]


def cv_max_bytes() -> int:
    return int(current_app.config.get("JOBS_CV_MAX_BYTES", 2 * 1024 * 1024))


def check_cv(data: bytes | None) -> None:
    """A real PDF by its content (the header and end marker), not by its name; size-limited."""
    if not data:
        raise CVRejected("cv_empty")
    if len(data) > cv_max_bytes():
        raise CVRejected("cv_too_large", limit_mb=cv_max_bytes() // (1024 * 1024))
    # Strict about the start: a file that is something else with a PDF inside (a polyglot) is refused.
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:] or b" obj" not in data:
        raise CVRejected("cv_not_pdf")


def clean_filename(name: str | None) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[^\w.\- ]", "", base, flags=re.UNICODE).strip()[:100]
    if not base.lower().endswith(".pdf"):
        base = (base[:96] or "cv") + ".pdf"
    return base


def _pending_key(user_id: int) -> str:
    # One pending CV per person: each new preview replaces it, sending moves it, erasing deletes it.
    return f"private/cv-pending/u{user_id}.pdf"


def open_vacancy_for_applying(user: User, vacancy_id: int) -> Vacancy:
    graduate_only(user)
    vacancy = public_vacancy(vacancy_id)
    if vacancy is None:
        raise NotFound()
    return vacancy


def already_applied(user: User, vacancy_id: int) -> bool:
    return db.session.execute(select(Application.id).where(
        Application.vacancy_id == vacancy_id, Application.applicant_id == user.id)).first() is not None


def snapshot(user: User, *, cover_note: str, share_phone: bool, cv_filename: str | None,
             cv_bytes: int | None, share_training: bool = True) -> Snapshot:
    profile = profile_of(user)
    return Snapshot(
        name=user.name, email=user.email, phone=user.phone if share_phone else None, city=profile.city or "",
        skills=profile.skills or "", experience=profile.experience or "",
        trainings=[t.as_sent() for t in trainings_of(user.id)] if share_training else [],
        storefront_url=storefront_url_of(user) if profile.link_storefront else None,
        cover_note=(cover_note or "").strip(), cv_filename=cv_filename, cv_bytes=cv_bytes)


def prepare_application(user: User, vacancy_id: int, *, cover_note: str, share_phone: bool, cv: bytes | None,
                        cv_filename: str | None, share_training: bool = True) -> tuple[Snapshot, str]:
    """Check the CV and keep it aside until the applicant confirms; return the preview and a signed token
    for the confirmation. Nothing is sent yet."""
    vacancy = open_vacancy_for_applying(user, vacancy_id)
    if already_applied(user, vacancy.id):
        raise JobsError("already_applied")
    check_cv(cv)
    filename = clean_filename(cv_filename)
    get_storage().put(_pending_key(user.id), cv, "application/pdf")
    preview = snapshot(user, cover_note=cover_note, share_phone=share_phone, cv_filename=filename,
                       cv_bytes=len(cv), share_training=share_training)
    token = tokens.make_token(APPLY_PREVIEW, {"u": user.id, "v": vacancy.id, "h": hashlib.sha256(cv).hexdigest(),
                                              "f": filename, "n": preview.cover_note, "p": bool(share_phone),
                                              "t": bool(share_training)})
    return preview, token


def read_preview_token(user: User, vacancy_id: int, token: str) -> dict:
    try:
        data = tokens.read_token(APPLY_PREVIEW, token, max_age_seconds=6 * 3600)
    except tokens.TokenInvalid as exc:
        raise JobsError("preview_expired") from exc
    if not isinstance(data, dict) or data.get("u") != user.id or data.get("v") != vacancy_id:
        raise JobsError("preview_expired")
    return data


def submit_application(user: User, vacancy_id: int, token: str) -> Application:
    """Send the application the applicant previewed: the snapshot is taken again from the same data and
    the CV kept aside must be the one previewed. One per vacancy. Commits; on failure no file is left."""
    vacancy = open_vacancy_for_applying(user, vacancy_id)
    data = read_preview_token(user, vacancy.id, token)
    storage = get_storage()
    cv = storage.get(_pending_key(user.id))
    if cv is None or hashlib.sha256(cv).hexdigest() != data.get("h"):
        raise JobsError("preview_expired")
    if already_applied(user, vacancy.id):
        raise JobsError("already_applied")
    snap = snapshot(user, cover_note=str(data.get("n") or ""), share_phone=bool(data.get("p")),
                    share_training=bool(data.get("t", True)),
                    cv_filename=str(data.get("f") or "cv.pdf"), cv_bytes=len(cv))
    key = f"private/cvs/{secrets.token_hex(16)}.pdf"
    application = Application(
        vacancy_id=vacancy.id, applicant_id=user.id, name=snap.name, email=snap.email, phone=snap.phone,
        city=snap.city, skills=snap.skills, experience=snap.experience, trainings=snap.trainings,
        storefront_url=snap.storefront_url, cover_note=snap.cover_note, cv_key=key, cv_filename=snap.cv_filename,
        cv_bytes=snap.cv_bytes, stage=Stage.APPLIED.value)
    application.events.append(ApplicationEvent(stage=Stage.APPLIED.value))
    db.session.add(application)
    storage.put(key, cv, "application/pdf")
    # Committed here, before the CV kept aside is deleted; if it fails, the CV just stored is deleted.
    try:
        with transaction():
            db.session.flush()
            send_email(user.email, "jobs_application_sent", user.locale, application=application, vacancy=vacancy,
                       link=tokens.public_link("jobs_graduate.application", application_id=application.id))
    except IntegrityError as exc:  # the same application sent twice at the same moment
        storage.delete(key)
        raise JobsError("already_applied") from exc
    except Exception:
        storage.delete(key)
        raise
    storage.delete(_pending_key(user.id))
    return application


def my_applications(user: User) -> list[Application]:
    graduate_only(user)
    return list(db.session.execute(
        select(Application).where(Application.applicant_id == user.id)
        .options(joinedload(Application.vacancy).joinedload(Vacancy.firm))
        .order_by(Application.created_at.desc(), Application.id.desc())).scalars())


def application_for_applicant(user: User, application_id: int) -> Application:
    application = db.session.execute(
        select(Application).where(Application.id == application_id)
        .options(joinedload(Application.vacancy).joinedload(Vacancy.firm), joinedload(Application.reference),
                 selectinload(Application.events))
    ).scalar_one_or_none()
    if application is None or not applicant_of(user, application):
        raise NotFound()
    return application


@transactional
def withdraw(user: User, application_id: int) -> Application:
    application = application_for_applicant(user, application_id)
    if application.is_final:
        raise JobsError("final_stage")
    set_stage(application, Stage.WITHDRAWN.value)
    audit.record(user.id, "application.withdraw", "application", application.id)
    return application


def cv_download(user: User, application_id: int, as_firm: bool) -> tuple[bytes, str]:
    """The CV, for the applicant or a member of the firm the application went to; NotFound otherwise."""
    application = db.session.execute(
        select(Application).where(Application.id == application_id)
        .options(joinedload(Application.vacancy).joinedload(Vacancy.firm).selectinload(Firm.members))
    ).scalar_one_or_none()
    allowed = firm_reads_application(user, application) if as_firm else applicant_of(user, application)
    if not allowed or not application.cv_key:
        raise NotFound()
    data = get_storage().get(application.cv_key)
    if data is None:
        raise NotFound()
    if as_firm:
        with transaction():
            audit.record(user.id, "application.cv_read", "application", application.id)
    return data, application.cv_filename or "cv.pdf"
