"""Indonesian by default; English on request, remembered per user and in a cookie for guests."""
from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user

from marketplace.core.transactions import transactional

LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@transactional
def remember_language(user, language: str) -> None:
    """The signed-in person's chosen language, kept on their account (for pages and for emails)."""
    user.locale = language


def register(app) -> None:
    @app.context_processor
    def inject_locale():
        return {"current_locale": str(get_locale()), "languages": app.config["LANGUAGES"]}
