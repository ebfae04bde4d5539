"""Reading a bank statement (mutasi rekening) exported as CSV, to confirm many transfers at once.

Banks export differently (BCA, BRI, Mandiri, BNI; comma or semicolon; "205.137,00" or "205,137.00 CR"),
so the file is read by its header row: a date column, a description column, and either a credit
column (kredit / credit / masuk) or an amount column (jumlah / nominal / amount / mutasi) with the
direction in a type column (CR/DB, K/D) or after the amount ("205,137.00 CR"). Only incoming money
(credits) is returned. A file that cannot be read raises ``StatementError`` naming the problem (and the
line), before anything is confirmed.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from marketplace.payments.errors import StatementError

MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 20_000

DATE = {"tanggal", "tgl", "date", "tanggal transaksi", "tgl transaksi", "transaction date", "posting date"}
DESCRIPTION = {"keterangan", "deskripsi", "description", "uraian", "berita", "remark", "remarks",
               "keterangan transaksi", "detail"}
CREDIT = {"kredit", "credit", "cr", "masuk", "uang masuk", "mutasi kredit", "kredit (rp)", "credit (idr)"}
DEBIT = {"debet", "debit", "db", "keluar", "uang keluar", "mutasi debet", "debet (rp)", "debit (idr)"}
AMOUNT = {"jumlah", "nominal", "amount", "mutasi", "jumlah (rp)", "amount (idr)", "nilai"}
DIRECTION = {"jenis", "type", "tipe", "d/k", "db/cr", "cr/db", "d/c", "k/d", "jenis transaksi"}
CREDIT_WORDS = {"cr", "k", "kredit", "credit", "c"}

_AMOUNT = re.compile(r"(?P<whole>\d{1,3}(?:(?P<group>[.,])\d{3})(?:(?P=group)\d{3})*|\d+)(?:(?P<dec>[.,])(?P<cents>\d{2}))?")


@dataclass(frozen=True)
class StatementLine:
    number: int          # the line of the file, as a spreadsheet counts it
    date: str
    description: str
    amount_idr: int


def _norm(cell: str) -> str:
    return re.sub(r"\s+", " ", (cell or "").strip().strip('"').lower())


def parse_amount(text: str) -> tuple[int, bool | None]:
    """("205.137,00 CR") -> (205137, True); the bool says credit (True), debit (False) or unknown (None).
    Raises ValueError for anything but whole rupiah."""
    value = (text or "").strip().lower()
    direction = None
    for suffix, credit in ((" cr", True), (" db", False), ("cr", True), ("db", False)):
        if value.endswith(suffix):
            value, direction = value[: -len(suffix)].strip(), credit
            break
    value = re.sub(r"^(rp|idr)\.?\s*", "", value).replace(" ", "")
    if value.startswith("+"):
        value = value[1:]
    elif value.startswith("-"):
        value, direction = value[1:], False
    match = _AMOUNT.fullmatch(value)
    if not match or (match["group"] and match["dec"] == match["group"]) or (match["cents"] or "00") != "00":
        raise ValueError(text)
    return int(re.sub(r"[.,]", "", match["whole"])), direction


def read_statement(data: bytes) -> list[StatementLine]:
    if len(data) > MAX_BYTES:
        raise StatementError("statement_too_big")
    if not data.strip():
        raise StatementError("statement_empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise StatementError("statement_unreadable") from None
    if "\x00" in text:
        raise StatementError("statement_unreadable")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error:
        raise StatementError("statement_unreadable") from None
    if len(rows) > MAX_LINES:
        raise StatementError("statement_too_big")
    header_at, columns = _find_header(rows)
    lines = []
    for index in range(header_at + 1, len(rows)):
        line = _credit(rows[index], columns, index + 1)
        if line is not None:
            lines.append(line)
    return lines


def _find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    """Banks put an account summary above the table: the header is the first row naming the columns."""
    for index, row in enumerate(rows[:30]):
        names = [_norm(cell) for cell in row]
        columns = {}
        for kind, words in (("date", DATE), ("description", DESCRIPTION), ("credit", CREDIT), ("debit", DEBIT),
                            ("amount", AMOUNT), ("direction", DIRECTION)):
            found = [i for i, name in enumerate(names) if name in words]
            if found:
                columns[kind] = found[0]
        if "description" in columns and ("credit" in columns or "amount" in columns):
            return index, columns
    raise StatementError("statement_no_header")


def _cell(row: list[str], columns: dict[str, int], kind: str) -> str:
    at = columns.get(kind)
    return row[at].strip() if at is not None and at < len(row) else ""


def _credit(row: list[str], columns: dict[str, int], number: int) -> StatementLine | None:
    if not any(cell.strip() for cell in row):
        return None
    raw = _cell(row, columns, "credit") if "credit" in columns else _cell(row, columns, "amount")
    if not raw:
        return None  # a debit line (its amount is in the debit column), or a summary line
    try:
        amount, direction = parse_amount(raw)
    except ValueError:
        raise StatementError("statement_bad_amount", line=number, value=raw[:40]) from None
    if "credit" not in columns:
        word = _norm(_cell(row, columns, "direction"))
        if word:
            direction = word in CREDIT_WORDS
        if direction is False:
            return None
    if amount == 0 or direction is False:
        return None
    return StatementLine(number, _cell(row, columns, "date")[:40], _cell(row, columns, "description")[:200], amount)
