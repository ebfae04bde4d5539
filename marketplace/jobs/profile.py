"""A graduate's work profile: what they may choose to send with an application, and nothing before that."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from marketplace.accounts import tokens
from marketplace.accounts.models import Role, User
from marketplace.catalog import queries as storefronts
from marketplace.core.transactions import transactional
from marketplace.extensions import db
from marketplace.jobs.errors import NotFound
from marketplace.jobs.models import WorkProfile
from marketplace.jobs.vacancies import normalise_skills


@dataclass(frozen=True)
class ProfileData:
    city: str = ""
    skills: str = ""
    experience: str = ""
    link_storefront: bool = False
    digest_opt_in: bool = True


def graduate_only(user: User) -> User:
    if not user.is_authenticated or user.role != Role.GRADUATE.value:
        raise NotFound()
    return user


def profile_of(user: User) -> WorkProfile:
    """The saved profile, or an unsaved empty one. (The training record is the program's: ``training.py``.)"""
    graduate_only(user)
    profile = db.session.execute(select(WorkProfile).where(WorkProfile.user_id == user.id)).scalar_one_or_none()
    if profile is not None:
        return profile
    return WorkProfile(user_id=user.id, city="", skills="", experience="", link_storefront=False, digest_opt_in=True)


@transactional
def save_profile(user: User, data: ProfileData) -> WorkProfile:
    graduate_only(user)
    profile = db.session.execute(select(WorkProfile).where(WorkProfile.user_id == user.id)).scalar_one_or_none()
    if profile is None:
        profile = WorkProfile(user_id=user.id)
        db.session.add(profile)
    profile.city = data.city.strip()
    profile.skills = normalise_skills(data.skills)
    profile.experience = data.experience.strip()
    profile.link_storefront = bool(data.link_storefront)
    profile.digest_opt_in = bool(data.digest_opt_in)
    return profile


def storefront_url_of(user: User) -> str | None:
    """The graduate's public storefront, if it is open to the public (a portfolio they may link)."""
    business = storefronts.businesses_of_owners([user.id]).get(user.id)
    if business is None or not business.is_public:
        return None
    return tokens.public_link("catalog.storefront", slug=business.slug)
