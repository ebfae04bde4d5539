"""The program's training record: the business and life-skills trainings each graduate received, with dates.

The program keeps the record, so its staff write it (for one graduate, or for every graduate of a cohort at
once, as trainings are given); the graduate reads it on their work profile and chooses, when applying,
whether the application carries it. Staff of another program neither read nor change it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import select

from marketplace.accounts.models import Role, User
from marketplace.core import audit
from marketplace.core.policy import has_role, is_admin, same_program
from marketplace.core.timeutil import jakarta_today
from marketplace.core.transactions import transactional
from marketplace.extensions import db
from marketplace.jobs.errors import InvalidInput, NotFound
from marketplace.jobs.models import TrainingKind, TrainingRecord
from marketplace.programs.models import Cohort, Program

EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class TrainingData:
    kind: str
    title: str
    started_on: date
    finished_on: date | None = None


class GraduateTrainings(NamedTuple):
    graduate: User
    cohort_name: str | None
    records: list[TrainingRecord]


@dataclass
class ProgramTrainings:
    program: Program
    cohorts: list[Cohort]
    graduates: list[GraduateTrainings]


def _check(data: TrainingData) -> None:
    if data.kind not in {k.value for k in TrainingKind}:
        raise InvalidInput("training_kind")
    if not data.title.strip():
        raise InvalidInput("training_title")
    latest = jakarta_today() + timedelta(days=366)
    if not EARLIEST <= data.started_on <= latest or (data.finished_on and data.finished_on > latest):
        raise InvalidInput("training_period")
    if data.finished_on is not None and data.finished_on < data.started_on:
        raise InvalidInput("training_dates")


def _may_keep_records(actor: User, program: Program) -> bool:
    return is_admin(actor) or (has_role(actor, Role.STAFF) and actor.program_id == program.id)


def _graduates(program_id: int, cohort_id: int | None = None, graduate_id: int | None = None) -> list[User]:
    query = select(User).where(User.program_id == program_id, User.role == Role.GRADUATE.value,
                               User.deleted_at.is_(None))
    if cohort_id is not None:
        query = query.where(User.cohort_id == cohort_id)
    if graduate_id is not None:
        query = query.where(User.id == graduate_id)
    return list(db.session.execute(query.order_by(User.name, User.id)).scalars())


def program_trainings(actor: User, program: Program) -> ProgramTrainings:
    """The program's graduates with their trainings, and its cohorts (for recording a cohort's training)."""
    if not _may_keep_records(actor, program):
        raise NotFound()
    graduates = _graduates(program.id)
    records: dict[int, list[TrainingRecord]] = {g.id: [] for g in graduates}
    for record in db.session.execute(
            select(TrainingRecord).join(User, User.id == TrainingRecord.user_id)
            .where(User.program_id == program.id, User.role == Role.GRADUATE.value)
            .order_by(TrainingRecord.started_on, TrainingRecord.id)).scalars():
        records.setdefault(record.user_id, []).append(record)
    cohorts = list(db.session.execute(select(Cohort).where(Cohort.program_id == program.id)
                                      .order_by(Cohort.started_on, Cohort.id)).scalars())
    names = {c.id: c.name for c in cohorts}
    return ProgramTrainings(program, cohorts,
                            [GraduateTrainings(g, names.get(g.cohort_id), records[g.id]) for g in graduates])


@transactional
def record_training(actor: User, program: Program, data: TrainingData, *, cohort_id: int | None = None,
                    graduate_id: int | None = None) -> int:
    """Record a training for one graduate of the program or for every graduate of one of its cohorts.
    Commits; returns how many graduates it was recorded for."""
    if not _may_keep_records(actor, program):
        raise NotFound()
    _check(data)
    if (cohort_id is None) == (graduate_id is None):
        raise InvalidInput("training_for")
    if cohort_id is not None:
        cohort = db.session.get(Cohort, cohort_id)
        if cohort is None or cohort.program_id != program.id:
            raise NotFound()
    graduates = _graduates(program.id, cohort_id, graduate_id)
    if graduate_id is not None and not graduates:
        raise NotFound()  # not a graduate of this program
    if not graduates:
        raise InvalidInput("training_nobody")
    for graduate in graduates:
        db.session.add(TrainingRecord(user_id=graduate.id, kind=data.kind, title=data.title.strip()[:160],
                                      started_on=data.started_on, finished_on=data.finished_on,
                                      recorded_by_id=actor.id))
    audit.record(actor.id, "training.record", "cohort" if cohort_id else "user", cohort_id or graduate_id,
                 program_id=program.id, detail=f"{data.kind}: {len(graduates)}")
    return len(graduates)


@transactional
def remove_training(actor: User, record_id: int) -> None:
    """Staff correct the record: a training entered by mistake goes. Commits."""
    record = db.session.get(TrainingRecord, record_id)
    graduate = db.session.get(User, record.user_id) if record is not None else None
    if graduate is None or graduate.program_id is None or not same_program(actor, graduate) or not (
            is_admin(actor) or has_role(actor, Role.STAFF)):
        raise NotFound()
    db.session.delete(record)
    audit.record(actor.id, "training.remove", "user", graduate.id, program_id=graduate.program_id)


def trainings_of(user_id: int) -> list[TrainingRecord]:
    """A graduate's trainings, oldest first (their work profile, and what an application may carry)."""
    return list(db.session.execute(select(TrainingRecord).where(TrainingRecord.user_id == user_id)
                                   .order_by(TrainingRecord.started_on, TrainingRecord.id)).scalars())
