"""The one list of domains, and the one way to find a domain's optional modules.

Each domain is a package ``marketplace/<domain>/`` and may hold, by convention:

- ``models.py``   tables on the metadata (imported by the app factory, so migrations see them)
- ``hooks.py``    ``install()`` adds the session event listeners its tables need (idempotent)
- ``views.py`` or ``views/__init__.py``  a blueprint ``bp``, or a list ``blueprints``
- ``cli.py``      ``register(app)`` adds its ``flask`` commands
- ``demo.py``     ``seed()`` adds its part of ``flask seed-demo``, after the people and storefronts
- ``privacy.py``  ``export_user_data(user)``, ``erase_user_data(user)``, ``COVERS`` and ``KEPT_BY_LAW``
                  (see ``marketplace/accounts/privacy.py`` and docs/architecture.md)

The app factory, privacy export/erase and the demo seed all walk this registry; a new domain plugs in by
being listed here and having the modules, without touching any of them. The order is the order in which
blueprints are registered, demo parts seeded and personal data exported and erased; which domain may
import which is a separate rule (docs/architecture.md, ``tests/core/test_import_cycles.py``).
"""
from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator
from types import ModuleType

DOMAINS: tuple[str, ...] = ("core", "accounts", "programs", "catalog", "orders", "payments", "notifications",
                            "jobs", "mentoring")


def domain_exists(domain: str) -> bool:
    return importlib.util.find_spec(f"marketplace.{domain}") is not None


def domain_module(domain: str, name: str) -> ModuleType | None:
    """``marketplace.<domain>.<name>`` if the domain has it, else None."""
    if not domain_exists(domain) or importlib.util.find_spec(f"marketplace.{domain}.{name}") is None:
        return None
    return importlib.import_module(f"marketplace.{domain}.{name}")


def domain_modules(name: str) -> Iterator[tuple[str, ModuleType]]:
    """(domain, module) for every domain that has ``<name>.py`` (or a ``<name>/`` package)."""
    for domain in DOMAINS:
        if (module := domain_module(domain, name)) is not None:
            yield domain, module
