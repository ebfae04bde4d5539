"""Who mentors whom: staff assign (and change, and end) a graduate's mentor, keeping the history; who
may see a graduate's record at all; the staff's page of people, workload and history.

Services know nothing of requests: they take the acting user and plain values, check who asks (see
``marketplace/core/policy.py``), commit their own transaction and raise ``MentoringError``.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import Role, User
from marketplace.core import audit, policy
from marketplace.core.timeutil import utcnow
from marketplace.core.transactions import transactional
from marketplace.extensions import db
from marketplace.mentoring.errors import MentoringError, NotFound
from marketplace.mentoring.models import Assignment, CheckIn


def graduate_for(user: User, graduate_id: int | None) -> tuple[User, Assignment | None]:
    """The graduate ``user`` may see, and their current assignment; NotFound for anyone else (another
    program, a mentor not or no longer assigned, another graduate)."""
    graduate = db.session.get(User, graduate_id) if graduate_id else None
    if graduate is None or graduate.role != Role.GRADUATE.value or graduate.deleted_at is not None:
        raise NotFound()
    assignment = current_assignment(graduate.id)
    if not policy.may_view_record(user, graduate, assignment):
        raise NotFound()
    return graduate, assignment


def current_assignment(graduate_id: int) -> Assignment | None:
    return db.session.execute(select(Assignment).where(Assignment.graduate_id == graduate_id,
                                                       Assignment.ended_at.is_(None))).scalar_one_or_none()


def require_mentor(actor: User, graduate_id: int | None) -> User:
    """The graduate, if ``actor`` is their mentor now (goals, milestones, check-ins); NotFound otherwise."""
    graduate, assignment = graduate_for(actor, graduate_id)
    if not policy.may_mentor(actor, assignment):
        raise NotFound()
    return graduate


def _program_person(actor: User, person_id: int | None, role: str, code: str) -> User:
    person = db.session.get(User, person_id) if person_id else None
    if (person is None or person.role != role or person.deleted_at is not None
            or not policy.is_program_staff(actor, person)
            or (actor.role == Role.ADMIN.value and actor.program_id and person.program_id != actor.program_id)):
        raise MentoringError(code)
    return person


@transactional
def assign_mentor(actor: User, graduate_id: int | None, mentor_id: int | None) -> Assignment:
    """Staff give a graduate a mentor (or a new one): the current assignment ends, a new one starts, and
    the previous mentor loses access at once. Commits."""
    graduate = _program_person(actor, graduate_id, Role.GRADUATE.value, "not_a_graduate")
    mentor = _program_person(actor, mentor_id, Role.MENTOR.value, "not_a_mentor")
    if mentor.program_id != graduate.program_id:
        raise MentoringError("not_a_mentor")
    current = current_assignment(graduate.id)
    if current is not None and current.mentor_id == mentor.id:
        raise MentoringError("already_assigned")
    now = utcnow()
    if current is not None:
        current.ended_at = now
        db.session.flush()  # the partial unique index allows one current row per graduate
    assignment = Assignment(program_id=graduate.program_id, graduate_id=graduate.id, mentor_id=mentor.id,
                            assigned_by_id=actor.id, started_at=now)
    db.session.add(assignment)
    audit.record(actor.id, "mentor.assign", "user", graduate.id, program_id=graduate.program_id,
                 detail=f"mentor {mentor.id}" + (f", replacing {current.mentor_id}" if current else ""))
    try:
        db.session.flush()
    except IntegrityError:  # two staff assigned at the same moment: the other one won (rolled back as it leaves)
        raise MentoringError("already_assigned") from None
    return assignment


@transactional
def end_assignment(actor: User, graduate_id: int | None) -> None:
    graduate = _program_person(actor, graduate_id, Role.GRADUATE.value, "not_a_graduate")
    current = current_assignment(graduate.id)
    if current is None:
        raise MentoringError("not_assigned")
    current.ended_at = utcnow()
    audit.record(actor.id, "mentor.unassign", "user", graduate.id, program_id=graduate.program_id,
                 detail=f"mentor {current.mentor_id}")


@dataclass
class Workload:
    mentor: User
    mentees: int


@dataclass
class ProgramPeople:
    graduates: list[User]
    mentors: list[User]
    current: dict[int, Assignment]        # graduate id -> current assignment
    workload: list[Workload]
    history: list[Assignment]             # newest first
    needs_support: list[CheckIn]          # flagged check-ins not yet resolved (no notes shown)


def program_people(program_id: int) -> ProgramPeople:
    """The staff's assignment page: graduates, mentors, who follows whom, workload and history."""
    people = db.session.execute(
        select(User).where(User.program_id == program_id, User.deleted_at.is_(None),
                           User.role.in_((Role.GRADUATE.value, Role.MENTOR.value)))
        .order_by(User.name, User.id)).scalars().all()
    assignments = db.session.execute(
        select(Assignment).where(Assignment.program_id == program_id)
        .order_by(Assignment.started_at.desc(), Assignment.id.desc())).scalars().all()
    current = {a.graduate_id: a for a in assignments if a.ended_at is None}
    mentors = [p for p in people if p.role == Role.MENTOR.value]
    names = {p.id: p for p in people}
    counts: dict[int, int] = {}
    for a in current.values():
        counts[a.mentor_id] = counts.get(a.mentor_id, 0) + 1
    flagged = db.session.execute(
        select(CheckIn).join(User, User.id == CheckIn.graduate_id)
        .where(User.program_id == program_id, CheckIn.needs_support.is_(True),
               CheckIn.support_resolved_at.is_(None))
        .order_by(CheckIn.held_on.desc(), CheckIn.id.desc())).scalars().all()
    for a in assignments:  # names for the history without one query per row
        a.graduate_name = names[a.graduate_id].name if a.graduate_id in names else "-"
        a.mentor_name = names[a.mentor_id].name if a.mentor_id in names else "-"
    for c in flagged:
        c.graduate_name = names[c.graduate_id].name if c.graduate_id in names else "-"
    return ProgramPeople(
        graduates=[p for p in people if p.role == Role.GRADUATE.value], mentors=mentors, current=current,
        workload=sorted((Workload(m, counts.get(m.id, 0)) for m in mentors), key=lambda w: (-w.mentees, w.mentor.name)),
        history=assignments, needs_support=flagged)


def assignment_history(graduate_id: int) -> list[Assignment]:
    return db.session.execute(
        select(Assignment).where(Assignment.graduate_id == graduate_id)
        .order_by(Assignment.started_at.desc(), Assignment.id.desc())).scalars().all()


def mentees_of(mentor: User) -> list[User]:
    return db.session.execute(
        select(User).join(Assignment, Assignment.graduate_id == User.id)
        .where(Assignment.mentor_id == mentor.id, Assignment.ended_at.is_(None), User.deleted_at.is_(None))
        .order_by(User.name, User.id)).scalars().all()
