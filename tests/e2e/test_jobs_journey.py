"""The job board end to end, in Indonesian: a firm posts a vacancy, a graduate on a 360px phone applies
with a CV after seeing the preview, attaches their mentor's reference (through the job board's service that
the mentoring domain calls), the firm reads it and moves the application to interview and then hired, and
the graduate sees each step and gets the emails."""
import re
from datetime import datetime, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from marketplace.core.timeutil import JAKARTA
from marketplace.jobs.demo import demo_pdf
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

TITLE = "Operator Mesin Jahit Bangkit"
PHONE = {"width": 360, "height": 740}


def _outbox(live_server, email: str) -> list:
    from marketplace.extensions import db
    from marketplace.notifications.models import OutboxMessage

    with live_server.app.app_context():
        return list(db.session.execute(select(OutboxMessage).where(OutboxMessage.to == email)
                                       .order_by(OutboxMessage.id)).scalars())


def _attach_reference(live_server, application_id: int) -> None:
    """What the mentoring domain does once the graduate chooses to send their mentor's reference."""
    from marketplace.extensions import db
    from marketplace.jobs import references
    from marketplace.jobs.models import Application

    with live_server.app.app_context():
        applicant_id = db.session.get(Application, application_id).applicant_id
        references.attach_reference(application_id, applicant_id, "Rahma Mentor", "Sari tekun dan selalu tepat waktu.")
        db.session.remove()


def test_a_firm_hires_a_graduate_who_follows_every_step(new_page, live_server):
    firm = new_page()
    sign_in(firm, "mitra1@pasarbangkit.id")
    firm.goto("/mitra/lowongan/baru")
    assert "Ikrar rekrutmen berkesempatan adil" in firm.content()  # the pledge is shown when posting
    firm.fill("input[name=title]", TITLE)
    firm.fill("textarea[name=description]", "Mengoperasikan mesin jahit **industri**.")
    firm.select_option("select[name=employment_type]", "full_time")
    firm.fill("input[name=city]", "Banyuwangi")
    firm.fill("input[name=salary_min_idr]", "3000000")
    firm.fill("input[name=salary_max_idr]", "3600000")
    firm.fill("input[name=skills]", "menjahit, obras")
    firm.fill("input[name=openings]", "2")
    firm.fill("input[name=closes_on]", (datetime.now(JAKARTA).date() + timedelta(days=20)).isoformat())
    firm.click("main form.narrow button[type=submit]")
    firm.wait_for_url(re.compile(r"/mitra/lowongan/\d+/ubah$"))
    vacancy_id = re.search(r"/mitra/lowongan/(\d+)/ubah", firm.url).group(1)
    firm.click(f"form[action='/mitra/lowongan/{vacancy_id}/status/open'] button")
    firm.wait_for_load_state()
    assert "Lowongan diterbitkan." in firm.content()

    graduate = new_page(viewport=PHONE)
    sign_in(graduate, "sari@pasarbangkit.id")
    graduate.goto("/lowongan?q=operator")
    graduate.click(f"a[href='/lowongan/{vacancy_id}']")
    assert graduate.locator("h1").inner_text() == TITLE
    assert graduate.locator("a[href^='https://wa.me/?text=']").count() == 1
    assert graduate.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    graduate.click(f"a[href='/kerja/lamar/{vacancy_id}']")
    graduate.fill("textarea[name=cover_note]", "Saya terbiasa dengan mesin obras.")
    graduate.set_input_files("input[name=cv]", files=[{"name": "cv-sari.pdf", "mimeType": "application/pdf",
                                                       "buffer": demo_pdf("Sari Wulandari")}])
    graduate.click("main form button[type=submit]")
    graduate.wait_for_load_state()
    preview = graduate.content()
    assert "Inilah persis yang akan dilihat PT Osing Kreatif Nusantara" in preview
    assert "Saya terbiasa dengan mesin obras." in preview and "cv-sari.pdf" in preview
    assert graduate.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    graduate.click(f"form[action='/kerja/lamar/{vacancy_id}/kirim'] button[type=submit]")
    graduate.wait_for_url(re.compile(r"/kerja/lamaran/\d+$"))
    application_id = re.search(r"/kerja/lamaran/(\d+)", graduate.url).group(1)
    assert "Melamar" in graduate.locator("main").inner_text()

    _attach_reference(live_server, int(application_id))
    graduate.reload()
    reference = graduate.locator("section.reference")
    assert "Referensi dari mentor program" in reference.inner_text()
    assert "Sari tekun dan selalu tepat waktu." in reference.inner_text() and "Rahma Mentor" in reference.inner_text()
    assert reference.locator("button", has_text="Hapus referensi").count() == 1

    firm.goto(f"/mitra/lowongan/{vacancy_id}")
    firm.click(f"a[href='/mitra/lamaran/{application_id}']")
    assert "Saya terbiasa dengan mesin obras." in firm.content()
    assert "Sari tekun dan selalu tepat waktu." in firm.locator("section.reference").inner_text()
    when = (datetime.now(JAKARTA) + timedelta(days=4)).replace(hour=9, minute=30)
    firm.select_option("select[name=stage]", "interview")
    firm.fill("input[name=interview_at]", when.strftime("%Y-%m-%dT%H:%M"))
    firm.fill("input[name=interview_place]", "Workshop PT Osing, Jl. Brawijaya 5")
    firm.click(f"form[action='/mitra/lamaran/{application_id}/pindah'] button[type=submit]")
    firm.wait_for_load_state()
    assert "Lamaran sudah dipindahkan" in firm.content()

    graduate.reload()
    text = graduate.locator("main").inner_text()
    assert "Wawancara" in text and "09.30" in text and "Workshop PT Osing" in text

    start = datetime.now(JAKARTA).date() + timedelta(days=30)
    firm.select_option("select[name=stage]", "hired")
    firm.fill("input[name=start_on]", start.isoformat())
    firm.click(f"form[action='/mitra/lamaran/{application_id}/pindah'] button[type=submit]")
    firm.wait_for_load_state()

    graduate.reload()
    text = graduate.locator("main").inner_text()
    assert "Diterima" in text and format_date(start, "medium", locale="id") in text and "Selamat!" in text
    graduate.goto("/kerja/")
    assert graduate.locator("tr", has_text=TITLE).locator(".stage-hired").count() == 1

    mails = [m for m in _outbox(live_server, "sari@pasarbangkit.id") if TITLE in m.subject]
    assert len(mails) == 3  # sent, interview, hired: in Sari's language (Indonesian)
    assert "sudah terkirim" in mails[0].subject and "Wawancara" in mails[1].subject
    assert mails[1].attachment_name == "interview.ics" and "DTSTART:" in mails[1].attachment
    assert "Diterima" in mails[2].subject
