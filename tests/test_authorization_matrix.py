"""Walks every registered URL rule for every role.

Fails when a route declares no policy, when its declared roles exceed what its area may ever let in
(``AREA_CEILING``), when a role outside the policy gets through, or when anything answers 500.
"""
from __future__ import annotations

import pytest
from flask import url_for
from werkzeug.routing import IntegerConverter

from marketplace.core.policy import ALL_ROLES, PARTNER_PENDING, allowed_roles

ROLES = sorted(ALL_ROLES) + [PARTNER_PENDING]

# The most an endpoint in each blueprint may ever admit. A new blueprint must be added here.
EVERYONE = ALL_ROLES
AREA_CEILING: dict[str, frozenset[str]] = {
    "core": EVERYONE,
    "accounts": EVERYONE,
    "catalog": EVERYONE,
    "seller": frozenset({"graduate"}),
    "moderation": frozenset({"staff", "admin"}),
    "orders": EVERYONE,
    "payments": EVERYONE,
    "seller_orders": frozenset({"graduate"}),
    "earnings": frozenset({"graduate"}),
    "payouts": frozenset({"staff", "admin"}),
    "staff_orders": frozenset({"staff", "admin"}),
    "staff_problems": frozenset({"staff", "admin"}),
    "staff": frozenset({"staff", "admin"}),
    "admin": frozenset({"admin"}),
    "programs": frozenset({"staff", "admin"}),
    "jobs": EVERYONE,
    "jobs_firm": frozenset({"partner"}),
    "jobs_graduate": frozenset({"graduate"}),
    "jobs_staff": frozenset({"staff", "admin"}),
    "mentoring": frozenset({"mentor", "graduate", "staff", "admin"}),
}
# Endpoints that must refuse some signed-in roles even inside a broad area.
NARROW: dict[str, frozenset[str]] = {}

# Keyed by converter class name without "Converter": IntegerConverter -> "integer".
DUMMY_VALUES = {"integer": 987654, "string": "nothing-here", "path": "nothing/here", "default": "nothing-here",
                "uuid": "00000000-0000-0000-0000-000000000000"}


def _rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule


def _url(app, rule) -> str:
    values = {}
    for name, converter in rule._converters.items():
        # isinstance: the app's own id converter (marketplace.core.ids) is an IntegerConverter too
        kind = "integer" if isinstance(converter, IntegerConverter) else type(converter).__name__.replace(
            "Converter", "").lower()
        values[name] = DUMMY_VALUES.get(kind, DUMMY_VALUES["default"])
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def test_every_route_declares_a_policy_within_its_area(app):
    problems = []
    with app.test_request_context():
        for rule in _rules(app):
            roles = allowed_roles(rule.endpoint)
            if roles is None:
                problems.append(f"{rule.endpoint}: no @allow policy")
                continue
            blueprint = rule.endpoint.split(".", 1)[0]
            if blueprint not in AREA_CEILING:
                problems.append(f"{rule.endpoint}: blueprint {blueprint!r} has no ceiling in AREA_CEILING")
                continue
            ceiling = NARROW.get(rule.endpoint, AREA_CEILING[blueprint])
            if extra := roles - ceiling:
                problems.append(f"{rule.endpoint}: lets in {sorted(extra)}, more than {sorted(ceiling)}")
    assert problems == []


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_policy_allows(app, client, login_as, role):
    user = login_as(role) if role != "guest" else None
    failures = []
    for rule in _rules(app):
        url = _url(app, rule)
        declared = allowed_roles_for(app, rule.endpoint)
        admitted = role in declared or (role == "partner_pending" and declared >= ALL_ROLES - {"guest"})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={})
            if user is not None:  # POST /account/logout signs the client out: sign back in
                with client.session_transaction() as session:
                    session["_user_id"] = user.get_id()
            status = response.status_code
            to_login = status == 302 and "/account/login" in response.headers.get("Location", "")
            if status >= 500:
                failures.append(f"{method} {url} ({rule.endpoint}): {status}")
            elif admitted and (status == 403 or to_login):
                failures.append(f"{method} {url} ({rule.endpoint}): refused an allowed role ({status})")
            elif not admitted and not (status == 403 or (role == "guest" and to_login)):
                failures.append(f"{method} {url} ({rule.endpoint}): let in a role it must not ({status})")
    assert failures == [], "\n".join(failures)


def allowed_roles_for(app, endpoint: str) -> frozenset[str]:
    with app.test_request_context():
        return allowed_roles(endpoint) or frozenset()
