"""Session hooks the job board needs, installed by the app factory (see ``marketplace.core.domains``):
the search index follows vacancy saves."""
from __future__ import annotations

from marketplace.jobs import search


def install() -> None:
    search.install_sync()
