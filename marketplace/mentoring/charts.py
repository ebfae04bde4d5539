"""Bar charts drawn on the server as SVG: no script and no CDN needed to read them, and each one is
shown beside a data table with the same numbers (templates/mentoring/_charts.html)."""
from __future__ import annotations

from dataclasses import dataclass

# The drawing's own units; the SVG scales to its container (360 px phones included).
WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 360, 180, 16, 28, 4



@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str       # under the bar (month)
    value: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    max_value: int
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM

    @property
    def empty(self) -> bool:
        return self.max_value == 0


def month_label(key: str, width: str = "MMM yyyy") -> str:
    """"2026-03" -> "Mar 2026" in the reader's language (the chart writes the month under its bar and
    the year once, so that 12 bars fit a 360 px screen)."""
    from datetime import date

    from flask_babel import format_date

    year, month = key.split("-")
    return format_date(date(int(year), int(month), 1), width)


def bar_chart(points: list[tuple[str, int]], months: bool = True) -> BarChart:
    """``points`` are (month key, value), or (any label, value) with ``months=False``; values below 0
    are drawn as 0."""
    n = max(len(points), 1)
    slot = (WIDTH - LEFT) / n
    gap = min(6.0, slot * 0.25)
    top_value = max((max(v, 0) for _, v in points), default=0)
    usable = HEIGHT - TOP - BOTTOM
    bars = []
    for i, (key, value) in enumerate(points):
        h = (max(value, 0) / top_value * usable) if top_value else 0
        h = max(h, 1.0) if value > 0 else 0
        bars.append(Bar(x=round(LEFT + i * slot + gap / 2, 1), y=round(HEIGHT - BOTTOM - h, 1),
                        width=round(slot - gap, 1), height=round(h, 1), label=month_label(key) if months else key, value=value))
    return BarChart(bars=bars, max_value=top_value)
