"""Demo firms for the two demo partners: open and closed vacancies, and applications at every stage."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from marketplace.accounts import services as accounts
from marketplace.core.timeutil import jakarta_today, utcnow
from marketplace.extensions import db
from marketplace.jobs.models import (
    Application,
    ApplicationEvent,
    ApplicationNote,
    ApplicationReference,
    Firm,
    FirmMember,
    FirmStatus,
    MemberRole,
    Stage,
    TrainingKind,
    TrainingRecord,
    Vacancy,
    WorkProfile,
)
from marketplace.jobs.vacancies import normalise_skills
from marketplace.storage import get_storage

STAFF_EMAIL = "staf@lrppn-banyuwangi.id"  # records the program's trainings (marketplace/demo.py creates her)
FIRMS = [
    ("mitra1@pasarbangkit.id", "PT Osing Kreatif Nusantara", "3512000000011", "Kreatif dan tekstil", "Banyuwangi",
     "Yusuf Hakim"),
    ("mitra2@pasarbangkit.id", "CV Blambangan Logistik", "3512000000028", "Logistik dan pergudangan", "Banyuwangi",
     "Maya Putri"),
]

# firm index -> (title, type, city, remote, min, max, skills, openings, days to close (negative: closed), status, text)
VACANCIES = [
    (0, "Penjahit Produksi", "full_time", "Banyuwangi", False, 2_800_000, 3_500_000, "menjahit, obras, pola",
     3, 30, "open", "Menjahit pakaian batik siap pakai di workshop kami.\n\n- Jam kerja 08.00-16.00\n- **BPJS** dan makan siang"),
    (0, "Desainer Grafis Magang", "apprenticeship", "Banyuwangi", True, 1_500_000, None, "desain, canva, media sosial",
     2, 21, "open", "Magang tiga bulan membuat materi promosi untuk produk UMKM."),
    (0, "Staf Toko Batik", "part_time", "Genteng", False, None, None, "kasir, pelayanan pelanggan", 1, -5, "closed",
     "Melayani pembeli di toko batik kami di Genteng, akhir pekan."),
    (1, "Kurir Motor", "contract", "Banyuwangi", False, 2_600_000, 3_200_000, "mengemudi, sim c, navigasi", 4, 14,
     "open", "Mengantar paket di wilayah kota Banyuwangi. Motor disediakan."),
    (1, "Admin Gudang", "full_time", "Rogojampi", False, 3_000_000, 3_800_000, "excel, administrasi, stok", 1, 45,
     "open", "Mencatat barang masuk dan keluar, menyiapkan laporan stok mingguan."),
    (1, "Helper Gudang", "full_time", "Rogojampi", False, 2_500_000, 2_800_000, "angkat barang, stok", 2, -10,
     "filled", "Membantu bongkar muat dan menata gudang."),
]

# (graduate email prefix, vacancy index, stage)
APPLICATIONS = [
    ("wati", 0, Stage.INTERVIEW.value), ("sari", 0, Stage.APPLIED.value), ("rina", 0, Stage.SCREENING.value),
    ("sari", 1, Stage.OFFER.value), ("agus", 1, Stage.NOT_SELECTED.value), ("dedi", 2, Stage.WITHDRAWN.value),
    ("bayu", 3, Stage.SCREENING.value), ("agus", 3, Stage.APPLIED.value), ("dedi", 4, Stage.INTERVIEW.value),
    ("bayu", 5, Stage.HIRED.value), ("rina", 5, Stage.NOT_SELECTED.value),
]

PROFILES = {
    "sari": ("Banyuwangi", "membatik, menjahit, desain, canva", "Tiga tahun mengelola usaha batik tulis sendiri."),
    "bayu": ("Banyuwangi", "mengemudi, sim c, angkat barang, kopi", "Mengantar pesanan kopi ke pelanggan di kota."),
    "rina": ("Genteng", "memasak, kasir, pelayanan pelanggan", "Menjual camilan di pasar dan lewat WhatsApp."),
    "dedi": ("Rogojampi", "anyaman, stok, excel", "Mencatat stok dan penjualan kerajinan bambu."),
    "wati": ("Banyuwangi", "menjahit, obras, pola", "Menjahit seragam sekolah dan kebaya pesanan."),
    "agus": ("Srono", "sablon, desain, media sosial", "Membuat desain kaos untuk komunitas."),
}


def _trainings(graduate, staff) -> list[TrainingRecord]:
    """The program's two trainings, as its staff record them: business first, then life skills."""
    cohort = graduate.cohort
    started = cohort.started_on if cohort else date(2026, 2, 2)
    finished = cohort.graduated_on if cohort and cohort.graduated_on else started + timedelta(weeks=12)
    middle = started + (finished - started) / 2
    recorder = staff.id if staff is not None else None
    return [
        TrainingRecord(user_id=graduate.id, kind=TrainingKind.BUSINESS.value, title="Bina Usaha: kewirausahaan dan "
                       "pembukuan sederhana", started_on=started, finished_on=middle, recorded_by_id=recorder),
        TrainingRecord(user_id=graduate.id, kind=TrainingKind.LIFE_SKILLS.value, title="Keterampilan hidup dan "
                       "kesiapan kerja", started_on=middle + timedelta(days=1), finished_on=finished,
                       recorded_by_id=recorder),
    ]


def demo_pdf(name: str) -> bytes:
    """A small real PDF with one line of text: the demo CVs."""
    text = f"CV {name}".replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def seed() -> None:
    if db.session.execute(select(Firm.id).where(Firm.nib == FIRMS[0][2])).first():
        return  # seeded before
    now = utcnow()
    today = jakarta_today()
    firms = []
    for email, name, nib, sector, city, contact in FIRMS:
        owner = accounts.find_user_by_email(email)
        if owner is None:
            return
        firm = Firm(slug=nib, legal_name=name, nib=nib, sector=sector, city=city, contact_name=contact,
                    pledge_accepted_at=now, status=FirmStatus.APPROVED.value, decided_at=now)
        firm.members.append(FirmMember(user_id=owner.id, role=MemberRole.OWNER.value))
        db.session.add(firm)
        firms.append(firm)
    db.session.flush()
    vacancies = []
    for firm_index, title, etype, city, remote, low, high, skills, openings, days, status, text in VACANCIES:
        vacancy = Vacancy(firm_id=firms[firm_index].id, slug=title.lower().replace(" ", "-"), title=title,
                          description=text, city=city, remote=remote, employment_type=etype, salary_min_idr=low,
                          salary_max_idr=high, skills=normalise_skills(skills), openings=openings,
                          closes_on=today + timedelta(days=days), status=status,
                          published_at=now - timedelta(days=20 - len(vacancies)))
        db.session.add(vacancy)
        vacancies.append(vacancy)
    db.session.flush()
    graduates = {}
    staff = accounts.find_user_by_email(STAFF_EMAIL)
    for prefix, (city, skills, experience) in PROFILES.items():
        graduate = accounts.find_user_by_email(f"{prefix}@pasarbangkit.id")
        if graduate is None:
            continue
        graduates[prefix] = graduate
        db.session.add(WorkProfile(user_id=graduate.id, city=city, skills=normalise_skills(skills),
                                   experience=experience, digest_opt_in=True))
        for record in _trainings(graduate, staff):
            db.session.add(record)
    storage = get_storage()
    order = [Stage.APPLIED.value, Stage.SCREENING.value, Stage.INTERVIEW.value, Stage.OFFER.value, Stage.HIRED.value]
    for n, (prefix, vacancy_index, stage) in enumerate(APPLICATIONS):
        graduate = graduates.get(prefix)
        if graduate is None:
            continue
        city, skills, experience = PROFILES[prefix]
        vacancy = vacancies[vacancy_index]
        cv = demo_pdf(graduate.name)
        key = f"private/cvs/demo-{n}.pdf"
        storage.put(key, cv, "application/pdf")
        application = Application(
            vacancy_id=vacancy.id, applicant_id=graduate.id, name=graduate.name, email=graduate.email, city=city,
            skills=normalise_skills(skills), experience=experience,
            trainings=[t.as_sent() for t in _trainings(graduate, staff)], cover_note="Saya tertarik dan siap belajar.",
            cv_key=key, cv_filename=f"cv-{prefix}.pdf", cv_bytes=len(cv), stage=stage,
            created_at=now - timedelta(days=10), stage_changed_at=now - timedelta(days=2))
        path = order[: order.index(stage) + 1] if stage in order else [Stage.APPLIED.value, stage]
        for step, value in enumerate(path):
            event = ApplicationEvent(stage=value, created_at=now - timedelta(days=10 - 2 * step))
            if value == Stage.INTERVIEW.value:
                application.interview_at = now + timedelta(days=3, hours=1)
                application.interview_place = "Kantor kami, Jl. Kapten Piere Tendean 12, Banyuwangi"
                event.interview_at, event.interview_place = application.interview_at, application.interview_place
            if value == Stage.HIRED.value:
                application.start_on = today + timedelta(days=7)
                event.start_on = application.start_on
            application.events.append(event)
        db.session.add(application)
        db.session.flush()
        if stage == Stage.INTERVIEW.value:
            application.reference = ApplicationReference(
                author_name="Rahma (mentor)", body="Tekun, tepat waktu dan cepat belajar; usahanya tumbuh stabil "
                                                   "selama pendampingan.")
        if stage in (Stage.SCREENING.value, Stage.INTERVIEW.value):
            db.session.add(ApplicationNote(application_id=application.id, author_id=firms[0].members[0].user_id
                                           if vacancy.firm_id == firms[0].id else firms[1].members[0].user_id,
                                           body="Pengalaman cocok; hubungi untuk jadwal."))
    db.session.flush()
