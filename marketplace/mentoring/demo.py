"""Demo mentoring for the demo program: assignments (one changed mentor), goals, milestones, check-ins
with actions (one overdue, one private note, one "needs support"), support given and sign-ins, so that
every chart and alert has something to show. The months of sales come from the orders demo.
Idempotent: does nothing if the demo program already has assignments."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.core.timeutil import jakarta_today, utcnow
from marketplace.extensions import db
from marketplace.mentoring.dates import add_months
from marketplace.mentoring.models import Action, Assignment, CheckIn, Goal, Milestone, SignIn, Support
from marketplace.programs.models import Program


def seed() -> None:
    program = db.session.execute(select(Program).where(Program.slug == "bina-usaha-banyuwangi")).scalar_one_or_none()
    if program is None or db.session.execute(select(Assignment.id).where(Assignment.program_id == program.id)
                                             .limit(1)).first():
        return
    people = {u.email.split("@")[0]: u for u in db.session.execute(
        select(User).where(User.program_id == program.id)).scalars()}
    staff = people.get("staf")
    m1, m2 = people.get("mentor1"), people.get("mentor2")
    if not (staff and m1 and m2):
        return
    now, today = utcnow(), jakarta_today()
    plan = {"sari": m1, "bayu": m1, "rina": m1, "dedi": m1, "wati": m2, "agus": m2}
    for prefix, mentor in plan.items():
        graduate = people.get(prefix)
        if graduate is None:
            continue
        if prefix == "agus":  # followed by mentor 1 first: the history shows the change
            db.session.add(Assignment(program_id=program.id, graduate_id=graduate.id, mentor_id=m1.id,
                                      assigned_by_id=staff.id, started_at=now - timedelta(days=200),
                                      ended_at=now - timedelta(days=60)))
            db.session.flush()
        db.session.add(Assignment(program_id=program.id, graduate_id=graduate.id, mentor_id=mentor.id,
                                  assigned_by_id=staff.id, started_at=now - timedelta(days=180 if prefix != "agus" else 60)))
    db.session.flush()

    def check_in(prefix, days_ago, mode, notes, private="", support=False, actions=()):
        graduate = people[prefix]
        c = CheckIn(graduate_id=graduate.id, mentor_id=plan[prefix].id, held_on=today - timedelta(days=days_ago),
                    mode=mode, notes=notes, private_notes=private, needs_support=support,
                    created_at=now - timedelta(days=days_ago))
        for description, owner, due_in, done in actions:
            c.actions.append(Action(graduate_id=graduate.id, description=description, owner=owner,
                                    due_on=today - timedelta(days=days_ago) + timedelta(days=due_in),
                                    done_at=now - timedelta(days=days_ago - 3) if done else None,
                                    done_by_id=graduate.id if done else None))
        db.session.add(c)

    check_in("sari", 50, "visit", "Membahas harga batik tulis dan foto produk yang lebih terang.",
             actions=[("Foto ulang 5 produk dengan cahaya siang", "graduate", 14, True)])
    check_in("sari", 12, "whatsapp", "Penjualan stabil. Rencana ikut bazar kabupaten bulan depan.",
             private="Sempat cerita tekanan keluarga; tetap semangat. Tanyakan lagi minggu depan.",
             actions=[("Daftar bazar kabupaten", "graduate", 10, False),
                      ("Kirim kontak panitia bazar", "mentor", 3, True)])
    check_in("bayu", 20, "call", "Pesanan kopi naik. Perlu timbangan digital baru.",
             actions=[("Bandingkan 3 harga timbangan digital", "graduate", 7, False)])  # overdue
    check_in("rina", 45, "visit", "Penjualan camilan bagus menjelang lebaran.")
    check_in("wati", 8, "group", "Sesi kelompok: menghitung harga pokok produksi.",
             actions=[("Hitung HPP untuk seragam sekolah", "graduate", 21, False)])
    check_in("agus", 5, "call", "Mesin sablon rusak, pesanan tertunda.", support=True,
             private="Butuh bantuan modal untuk perbaikan mesin; sudah dua minggu tidak produksi.",
             actions=[("Kirim foto kerusakan mesin ke staf program", "graduate", 3, False)])
    # dedi: no check-in for months (an alert); rina: the last one 45 days ago (an alert too)

    def goal(prefix, metric, title, target, months_ahead, manual=None):
        db.session.add(Goal(graduate_id=people[prefix].id, metric=metric, title=title, target=target,
                            due_on=add_months(today, months_ahead), created_by_id=plan[prefix].id,
                            manual_value=manual))

    goal("sari", "revenue", "Omzet Rp 1 juta per bulan", 1_000_000, 2)
    goal("bayu", "orders", "10 pesanan sebulan", 10, 1)
    goal("rina", "repeat_customers", "3 pelanggan tetap", 3, 1)
    goal("wati", "manual", "Kontrak seragam dengan 2 sekolah", 2, 3, manual=1)
    goal("agus", "active_products", "5 produk aktif", 5, 2)
    for prefix, kind, days in (("sari", "business_licence", 120), ("sari", "bank_account", 150),
                               ("bayu", "bank_account", 90), ("wati", "first_employee", 30)):
        db.session.add(Milestone(graduate_id=people[prefix].id, kind=kind, achieved_on=today - timedelta(days=days),
                                 recorded_by_id=plan[prefix].id))
    for prefix, kind, description, amount, days in (
            ("sari", "capital_grant", "Bantuan modal bahan kain dan malam", 2_500_000, 170),
            ("bayu", "equipment", "Mesin sangrai kopi kecil", 4_000_000, 160),
            ("rina", "training", "Pelatihan pengemasan dan label halal", 0, 140),
            ("agus", "equipment", "Meja sablon dan screen", 1_500_000, 150),
            ("wati", "capital_grant", "Modal mesin jahit kedua", 3_000_000, 100)):
        db.session.add(Support(program_id=program.id, graduate_id=people[prefix].id, kind=kind,
                               description=description, amount_idr=amount, given_on=today - timedelta(days=days),
                               recorded_by_id=staff.id))
    for prefix, days in (("sari", 1), ("bayu", 3), ("rina", 6), ("wati", 2), ("agus", 4), ("dedi", 41)):
        db.session.add(SignIn(user_id=people[prefix].id, signed_in_at=now - timedelta(days=days)))
    db.session.flush()
