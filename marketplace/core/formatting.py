"""Template filters: rupiah, Jakarta time and calendar days."""
from datetime import date, datetime

from flask_babel import format_date, format_datetime, format_time


def rupiah(amount_idr: int | None) -> str:
    """``25000`` -> ``Rp 25.000`` (Indonesian grouping in both languages, as on every price tag here)."""
    if amount_idr is None:
        return ""
    sign = "-" if amount_idr < 0 else ""
    return f"{sign}Rp {abs(int(amount_idr)):,}".replace(",", ".")


def jakarta_time(value: datetime | None, fmt: str = "medium") -> str:
    """Flask-Babel converts to BABEL_DEFAULT_TIMEZONE (Asia/Jakarta) and the user's language. "medium" is
    the day and the minute (``1 Des 2026 02.07``): Babel's own medium adds seconds, and "02.07.27" after
    a date reads like another date here."""
    if value is None:
        return ""
    if fmt == "medium":
        return f"{format_date(value, 'medium')} {format_time(value, 'short')}"
    return format_datetime(value, fmt)


def calendar_day(value: date | str | None, fmt: str = "medium") -> str:
    """``date(2026, 8, 18)`` -> ``18 Agu 2026`` (``Aug 18, 2026`` in English): "2026-08-18" read like a code
    to the people here, and day and month are not swapped by anyone's habit. Also takes the ISO text kept
    in snapshots (a job application keeps the training record as it was sent); other text is shown as is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return format_date(value, fmt)


def register_filters(app) -> None:
    from marketplace.core.forms import RUPIAH_HINT, format_rupiah_input

    app.add_template_filter(rupiah, "rupiah")
    app.add_template_filter(format_rupiah_input, "rupiah_input")  # the value of a rupiah input: "18.500"
    app.add_template_global(RUPIAH_HINT, "rupiah_hint")
    app.add_template_filter(jakarta_time, "datetime")
    app.add_template_filter(calendar_day, "day")
