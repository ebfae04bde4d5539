"""Support the program gave a graduate's business (equipment, a capital grant, training): recorded by
the program's staff, shown beside revenue."""
from __future__ import annotations

from datetime import date

from marketplace.accounts.models import Role, User
from marketplace.core import audit, policy
from marketplace.core.transactions import transactional
from marketplace.extensions import db
from marketplace.core.timeutil import jakarta_today
from marketplace.mentoring.errors import MentoringError, NotFound, require_whole
from marketplace.mentoring.models import Support, SupportKind

MAX_SUPPORT_IDR = 2_000_000_000  # the column is INTEGER (MAX_RUPIAH_IDR); no grant comes near


@transactional
def record_support(actor: User, graduate_id: int | None, *, kind: str, description: str, amount_idr: int,
                   given_on: date | None) -> Support:
    graduate = db.session.get(User, graduate_id) if graduate_id else None
    if graduate is None or graduate.role != Role.GRADUATE.value or not policy.is_program_staff(actor, graduate):
        raise NotFound()
    if kind not in {k.value for k in SupportKind}:
        raise MentoringError("bad_kind")
    description = (description or "").strip()
    if not description or len(description) > 300:
        raise MentoringError("bad_description")
    amount_idr = require_whole(amount_idr, 0, MAX_SUPPORT_IDR, "bad_amount")
    if not isinstance(given_on, date) or not date(2000, 1, 1) <= given_on <= jakarta_today():
        raise MentoringError("bad_milestone_date")
    support = Support(program_id=graduate.program_id, graduate_id=graduate.id, kind=kind, description=description,
                      amount_idr=amount_idr, given_on=given_on, recorded_by_id=actor.id)
    db.session.add(support)
    audit.record(actor.id, "mentoring.support", "user", graduate.id, program_id=graduate.program_id)
    return support
