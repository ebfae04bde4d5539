"""Work released at the same moment in threads of their own: the PostgreSQL concurrency tests."""
from __future__ import annotations

import threading
from collections.abc import Callable

from marketplace.extensions import db


def at_once(app, *work: Callable[[], object]) -> list[object]:
    """Run each callable in a thread of its own, in an app context of its own (so a database session of
    its own), all starting at the same moment; return what each returned, or the exception it raised,
    in the order of ``work``. The threads see committed data only: mark the test ``committed``."""
    start = threading.Barrier(len(work))
    results: list[object] = [None] * len(work)

    def run(index: int, job: Callable[[], object]) -> None:
        with app.app_context():
            start.wait()
            try:
                results[index] = job()
            except Exception as exc:  # noqa: BLE001  (handed to the test, which says what it expects)
                results[index] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
