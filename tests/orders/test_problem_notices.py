"""When a customer reports a problem with a parcel, the seller and the staff of the seller's program are
emailed what the customer wrote, each in their own language, with a link to the page where they act.
Staff of other programs hear nothing, and a part is reported only once, so nobody is mailed twice. Where
nobody of the program can act, the admins are told instead."""
import pytest

from marketplace.core.timeutil import utcnow
from marketplace.extensions import babel
from marketplace.extensions import db as _db
from marketplace.orders import fulfilment
from marketplace.orders.errors import InvalidTransition
from tests import factories

NOTE = "Paket sampai dalam keadaan penyok, isinya pecah"


def _about_problems(messages):
    return [m for m in messages if m.template.startswith("order_problem_reported")]


def test_reporting_on_the_order_page_emails_the_seller_and_their_programs_staff(client, db, login_as, outbox):
    order, part, seller, buyer = factories.shipped_order()
    staff = [factories.user("staff", program_id=seller.program_id) for _ in range(2)]
    gone = factories.user("staff", program_id=seller.program_id, deleted_at=utcnow())
    not_set_up = factories.user("staff", program_id=seller.program_id, email_verified_at=None)
    other_program_staff = factories.user("staff")
    admin = factories.user("admin")
    login_as(buyer)
    response = client.post(f"/orders/{order.public_id}/parts/{part.id}/problem", data={"note": NOTE},
                           follow_redirects=True)
    assert response.status_code == 200

    [to_seller] = _about_problems(outbox(seller.email))
    assert to_seller.template == "order_problem_reported_for_seller"
    assert order.number in to_seller.subject and NOTE in to_seller.body
    assert to_seller.body.rstrip().endswith(f"/seller/orders/{part.id}")  # where the seller acts
    for member in staff:
        [to_staff] = _about_problems(outbox(member.email))
        assert to_staff.template == "order_problem_reported_for_staff"
        assert order.number in to_staff.subject and part.business.name in to_staff.subject
        assert NOTE in to_staff.body and seller.name in to_staff.body
        assert to_staff.body.rstrip().endswith("/staff/problems")
    for nobody in (gone, not_set_up, other_program_staff, admin, buyer):
        assert _about_problems(outbox(nobody.email)) == []


def test_each_reads_it_in_their_own_language(translated_app, db, outbox):
    order, part, seller, buyer = factories.shipped_order()
    seller.locale = "id"
    english_staff = factories.user("staff", program_id=seller.program_id, locale="en")
    indonesian_staff = factories.user("staff", program_id=seller.program_id, locale="id")
    _db.session.commit()
    babel.domain_instance.cache.clear()  # placing the order cached the untranslated test catalog
    with translated_app.app_context():
        fulfilment.report_problem(order.id, part.id, NOTE, buyer.id)
        _db.session.remove()
    babel.domain_instance.cache.clear()

    [to_seller] = _about_problems(outbox(seller.email))
    assert to_seller.body.startswith("Halo ") and "Pembeli pesanan" in to_seller.body and NOTE in to_seller.body
    [english] = _about_problems(outbox(english_staff.email))
    assert english.subject.startswith("Problem report on order") and english.body.startswith("Hello ")
    assert "Decide it on the problem reports page" in english.body
    [indonesian] = _about_problems(outbox(indonesian_staff.email))
    assert indonesian.subject.startswith("Laporan masalah pesanan") and indonesian.body.startswith("Halo ")
    assert NOTE in indonesian.body


def test_the_customers_words_reach_them_as_plain_text_exactly_as_written(db, outbox):
    order, part, seller, buyer = factories.shipped_order()
    staff = factories.user("staff", program_id=seller.program_id)
    note = 'Kotak "penyok" & basah\n<a href="http://contoh.test">klik</a> <script>alert(1)</script>'
    fulfilment.report_problem(order.id, part.id, note, buyer.id)
    for to in (seller.email, staff.email):
        [message] = _about_problems(outbox(to))
        assert '    Kotak "penyok" & basah\n    <a href="http://contoh.test">klik</a> <script>alert(1)</script>' \
            in message.body  # quoted, indented, never escaped or interpreted
        assert "&amp;" not in message.body and "&lt;" not in message.body
        assert "Kotak" not in message.subject and "\n" not in message.subject  # their words stay in the body


def test_a_second_report_on_the_same_parcel_is_refused_and_mails_nobody(client, db, login_as, outbox):
    order, part, seller, buyer = factories.shipped_order()
    factories.user("staff", program_id=seller.program_id)
    fulfilment.report_problem(order.id, part.id, NOTE, buyer.id)
    sent = len(outbox())
    with pytest.raises(InvalidTransition):
        fulfilment.report_problem(order.id, part.id, "Masih belum ada kabar", buyer.id)
    login_as(buyer)
    again = client.post(f"/orders/{order.public_id}/parts/{part.id}/problem", data={"note": "Halo?"},
                        follow_redirects=True)
    assert "A problem cannot be reported for that parcel now." in again.get_data(as_text=True)
    assert len(outbox()) == sent


def test_a_report_refused_before_shipping_mails_nobody(db, outbox):
    buyer = factories.user("customer")
    order, _ = factories.unpaid_order(1, buyer)
    factories.pay(order)
    sent = len(outbox())
    with pytest.raises(InvalidTransition):
        fulfilment.report_problem(order.id, order.parts[0].id, NOTE, buyer.id)
    assert len(outbox()) == sent



@pytest.mark.parametrize("seller_has_a_program", [True, False], ids=["program-without-staff", "no-program"])
def test_where_nobody_of_the_program_can_act_the_admins_are_told(db, outbox, seller_has_a_program):
    order, part, seller, buyer = factories.shipped_order()
    not_set_up = factories.user("staff", program_id=seller.program_id, email_verified_at=None)
    if not seller_has_a_program:
        seller.program_id = None
    admins = [factories.user("admin") for _ in range(2)]
    former_admin = factories.user("admin", deleted_at=utcnow())
    _db.session.commit()
    fulfilment.report_problem(order.id, part.id, NOTE, buyer.id)
    for admin in admins:
        [message] = _about_problems(outbox(admin.email))
        assert message.template == "order_problem_reported_for_staff" and NOTE in message.body
        assert message.body.rstrip().endswith("/staff/problems")  # admins decide there too
    assert _about_problems(outbox(former_admin.email)) == _about_problems(outbox(not_set_up.email)) == []
    assert len(_about_problems(outbox(seller.email))) == 1
