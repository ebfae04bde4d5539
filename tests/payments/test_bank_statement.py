"""Staff upload the bank statement (mutasi rekening) as CSV: every incoming transfer of exactly an open
order's amount (kode unik included) confirms that order in one step; unmatched lines are listed; an
upload of the same file again confirms nothing twice; a file that cannot be read says why, in the
staff member's language, and changes nothing."""
import io

import pytest
from sqlalchemy import func, select

from marketplace.core.formatting import rupiah
from marketplace.extensions import babel
from marketplace.extensions import db as _db
from marketplace.notifications.models import OutboxMessage
from marketplace.orders.models import Order
from marketplace.payments.statement import parse_amount, read_statement
from tests import factories


def _orders(count: int = 2):
    orders = [factories.unpaid_order(1)[0] for _ in range(count)]
    return orders, orders[0].parts[0].business.owner.program_id


def _upload(client, text: str, filename: str = "mutasi.csv", data: bytes | None = None):
    body = data if data is not None else text.encode()
    return client.post("/staff/payouts/statement", data={"statement": (io.BytesIO(body), filename)},
                       content_type="multipart/form-data")


def _status(order) -> str:
    _db.session.expire_all()
    return _db.session.get(Order, order.id).status


def _bca_style(*credits: tuple[str, int], debit: int = 0) -> str:
    """BRI/BCA-like export: an account summary, then the table; Indonesian number format, semicolons."""
    rows = ["Informasi Rekening - Mutasi Rekening;;;;", "No. Rekening;0123-01-000123-30-1;;;", ";;;;",
            "Tanggal;Keterangan;Debet;Kredit;Saldo"]
    for note, amount in credits:
        rows.append(f"30/11/2026;TRSF E-BANKING CR {note};;{amount:,}.00;1.000.000,00".replace(",", "X")
                    .replace(".", ",").replace("X", "."))
    if debit:
        rows.append(f"30/11/2026;BIAYA ADM;{debit},00;;990.000,00")
    return "\n".join(rows) + "\n"


def test_matching_transfers_are_confirmed_and_the_rest_listed(client, db, login_as, outbox):
    (first, second), program_id = _orders(2)
    login_as("staff", program_id=program_id)
    statement = _bca_style((f"ANDI {first.number}", first.payment.to_transfer_idr),
                           ("SITI TANPA BERITA", second.payment.to_transfer_idr + 1_000),  # a wrong amount
                           ("PEMBAYARAN LAIN", 77_777), debit=6_500)
    response = _upload(client, statement)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 order(s) confirmed, 0 confirmed before, 2 line(s) not matched." in page
    assert first.number in page and "no open order asks for exactly this amount" in page
    assert "BIAYA ADM" not in page  # money going out is not a transfer from a customer
    assert _status(first) == "paid" and _status(second) == "awaiting_payment"
    assert [m.template for m in outbox(first.email)].count("payment_confirmed") == 1

    again = _upload(client, statement).get_data(as_text=True)  # the same file a second time
    assert "0 order(s) confirmed, 1 confirmed before, 2 line(s) not matched." in again
    assert _db.session.execute(select(func.count(OutboxMessage.id))
                               .where(OutboxMessage.template == "payment_confirmed")).scalar_one() == 1


def test_a_comma_separated_export_with_an_amount_and_a_direction_column(client, db, login_as):
    (order,), program_id = _orders(1)
    login_as("staff", program_id=program_id)
    amount = order.payment.to_transfer_idr
    statement = ("Date,Description,Amount,Type\n"
                 f"2026-11-30,TRANSFER FROM BUDI,\"{amount:,}.00\",CR\n"
                 f"2026-11-30,TRANSFER TO SUPPLIER,\"{amount:,}.00\",DB\n")
    page = _upload(client, statement).get_data(as_text=True)
    assert "1 order(s) confirmed, 0 confirmed before, 0 line(s) not matched." in page
    assert _status(order) == "paid"


def test_orders_of_another_program_are_not_confirmed_from_my_statement(client, db, login_as):
    (order,), _ = _orders(1)
    login_as("staff")  # another program
    page = _upload(client, _bca_style(("X", order.payment.to_transfer_idr))).get_data(as_text=True)
    assert "0 order(s) confirmed" in page and order.number not in page
    assert _status(order) == "awaiting_payment"


@pytest.mark.parametrize(("content", "message"), [
    (b"", "File kosong"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "tidak dapat dibaca sebagai file teks CSV"),
    ("nama,umur\nandi,30\n".encode(), "Judul kolom tidak ditemukan"),
    ("Tanggal;Keterangan;Kredit\n30/11;A;205.137\n30/11;B;dua ratus ribu\n".encode(),
     "Baris 3: dua ratus ribu bukan jumlah rupiah bulat"),
    ("Tanggal;Keterangan;Kredit\n30/11;A;205.137,50\n".encode(), "Baris 2"),
])
def test_a_bad_file_says_why_in_indonesian_and_confirms_nothing(translated_app, db, content, message):
    (order,), program_id = _orders(1)
    staff = factories.user("staff", program_id=program_id)
    db.session.commit()
    # A good line first: a bad line further down must stop the whole file, this one included.
    if content.startswith(b"Tanggal"):
        content = content.replace(b"205.137", rupiah(order.payment.to_transfer_idr)[3:].encode())
    babel.domain_instance.cache.clear()  # placing the order cached the test app's (empty) catalog
    client = translated_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = staff.get_id(), True
    response = client.post("/staff/payouts/statement", data={"statement": (io.BytesIO(content), "mutasi.csv")},
                           content_type="multipart/form-data", headers={"Accept-Language": "id"})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert "Tidak ada yang dikonfirmasi" in response.get_data(as_text=True) or "Baris" in message
    assert _status(order) == "awaiting_payment"


def test_no_file_is_a_form_error(client, db, login_as):
    login_as("staff")
    assert client.post("/staff/payouts/statement", data={}, content_type="multipart/form-data").status_code == 400


@pytest.mark.parametrize(("text", "amount", "credit"), [
    ("205.137", 205_137, None), ("Rp 205.137", 205_137, None), ("205.137,00", 205_137, None),
    ("205,137.00 CR", 205_137, True), ("205137", 205_137, None), ("205137.00", 205_137, None),
    ("1.250.000,00", 1_250_000, None), ("-6.500,00", 6_500, False), ("6,500.00 DB", 6_500, False),
])
def test_amounts_are_read_as_indonesian_and_english_exports_write_them(text, amount, credit):
    assert parse_amount(text) == (amount, credit)


@pytest.mark.parametrize("text", ["205.13", "205,137,00", "dua", "205.137,50", "1.2.3"])
def test_anything_but_whole_rupiah_is_refused(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_only_incoming_money_is_read():
    lines = read_statement(_bca_style(("A", 205_137), ("B", 60_042), debit=6_500).encode())
    assert [(line.number, line.amount_idr) for line in lines] == [(5, 205_137), (6, 60_042)]
