"""Helpers for catalog tests: a signed-in seller with a storefront, and a look at stored files."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests import factories


@pytest.fixture
def seller(login_as):
    """A signed-in graduate with an open storefront."""
    graduate = factories.user("graduate")
    business = factories.business(graduate)
    login_as(graduate)
    return business


@pytest.fixture(autouse=True)
def empty_upload_dir(app):
    """The upload folder lives for the session; each catalog test starts with it empty."""
    root = Path(app.config["UPLOAD_DIR"])
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    from marketplace.catalog import pagecache

    pagecache.PAGES.clear()
    yield


@pytest.fixture
def stored_files(app):
    """``stored_files()``: every file under UPLOAD_DIR, relative paths, as a set."""
    root = Path(app.config["UPLOAD_DIR"])

    def files() -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}

    return files
