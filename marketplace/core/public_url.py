"""The site's own address for links that leave the page (emails, sitemap, canonical, share links).

``PUBLIC_URL`` when it is configured. In development without it, the address follows the port the
server really listens on (``PORT=8000 make run``, or ``flask run -p 8001``): taken from the server's
``SERVER_PORT``, never from the Host header a visitor chooses."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, request


def _follow_served_port() -> None:
    config = current_app.config
    if not config.get("PUBLIC_URL_FOLLOWS_SERVER") or config.get("APP_ENV") != "development":
        return
    port = request.environ.get("SERVER_PORT", "")
    if not port.isdigit():
        return
    parts = urlsplit(config["PUBLIC_URL"])
    followed = f"{parts.scheme}://{parts.hostname}:{port}"
    if config["PUBLIC_URL"] != followed:
        # One development server serves one port: set once, the same value for every later request,
        # and for mail sent after this request by the same process.
        config["PUBLIC_URL"] = followed


def register(app: Flask) -> None:
    app.before_request(_follow_served_port)
