"""Session hooks the catalog needs whenever its tables change, installed by the app factory (see
``marketplace.core.domains``): the search index follows product saves, the guest page cache's token
changes with any catalog change, and picture files are deleted only once their removal commits."""
from __future__ import annotations

from marketplace.catalog import images, pagecache, search


def install() -> None:
    search.install_sync()
    pagecache.PAGES.install()
    images.install()
