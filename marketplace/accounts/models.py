from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.policy import Role
from marketplace.core.timeutil import utcnow
from marketplace.core.types import UTCDateTime
from marketplace.extensions import db


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(16), index=True)
    locale: Mapped[str] = mapped_column(String(5), default="id")
    # Staff, graduates and mentors belong to one program; customers, partners and admins to none.
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"), index=True)
    # Partner firms: the firm's name, and approval by program staff before they may act.
    organisation: Mapped[str | None] = mapped_column(String(160))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped on password change: invalidates reset links and other sessions' remember cookies.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    program = relationship("Program", foreign_keys=[program_id])
    cohort = relationship("Cohort", foreign_keys=[cohort_id])

    def get_id(self) -> str:
        # Changing the password logs out every other session: the id carries the version.
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.deleted_at is None

    @property
    def is_approved(self) -> bool:
        return self.role != Role.PARTNER.value or self.approved_at is not None

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class Invitation(db.Model):
    """Program staff invite graduates and mentors; the emailed link is signed, expiring and single-use."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"))
    role: Mapped[str] = mapped_column(String(16))
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120))
    locale: Mapped[str] = mapped_column(String(5), default="id", server_default="id")  # of the email
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    program = relationship("Program")
    cohort = relationship("Cohort")
