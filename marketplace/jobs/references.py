"""Mentor references on job applications: the jobs side of issue 9's "references for jobs".

The mentoring domain keeps what the mentor wrote and lets the graduate choose an application; it then calls
``attach_reference`` (its only way into this domain besides ``jobs.queries``). The firm sees the reference on
the application's page while it is attached, labelled as coming from the program's mentor; the applicant
sees it on their own page and removes it with ``detach_reference``. Refusals are ``JobsError``s (a
``core.errors.DomainError``): ``NotFound`` for an application that is not the applicant's, ``final_stage``
for one that is no longer in progress.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from marketplace.core import audit
from marketplace.core.timeutil import utcnow
from marketplace.core.transactions import transactional
from marketplace.extensions import db
from marketplace.jobs.errors import InvalidInput, JobsError, NotFound
from marketplace.jobs.models import Application, ApplicationReference

MAX_REFERENCE_CHARS = 4000
MAX_AUTHOR_CHARS = 120


def _applicants_application(application_id: int, applicant_id: int) -> Application:
    application = db.session.execute(
        select(Application).where(Application.id == application_id)
        .options(joinedload(Application.reference))).unique().scalar_one_or_none()
    if application is None or application.applicant_id != applicant_id:
        raise NotFound()
    return application


@transactional
def attach_reference(application_id: int, applicant_id: int, author_name: str, body: str) -> None:
    """Attach (or replace) the reference on the applicant's own application while it is in progress. Commits."""
    author_name, body = (author_name or "").strip(), (body or "").strip()
    if not body or not author_name:
        raise InvalidInput("reference_empty")
    application = _applicants_application(application_id, applicant_id)
    if application.is_final:
        raise JobsError("final_stage")
    if application.reference is None:
        application.reference = ApplicationReference(author_name=author_name[:MAX_AUTHOR_CHARS],
                                                      body=body[:MAX_REFERENCE_CHARS])
    else:
        application.reference.author_name = author_name[:MAX_AUTHOR_CHARS]
        application.reference.body = body[:MAX_REFERENCE_CHARS]
        application.reference.attached_at = utcnow()
    audit.record(applicant_id, "application.reference_attach", "application", application.id)


@transactional
def detach_reference(application_id: int, applicant_id: int) -> None:
    """Remove the reference from the applicant's own application (at any stage: the firm stops seeing it).
    Commits; an application without a reference is left as it is."""
    application = _applicants_application(application_id, applicant_id)
    if application.reference is None:
        return
    application.reference = None
    audit.record(applicant_id, "application.reference_detach", "application", application.id)
