"""The site navigation: each domain registers its own links, so no template lists them all."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_babel import LazyString
from flask_login import current_user

from marketplace.core.policy import admits, role_names, role_of


@dataclass(frozen=True)
class NavLink:
    label: LazyString
    endpoint: str
    roles: frozenset[str]
    position: int = 50
    # Stays on the header bar on a phone, beside the Menu button that folds the other links away.
    pinned: bool = False
    # Shows to a signed-in person of another role too when this says so (they have something there).
    shown_when: Callable[[], bool] | None = None


_LINKS: list[NavLink] = []


def register_nav(label: LazyString, endpoint: str, roles, position: int = 50, pinned: bool = False,
                 shown_when: Callable[[], bool] | None = None) -> None:
    """Called at import time of a domain's views module, e.g.
    ``register_nav(_l("My orders"), "orders.my_orders", {CUSTOMER}, 20)``. A link shows to ``roles``:
    list only those the endpoint's policy lets in and who use it; ``shown_when`` (asked only for other
    signed-in people) shows it to someone else who has something there. ``pinned`` links stay on the
    header bar on a phone (the cart); the others fold into the menu."""
    if not any(link.endpoint == endpoint for link in _LINKS):
        _LINKS.append(NavLink(label, endpoint, role_names(roles), position, pinned, shown_when))


_HOMES: dict[str, str] = {}


def register_home(role: str, endpoint: str) -> None:
    """Where a role starts after signing up, e.g. ``register_home(GRADUATE, "seller.dashboard")``."""
    _HOMES.setdefault(role, endpoint)


def home_endpoint(role: str) -> str:
    endpoint = _HOMES.get(role)
    return endpoint if endpoint in current_app.view_functions else "catalog.home"


def links_for_current_user() -> list[NavLink]:
    role = role_of(current_user)
    known = current_app.view_functions

    def shown(link: NavLink) -> bool:
        if link.endpoint not in known:
            return False
        if admits(link.roles, role):
            return True
        return current_user.is_authenticated and link.shown_when is not None and link.shown_when()

    return sorted(filter(shown, _LINKS), key=lambda link: link.position)


def register(app) -> None:
    @app.context_processor
    def inject_nav():
        return {"nav_links": links_for_current_user}
