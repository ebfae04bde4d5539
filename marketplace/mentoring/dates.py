"""Jakarta's calendar for mentoring: today's date there, month arithmetic, the charts' window."""
from __future__ import annotations

from datetime import date

from marketplace.core.timeutil import jakarta_today

CHART_MONTHS = 12


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def chart_window(today: date | None = None) -> tuple[date, date]:
    today = today or jakarta_today()
    return add_months(today, -(CHART_MONTHS - 1)), today
