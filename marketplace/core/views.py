from flask import Blueprint, current_app, redirect, request, url_for
from flask_login import current_user

from marketplace.core.i18n import LANGUAGE_COOKIE, remember_language
from marketplace.core.policy import PUBLIC, allow
from marketplace.core.safety import safe_next_url

bp = Blueprint("core", __name__)


@bp.post("/language")
@allow(PUBLIC)
def set_language():
    """Remember the chosen language: on the account when signed in, in a cookie always."""
    language = request.form.get("language", "")
    response = redirect(safe_next_url(request.form.get("next")) or url_for("catalog.home"))
    if language not in current_app.config["LANGUAGES"]:
        return response
    if current_user.is_authenticated:
        remember_language(current_user, language)
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
    return response


@bp.get("/healthz")
@allow(PUBLIC)
def health():
    return {"status": "ok"}
