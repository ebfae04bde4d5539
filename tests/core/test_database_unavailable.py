"""PostgreSQL unreachable (restarting, failing over): a 503 that says so and when to come back, never a
500 or a stack trace. A real PostgreSQL URL on a port where nothing listens."""
import socket

from marketplace import create_app
from marketplace.extensions import db as _db


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_page_needing_the_database_answers_503_with_a_plain_message(app_config):
    down = create_app({**app_config, "SQLALCHEMY_DATABASE_URI":
                       f"postgresql+psycopg://postgres@127.0.0.1:{_dead_port()}/pasar"})
    try:
        response = down.test_client().get("/")
    finally:
        with down.app_context():
            _db.session.remove()
            _db.engine.dispose()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    assert b"briefly unavailable" in response.data
    assert b"Traceback" not in response.data
