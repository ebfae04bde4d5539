import pytest

from tests.accounts.helpers import forget_cached_user


@pytest.fixture
def client(app):
    """Like the shared ``client``, but each request loads the signed-in user from its own cookie.

    Requests of the test client share the test's app context (the ``db`` fixture pushes it), so
    Flask-Login's per-request cache in ``g`` would otherwise carry one request's user into the next:
    tests of sign-out, password changes and a second browser need every request to start clean.
    """
    test_client = app.test_client()
    original_open = test_client.open

    def open_fresh(*args, **kwargs):
        forget_cached_user()
        return original_open(*args, **kwargs)

    test_client.open = open_fresh
    return test_client


@pytest.fixture
def second_client(client, app):
    """Another browser of the same person."""
    other = app.test_client()
    original_open = other.open

    def open_fresh(*args, **kwargs):
        forget_cached_user()
        return original_open(*args, **kwargs)

    other.open = open_fresh
    return other
