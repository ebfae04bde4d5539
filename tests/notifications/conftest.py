from tests.accounts.conftest import client, second_client  # noqa: F401  (same request isolation)
