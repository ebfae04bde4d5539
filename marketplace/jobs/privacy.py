"""The job board's part of "download my data" and "delete my account".

Tables pointing at users: firm_members, firm_invitations (invited_by_id, accepted_user_id), work_profiles,
training_records (user_id, recorded_by_id),
applications (applicant_id) and application_notes (author_id); application_references hang on
applications (a mentor's reference the applicant attached).
"""
from __future__ import annotations

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from marketplace.extensions import db
from marketplace.jobs.models import (
    Application,
    ApplicationEvent,
    ApplicationNote,
    ApplicationReference,
    FirmInvitation,
    FirmMember,
    TrainingRecord,
    Vacancy,
    WorkProfile,
)
from marketplace.storage import get_storage

COVERS = {
    "work_profiles": "exported; deleted",
    "training_records": "the person's trainings are exported and deleted; a staff member's name leaves the "
                        "trainings they recorded (recorded_by is forgotten)",
    "applications": "exported; the CV file is deleted and every personal field blanked (a hire's stage and "
                    "dates stay, unnamed, because the impact report counts placements)",
    "application_notes": "notes written by the person are exported and stay with the firm unsigned; notes "
                         "about the person's applications are deleted",
    "application_references": "exported with the application they are attached to; deleted",
    "firm_members": "exported; the membership ends",
    "firm_invitations": "exported; the invited name and address are blanked, the sender is forgotten",
}
KEPT_BY_LAW: dict[str, str] = {}


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def export_user_data(user) -> dict:
    membership = db.session.execute(
        select(FirmMember).where(FirmMember.user_id == user.id).options(joinedload(FirmMember.firm))
    ).scalar_one_or_none()
    profile = db.session.execute(select(WorkProfile).where(WorkProfile.user_id == user.id)).scalar_one_or_none()
    applications = db.session.execute(
        select(Application).where(Application.applicant_id == user.id)
        .options(joinedload(Application.vacancy).joinedload(Vacancy.firm), selectinload(Application.events),
                 selectinload(Application.reference))
        .order_by(Application.id)).scalars().all()
    notes = db.session.execute(select(ApplicationNote).where(ApplicationNote.author_id == user.id)
                               .order_by(ApplicationNote.id)).scalars().all()
    invitations = db.session.execute(select(FirmInvitation).where(
        or_(FirmInvitation.invited_by_id == user.id, FirmInvitation.accepted_user_id == user.id))
        .order_by(FirmInvitation.id)).scalars().all()
    trainings = db.session.execute(select(TrainingRecord).where(TrainingRecord.user_id == user.id)
                                   .order_by(TrainingRecord.started_on, TrainingRecord.id)).scalars().all()
    return {
        "trainings": [t.as_sent() for t in trainings],
        "firm": None if membership is None else {
            "legal_name": membership.firm.legal_name, "nib": membership.firm.nib, "role": membership.role,
            "added_at": _iso(membership.added_at)},
        "firm_invitations": [{"email": i.email, "name": i.name, "created_at": _iso(i.created_at),
                              "sent_by_me": i.invited_by_id == user.id} for i in invitations],
        "notes_written": [{"application_id": n.application_id, "body": n.body, "created_at": _iso(n.created_at)}
                          for n in notes],
        "work_profile": None if profile is None else {
            "city": profile.city, "skills": profile.skill_list, "experience": profile.experience,
            "link_storefront": profile.link_storefront,
            "digest_opt_in": profile.digest_opt_in},
        "applications": [{
            "vacancy": a.vacancy.title, "firm": a.vacancy.firm.legal_name, "stage": a.stage,
            "sent_at": _iso(a.created_at), "name": a.name, "email": a.email, "phone": a.phone, "city": a.city,
            "skills": a.skill_list, "experience": a.experience, "trainings": a.trainings,
            "storefront_url": a.storefront_url, "cover_note": a.cover_note, "cv_filename": a.cv_filename,
            "interview_at": _iso(a.interview_at), "interview_place": a.interview_place, "start_on": _iso(a.start_on),
            "history": [{"stage": e.stage, "at": _iso(e.created_at)} for e in a.events],
            "reference": None if a.reference is None else {
                "author_name": a.reference.author_name, "body": a.reference.body,
                "attached_at": _iso(a.reference.attached_at)},
        } for a in applications],
    }


def erase_user_data(user) -> None:
    """The person's profile, CVs and what their applications said go; a hire's stage and dates stay (the
    impact report counts placements) with nothing that names them. Notes they wrote for a firm stay with the
    firm, unsigned; notes about their applications go. Their firm membership ends."""
    storage = get_storage()
    applications = db.session.execute(select(Application).where(Application.applicant_id == user.id)).scalars().all()
    ids = [a.id for a in applications]
    for application in applications:
        if application.cv_key:
            storage.delete(application.cv_key)
        application.name = "Deleted user"
        application.email = f"deleted-{user.id}@invalid.local"
        application.phone = None
        application.city = ""
        application.skills = ""
        application.experience = ""
        application.trainings = []
        application.storefront_url = None
        application.cover_note = ""
        application.cv_key = None
        application.cv_filename = None
        application.cv_bytes = None
        application.interview_place = None
    if ids:
        db.session.execute(delete(ApplicationNote).where(ApplicationNote.application_id.in_(ids)))
        db.session.execute(delete(ApplicationReference).where(ApplicationReference.application_id.in_(ids)))
        db.session.execute(update(ApplicationEvent).where(ApplicationEvent.application_id.in_(ids))
                           .values(interview_place=None))
    storage.delete(f"private/cv-pending/u{user.id}.pdf")
    db.session.execute(delete(WorkProfile).where(WorkProfile.user_id == user.id))
    db.session.execute(delete(TrainingRecord).where(TrainingRecord.user_id == user.id))
    db.session.execute(update(TrainingRecord).where(TrainingRecord.recorded_by_id == user.id)
                       .values(recorded_by_id=None))
    db.session.execute(update(ApplicationNote).where(ApplicationNote.author_id == user.id).values(author_id=None))
    db.session.execute(delete(FirmMember).where(FirmMember.user_id == user.id))
    db.session.execute(update(FirmInvitation).where(FirmInvitation.accepted_user_id == user.id)
                       .values(name="Deleted user", email=f"deleted-{user.id}@invalid.local"))
    db.session.execute(update(FirmInvitation).where(FirmInvitation.invited_by_id == user.id)
                       .values(invited_by_id=None))
    db.session.flush()
