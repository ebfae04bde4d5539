"""Static files are fingerprinted: every ``url_for('static', ...)`` carries ``?v=<hash of the file>``,
and such a request is cached by the browser for a year. On a slow connection a phone then loads the CSS
and JS once, instead of asking again on every page; a changed file gets a new URL."""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, request
from werkzeug.security import safe_join

ONE_YEAR = 365 * 24 * 3600


def register(app: Flask) -> None:
    folder = Path(app.static_folder)
    fingerprints: dict[str, str | None] = {}

    def fingerprint(filename: str) -> str | None:
        # Hashed once per file; in development (debug) on every use, as files are being edited.
        if filename not in fingerprints or app.debug:
            path = safe_join(str(folder), filename)
            try:
                fingerprints[filename] = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12] if path else None
            except OSError:
                fingerprints[filename] = None
        return fingerprints[filename]

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and (v := fingerprint(values.get("filename", ""))):
            values["v"] = v

    # Flask asks the app how long a static file may be cached; only fingerprinted URLs are immutable.
    app.get_send_file_max_age = lambda filename: ONE_YEAR if request.args.get("v") else None

    @app.after_request
    def mark_immutable(response):
        if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
            response.cache_control.immutable = True
        return response
