"""Job-board fixtures: firms with members, vacancies, graduates with work profiles, applications."""
from __future__ import annotations

import itertools
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from marketplace.core.timeutil import jakarta_today, utcnow
from marketplace.extensions import db
from marketplace.jobs.demo import demo_pdf
from marketplace.jobs.pagecache import PAGES
from marketplace.jobs.models import (
    Application,
    ApplicationEvent,
    Firm,
    FirmMember,
    FirmStatus,
    TrainingRecord,
    Vacancy,
    WorkProfile,
)
from tests import factories

_seq = itertools.count(1)


def firm(owner=None, status: str = FirmStatus.APPROVED.value, **fields) -> Firm:
    owner = owner or factories.user("partner")
    n = next(_seq)
    f = Firm(**{"slug": f"firma-{n}", "legal_name": f"PT Firma {n}", "nib": f"{3512000000000 + n:013d}",
                "sector": "Logistik", "city": "Banyuwangi", "contact_name": "Budi", "pledge_accepted_at": utcnow(),
                "status": status, **fields})
    f.members.append(FirmMember(user_id=owner.id, role="owner"))
    db.session.add(f)
    db.session.flush()
    return f


def member(firm_: Firm, **fields):
    user = factories.user("partner", organisation=firm_.legal_name, **fields)
    db.session.add(FirmMember(firm_id=firm_.id, user_id=user.id, role="member"))
    db.session.flush()
    db.session.refresh(firm_)
    return user


def owner_of(firm_: Firm):
    return next(m.user for m in firm_.members if m.role == "owner")


def vacancy(firm_: Firm | None = None, **fields) -> Vacancy:
    firm_ = firm_ or firm()
    n = next(_seq)
    v = Vacancy(**{"firm_id": firm_.id, "slug": f"lowongan-{n}", "title": f"Lowongan {n}", "description": "Kerja",
                   "city": "Banyuwangi", "employment_type": "full_time", "skills": "menjahit,kasir",
                   "closes_on": jakarta_today() + timedelta(days=10), "status": "open",
                   "published_at": utcnow(), **fields})
    db.session.add(v)
    db.session.flush()
    return v


def graduate(**fields):
    user = factories.user("graduate", **fields)
    db.session.add(WorkProfile(user_id=user.id, city="Banyuwangi", skills="menjahit,kasir",
                               experience="Dua tahun menjahit"))
    db.session.add(TrainingRecord(user_id=user.id, kind="business", title="Pelatihan usaha",
                                  started_on=date(2026, 2, 2), finished_on=date(2026, 4, 30)))
    db.session.flush()
    return user


def application(vacancy_: Vacancy | None = None, applicant=None, stage: str = "applied", **fields) -> Application:
    vacancy_ = vacancy_ or vacancy()
    applicant = applicant or graduate()
    from marketplace.storage import get_storage

    key = f"private/cvs/test-{next(_seq)}.pdf"
    get_storage().put(key, demo_pdf(applicant.name), "application/pdf")
    a = Application(**{"vacancy_id": vacancy_.id, "applicant_id": applicant.id, "name": applicant.name,
                       "email": applicant.email, "skills": "menjahit", "cv_key": key, "cv_filename": "cv.pdf",
                       "cv_bytes": 100, "stage": stage, **fields})
    a.events.append(ApplicationEvent(stage=stage))
    db.session.add(a)
    db.session.flush()
    return a


@pytest.fixture(autouse=True)
def empty_upload_dir(app):
    app.extensions.pop("jobs_cities", None)  # the listing's city menu is kept a minute per app
    PAGES.clear()  # guest pages are kept by token; a rolled-back test's token may come back
    root = Path(app.config["UPLOAD_DIR"])
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    yield


@pytest.fixture
def stored_files(app):
    root = Path(app.config["UPLOAD_DIR"])

    def files() -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}

    return files


@pytest.fixture
def pdf():
    return demo_pdf("Sari")
