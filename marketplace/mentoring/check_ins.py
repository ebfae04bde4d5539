"""Check-ins and the actions agreed at them: the current mentor records them, the graduate (or the
mentor) marks actions done, staff resolve "needs support" flags and read notes (each read audit-logged)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.core import audit, policy
from marketplace.core.timeutil import jakarta_today, utcnow
from marketplace.core.transactions import transactional
from marketplace.extensions import db
from marketplace.mentoring.assignments import graduate_for, require_mentor
from marketplace.mentoring.errors import MentoringError, NotFound
from marketplace.mentoring.models import Action, ActionOwner, CheckIn, CheckInMode


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: str
    due_on: date | None


@transactional
def record_check_in(actor: User, graduate_id: int | None, *, held_on: date | None, mode: str, notes: str,
                    private_notes: str = "", needs_support: bool = False,
                    actions: list[ActionInput] = ()) -> CheckIn:
    """The current mentor records a check-in and the actions agreed. Commits."""
    graduate = require_mentor(actor, graduate_id)
    today = jakarta_today()
    if not isinstance(held_on, date) or not today - timedelta(days=366) <= held_on <= today:
        raise MentoringError("bad_date")
    if mode not in {m.value for m in CheckInMode}:
        raise MentoringError("bad_mode")
    notes, private_notes = (notes or "").strip()[:5000], (private_notes or "").strip()[:5000]
    wanted = [a for a in actions if (a.description or "").strip()]
    for a in wanted:
        if (a.owner not in {o.value for o in ActionOwner} or not isinstance(a.due_on, date)
                or not held_on <= a.due_on <= today + timedelta(days=366)):
            raise MentoringError("bad_action")
    if not notes and not private_notes and not wanted:
        raise MentoringError("empty_check_in")
    check_in = CheckIn(graduate_id=graduate.id, mentor_id=actor.id, held_on=held_on, mode=mode, notes=notes,
                       private_notes=private_notes, needs_support=bool(needs_support))
    for a in wanted:
        check_in.actions.append(Action(graduate_id=graduate.id, description=a.description.strip()[:300],
                                       owner=a.owner, due_on=a.due_on))
    db.session.add(check_in)
    return check_in


@transactional
def mark_action_done(actor: User, action_id: int | None) -> Action:
    """The graduate marks their own actions done; the current mentor may mark any of the graduate's."""
    action = db.session.get(Action, action_id) if action_id else None
    if action is None:
        raise NotFound()
    graduate, assignment = graduate_for(actor, action.graduate_id)
    if policy.is_graduate_self(actor, graduate):
        if action.owner != ActionOwner.GRADUATE.value:
            raise MentoringError("not_your_action")
    elif not policy.may_mentor(actor, assignment):
        raise NotFound()
    moved = db.session.execute(
        update(Action).where(Action.id == action.id, Action.done_at.is_(None))
        .values(done_at=utcnow(), done_by_id=actor.id).execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        raise MentoringError("already_done")
    db.session.refresh(action)  # the UPDATE went around the session
    return action


@transactional
def resolve_support_flag(actor: User, check_in_id: int | None) -> None:
    """Staff say they have acted on a "needs support" flag."""
    check_in = db.session.get(CheckIn, check_in_id) if check_in_id else None
    if check_in is None:
        raise NotFound()
    graduate = db.session.get(User, check_in.graduate_id)
    if not policy.is_program_staff(actor, graduate):
        raise NotFound()
    if check_in.support_resolved_at is None:
        check_in.support_resolved_at = utcnow()
        audit.record(actor.id, "mentoring.support_flag_resolved", "check_in", check_in.id,
                     program_id=graduate.program_id)


@transactional
def notes_for_staff(actor: User, graduate_id: int | None) -> tuple[User, list[CheckIn]]:
    """Every check-in with its notes, private ones included, for the program's staff: the read is
    written to the audit log in the same transaction."""
    graduate, _assignment = graduate_for(actor, graduate_id)
    if not policy.is_program_staff(actor, graduate):
        raise NotFound()
    check_ins = check_ins_of(graduate.id)
    audit.record(actor.id, "mentor_note.read", "user", graduate.id, program_id=graduate.program_id,
                 detail=f"{len(check_ins)} check-ins")
    return graduate, check_ins


def check_ins_of(graduate_id: int) -> list[CheckIn]:
    return db.session.execute(
        select(CheckIn).where(CheckIn.graduate_id == graduate_id)
        .options(selectinload(CheckIn.actions), selectinload(CheckIn.mentor))
        .order_by(CheckIn.held_on.desc(), CheckIn.id.desc())).scalars().all()
