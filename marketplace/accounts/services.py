"""Accounts: passwords, sign-in, and the user loader. Knows nothing of requests."""
from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.errors import (
    MIN_PASSWORD_LENGTH,
    EmailNotVerified,
    EmailTaken,
    InvalidCredentials,
    LastAdmin,
    LinkExpired,
    LinkInvalid,
    WeakPassword,
    WrongPassword,
)
from marketplace.accounts.models import User
from marketplace.core.phone import normalise_phone
from marketplace.core.policy import Role
from marketplace.core.timeutil import utcnow
from marketplace.core.transactions import transaction, transactional
from marketplace.extensions import db


@cache
def _hasher_and_dummy(profile: str) -> tuple[PasswordHasher, str]:
    """Argon2id with the parameters of ``argon2.profiles.<profile>`` (config ``ARGON2_PROFILE``),
    and a hash to verify against when the email is unknown: the response time stays the same (no user
    probing)."""
    hasher = PasswordHasher.from_parameters(getattr(profiles, profile))
    return hasher, hasher.hash("not a real password")


def _hasher() -> PasswordHasher:
    return _hasher_and_dummy(current_app.config["ARGON2_PROFILE"])[0]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def password_matches(user: User | None, password: str) -> bool:
    try:
        hasher, dummy_hash = _hasher_and_dummy(current_app.config["ARGON2_PROFILE"])
        return hasher.verify(user.password_hash if user else dummy_hash, password) and user is not None
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
    if user.email_verified_at is None:
        raise EmailNotVerified(user)
    if _hasher().check_needs_rehash(user.password_hash):
        with transaction():
            user.password_hash = hash_password(password)
    return user


@transactional
def end_all_sessions(user: User) -> None:
    """Sign the person out everywhere: every session cookie and remember-me cookie carries the old
    version, which the user loader (run on every request) no longer accepts."""
    user.session_version += 1


def load_user_from_session_id(session_id: str) -> User | None:
    """Flask-Login loader: ``"<id>:<session_version>"`` (see ``User.get_id``)."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.deleted_at is not None or user.session_version != int(version):
        return None
    return user




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
    try:
        db.session.flush()
    except IntegrityError as exc:
        # Two sign-ups with one address at the same moment: the unique index decides. Every caller
        # creates the user first in its transaction, so rolling back loses nothing of theirs, and a
        # caller that answers EmailTaken itself (``_register``) goes on in a usable session. By hand
        # (tests/core/test_layout.py allows it): a SAVEPOINT would commit the user early on SQLite.
        db.session.rollback()
        raise EmailTaken() from exc
    return user


@transactional
def create_admin(*, email: str, name: str, password: str) -> User:
    return create_user(email=email, name=name, password=password, role="admin", email_verified_at=utcnow())


# Self-registration and email verification ------------------------------------------------------

VERIFY_EMAIL_MAX_AGE = 7 * 24 * 3600
RESET_MAX_AGE = 3600
ACCOUNT_SETUP_MAX_AGE = 7 * 24 * 3600


def clean_locale(locale: str | None) -> str:
    from flask import current_app

    return locale if locale in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def register_customer(*, email: str, name: str, password: str, locale: str) -> User | None:
    """A new customer who must confirm the address before signing in. ``None`` when the
    address already has an account (see ``_register``)."""
    return _register(email=email, name=name, password=password, role=Role.CUSTOMER.value,
                     locale=clean_locale(locale))


def register_partner(*, email: str, name: str, password: str, organisation: str, locale: str) -> User | None:
    """A partner firm: confirms its address, then waits for program staff to approve it."""
    return _register(email=email, name=name, password=password, role=Role.PARTNER.value,
                     organisation=organisation.strip(), locale=clean_locale(locale))


@transactional
def _register(*, email: str, password: str, **fields) -> User | None:
    """Make the account and email its confirmation link; or, when the address already has an account,
    email its owner that someone tried to register with it and return ``None``. The caller answers
    both alike ("check your email"), so a registration form cannot tell anyone whether a person (a
    graduate, say) has an account here."""
    check_password_strength(password, email)  # the form's own errors reveal nothing about the address
    owner = find_user_by_email(email)
    if owner is None:
        try:
            user = create_user(email=email, password=password, **fields)
        except EmailTaken:  # registered at this very moment by another request
            owner = find_user_by_email(email)
        else:
            send_verification(user)
            return user
    hash_password(password)  # the work a new account costs, so the time taken tells nothing either
    if owner is not None:
        _tell_owner_of_registration_attempt(owner)
    return None


def _tell_owner_of_registration_attempt(owner: User) -> None:
    from marketplace.accounts import tokens
    from marketplace.notifications.services import send_email

    send_email(owner.email, "account_exists", owner.locale, user=owner,
               login_link=tokens.public_link("accounts.login"),
               reset_link=tokens.public_link("accounts.forgot_password"))


def send_verification(user: User) -> None:
    from marketplace.accounts import tokens
    from marketplace.notifications.services import send_email

    token = tokens.make_token(tokens.VERIFY_EMAIL, {"u": user.id, "e": user.email})
    send_email(user.email, "account_verify_email", user.locale, user=user,
               link=tokens.public_link("accounts.verify_email", token=token))


def resend_verification(email: str) -> None:
    """Send the link again if an unconfirmed account has this address; say nothing either way."""
    user = find_user_by_email(email)
    if user is not None and user.email_verified_at is None:
        with transaction():
            send_verification(user)


def verify_email(token: str) -> User:
    from marketplace.accounts import tokens

    try:
        data = tokens.read_token(tokens.VERIFY_EMAIL, token, VERIFY_EMAIL_MAX_AGE)
    except tokens.TokenExpired as exc:
        raise LinkExpired() from exc
    except tokens.TokenInvalid as exc:
        raise LinkInvalid() from exc
    user = _user_from_payload(data)
    # The link names the address it was sent to: a later email change must not be confirmed by it.
    if user is None or data.get("e") != user.email:
        raise LinkInvalid()
    if user.email_verified_at is None:
        with transaction():
            user.email_verified_at = utcnow()
    return user


def _user_from_payload(data) -> User | None:
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or user.deleted_at is not None:
        return None
    return user


# Password reset (also the "set your password" link for new staff) ------------------------------


def _password_token(user: User, purpose: str, issued_at=None) -> str:
    from marketplace.accounts import tokens

    # The session version inside the token makes the link die as soon as the password changes.
    return tokens.make_token(purpose, {"u": user.id, "v": user.session_version}, issued_at=issued_at)


def password_reset_link(user: User, issued_at=None) -> str:
    from marketplace.accounts import tokens

    return tokens.public_link("accounts.reset_password",
                              token=_password_token(user, tokens.PASSWORD_RESET, issued_at))


def account_setup_link(user: User, issued_at=None) -> str:
    from marketplace.accounts import tokens

    return tokens.public_link("accounts.set_up_account",
                              token=_password_token(user, tokens.ACCOUNT_SETUP, issued_at))


@transactional
def request_password_reset(email: str) -> None:
    """Email a reset link when the account exists; the caller shows the same words either way."""
    from marketplace.notifications.services import send_email

    user = find_user_by_email(email)
    if user is None:
        return
    send_email(user.email, "account_password_reset", user.locale, user=user, link=password_reset_link(user))


def user_for_password_token(token: str, purpose: str) -> User:
    from marketplace.accounts import tokens

    max_age = RESET_MAX_AGE if purpose == tokens.PASSWORD_RESET else ACCOUNT_SETUP_MAX_AGE
    try:
        data = tokens.read_token(purpose, token, max_age)
    except tokens.TokenExpired as exc:
        raise LinkExpired() from exc
    except tokens.TokenInvalid as exc:
        raise LinkInvalid() from exc
    user = _user_from_payload(data)
    if user is None or data.get("v") != user.session_version:
        raise LinkInvalid()
    return user


@transactional
def reset_password(token: str, new_password: str, purpose: str) -> User:
    """Set a new password from an emailed link. The link also proves the address."""
    user = user_for_password_token(token, purpose)
    check_password_strength(new_password, user.email)
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return user


# Profile -----------------------------------------------------------------------------------------


@transactional
def update_profile(user: User, *, name: str, phone: str | None, locale: str) -> User:
    user.phone = normalise_phone(phone)
    user.name = name.strip()
    user.locale = clean_locale(locale)
    return user


@transactional
def change_password(user: User, *, current_password: str, new_password: str) -> User:
    """Every other session ends (the version in their cookies no longer matches)."""
    if not password_matches(user, current_password):
        raise WrongPassword("wrong_current_password")
    check_password_strength(new_password, user.email)
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    return user


# Deleting an account -----------------------------------------------------------------------------


def _unusable_password_hash() -> str:
    import secrets

    return "!deleted!" + secrets.token_hex(16)  # not an Argon2 hash: no password can ever match


@transactional
def delete_account(user: User, *, password: str) -> None:
    """Erase the person from every domain, keep what the law requires, anonymise the user."""
    from marketplace.accounts import privacy

    if not password_matches(user, password):
        raise WrongPassword()
    if user.role == Role.ADMIN.value:
        admins = db.session.execute(
            select(func.count()).select_from(User)
            .where(User.role == Role.ADMIN.value, User.deleted_at.is_(None))
        ).scalar_one()
        if admins <= 1:
            raise LastAdmin()
    privacy.erase_user_data_everywhere(user)
    anonymise(user)


def anonymise(user: User) -> None:
    """The row stays (orders, audit entries point at it); nothing in it names the person any more."""
    user.email = f"deleted-{user.id}@invalid.local"
    user.name = "Deleted user"
    user.phone = None
    user.organisation = None
    user.password_hash = _unusable_password_hash()
    user.session_version += 1
    user.deleted_at = utcnow()
