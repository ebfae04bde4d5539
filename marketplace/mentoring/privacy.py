"""Privacy for mentoring (called by the accounts domain's export and erase).

Erasure decision:
- a graduate who deletes their account takes their whole mentoring record with them: assignments,
  goals, milestones, check-ins (notes included), actions, support rows, references and their last
  sign-in; nothing
  about them is kept (program participation is health data, UU PDP 27/2022);
- a mentor, staff member or anyone else who recorded something keeps no link to it: the graduate's
  record stays (it is the graduate's), with ``mentor_id`` / ``recorded_by_id`` / ``created_by_id`` /
  ``done_by_id`` / ``assigned_by_id`` emptied; a mentor's assignment rows stay for the graduate's
  history and point at the anonymised account (``mentor_id`` is required). A reference the mentor
  wrote stays the graduate's, without the mentor's id or name (a copy already attached to a job
  application is the job board's, and goes with the application).
The export gives the graduate everything shown to them (not the mentor's private notes, which they may
not read on the site either); a mentor gets the count of what they recorded, not the graduates' data.
"""
from __future__ import annotations

from sqlalchemy import delete, func, select, update

from marketplace.extensions import db
from marketplace.mentoring.models import Action, Assignment, CheckIn, Goal, Milestone, Reference, SignIn, Support

COVERS = {
    "mentor_assignments": "the graduate's rows deleted; a mentor's rows kept for the graduate's history "
                          "(pointing at the anonymised account), assigned_by emptied",
    "mentoring_goals": "the graduate's goals deleted; created_by emptied",
    "mentoring_milestones": "the graduate's milestones deleted; recorded_by emptied",
    "mentoring_check_ins": "the graduate's check-ins (notes included) deleted; a mentor's name emptied",
    "mentoring_actions": "the graduate's actions deleted; done_by emptied",
    "mentoring_support": "the graduate's support rows deleted; recorded_by emptied",
    "mentoring_last_sign_ins": "deleted",
    "mentoring_references": "the graduate's requests and references deleted; the writing mentor's id and name emptied",
}
KEPT_BY_LAW: dict[str, str] = {}


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def export_user_data(user) -> dict:
    uid = user.id
    assignments = db.session.execute(select(Assignment).where(Assignment.graduate_id == uid)
                                     .order_by(Assignment.started_at)).scalars().all()
    check_ins = db.session.execute(select(CheckIn).where(CheckIn.graduate_id == uid)
                                   .order_by(CheckIn.held_on)).scalars().all()
    recorded = db.session.execute(select(func.count()).select_from(CheckIn).where(CheckIn.mentor_id == uid)).scalar_one()
    mentored = db.session.execute(select(func.count()).select_from(Assignment)
                                  .where(Assignment.mentor_id == uid)).scalar_one()
    sign_in = db.session.get(SignIn, uid)
    return {
        "mentors": [{"mentor": a.mentor.name, "from": _iso(a.started_at), "until": _iso(a.ended_at)}
                    for a in assignments],
        "goals": [{"title": g.title, "metric": g.metric, "target": g.target, "value": g.manual_value,
                   "due_on": _iso(g.due_on)}
                  for g in db.session.execute(select(Goal).where(Goal.graduate_id == uid)).scalars()],
        "milestones": [{"kind": m.kind, "achieved_on": _iso(m.achieved_on)}
                       for m in db.session.execute(select(Milestone).where(Milestone.graduate_id == uid)).scalars()],
        "check_ins": [{"held_on": _iso(c.held_on), "mode": c.mode, "notes": c.notes,
                       "actions": [{"description": a.description, "owner": a.owner, "due_on": _iso(a.due_on),
                                    "done_at": _iso(a.done_at)} for a in c.actions]} for c in check_ins],
        "support": [{"kind": s.kind, "description": s.description, "amount_idr": s.amount_idr,
                     "given_on": _iso(s.given_on)}
                    for s in db.session.execute(select(Support).where(Support.graduate_id == uid)).scalars()],
        "references": [{"note": r.note, "requested_at": _iso(r.requested_at), "author": r.author_name,
                        "reference": r.body, "written_at": _iso(r.written_at)}
                       for r in db.session.execute(select(Reference).where(Reference.graduate_id == uid)
                                                   .order_by(Reference.requested_at)).scalars()],
        "last_sign_in": _iso(sign_in.signed_in_at) if sign_in else None,
        "as_mentor": {"check_ins_recorded": recorded, "graduates_followed": mentored,
                      "references_written": db.session.execute(select(func.count()).select_from(Reference)
                                                               .where(Reference.mentor_id == uid)).scalar_one()},
    }


def erase_user_data(user) -> None:
    uid = user.id
    check_in_ids = select(CheckIn.id).where(CheckIn.graduate_id == uid)
    db.session.execute(delete(Action).where((Action.graduate_id == uid) | Action.check_in_id.in_(check_in_ids)))
    db.session.execute(delete(CheckIn).where(CheckIn.graduate_id == uid))
    for model in (Goal, Milestone, Support, Assignment, Reference):
        db.session.execute(delete(model).where(model.graduate_id == uid))
    db.session.execute(delete(SignIn).where(SignIn.user_id == uid))
    # What this person recorded about others stays with those others, without their name.
    db.session.execute(update(CheckIn).where(CheckIn.mentor_id == uid).values(mentor_id=None))
    db.session.execute(update(Action).where(Action.done_by_id == uid).values(done_by_id=None))
    db.session.execute(update(Goal).where(Goal.created_by_id == uid).values(created_by_id=None))
    db.session.execute(update(Milestone).where(Milestone.recorded_by_id == uid).values(recorded_by_id=None))
    db.session.execute(update(Support).where(Support.recorded_by_id == uid).values(recorded_by_id=None))
    db.session.execute(update(Assignment).where(Assignment.assigned_by_id == uid).values(assigned_by_id=None))
    db.session.execute(update(Reference).where(Reference.mentor_id == uid).values(mentor_id=None, author_name=""))
    db.session.flush()
