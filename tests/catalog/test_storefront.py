"""Sellers create and edit their storefront; the public sees only what is safe to show."""
from sqlalchemy import select

from marketplace.catalog.models import Business
from marketplace.extensions import db
from tests import factories


def _form(**overrides):
    data = {"name": "Batik Sari", "slug": "", "description": "Batik tulis.", "city": "Banyuwangi",
            "province": "Jawa Timur", "whatsapp": "0812 3456 7890", "status": "open", "story": "", }
    data.update(overrides)
    return data


def test_a_graduate_without_a_shop_is_invited_to_create_one(client, login_as):
    login_as("graduate")
    page = client.get("/seller/")
    assert page.status_code == 200
    assert b"/seller/storefront" in page.data


def test_creating_a_shop_makes_a_slug_and_normalises_whatsapp(client, login_as):
    graduate = login_as("graduate")
    response = client.post("/seller/storefront", data=_form())
    assert response.status_code == 302
    business = db.session.execute(select(Business).where(Business.owner_id == graduate.id)).scalar_one()
    assert business.slug == "batik-sari"
    assert business.whatsapp == "+6281234567890"
    assert client.get("/toko/batik-sari").status_code == 200


def test_a_taken_slug_is_a_form_error(client, login_as):
    factories.business(slug="batik-sari")
    db.session.commit()
    login_as("graduate")
    response = client.post("/seller/storefront", data=_form(slug="batik-sari"))
    assert response.status_code == 400
    assert b"already taken" in response.data


def test_an_invalid_whatsapp_number_or_a_street_address_is_refused(client, login_as):
    login_as("graduate")
    assert client.post("/seller/storefront", data=_form(whatsapp="12345")).status_code == 400
    assert client.post("/seller/storefront", data=_form(city="Jl. Merdeka No. 5")).status_code == 400
    assert db.session.execute(select(Business)).first() is None


def test_html_in_shop_fields_is_shown_escaped(client, login_as):
    login_as("graduate")
    client.post("/seller/storefront", data=_form(name="<script>alert(1)</script>", slug="toko-x",
                                                 description="<b onmouseover=x>hi</b>"))
    page = client.get("/toko/toko-x").data
    assert b"<script>alert(1)</script>" not in page
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert b"<b onmouseover" not in page


def test_the_story_shows_only_while_the_owner_opts_in(client, login_as):
    graduate = login_as("graduate")
    story = "I learned tailoring in the Bina Usaha program."
    client.post("/seller/storefront", data=_form(slug="wati", story=story))
    assert story.encode() not in client.get("/toko/wati").data  # written, but not opted in

    client.post("/seller/storefront", data=_form(slug="wati", story=story, story_opt_in="y"))
    assert story.encode() in client.get("/toko/wati").data
    business = db.session.execute(select(Business).where(Business.owner_id == graduate.id)).scalar_one()
    assert business.story_opt_in_at is not None

    client.post("/seller/storefront", data=_form(slug="wati", story=story))  # withdraws consent
    assert story.encode() not in client.get("/toko/wati").data


def test_program_participation_never_appears_elsewhere_on_public_pages(client):
    business = factories.business(story="From the Bina Usaha program", story_opt_in=False)
    product = factories.product(business)
    db.session.commit()
    for url in (f"/toko/{business.slug}", f"/toko/{business.slug}/{product.slug}", "/", "/cari"):
        page = client.get(url).data
        assert b"Bina Usaha" not in page and business.owner.program.name.encode() not in page


def test_draft_and_suspended_shops_answer_404_holiday_stays_visible(client):
    draft = factories.business(status="draft")
    suspended = factories.business(status="suspended")
    holiday = factories.business(status="holiday")
    db.session.commit()
    assert client.get(f"/toko/{draft.slug}").status_code == 404
    assert client.get(f"/toko/{suspended.slug}").status_code == 404
    page = client.get(f"/toko/{holiday.slug}")
    assert page.status_code == 200 and b"holiday" in page.data


def test_the_owner_previews_a_draft_shop(client, login_as):
    graduate = factories.user("graduate")
    business = factories.business(graduate, status="draft")
    factories.product(business, title="Secret Draft Batik", status="draft")
    login_as(graduate)
    page = client.get("/seller/preview")
    assert page.status_code == 200
    assert b"Secret Draft Batik" in page.data
    assert client.get(f"/toko/{business.slug}").status_code == 404


def test_a_suspended_owner_cannot_reopen_the_shop_themselves(client, login_as):
    graduate = factories.user("graduate")
    business = factories.business(graduate, status="suspended", moderation_reason="Copied photos")
    login_as(graduate)
    assert b"Copied photos" in client.get("/seller/").data
    client.post("/seller/storefront", data=_form(name=business.name, slug=business.slug, status="open"))
    db.session.refresh(business)
    assert business.status == "suspended"


def test_nul_characters_in_text_fields_are_a_bad_request_not_a_500(client, login_as):
    login_as("graduate")
    response = client.post("/seller/storefront", data=_form(name="Toko\x00Nul", slug="toko-nul",
                                                            description="a\x00b"))
    assert response.status_code == 400  # refused site-wide: marketplace.core.safety.refuse_nul_bytes
    assert db.session.execute(select(Business.name)).scalar_one_or_none() is None
