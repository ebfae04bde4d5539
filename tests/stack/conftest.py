"""The stack lane (`.ci/run`): the production-shaped stack of ``deploy/stack.py`` (nginx, two gunicorn
app servers, private PostgreSQL and Redis, the RQ worker, moto, an SMTP sink) started once for these
tests with the small data set, driven over HTTP, and stopped afterwards. Run with
``.venv/bin/python -m pytest -q -m stack tests/stack``."""
from __future__ import annotations

import io
import itertools
import os
import shutil

import pytest
import requests

from deploy import stack as deploy_stack
from deploy.webclient import Visitor

LOGIN_LIMIT = "5 per hour"  # a window far longer than the test: no reset between two tries
_addresses = itertools.count(1)


@pytest.fixture(scope="session")
def stack():
    if shutil.which("nginx") is None and os.geteuid() != 0:
        pytest.skip("nginx is not installed (apt-get install nginx)")
    # Under instance/ (not /tmp/pytest-of-*, which only its owner may enter): nginx's workers, which
    # drop root, keep their temporary files in the stack's folder.
    state_dir = deploy_stack.ROOT / "instance" / f"stack-ci-{os.getpid()}"
    running = deploy_stack.up(state_dir=state_dir, data="small", login_limit=LOGIN_LIMIT, workers=1, port=0)
    try:
        yield running
    finally:
        deploy_stack.down(running)
        shutil.rmtree(state_dir, ignore_errors=True)


@pytest.fixture
def visitor(stack):
    """``visitor()``: a new browser whose consecutive requests alternate between the two app servers,
    with an address of its own (X-Forwarded-For, trusted from one proxy) for the rate limits."""
    def make(*, through_nginx: bool = False) -> Visitor:
        bases = [stack.url] if through_nginx else [stack.app_url(1), stack.app_url(2)]
        return Visitor(requests.Session(), bases, forwarded_for=f"198.51.100.{next(_addresses)}")

    return make


def png_bytes(colour=(200, 40, 90)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "PNG")
    return buffer.getvalue()
