"""An append-only audit log: who did or read what, for sensitive data and staff actions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.timeutil import utcnow
from marketplace.core.types import UTCDateTime
from marketplace.extensions import db


class AuditLog(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)  # e.g. "mentor_note.read", "product.hide"
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None]
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id"), index=True)
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


def record(actor_id: int | None, action: str, subject_type: str, subject_id: int | None = None,
           program_id: int | None = None, detail: str | None = None) -> AuditLog:
    """Add an entry to the caller's transaction: the log commits or rolls back with the action."""
    entry = AuditLog(actor_id=actor_id, action=action, subject_type=subject_type, subject_id=subject_id,
                     program_id=program_id, detail=detail)
    db.session.add(entry)
    return entry
