"""The mentoring area (``/mentoring``): one blueprint, its views split by who uses them
(``graduate.py``, ``mentor.py``, ``staff.py``; ``references.py`` for references for jobs). Views parse the
request, call one service and render."""
from __future__ import annotations

from marketplace.mentoring.views import graduate, mentor, references, staff  # noqa: F401  (their routes are on bp)
from marketplace.mentoring.views.blueprint import bp  # noqa: F401  (the factory registers it)
