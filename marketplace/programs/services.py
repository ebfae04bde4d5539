"""Programs: cohorts, invitations of graduates and mentors, partner approval, staff accounts.

Staff act only inside their own program (``policy.same_program``); callers pass the acting user and
these functions refuse with ``NotFound`` anything of another program, so a view can answer 404
without revealing that it exists.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from slugify import slugify
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from marketplace.accounts import services as accounts
from marketplace.accounts import tokens
from marketplace.accounts.errors import EmailTaken
from marketplace.accounts.invitations import INVITATION_DAYS, invitation_link, invitation_status
from marketplace.accounts.models import Invitation, User
from marketplace.core import audit
from marketplace.core.errors import NotFound
from marketplace.core.policy import Role, is_admin, same_program
from marketplace.core.timeutil import utcnow
from marketplace.core.transactions import transaction, transactional
from marketplace.extensions import db
from marketplace.notifications.services import send_email
from marketplace.programs.errors import (
    AlreadyRegistered,
    CohortRequired,
    GraduationBeforeStart,
    InvalidRole,
    InvitationClosed,
    NameTaken,
)
from marketplace.programs.models import Cohort, Program

INVITABLE_ROLES = (Role.GRADUATE.value, Role.MENTOR.value)


# Reading a program ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramOverview:
    program: Program
    cohorts: list[Cohort]
    graduates: list[User]
    mentors: list[User]
    staff: list[User]
    invitations: list[Invitation]


def program_for(actor: User, program_id: int | None) -> Program | None:
    """Staff always work in their own program; the admin picks one (None: not chosen yet)."""
    if is_admin(actor):
        return db.session.get(Program, program_id) if program_id else None
    if actor.program_id is None:
        raise NotFound()
    return db.session.get(Program, actor.program_id)


def all_programs() -> list[Program]:
    return list(db.session.execute(
        select(Program).options(selectinload(Program.cohorts)).order_by(Program.name)).scalars())


def program_overview(program: Program) -> ProgramOverview:
    people = db.session.execute(
        select(User).where(User.program_id == program.id, User.deleted_at.is_(None))
        .options(selectinload(User.cohort)).order_by(User.name)
    ).scalars().all()
    invitations = db.session.execute(
        select(Invitation).where(Invitation.program_id == program.id)
        .options(selectinload(Invitation.cohort)).order_by(Invitation.created_at.desc(), Invitation.id.desc())
        .limit(100)
    ).scalars().all()
    cohorts = db.session.execute(
        select(Cohort).where(Cohort.program_id == program.id).order_by(Cohort.started_on, Cohort.id)
    ).scalars().all()
    return ProgramOverview(
        program=program, cohorts=list(cohorts),
        graduates=[p for p in people if p.role == Role.GRADUATE.value],
        mentors=[p for p in people if p.role == Role.MENTOR.value],
        staff=[p for p in people if p.role == Role.STAFF.value],
        invitations=list(invitations),
    )


@transactional
def person_for_staff(actor: User, user_id: int) -> User:
    person = db.session.get(User, user_id)
    if (person is None or person.deleted_at is not None or person.program_id is None
            or not same_program(actor, person)):
        raise NotFound()
    audit.record(actor.id, "person.read", "user", person.id, program_id=person.program_id)
    return person


# Invitations ------------------------------------------------------------------------------------


@transactional
def create_invitation(actor: User, program: Program, *, role: str, name: str, email: str,
                      cohort_id: int | None, locale: str) -> Invitation:
    """Invite a graduate (into a cohort of the program) or a mentor, and email the link."""
    if not (is_admin(actor) or (actor.role == Role.STAFF.value and actor.program_id == program.id)):
        raise NotFound()
    if role not in INVITABLE_ROLES:
        raise InvalidRole()
    cohort = None
    if cohort_id:
        cohort = db.session.get(Cohort, cohort_id)
        if cohort is None or cohort.program_id != program.id:
            raise NotFound()
    if role == Role.GRADUATE.value and cohort is None:
        raise CohortRequired()
    return _issue_invitation(actor, program_id=program.id, cohort_id=cohort.id if cohort else None, role=role,
                             email=email, name=name, locale=accounts.clean_locale(locale))


def _issue_invitation(actor: User, *, program_id: int, cohort_id: int | None, role: str, email: str, name: str,
                      locale: str, replaces: Invitation | None = None) -> Invitation:
    """A new invitation with a fresh expiry, emailed; the one it replaces can no longer be used."""
    email = accounts.normalise_email(email)
    if accounts.find_user_by_email(email) is not None:
        raise AlreadyRegistered()
    if replaces is not None and replaces.revoked_at is None:
        replaces.revoked_at = utcnow()
    invitation = Invitation(program_id=program_id, cohort_id=cohort_id, role=role, email=email, name=name.strip(),
                            locale=locale, invited_by_id=actor.id,
                            expires_at=utcnow() + timedelta(days=INVITATION_DAYS))
    db.session.add(invitation)
    db.session.flush()
    send_email(email, "invitation", locale, invitation=invitation, program=invitation.program,
               link=invitation_link(invitation),
               days=INVITATION_DAYS)
    audit.record(actor.id, "invitation.resend" if replaces else "invitation.create", "invitation", invitation.id,
                 program_id=program_id, detail=role)
    return invitation


def _invitation_for_staff(actor: User, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not same_program(actor, invitation):
        raise NotFound()
    return invitation


def revoke_invitation(actor: User, invitation_id: int) -> Invitation:
    invitation = _invitation_for_staff(actor, invitation_id)
    if invitation.used_at is None and invitation.revoked_at is None:
        with transaction():
            invitation.revoked_at = utcnow()
            audit.record(actor.id, "invitation.revoke", "invitation", invitation.id,
                         program_id=invitation.program_id)
    return invitation


@transactional
def resend_invitation(actor: User, invitation_id: int) -> Invitation:
    """Send an open or expired invitation again: a new link, valid for the full period, in the language
    of the first one; the old link stops working. Accepted or withdrawn invitations are not resent."""
    invitation = _invitation_for_staff(actor, invitation_id)
    if invitation_status(invitation) not in ("open", "expired"):
        raise InvitationClosed()
    return _issue_invitation(actor, program_id=invitation.program_id, cohort_id=invitation.cohort_id,
                             role=invitation.role, email=invitation.email, name=invitation.name,
                             locale=invitation.locale, replaces=invitation)


# Partner firms ------------------------------------------------------------------------------------


def _may_approve_partners(actor: User) -> bool:
    return is_admin(actor) or (actor.role == Role.STAFF.value and actor.program_id is not None)


def pending_partners(actor: User) -> list[User]:
    if not _may_approve_partners(actor):
        raise NotFound()
    return list(db.session.execute(
        select(User).where(User.role == Role.PARTNER.value, User.approved_at.is_(None),
                           User.deleted_at.is_(None))
        .order_by(User.created_at, User.id)
    ).scalars())


def _pending_partner(actor: User, user_id: int) -> User:
    partner = db.session.get(User, user_id)
    if (not _may_approve_partners(actor) or partner is None or partner.role != Role.PARTNER.value
            or partner.approved_at is not None or partner.deleted_at is not None):
        raise NotFound()
    return partner


@transactional
def approve_partner(actor: User, user_id: int) -> User:
    partner = _pending_partner(actor, user_id)
    partner.approved_at = utcnow()
    audit.record(actor.id, "partner.approve", "user", partner.id, program_id=actor.program_id)
    send_email(partner.email, "account_partner_approved", partner.locale, user=partner,
               link=tokens.public_link("accounts.login"))
    return partner


@transactional
def reject_partner(actor: User, user_id: int) -> User:
    """The firm is told, then the account is closed and anonymised (it never held any data)."""
    partner = _pending_partner(actor, user_id)
    send_email(partner.email, "account_partner_rejected", partner.locale, user=partner)
    audit.record(actor.id, "partner.reject", "user", partner.id, program_id=actor.program_id,
                 detail=partner.organisation)
    accounts.anonymise(partner)
    return partner


# Admin: programs, cohorts, staff ------------------------------------------------------------------


@transactional
def create_program(actor: User, *, name: str, institution: str, city: str) -> Program:
    base = slugify(name)[:70] or "program"
    slug, n = base, 1
    while db.session.execute(select(Program.id).where(Program.slug == slug)).first():
        n += 1
        slug = f"{base}-{n}"
    program = Program(slug=slug, name=name.strip(), institution=institution.strip(), city=city.strip())
    db.session.add(program)
    db.session.flush()
    audit.record(actor.id, "program.create", "program", program.id, program_id=program.id)
    return program


@transactional
def create_cohort(actor: User, program_id: int, *, name: str, started_on: date,
                  graduated_on: date | None) -> Cohort:
    program = db.session.get(Program, program_id)
    if program is None or not is_admin(actor):
        raise NotFound()
    if graduated_on is not None and graduated_on < started_on:
        raise GraduationBeforeStart()
    taken = db.session.execute(select(func.count()).select_from(Cohort).where(
        Cohort.program_id == program.id, func.lower(Cohort.name) == name.strip().lower())).scalar_one()
    if taken:
        raise NameTaken()
    cohort = Cohort(program_id=program.id, name=name.strip(), started_on=started_on, graduated_on=graduated_on)
    db.session.add(cohort)
    try:
        db.session.flush()
    except IntegrityError as exc:  # a concurrent request created the same name (rolled back as it leaves)
        raise NameTaken() from exc
    audit.record(actor.id, "cohort.create", "cohort", cohort.id, program_id=program.id)
    return cohort


@transactional
def create_staff_account(actor: User, program_id: int, *, name: str, email: str, locale: str) -> User:
    """A staff member of a program; they choose their password through the emailed link."""
    import secrets

    program = db.session.get(Program, program_id)
    if program is None or not is_admin(actor):
        raise NotFound()
    # A random password nobody knows until the link replaces it.
    try:
        user = accounts.create_user(email=email, name=name, password=secrets.token_urlsafe(24),
                                    role=Role.STAFF.value, program_id=program.id,
                                    locale=accounts.clean_locale(locale))
    except EmailTaken as exc:
        raise AlreadyRegistered() from exc
    send_email(user.email, "account_staff_setup", user.locale, user=user, program=program,
               link=accounts.account_setup_link(user), days=accounts.ACCOUNT_SETUP_MAX_AGE // 86400)
    audit.record(actor.id, "staff.create", "user", user.id, program_id=program.id)
    return user
