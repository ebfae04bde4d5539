"""Services own the transaction: ``@transactional`` commits a service's work when it returns and rolls
it back when it raises, so views never call ``commit()`` or ``rollback()`` (``tests/core/test_layout.py``).

A service called while another transaction of ours is open (a transactional service calling another, or
code inside ``with transaction():``) joins it: only the outermost one commits or rolls back, so several
steps are still one transaction.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from marketplace.extensions import db

P = ParamSpec("P")
R = TypeVar("R")

_DEPTH = "transaction_depth"  # in db.session.info: how many of our transactions are open


@contextmanager
def transaction() -> Iterator[None]:
    """One transaction around the block: committed at its end, rolled back if it raises; joined if one
    is already open."""
    info = db.session.info
    depth = info.get(_DEPTH, 0)
    info[_DEPTH] = depth + 1
    try:
        yield
        if depth == 0:
            db.session.commit()
    except BaseException:
        if depth == 0:
            db.session.rollback()
        raise
    finally:
        info[_DEPTH] = depth


def transactional(service: Callable[P, R]) -> Callable[P, R]:
    """The service's work is one transaction (see ``transaction``)."""

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction():
            return service(*args, **kwargs)

    return run
