"""The weekly digest: new vacancies matching a graduate's skills or city, by email, with a one-click opt-out.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from marketplace.accounts import tokens
from marketplace.accounts.models import Role, User
from marketplace.core.timeutil import JAKARTA, as_utc, utcnow
from marketplace.core.transactions import transactional
from marketplace.extensions import db
from marketplace.jobs.errors import JobsError
from marketplace.jobs.listing import public_filter
from marketplace.jobs.models import (
    Application,
    Vacancy,
    WorkProfile,
)
from marketplace.notifications.services import send_email

DIGEST_OFF = "jobs-digest-off"
DIGEST_DAYS = 7
DIGEST_MAX_VACANCIES = 10


def _matches(vacancy: Vacancy, skills: set[str], city: str) -> bool:
    """A shared skill, or the graduate's city (where remote work counts everywhere)."""
    if skills & set(vacancy.skill_list):
        return True
    return bool(city) and ((vacancy.city or "").strip().lower() == city or vacancy.remote)


@transactional
def send_weekly_digest(now: datetime | None = None) -> int:
    """Email each graduate who wants it the vacancies published since their last digest (at most a week)
    that match their skills or city; one email each, queued through the outbox like all mail. Running it
    twice sends nothing new: a digest covers only vacancies published after the previous one. Commits;
    returns how many emails were sent."""
    now = now or utcnow()
    since = now - timedelta(days=DIGEST_DAYS)
    vacancies = db.session.execute(
        select(Vacancy).join(Vacancy.firm).where(public_filter(now.astimezone(JAKARTA).date()),
                                                 Vacancy.published_at >= since)
        .options(joinedload(Vacancy.firm)).order_by(Vacancy.published_at.desc(), Vacancy.id.desc())).scalars().all()
    if not vacancies:
        return 0
    profiles = db.session.execute(
        select(WorkProfile).join(User, User.id == WorkProfile.user_id)
        .where(WorkProfile.digest_opt_in.is_(True), User.deleted_at.is_(None), User.role == Role.GRADUATE.value)
        .options(joinedload(WorkProfile.user))).scalars().all()
    sent = 0
    for profile in profiles:
        last = as_utc(profile.digest_sent_at) if profile.digest_sent_at else since
        skills, city = set(profile.skill_list), (profile.city or "").strip().lower()
        applied = set(db.session.execute(select(Application.vacancy_id).where(
            Application.applicant_id == profile.user_id)).scalars())
        matching = [v for v in vacancies if as_utc(v.published_at) > last and v.id not in applied
                    and _matches(v, skills, city)][:DIGEST_MAX_VACANCIES]
        if not matching:
            continue
        user = profile.user
        token = tokens.make_token(DIGEST_OFF, {"u": user.id})
        send_email(user.email, "jobs_digest", user.locale, user=user, vacancies=matching,
                   links={v.id: tokens.public_link("jobs.vacancy", vacancy_id=v.id) for v in matching},
                   stop_link=tokens.public_link("jobs.stop_digest", token=token),
                   profile_link=tokens.public_link("jobs_graduate.profile"))
        profile.digest_sent_at = now
        sent += 1
    return sent


@transactional
def stop_digest(token: str) -> User:
    """The one-click opt-out from the digest email (no sign-in needed: the signed link is the proof)."""
    try:
        data = tokens.read_token(DIGEST_OFF, token, max_age_seconds=None)
    except tokens.TokenInvalid as exc:
        raise JobsError("link_invalid") from exc
    user_id = data.get("u") if isinstance(data, dict) else None
    profile = db.session.execute(select(WorkProfile).where(WorkProfile.user_id == user_id)).scalar_one_or_none() \
        if isinstance(user_id, int) else None
    if profile is None:
        raise JobsError("link_invalid")
    profile.digest_opt_in = False
    return profile.user
