"""What the accounts domain refuses, and how each refusal is said (see ``marketplace.core.errors``)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.core.errors import DomainError

MIN_PASSWORD_LENGTH = 10


class AccountError(DomainError):
    """An accounts rule refused the action; ``code`` names which (``WrongPassword("wrong_current_password")``)."""

    messages = {
        "invalid_credentials": _l("That email and password do not match an account."),
        "email_not_verified": _l("This email address has not been confirmed yet."),
        "link_expired": _l("This link has expired. Please ask for a new one."),
        "link_invalid": _l("This link is not valid. Please check that you copied the whole link, or ask for a new one."),
        "wrong_password": _l("That is not your password."),
        "wrong_current_password": _l("That is not your current password."),
        "last_admin": _l("You are the only admin. Make someone else an admin before deleting your account."),
        "email_taken": _l("An account with this email address already exists. "
                          "Sign in, or reset your password if you forgot it."),
        "weak_password": _l("This password is too easy to guess. Use at least "
                            "%(n)d characters and avoid common passwords."),
        # Invitations (InvitationUnusable, from the invitation's status)
        "invitation_expired": _l("This invitation has expired. Please ask the program staff for a new one."),
        "invitation_used": _l("This invitation has already been used. If it was you, please sign in."),
        "invitation_revoked": _l("This invitation was withdrawn. Please contact the program staff."),
        "invitation_invalid": _l("This invitation link is not valid. Please check that you copied the whole link."),
    }


class InvalidCredentials(AccountError):
    code = "invalid_credentials"


class EmailNotVerified(AccountError):
    """Right password, but the address was never confirmed: the login offers the link again."""

    code = "email_not_verified"
    status = 403

    def __init__(self, user) -> None:
        super().__init__()
        self.user = user


class LinkInvalid(AccountError):
    code = "link_invalid"


class LinkExpired(LinkInvalid):
    code = "link_expired"


class WrongPassword(AccountError):
    code = "wrong_password"


class LastAdmin(AccountError):
    code = "last_admin"


class EmailTaken(AccountError):
    code = "email_taken"


class WeakPassword(AccountError):
    code = "weak_password"

    def __init__(self) -> None:
        super().__init__(n=MIN_PASSWORD_LENGTH)


class InvitationUnusable(AccountError):
    """Expired, used, revoked or forged; built from the invitation's status, e.g. ``invitation_expired``."""

    def __init__(self, status: str) -> None:
        super().__init__(f"invitation_{status}")
