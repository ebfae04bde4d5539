"""The mentoring blueprint, its navigation link and sign-in hook; the area modules add routes to it."""
from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_login import user_logged_in

from marketplace.core.nav import register_nav
from marketplace.core.policy import Role
from marketplace.mentoring.alerts import note_sign_in

bp = Blueprint("mentoring", __name__, url_prefix="/mentoring")

register_nav(_l("Mentoring"), "mentoring.home", {Role.MENTOR, Role.GRADUATE, Role.STAFF, Role.ADMIN}, 60)


def _remember_sign_in(sender, user, **extra) -> None:
    note_sign_in(user)


user_logged_in.connect(_remember_sign_in)
