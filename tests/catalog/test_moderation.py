"""Program staff hide products and suspend storefronts of their own program's graduates, with a reason."""
from sqlalchemy import select

from marketplace.core.audit import AuditLog
from marketplace.extensions import db
from tests import factories


def _graduate_shop_in(program):
    graduate = factories.user("graduate", program_id=program.id)
    business = factories.business(graduate)
    product = factories.product(business, title="Batik Palsu")
    return business, product


def test_staff_hide_a_product_the_owner_sees_why_and_the_public_gets_404(client, login_as):
    staff = factories.user("staff")
    business, product = _graduate_shop_in(staff.program)
    db.session.commit()
    login_as(staff)
    response = client.post(f"/staff/moderation/products/{product.id}/hide",
                           data={"reason": "Photo copied from a catalogue"})
    assert response.status_code == 302
    assert client.get(f"/toko/{business.slug}/{product.slug}").status_code == 404
    entry = db.session.execute(select(AuditLog)).scalar_one()
    assert (entry.action, entry.actor_id, entry.subject_id) == ("product.hide", staff.id, product.id)
    assert entry.program_id == staff.program_id

    login_as(business.owner)
    assert b"Photo copied from a catalogue" in client.get("/seller/").data
    assert b"Photo copied from a catalogue" in client.get(f"/seller/products/{product.id}").data

    login_as(staff)
    client.post(f"/staff/moderation/products/{product.id}/unhide")
    assert client.get(f"/toko/{business.slug}/{product.slug}").status_code == 200


def test_a_reason_is_required(client, login_as):
    staff = factories.user("staff")
    business, product = _graduate_shop_in(staff.program)
    db.session.commit()
    login_as(staff)
    assert client.post(f"/staff/moderation/products/{product.id}/hide", data={"reason": ""}).status_code == 400
    assert client.post(f"/staff/moderation/businesses/{business.id}/suspend", data={}).status_code == 400
    assert db.session.execute(select(AuditLog)).first() is None


def test_suspending_a_storefront_hides_it_and_its_products_until_reinstated(client, login_as):
    staff = factories.user("staff")
    business, product = _graduate_shop_in(staff.program)
    db.session.commit()
    login_as(staff)
    client.post(f"/staff/moderation/businesses/{business.id}/suspend", data={"reason": "Selling alcohol"})
    assert client.get(f"/toko/{business.slug}").status_code == 404
    assert client.get(f"/toko/{business.slug}/{product.slug}").status_code == 404
    assert b"Batik Palsu" not in client.get("/cari?q=batik").data

    login_as(business.owner)
    assert b"Selling alcohol" in client.get("/seller/").data

    login_as(staff)
    client.post(f"/staff/moderation/businesses/{business.id}/reinstate")
    db.session.refresh(business)
    assert business.status == "draft" and business.moderation_reason is None
    actions = db.session.execute(select(AuditLog.action).order_by(AuditLog.id)).scalars().all()
    assert actions == ["business.suspend", "business.reinstate"]


def test_staff_of_another_program_cannot_moderate_but_the_admin_can(client, login_as):
    owner_program = factories.program()
    business, product = _graduate_shop_in(owner_program)
    db.session.commit()
    login_as("staff")  # a program of their own
    assert client.post(f"/staff/moderation/products/{product.id}/hide", data={"reason": "x"}).status_code == 404
    assert client.post(f"/staff/moderation/businesses/{business.id}/suspend", data={"reason": "x"}).status_code == 404
    assert b"Batik Palsu" not in client.get("/staff/moderation/").data

    login_as("admin")
    assert b"Batik Palsu" in client.get("/staff/moderation/").data
    assert client.post(f"/staff/moderation/products/{product.id}/hide", data={"reason": "x"}).status_code == 302


def test_sellers_and_customers_cannot_reach_moderation(client, login_as):
    login_as("graduate")
    assert client.get("/staff/moderation/").status_code == 403
