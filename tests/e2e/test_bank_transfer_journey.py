"""One bank transfer for an order from two sellers, end to end in Indonesian on a 360px phone (issue 11
item 8): the customer sees the amount with its kode unik; program staff confirm it by uploading the
bank statement (mutasi rekening); the customer sees "paid" and is emailed; one seller cancels their part
after payment; the customer sees the refund owed and the corrected total; staff record the refund with
its bank reference; the customer sees the refund sent and is emailed."""
import re

import pytest
from sqlalchemy import select

from marketplace.core.formatting import rupiah
from tests.e2e.conftest import sign_in
from tests.e2e.shopping import add_first_product_of, check_out_by_bank_transfer

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
SHOPS = {"kopi-ijen-bayu": "bayu@pasarbangkit.id", "camilan-bu-rina": "rina@pasarbangkit.id"}
CUSTOMER = "pembeli1@pasarbangkit.id"
RECIPIENT = "Wulan Transferwati"
STAFF = "staf@lrppn-banyuwangi.id"


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def _order(live_server, public_id: str):
    """What the database says (amounts to compare with the pages, as a person would read them)."""
    from marketplace.extensions import db
    from marketplace.orders.models import Order

    with live_server.app.app_context():
        order = db.session.execute(select(Order).where(Order.public_id == public_id)).scalar_one()
        facts = {"number": order.number, "to_transfer": order.payment.to_transfer_idr,
                 "code": order.payment.unique_code_idr, "total": order.total_idr,
                 "parts": {p.business.slug: p.total_idr for p in order.parts}}
        db.session.remove()
    return facts


def _mail(live_server, template: str) -> list[str]:
    from marketplace.extensions import db
    from marketplace.notifications.models import OutboxMessage

    with live_server.app.app_context():
        bodies = db.session.execute(select(OutboxMessage.body).where(
            OutboxMessage.to == CUSTOMER, OutboxMessage.template == template).order_by(OutboxMessage.id)).scalars().all()
        db.session.remove()
    return bodies


def test_one_transfer_confirmed_by_staff_then_a_part_cancelled_and_refunded(new_page, live_server):
    customer = new_page(viewport=PHONE)
    sign_in(customer, CUSTOMER)
    for shop in SHOPS:
        add_first_product_of(customer, shop)
    order_path = check_out_by_bank_transfer(customer, RECIPIENT)
    public_id = order_path.rsplit("/", 1)[1]
    facts = _order(live_server, public_id)
    to_transfer = rupiah(facts["to_transfer"])

    # The payment page: the exact amount, whose last three digits are the order's kode unik.
    assert customer.locator("html").get_attribute("lang") == "id"
    code_text = customer.locator(".unique-code").inner_text()
    assert to_transfer in code_text and "kode unik" in code_text and f"({facts['code']:03d})" in code_text
    _fits_the_phone(customer)
    customer.goto(order_path)
    assert to_transfer in customer.locator(".order-money").inner_text()
    assert customer.locator("h1 .status-awaiting_payment").count() == 1
    _fits_the_phone(customer)
    assert any(to_transfer in body for body in _mail(live_server, "order_received"))

    # A seller cannot confirm the transfer: the page says program staff do.
    seller = new_page(viewport=PHONE)
    sign_in(seller, SHOPS["camilan-bu-rina"])
    seller.goto("/seller/orders")
    seller.locator(f"a[href^='/seller/orders/']:has-text('{RECIPIENT}')").first.click()
    seller.wait_for_load_state()
    assert "Staf program yang mengonfirmasi pembayaran ini" in seller.content()
    assert seller.locator("form[action$='/confirm-payment']").count() == 0

    # Program staff upload the bank statement: the line with exactly that amount confirms the order.
    staff = new_page(viewport=PHONE)
    sign_in(staff, STAFF)
    staff.goto("/staff/payouts/awaiting-payment")
    assert facts["number"] in staff.content() and to_transfer in staff.content()
    _fits_the_phone(staff)
    statement = ("Tanggal;Keterangan;Debet;Kredit;Saldo\n"
                 f"30/11/2026;TRSF E-BANKING CR {RECIPIENT.upper()} {facts['number']};;{to_transfer[3:]},00;5.000.000,00\n"
                 "30/11/2026;SETORAN TUNAI;;123.456,00;5.123.456,00\n")
    staff.set_input_files("input[name=statement]", files=[
        {"name": "mutasi.csv", "mimeType": "text/csv", "buffer": statement.encode()}])
    staff.click("form[action$='/statement'] button[type=submit]")
    staff.wait_for_load_state()
    assert "1 pesanan dikonfirmasi, 0 sudah dikonfirmasi sebelumnya, 1 baris tidak cocok." in staff.content()
    assert "SETORAN TUNAI" in staff.locator("tr.unmatched").inner_text()
    _fits_the_phone(staff)

    customer.goto(order_path)
    assert customer.locator("h1 .status-paid").count() == 1
    assert customer.locator("details.cancel-order").count() == 0
    assert "Dibayar lewat transfer bank" in customer.content()
    [received] = _mail(live_server, "payment_confirmed")[-1:]
    assert to_transfer in received and "Halo" in received

    # One seller cancels their part after payment: the customer is owed that part back.
    seller.reload()
    seller.locator("details.cancel-box summary").click()
    seller.fill("textarea[name=reason]", "Stok habis, maaf")
    seller.click("form[action$='/cancel'] button[type=submit]")
    seller.wait_for_load_state()
    cancelled = rupiah(facts["parts"]["camilan-bu-rina"])
    assert f"staf program mengembalikan {cancelled}" in seller.content()

    customer.goto(order_path)
    money = customer.locator(".order-money").inner_text()
    assert re.search(r"Total sekarang, tanpa barang yang dibatalkan:\s*" + re.escape(
        rupiah(facts["total"] - facts["parts"]["camilan-bu-rina"])), money), money
    assert f"Dana yang akan dikembalikan kepada Anda: {cancelled}" in money
    _fits_the_phone(customer)

    # Staff transfer it back and record the bank reference.
    staff.goto("/staff/payouts/refunds")
    refund = staff.locator(f"li.card:has-text('{facts['number']}')")
    assert cancelled in refund.inner_text()
    _fits_the_phone(staff)
    refund.locator("input[name=reference]").fill("BRI-REF-20261130-01")
    refund.locator("button[type=submit]").click()
    staff.wait_for_load_state()
    assert "Pengembalian dana dicatat" in staff.content()

    customer.goto(order_path)
    sent = customer.locator(".refund-sent").inner_text()
    assert cancelled in sent and "BRI-REF-20261130-01" in sent
    assert customer.locator(".refund-owed").count() == 0
    [email] = _mail(live_server, "refund_sent")[-1:]
    assert "BRI-REF-20261130-01" in email and cancelled in email
