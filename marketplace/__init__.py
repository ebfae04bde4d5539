"""Pasar Bangkit: a marketplace for graduates of drug-rehabilitation aftercare business training."""
from __future__ import annotations

from flask import Flask

from marketplace.config import INSTANCE_DIR, PROJECT_ROOT, load_config
from marketplace.core.domains import domain_modules


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, CLI commands, error pages."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    app.config.update(load_config())
    if config:
        app.config.update(config)
    INSTANCE_DIR.mkdir(exist_ok=True)
    if app.config.get("TRUSTED_PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    register_extensions(app)
    from marketplace.core import ids
    ids.register(app)  # before the blueprints: every <int:...> id in a URL must fit the id column
    register_blueprints(app)
    register_request_hooks(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    for _domain, _models in domain_modules("models"):  # every table on the metadata, for migrations
        pass
    for _domain, hooks in domain_modules("hooks"):  # session events a domain's tables need
        hooks.install()
    from marketplace.core import (
        audit,  # noqa: F401
        i18n,
    )
    from marketplace.core.formatting import register_filters
    from marketplace.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories=str(PROJECT_ROOT / "translations"))
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    from marketplace.accounts.services import load_user_from_session_id
    login_manager.user_loader(load_user_from_session_id)
    register_filters(app)
    from marketplace.notifications import services as notifications
    notifications.init_app(app)
    i18n.register(app)
    from marketplace.core import nav, static_files
    nav.register(app)
    static_files.register(app)


def register_blueprints(app: Flask) -> None:
    for _domain, views in domain_modules("views"):
        for bp in getattr(views, "blueprints", None) or [views.bp]:
            app.register_blueprint(bp)


def register_request_hooks(app: Flask) -> None:
    from marketplace.core import errors, policy, public_url, safety, security

    app.before_request(safety.refuse_nul_bytes)
    public_url.register(app)
    app.before_request(policy.enforce)
    security.register(app)
    errors.register(app)


def register_cli(app: Flask) -> None:
    from marketplace import cli

    cli.register(app)
    for _domain, domain_cli in domain_modules("cli"):
        domain_cli.register(app)
