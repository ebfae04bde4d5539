"""The mentoring area (``/mentoring``): one blueprint, its views split by who uses them
(``graduate.py``, ``mentor.py``, ``staff.py``). Views parse the request, call one service and render."""
from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_login import user_logged_in

from marketplace.accounts.policy import ADMIN, GRADUATE, MENTOR, STAFF
from marketplace.core.nav import register_nav

bp = Blueprint("mentoring", __name__, url_prefix="/mentoring")

register_nav(_l("Mentoring"), "mentoring.home", {MENTOR, GRADUATE, STAFF, ADMIN}, 60)


def _remember_sign_in(sender, user, **extra) -> None:
    from marketplace.mentoring.services import note_sign_in

    note_sign_in(user)


user_logged_in.connect(_remember_sign_in)

from marketplace.mentoring.views import graduate, mentor, staff  # noqa: E402,F401  (routes on bp)
