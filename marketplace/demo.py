"""``flask seed-demo``: a small believable world. Each domain adds its part; every part is idempotent."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.catalog.models import Business, BusinessStatus
from marketplace.core.domains import domain_modules
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.programs.models import Cohort, Program

DEMO_PASSWORD = "bangkit-demo-2026"  # nosec B105  # the published password of the demo accounts (seed-demo)

# (email prefix, name, business name, slug, city, what they make); every town is in Jawa Timur
GRADUATES = [
    ("sari", "Sari Wulandari", "Batik Gajah Oling Sari", "batik-gajah-oling-sari", "Banyuwangi",
     "Batik tulis motif Gajah Oling khas Banyuwangi."),
    ("bayu", "Bayu Pratama", "Kopi Ijen Bayu", "kopi-ijen-bayu", "Banyuwangi",
     "Kopi arabika dari lereng Ijen, disangrai sendiri."),
    ("rina", "Rina Marlina", "Camilan Bu Rina", "camilan-bu-rina", "Genteng",
     "Keripik pisang, rengginang dan kue kering rumahan."),
    ("dedi", "Dedi Setiawan", "Anyaman Bambu Dedi", "anyaman-bambu-dedi", "Rogojampi",
     "Kerajinan anyaman bambu untuk rumah dan hadiah."),
    ("wati", "Wati Handayani", "Jahit Rapi Wati", "jahit-rapi-wati", "Banyuwangi",
     "Jahitan seragam, kebaya dan pakaian sehari-hari."),
    ("agus", "Agus Salim", "Sablon Agus Kreatif", "sablon-agus-kreatif", "Srono",
     "Sablon kaos, tas dan seragam komunitas."),
]


def seed() -> list[tuple[str, str, str]]:
    """Create what is missing; return (role, email, password) of the demo logins."""
    program = _get_or_create(Program, slug="bina-usaha-banyuwangi", defaults=dict(
        name="Bina Usaha Aftercare", institution="IPWL LRPPN-BI Banyuwangi", city="Banyuwangi"))
    cohort = _get_or_create(Cohort, program_id=program.id, name="Angkatan 2026", defaults=dict(
        started_on=date(2026, 2, 2), graduated_on=date(2026, 7, 31)))
    now = utcnow()
    logins: list[tuple[str, str, str]] = []

    def user(role: str, email: str, name: str, **fields) -> User:
        existing = accounts.find_user_by_email(email)
        if existing is None:
            existing = accounts.create_user(email=email, name=name, password=DEMO_PASSWORD, role=role,
                                            email_verified_at=now, **fields)
        logins.append((role, email, DEMO_PASSWORD))
        return existing

    user("admin", "admin@pasarbangkit.id", "Admin Pasar Bangkit")
    user("staff", "staf@lrppn-banyuwangi.id", "Nur Aini (Staf Program)", program_id=program.id)
    for i, name in enumerate(["Hendra Gunawan", "Lestari Dewi"], start=1):
        user("mentor", f"mentor{i}@pasarbangkit.id", name, program_id=program.id)
    for i, (firm, name) in enumerate([("PT Osing Kreatif Nusantara", "Yusuf Hakim"),
                                      ("CV Blambangan Logistik", "Maya Putri")], start=1):
        user("partner", f"mitra{i}@pasarbangkit.id", name, organisation=firm, approved_at=now)
    for i, name in enumerate(["Andi Wijaya", "Putri Ayu", "Rudi Hartono"], start=1):
        user("customer", f"pembeli{i}@pasarbangkit.id", name)

    for prefix, name, business_name, slug, city, description in GRADUATES:
        graduate = user("graduate", f"{prefix}@pasarbangkit.id", name, program_id=program.id, cohort_id=cohort.id)
        shop = _get_or_create(Business, owner_id=graduate.id, defaults=dict(
            slug=slug, name=business_name, description=description, city=city, province="Jawa Timur",
            whatsapp="+6281234500" + str(100 + len(slug)), status=BusinessStatus.OPEN.value))
        shop.province = shop.province or "Jawa Timur"  # a demo seeded before shops had provinces
    db.session.flush()

    # Each domain seeds its part on top of the people and storefronts above.
    for _domain, demo in domain_modules("demo"):
        demo.seed()
        db.session.flush()
    return logins


def _get_or_create(model, defaults: dict | None = None, **keys):
    found = db.session.execute(select(model).filter_by(**keys)).scalar_one_or_none()
    if found is None:
        found = model(**keys, **(defaults or {}))
        db.session.add(found)
        db.session.flush()
    return found
