"""Session hooks the job board needs, installed by the app factory (see ``marketplace.core.domains``):
the search index follows vacancy saves, and the guest page cache's token any change to vacancies or firms."""
from __future__ import annotations

from marketplace.jobs import pagecache, search


def install() -> None:
    search.install_sync()
    pagecache.PAGES.install()
