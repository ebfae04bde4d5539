"""Partner firms, their members, vacancies, graduates' work profiles, applications and the hiring pipeline.

An application keeps a snapshot of exactly what the applicant chose to send (name, contact, skills,
experience, the program's training record, cover note, CV): the firm reads that snapshot and nothing else
about the person.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.timeutil import utcnow
from marketplace.core.types import UTCDateTime
from marketplace.extensions import db


class FirmStatus(str, enum.Enum):
    PENDING = "pending"        # waiting for program staff
    APPROVED = "approved"
    REJECTED = "rejected"      # the firm sees the reason, corrects and sends again
    SUSPENDED = "suspended"    # hidden at once: its vacancies answer 404


class MemberRole(str, enum.Enum):
    OWNER = "owner"
    MEMBER = "member"


class EmploymentType(str, enum.Enum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    CONTRACT = "contract"
    APPRENTICESHIP = "apprenticeship"  # magang


class VacancyStatus(str, enum.Enum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    FILLED = "filled"


class Stage(str, enum.Enum):
    APPLIED = "applied"
    SCREENING = "screening"
    INTERVIEW = "interview"
    OFFER = "offer"
    HIRED = "hired"
    NOT_SELECTED = "not_selected"
    WITHDRAWN = "withdrawn"


class TrainingKind(str, enum.Enum):
    BUSINESS = "business"        # running a small business: bookkeeping, pricing, selling
    LIFE_SKILLS = "life_skills"  # life skills: communication, work habits, money at home
    OTHER = "other"              # a vocational course, or a record kept before kinds were


FINAL_STAGES = (Stage.HIRED.value, Stage.NOT_SELECTED.value, Stage.WITHDRAWN.value)


class Firm(db.Model):
    __tablename__ = "firms"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(90), unique=True)
    legal_name: Mapped[str] = mapped_column(String(160))
    nib: Mapped[str] = mapped_column(String(13), unique=True)  # Nomor Induk Berusaha, 13 digits
    sector: Mapped[str] = mapped_column(String(80))
    city: Mapped[str] = mapped_column(String(80))
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    pledge_accepted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(12), default=FirmStatus.PENDING.value, index=True)
    decision_reason: Mapped[str | None] = mapped_column(Text)  # shown to the firm
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    suspended_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    members: Mapped[list[FirmMember]] = relationship(back_populates="firm", cascade="all, delete-orphan")

    @property
    def member_user_ids(self) -> set[int]:
        return {m.user_id for m in self.members}

    @property
    def may_publish(self) -> bool:
        return self.status == FirmStatus.APPROVED.value


class FirmMember(db.Model):
    """A partner user acting for a firm. Removing the row ends their access on the next request."""

    __tablename__ = "firm_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)  # one firm per user
    role: Mapped[str] = mapped_column(String(10), default=MemberRole.MEMBER.value)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    firm: Mapped[Firm] = relationship(back_populates="members")
    user = relationship("User")


class FirmInvitation(db.Model):
    """The owner invites a colleague by email; the signed link is single-use and expires."""

    __tablename__ = "firm_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120))
    locale: Mapped[str] = mapped_column(String(5), default="id")
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    firm: Mapped[Firm] = relationship()


class Vacancy(db.Model):
    __tablename__ = "vacancies"
    __table_args__ = (
        CheckConstraint("salary_min_idr IS NULL OR salary_min_idr >= 0", name="salary_min_not_negative"),
        CheckConstraint("salary_max_idr IS NULL OR salary_min_idr IS NULL OR salary_max_idr >= salary_min_idr",
                        name="salary_range_ordered"),
        CheckConstraint("openings >= 1", name="openings_positive"),
        Index("ix_vacancies_status_published", "status", "published_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id"), index=True)
    slug: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")  # limited Markdown, sanitised on render
    city: Mapped[str] = mapped_column(String(80), default="")
    remote: Mapped[bool] = mapped_column(default=False)
    employment_type: Mapped[str] = mapped_column(String(16))
    salary_min_idr: Mapped[int | None]
    salary_max_idr: Mapped[int | None]
    skills: Mapped[str] = mapped_column(String(400), default="")  # "las,kasir,excel": lowercase, comma-joined
    openings: Mapped[int] = mapped_column(default=1)
    closes_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(10), default=VacancyStatus.DRAFT.value)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    suspended_reason: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    firm: Mapped[Firm] = relationship()

    @property
    def skill_list(self) -> list[str]:
        return [s for s in self.skills.split(",") if s]


class WorkProfile(db.Model):
    """A graduate's profile for work. Nothing here is shown to anyone until they send an application."""

    __tablename__ = "work_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    city: Mapped[str] = mapped_column(String(80), default="")
    skills: Mapped[str] = mapped_column(String(400), default="")
    experience: Mapped[str] = mapped_column(Text, default="")
    link_storefront: Mapped[bool] = mapped_column(default=False)
    digest_opt_in: Mapped[bool] = mapped_column(default=True)
    digest_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user = relationship("User")

    @property
    def skill_list(self) -> list[str]:
        return [s for s in self.skills.split(",") if s]


class TrainingRecord(db.Model):
    """A training the program gave a graduate, with its dates, recorded by the program's staff (the program keeps
    the training record; the graduate cannot edit it, only choose whether an application carries it)."""

    __tablename__ = "training_records"
    __table_args__ = (
        CheckConstraint("finished_on IS NULL OR finished_on >= started_on", name="training_dates_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(160))
    started_on: Mapped[date] = mapped_column(Date)
    finished_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def as_sent(self) -> dict:
        """What an application keeps of it."""
        return {"kind": self.kind, "title": self.title, "started_on": self.started_on.isoformat(),
                "finished_on": self.finished_on.isoformat() if self.finished_on else None}


class Application(db.Model):
    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("vacancy_id", "applicant_id", name="one_application_per_vacancy"),
        Index("ix_applications_vacancy_stage", "vacancy_id", "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id"))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The snapshot the firm sees: exactly what the preview showed the applicant.
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(80), default="")
    skills: Mapped[str] = mapped_column(String(400), default="")
    experience: Mapped[str] = mapped_column(Text, default="")
    # The program's training record as it was sent: [{"kind", "title", "started_on", "finished_on"}], ISO dates.
    trainings: Mapped[list] = mapped_column(JSON, default=list)
    storefront_url: Mapped[str | None] = mapped_column(String(300))
    cover_note: Mapped[str] = mapped_column(Text, default="")
    cv_key: Mapped[str | None] = mapped_column(String(200))
    cv_filename: Mapped[str | None] = mapped_column(String(120))
    cv_bytes: Mapped[int | None]
    stage: Mapped[str] = mapped_column(String(14), default=Stage.APPLIED.value)
    interview_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    interview_place: Mapped[str | None] = mapped_column(String(300))
    start_on: Mapped[date | None] = mapped_column(Date)  # a hire's first working day
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    stage_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    vacancy: Mapped[Vacancy] = relationship()
    applicant = relationship("User")
    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application", order_by="ApplicationEvent.id", cascade="all, delete-orphan")
    # Loaded only on the two application pages (``raiseload`` elsewhere would be the next step).
    reference: Mapped[ApplicationReference | None] = relationship(
        back_populates="application", uselist=False, cascade="all, delete-orphan")

    @property
    def skill_list(self) -> list[str]:
        return [s for s in self.skills.split(",") if s]

    @property
    def is_final(self) -> bool:
        return self.stage in FINAL_STAGES


class ApplicationEvent(db.Model):
    """The history of an application: every stage change, timestamped. The applicant sees it too."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    stage: Mapped[str] = mapped_column(String(14))
    interview_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    interview_place: Mapped[str | None] = mapped_column(String(300))
    start_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[Application] = relationship(back_populates="events")


class ApplicationNote(db.Model):
    """A note by the firm's members about an application: only that firm's members ever read it."""

    __tablename__ = "application_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author = relationship("User")


class ApplicationReference(db.Model):
    """A reference from the applicant's program mentor, attached by the applicant to one application in
    progress. The firm sees it only while it is attached; the applicant removes it whenever they wish.
    The mentoring domain keeps the mentor's written text; this row is the copy the applicant chose to send."""

    __tablename__ = "application_references"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    author_name: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[Application] = relationship(back_populates="reference")


class JobsState(db.Model):
    """One row whose token changes whenever what the public job pages show changes (vacancies, firms): the
    key of the guest page cache (``jobs/pagecache.py``). A random token, so a rebuilt database is never
    mistaken for an old one."""

    __tablename__ = "jobs_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
