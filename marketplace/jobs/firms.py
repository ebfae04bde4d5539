"""Partner firms: registering a firm, the staff's decision and suspension, and the owner's colleagues.

A firm's members are read afresh on every request (``firm_of``), so a removed colleague finds nothing.
Anything of another firm raises ``NotFound``: ids in URLs cannot be probed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from slugify import slugify
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from marketplace.accounts import services as accounts
from marketplace.accounts import tokens
from marketplace.accounts.models import Role, User
from marketplace.core import audit
from marketplace.core.phone import indonesian_e164
from marketplace.core.policy import (
    may_moderate_jobs,
    member_of_firm,
    owner_of_firm,
)
from marketplace.core.timeutil import as_utc, utcnow
from marketplace.core.transactions import transaction, transactional
from marketplace.extensions import db
from marketplace.jobs.errors import InvalidInput, JobsError, NotFound
from marketplace.jobs.models import (
    Firm,
    FirmInvitation,
    FirmMember,
    FirmStatus,
    MemberRole,
)
from marketplace.notifications.services import send_email

INVITATION_DAYS = 7
FIRM_INVITATION = "firm-invitation"
_NIB = re.compile(r"^\d{13}$")


@dataclass(frozen=True)
class FirmData:
    legal_name: str
    nib: str
    sector: str
    city: str
    contact_name: str
    contact_phone: str = ""
    pledge: bool = False


def firm_of(user: User) -> Firm | None:
    """The firm the partner acts for now, with its members loaded (None once removed)."""
    if not user.is_authenticated:
        return None
    return db.session.execute(
        select(Firm).join(FirmMember, FirmMember.firm_id == Firm.id).where(FirmMember.user_id == user.id)
        .options(selectinload(Firm.members))
    ).scalar_one_or_none()


def _unique_firm_slug(name: str, exclude_id: int | None) -> str:
    base = slugify(name, max_length=80, word_boundary=True) or "mitra"
    slug, n = base, 1
    while db.session.execute(select(Firm.id).where(Firm.slug == slug, Firm.id != (exclude_id or 0))).first():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transactional
def save_firm(user: User, data: FirmData) -> Firm:
    """Create the partner's firm (sent to staff for approval) or update it; a rejected firm that is
    corrected goes back to the staff. Only the owner edits. Commits."""
    if user.role != Role.PARTNER.value or not user.is_approved:
        raise NotFound()
    nib = re.sub(r"[\s.-]", "", data.nib or "")
    if not _NIB.match(nib):
        raise InvalidInput("nib")
    if not data.pledge:
        raise InvalidInput("pledge")
    phone = None
    if (data.contact_phone or "").strip():
        phone = indonesian_e164(data.contact_phone)
        if phone is None:
            raise InvalidInput("phone")
    firm = firm_of(user)
    if firm is not None and not owner_of_firm(user, firm):
        raise NotFound()
    clash = db.session.execute(select(Firm.id).where(Firm.nib == nib)).scalar_one_or_none()
    if clash is not None and (firm is None or clash != firm.id):
        raise InvalidInput("nib_taken")
    slug = _unique_firm_slug(data.legal_name.strip(), firm.id if firm else None)
    if firm is None:
        firm = Firm(pledge_accepted_at=utcnow(), status=FirmStatus.PENDING.value)
        firm.members.append(FirmMember(user_id=user.id, role=MemberRole.OWNER.value))
        db.session.add(firm)
        action = "firm.create"
    else:
        action = "firm.update"
        if firm.status == FirmStatus.REJECTED.value:
            firm.status = FirmStatus.PENDING.value
    firm.legal_name = data.legal_name.strip()
    firm.slug = slug
    firm.nib = nib
    firm.sector = data.sector.strip()
    firm.city = data.city.strip()
    firm.contact_name = data.contact_name.strip()
    firm.contact_phone = phone
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same NIB registered at the same moment (rolled back as it leaves)
        raise InvalidInput("nib_taken") from exc
    audit.record(user.id, action, "firm", firm.id)
    return firm


def firms_for_staff(actor: User) -> list[Firm]:
    if not may_moderate_jobs(actor):
        raise NotFound()
    firms = db.session.execute(select(Firm).options(selectinload(Firm.members).joinedload(FirmMember.user))
                               .order_by(Firm.legal_name, Firm.id)).scalars().all()
    return sorted(firms, key=lambda f: (f.status != FirmStatus.PENDING.value, f.legal_name.lower()))


def _firm_for_staff(actor: User, firm_id: int) -> Firm:
    firm = db.session.get(Firm, firm_id)
    if firm is None or not may_moderate_jobs(actor):
        raise NotFound()
    return firm


def _owners(firm: Firm) -> list[User]:
    return [m.user for m in firm.members if m.role == MemberRole.OWNER.value and m.user.deleted_at is None]


def _tell_owners(firm: Firm, template: str, **context) -> None:
    for owner in _owners(firm):
        send_email(owner.email, template, owner.locale, firm=firm, user=owner,
                   link=tokens.public_link("jobs_firm.dashboard"), **context)


@transactional
def decide_firm(actor: User, firm_id: int, approve: bool, reason: str = "") -> Firm:
    """Approve or reject a firm; the reason is shown to the firm and emailed. Commits."""
    firm = _firm_for_staff(actor, firm_id)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise InvalidInput("reason")
    firm.status = FirmStatus.APPROVED.value if approve else FirmStatus.REJECTED.value
    firm.decision_reason = reason or None
    firm.decided_at = utcnow()
    audit.record(actor.id, "firm.approve" if approve else "firm.reject", "firm", firm.id, detail=reason or None)
    _tell_owners(firm, "jobs_firm_approved" if approve else "jobs_firm_rejected", reason=reason)
    return firm


@transactional
def suspend_firm(actor: User, firm_id: int, reason: str) -> Firm:
    """Hidden at once: its vacancies answer 404 and it cannot post until reinstated. Commits."""
    firm = _firm_for_staff(actor, firm_id)
    if not (reason or "").strip():
        raise InvalidInput("reason")
    firm.status = FirmStatus.SUSPENDED.value
    firm.suspended_reason = reason.strip()
    audit.record(actor.id, "firm.suspend", "firm", firm.id, detail=reason.strip())
    return firm


def reinstate_firm(actor: User, firm_id: int) -> Firm:
    firm = _firm_for_staff(actor, firm_id)
    if firm.status == FirmStatus.SUSPENDED.value:
        with transaction():
            firm.status = FirmStatus.APPROVED.value
            firm.suspended_reason = None
            audit.record(actor.id, "firm.reinstate", "firm", firm.id)
    return firm


def acting_firm(actor: User) -> Firm:
    """The firm the actor is a member of now; NotFound otherwise."""
    firm = firm_of(actor)
    if firm is None or not member_of_firm(actor, firm):
        raise NotFound()
    return firm


# Colleagues ---------------------------------------------------------------------------------------


def _owned_firm(actor: User) -> Firm:
    firm = firm_of(actor)
    if firm is None or not owner_of_firm(actor, firm):
        raise NotFound()
    return firm


def open_firm_invitations(firm: Firm) -> list[FirmInvitation]:
    return list(db.session.execute(
        select(FirmInvitation).where(FirmInvitation.firm_id == firm.id, FirmInvitation.used_at.is_(None),
                                     FirmInvitation.revoked_at.is_(None), FirmInvitation.expires_at > utcnow())
        .order_by(FirmInvitation.id)).scalars())


@transactional
def invite_colleague(actor: User, *, name: str, email: str, locale: str) -> FirmInvitation:
    """The owner invites a colleague; the emailed link creates their partner account in the firm. Commits."""
    firm = _owned_firm(actor)
    email = accounts.normalise_email(email)
    if accounts.find_user_by_email(email) is not None:
        raise accounts.EmailTaken()
    invitation = FirmInvitation(firm_id=firm.id, email=email, name=name.strip(), locale=accounts.clean_locale(locale),
                                invited_by_id=actor.id, expires_at=utcnow() + timedelta(days=INVITATION_DAYS))
    db.session.add(invitation)
    db.session.flush()
    token = tokens.make_token(FIRM_INVITATION, {"i": invitation.id})
    send_email(email, "jobs_firm_invitation", invitation.locale, invitation=invitation, firm=firm, inviter=actor,
               link=tokens.public_link("jobs.join_firm", token=token), days=INVITATION_DAYS)
    audit.record(actor.id, "firm.invite", "firm", firm.id)
    return invitation


def revoke_firm_invitation(actor: User, invitation_id: int) -> None:
    firm = _owned_firm(actor)
    invitation = db.session.get(FirmInvitation, invitation_id)
    if invitation is None or invitation.firm_id != firm.id:
        raise NotFound()
    if invitation.used_at is None and invitation.revoked_at is None:
        with transaction():
            invitation.revoked_at = utcnow()


def open_firm_invitation(token: str) -> FirmInvitation:
    try:
        data = tokens.read_token(FIRM_INVITATION, token, max_age_seconds=INVITATION_DAYS * 24 * 3600)
    except tokens.TokenExpired as exc:
        raise JobsError("link_expired") from exc
    except tokens.TokenInvalid as exc:
        raise JobsError("link_invalid") from exc
    invitation_id = data.get("i") if isinstance(data, dict) else None
    invitation = db.session.get(FirmInvitation, invitation_id) if isinstance(invitation_id, int) else None
    if (invitation is None or invitation.used_at is not None or invitation.revoked_at is not None
            or invitation.firm.status == FirmStatus.SUSPENDED.value):
        raise JobsError("link_invalid")
    if as_utc(invitation.expires_at) <= utcnow():
        raise JobsError("link_expired")
    return invitation


@transactional
def join_firm(token: str, *, name: str, password: str, locale: str) -> User:
    """Create the invited colleague's partner account, approved and in the firm (the link proved the
    address and the owner vouched for them). Commits."""
    invitation = open_firm_invitation(token)
    user = accounts.create_user(email=invitation.email, name=name, password=password, role=Role.PARTNER.value,
                                organisation=invitation.firm.legal_name, approved_at=utcnow(),
                                email_verified_at=utcnow(), locale=accounts.clean_locale(locale))
    db.session.add(FirmMember(firm_id=invitation.firm_id, user_id=user.id, role=MemberRole.MEMBER.value))
    invitation.used_at = utcnow()
    invitation.accepted_user_id = user.id
    audit.record(user.id, "firm.join", "firm", invitation.firm_id)
    return user


@transactional
def remove_member(actor: User, member_id: int) -> FirmMember:
    """The owner removes a colleague: their next request finds no firm. Owners cannot remove themselves."""
    firm = _owned_firm(actor)
    member = db.session.get(FirmMember, member_id)
    if member is None or member.firm_id != firm.id or member.user_id == actor.id:
        raise NotFound()
    db.session.delete(member)
    audit.record(actor.id, "firm.remove_member", "firm", firm.id, detail=str(member.user_id))
    return member
