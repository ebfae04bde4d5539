"""References for jobs: a graduate asks their mentor for a short reference, the mentor writes it, the
graduate reads it and alone decides whether to attach it to one of their open job applications.

The request goes to whoever mentors the graduate when it is written: after a change of mentor the new
mentor sees it, and the previous one can no longer write it (``policy.may_mentor``). Nothing reaches a
firm unless the graduate attaches it: the job board then keeps its own copy on the application.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import Role, User
from marketplace.core.timeutil import utcnow
from marketplace.core.transactions import transactional
from marketplace.extensions import db
from marketplace.jobs import queries as jobs
from marketplace.jobs import references as job_references
from marketplace.mentoring.assignments import current_assignment, require_mentor
from marketplace.mentoring.errors import MentoringError, NotFound
from marketplace.mentoring.models import Reference
from marketplace.notifications.services import send_email

MAX_NOTE = 500
MAX_BODY = 1500
# The name the firm reads when the mentor who wrote the reference has since deleted their account.
UNNAMED_AUTHOR = "Mentor"


def _graduate_self(actor: User) -> User:
    if not actor.is_authenticated or actor.role != Role.GRADUATE.value or actor.deleted_at is not None:
        raise NotFound()
    return actor


def open_request(graduate_id: int) -> Reference | None:
    return db.session.execute(select(Reference).where(Reference.graduate_id == graduate_id,
                                                      Reference.written_at.is_(None))).scalar_one_or_none()


@transactional
def request_reference(actor: User, note: str) -> Reference:
    """The graduate asks their mentor for a reference (an optional note says what for). Commits."""
    graduate = _graduate_self(actor)
    if current_assignment(graduate.id) is None:
        raise MentoringError("no_mentor")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise MentoringError("bad_note")
    if open_request(graduate.id) is not None:
        raise MentoringError("reference_requested")
    reference = Reference(graduate_id=graduate.id, note=note, requested_at=utcnow())
    db.session.add(reference)
    try:
        db.session.flush()
    except IntegrityError:  # a double submit: the partial unique index keeps one open request (rolled back)
        raise MentoringError("reference_requested") from None
    return reference


@transactional
def withdraw_request(actor: User, reference_id: int | None) -> None:
    """The graduate takes back a request not yet written. Commits."""
    graduate = _graduate_self(actor)
    reference = db.session.get(Reference, reference_id) if reference_id else None
    if reference is None or reference.graduate_id != graduate.id:
        raise NotFound()
    if reference.written:
        raise MentoringError("reference_written")
    db.session.delete(reference)


def request_to_write(actor: User, graduate_id: int | None) -> tuple[User, Reference]:
    """The graduate and their waiting request, for their current mentor only (anyone else: NotFound)."""
    graduate = require_mentor(actor, graduate_id)
    reference = open_request(graduate.id)
    if reference is None:
        raise NotFound()
    return graduate, reference


@transactional
def write_reference(actor: User, graduate_id: int | None, body: str) -> Reference:
    """The current mentor writes the requested reference (plain text or the site's limited Markdown);
    the graduate is told by email, in their language. Commits."""
    graduate, reference = request_to_write(actor, graduate_id)
    body = (body or "").strip()
    if not body or len(body) > MAX_BODY:
        raise MentoringError("bad_reference")
    written = db.session.execute(
        update(Reference).where(Reference.id == reference.id, Reference.written_at.is_(None))
        .values(body=body, mentor_id=actor.id, author_name=actor.name[:120], written_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    if written != 1:  # written a moment ago in another tab
        raise MentoringError("reference_written")
    send_email(graduate.email, "mentoring_reference_written", locale=graduate.locale or "id", graduate=graduate,
               mentor_name=actor.name, link=f"{current_app.config['PUBLIC_URL']}/mentoring/me#references")
    db.session.refresh(reference)  # the UPDATE went around the session
    return reference


def references_of(graduate_id: int) -> list[Reference]:
    """A graduate's references, newest first (the open request, if any, among them)."""
    return db.session.execute(select(Reference).where(Reference.graduate_id == graduate_id)
                              .order_by(Reference.requested_at.desc(), Reference.id.desc())).scalars().all()


def waiting_for(graduate_ids: list[int]) -> set[int]:
    """Which of these graduates wait for a reference (one query, for the mentor's dashboard)."""
    if not graduate_ids:
        return set()
    return set(db.session.execute(select(Reference.graduate_id).where(Reference.graduate_id.in_(graduate_ids),
                                                                      Reference.written_at.is_(None))).scalars())



def applications_of(graduate_id: int) -> list[jobs.OpenApplication]:
    """The graduate's job applications still in progress, where a reference may go."""
    return jobs.open_applications_of(graduate_id)


def attach_to_application(actor: User, reference_id: int | None, application_id: int | None) -> None:
    """The graduate sends a written reference with one of their applications in progress (replacing the
    one attached before, if any); the firm sees it from now on. The job board commits; its refusals
    (an application that became final meanwhile) are its own ``DomainError``s."""
    graduate = _graduate_self(actor)
    reference = db.session.get(Reference, reference_id) if reference_id else None
    if reference is None or reference.graduate_id != graduate.id or not reference.written:
        raise NotFound()
    if application_id not in {a.application_id for a in applications_of(graduate.id)}:
        raise MentoringError("not_your_application")
    job_references.attach_reference(application_id, graduate.id, reference.author_name or UNNAMED_AUTHOR,
                                    reference.body)


def detach_from_application(actor: User, application_id: int | None) -> None:
    """The graduate takes the reference off one of their applications: the firm no longer sees it."""
    graduate = _graduate_self(actor)
    if not application_id:
        raise NotFound()
    job_references.detach_reference(application_id, graduate.id)
