"""Mentoring: who mentors whom (with history), goals, milestones, check-ins with actions, support the
program gave, and when graduates last signed in (for the "not seen for 30 days" alert).

Everything is keyed on the graduate (a person), not the storefront: a graduate is mentored before they
open a shop, and sales figures are read through ``orders.queries`` for the shop they own.
Check-in notes are confidential (the checks are in ``marketplace/core/policy.py``).
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.timeutil import utcnow
from marketplace.core.types import UTCDateTime
from marketplace.extensions import db


class GoalMetric(str, enum.Enum):
    REVENUE = "revenue"                  # revenue of the due date's month, rupiah
    ORDERS = "orders"                    # orders in the due date's month
    ACTIVE_PRODUCTS = "active_products"  # products on sale now
    REPEAT_CUSTOMERS = "repeat_customers"  # repeat customers in the due date's month
    MANUAL = "manual"                    # a number the mentor and graduate write down themselves


class MilestoneKind(str, enum.Enum):
    FIRST_SALE = "first_sale"
    BUSINESS_LICENCE = "business_licence"   # NIB
    BANK_ACCOUNT = "bank_account"
    FIRST_EMPLOYEE = "first_employee"
    FIRST_HIRE = "first_hire"               # first hire through the job board


class CheckInMode(str, enum.Enum):
    VISIT = "visit"
    CALL = "call"
    WHATSAPP = "whatsapp"
    GROUP = "group"


class ActionOwner(str, enum.Enum):
    GRADUATE = "graduate"
    MENTOR = "mentor"


class SupportKind(str, enum.Enum):
    EQUIPMENT = "equipment"
    CAPITAL_GRANT = "capital_grant"
    TRAINING = "training"
    OTHER = "other"


class Assignment(db.Model):
    """A mentor follows a graduate from ``started_at`` until ``ended_at`` (NULL while current). A change
    of mentor ends the row and starts a new one: the history stays, and at most one row per graduate is
    current (a partial unique index)."""

    __tablename__ = "mentor_assignments"
    __table_args__ = (
        Index("uq_mentor_assignments_current", "graduate_id", unique=True,
              sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    graduate = relationship("User", foreign_keys=[graduate_id])
    mentor = relationship("User", foreign_keys=[mentor_id])


class Goal(db.Model):
    __tablename__ = "mentoring_goals"
    __table_args__ = (CheckConstraint("target > 0", name="target_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    metric: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(120))
    target: Mapped[int]
    manual_value: Mapped[int | None]  # the latest value written by hand (metric "manual")
    due_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Milestone(db.Model):
    __tablename__ = "mentoring_milestones"
    __table_args__ = (Index("uq_mentoring_milestones_kind", "graduate_id", "kind", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    achieved_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CheckIn(db.Model):
    """A conversation between mentor and graduate. ``notes`` are read by the graduate too;
    ``private_notes`` only by the mentor while assigned and by the program's staff (each read logged)."""

    __tablename__ = "mentoring_check_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    mode: Mapped[str] = mapped_column(String(12))
    notes: Mapped[str] = mapped_column(Text, default="")
    private_notes: Mapped[str] = mapped_column(Text, default="")
    needs_support: Mapped[bool] = mapped_column(default=False)
    support_resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    mentor = relationship("User", foreign_keys=[mentor_id])
    actions: Mapped[list[Action]] = relationship(back_populates="check_in", order_by="Action.id")


class Action(db.Model):
    """Something agreed at a check-in, with an owner (graduate or mentor) and a due date."""

    __tablename__ = "mentoring_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    check_in_id: Mapped[int] = mapped_column(ForeignKey("mentoring_check_ins.id"), index=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(10))
    due_on: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    check_in: Mapped[CheckIn] = relationship(back_populates="actions")


class Support(db.Model):
    """What the program gave a graduate's business: equipment, a capital grant, extra training."""

    __tablename__ = "mentoring_support"
    __table_args__ = (CheckConstraint("amount_idr >= 0", name="amount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(String(300))
    amount_idr: Mapped[int] = mapped_column(default=0)  # the grant, or what the equipment cost
    given_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SignIn(db.Model):
    """When each graduate last signed in (updated on Flask-Login's ``user_logged_in`` signal)."""

    __tablename__ = "mentoring_last_sign_ins"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    signed_in_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Reference(db.Model):
    """A short reference for jobs: the graduate asks (with an optional note), whoever mentors them at the
    time writes it (``body``, limited Markdown), and the graduate reads it and decides whether to attach
    it to a job application (the job board keeps its own copy of what was attached; nothing reaches a
    firm otherwise). At most one request per graduate waits for writing (a partial unique index)."""

    __tablename__ = "mentoring_references"
    __table_args__ = (
        Index("uq_mentoring_references_open", "graduate_id", unique=True,
              sqlite_where=text("written_at IS NULL"), postgresql_where=text("written_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")           # the graduate's request to the mentor
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # who wrote it
    author_name: Mapped[str] = mapped_column(String(120), default="")  # as the firm sees it, when attached
    body: Mapped[str] = mapped_column(Text, default="")
    written_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def written(self) -> bool:
        return self.written_at is not None
