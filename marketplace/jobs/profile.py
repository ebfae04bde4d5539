"""A graduate's work profile: what they may choose to send with an application, and nothing before that.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from marketplace.accounts import tokens
from marketplace.accounts.models import Role, User
from marketplace.catalog import queries as storefronts
from marketplace.extensions import db
from marketplace.jobs.errors import InvalidInput, NotFound
from marketplace.jobs.models import WorkProfile
from marketplace.jobs.vacancies import normalise_skills


@dataclass(frozen=True)
class ProfileData:
    city: str = ""
    skills: str = ""
    experience: str = ""
    training_title: str = ""
    training_started_on: date | None = None
    training_finished_on: date | None = None
    link_storefront: bool = False
    digest_opt_in: bool = True


def graduate_only(user: User) -> User:
    if not user.is_authenticated or user.role != Role.GRADUATE.value:
        raise NotFound()
    return user


def profile_of(user: User) -> WorkProfile:
    """The saved profile, or an unsaved one filled from the program's training record (the cohort's dates)."""
    graduate_only(user)
    profile = db.session.execute(select(WorkProfile).where(WorkProfile.user_id == user.id)).scalar_one_or_none()
    if profile is not None:
        return profile
    cohort = user.cohort
    return WorkProfile(user_id=user.id, city="", skills="", experience="", link_storefront=False, digest_opt_in=True,
                       training_title="", training_started_on=cohort.started_on if cohort else None,
                       training_finished_on=cohort.graduated_on if cohort else None)


def save_profile(user: User, data: ProfileData) -> WorkProfile:
    graduate_only(user)
    if (data.training_started_on and data.training_finished_on
            and data.training_finished_on < data.training_started_on):
        raise InvalidInput("training_dates")
    profile = db.session.execute(select(WorkProfile).where(WorkProfile.user_id == user.id)).scalar_one_or_none()
    if profile is None:
        profile = WorkProfile(user_id=user.id)
        db.session.add(profile)
    profile.city = data.city.strip()
    profile.skills = normalise_skills(data.skills)
    profile.experience = data.experience.strip()
    profile.training_title = data.training_title.strip()
    profile.training_started_on = data.training_started_on
    profile.training_finished_on = data.training_finished_on
    profile.link_storefront = bool(data.link_storefront)
    profile.digest_opt_in = bool(data.digest_opt_in)
    db.session.commit()
    return profile


def storefront_url_of(user: User) -> str | None:
    """The graduate's public storefront, if it is open to the public (a portfolio they may link)."""
    business = storefronts.businesses_of_owners([user.id]).get(user.id)
    if business is None or not business.is_public:
        return None
    return tokens.public_link("catalog.storefront", slug=business.slug)
