"""Ids typed by people (in URLs, query strings, forms): only values an id column can hold.

Primary keys are INTEGER columns. PostgreSQL refuses a parameter above 2**31 - 1 for them and SQLite
one above 2**63 - 1; either refusal would be a 500 where the honest answer is "not found".
"""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a number too large to be an id matches no route (404)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_id(raw: str | None) -> int | None:
    """For ``request.args.get(name, type=parse_id)``: a positive id that fits the column, else None."""
    raw = (raw or "").strip()
    if not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def register(app) -> None:
    """Must run before the blueprints: a rule picks its converter when it is added to the map."""
    app.url_map.converters["int"] = IdConverter
