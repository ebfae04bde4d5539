"""Time is stored as aware UTC and shown in Asia/Jakarta (see the ``datetime`` filters)."""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def jakarta_today() -> date:
    """Today's date in Asia/Jakarta: closing dates, start dates and the program's calendar are Jakarta's."""
    return utcnow().astimezone(JAKARTA).date()
