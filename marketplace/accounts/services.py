"""Accounts: passwords, sign-in, and the user loader. Knows nothing of requests."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.extensions import db

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters
# Verifying against this when the email is unknown keeps the response time the same (no user probing).
_DUMMY_HASH = _hasher.hash("not a real password")


class AccountError(Exception):
    """Base for account errors; ``code`` names the message the view shows."""

    code = "account_error"


class InvalidCredentials(AccountError):
    code = "invalid_credentials"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(user: User | None, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash if user else _DUMMY_HASH, password) and user is not None
    except (VerificationError, InvalidHashError):
        return False


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(
        select(User).where(func.lower(User.email) == normalise_email(email), User.deleted_at.is_(None))
    ).scalar_one_or_none()


def authenticate(email: str, password: str) -> User:
    user = find_user_by_email(email)
    if not password_matches(user, password):
        raise InvalidCredentials()
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def load_user_from_session_id(session_id: str) -> User | None:
    """Flask-Login loader: ``"<id>:<session_version>"`` (see ``User.get_id``)."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.deleted_at is not None or user.session_version != int(version):
        return None
    return user


class EmailTaken(AccountError):
    code = "email_taken"


class WeakPassword(AccountError):
    code = "weak_password"


MIN_PASSWORD_LENGTH = 10


def check_password_strength(password: str, email: str = "") -> None:
    """Length beats composition rules; refuse only the obviously guessable."""
    lowered = password.lower()
    if (len(password) < MIN_PASSWORD_LENGTH or len(set(password)) < 4
            or (email and lowered == normalise_email(email))
            or lowered in {"password123", "1234567890", "qwertyuiop", "passwordpassword"}):
        raise WeakPassword()


def create_user(*, email: str, name: str, password: str, role: str, **fields) -> User:
    """Add a user to the session (the caller commits). Raises EmailTaken or WeakPassword."""
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise EmailTaken()
    check_password_strength(password, email)
    user = User(email=email, name=name.strip(), password_hash=hash_password(password), role=role, **fields)
    db.session.add(user)
    db.session.flush()
    return user


def create_admin(*, email: str, name: str, password: str) -> User:
    from marketplace.core.timeutil import utcnow

    user = create_user(email=email, name=name, password=password, role="admin", email_verified_at=utcnow())
    db.session.commit()
    return user
