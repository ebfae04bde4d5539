"""Accepting an invitation: the emailed link becomes an account in the inviting program and cohort.

Program staff issue, resend and revoke invitations (``marketplace.programs.services``); the invitation
itself, its link and its acceptance belong to accounts, so accounts never reaches up into programs.
"""
from __future__ import annotations

from marketplace.accounts import services as accounts
from marketplace.accounts import tokens
from marketplace.accounts.errors import InvitationUnusable
from marketplace.accounts.models import Invitation, User
from marketplace.core import audit
from marketplace.core.timeutil import as_utc, utcnow
from marketplace.core.transactions import transactional
from marketplace.extensions import db

INVITATION_DAYS = 7


def invitation_status(invitation: Invitation) -> str:
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.used_at is not None:
        return "used"
    if as_utc(invitation.expires_at) <= utcnow():
        return "expired"
    return "open"


def invitation_token(invitation: Invitation) -> str:
    # Only the id travels; expiry, use and revocation are read from the row, so staff can revoke.
    return tokens.make_token(tokens.INVITATION, {"i": invitation.id})


def invitation_link(invitation: Invitation) -> str:
    return tokens.public_link("accounts.accept_invitation", token=invitation_token(invitation))


def open_invitation(token: str) -> Invitation:
    """The invitation a link points to, if it may still be accepted."""
    try:
        data = tokens.read_token(tokens.INVITATION, token, max_age_seconds=INVITATION_DAYS * 24 * 3600)
    except tokens.TokenExpired as exc:
        raise InvitationUnusable("expired") from exc
    except tokens.TokenInvalid as exc:
        raise InvitationUnusable("invalid") from exc
    invitation_id = data.get("i") if isinstance(data, dict) else None
    invitation = db.session.get(Invitation, invitation_id) if isinstance(invitation_id, int) else None
    if invitation is None:
        raise InvitationUnusable("invalid")
    status = invitation_status(invitation)
    if status != "open":
        raise InvitationUnusable(status)
    return invitation


@transactional
def accept_invitation(token: str, *, name: str, password: str, locale: str) -> User:
    """Create the invited account (the link proved the address); raises before creating."""
    invitation = open_invitation(token)
    user = accounts.create_user(email=invitation.email, name=name, password=password, role=invitation.role,
                                program_id=invitation.program_id, cohort_id=invitation.cohort_id,
                                locale=accounts.clean_locale(locale), email_verified_at=utcnow())
    invitation.used_at = utcnow()
    invitation.accepted_user_id = user.id
    audit.record(user.id, "invitation.accept", "invitation", invitation.id, program_id=invitation.program_id)
    return user
