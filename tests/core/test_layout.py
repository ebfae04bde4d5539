"""The house's layout rules, read from the source (docs/architecture.md, "Layout"):

- views never commit or roll back: services own the transaction (``core/transactions.py``), and outside
  the few places listed in ``HAND_TRANSACTIONS`` (each with its reason) they do it through ``@transactional``
  or ``with transaction():``, never with ``db.session.commit()`` or ``rollback()`` by hand;
- the templates a domain's views render live under ``templates/<that domain>/``, or are the shared
  top-level ones;
- a domain with more than one view area (blueprint) keeps its views in a ``views/`` package.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import marketplace
from marketplace.core.domains import DOMAINS

# What these tests prove is the same on every database: the PostgreSQL lane skips them.
pytestmark = pytest.mark.database_independent

PACKAGE = Path(marketplace.__file__).parent
TEMPLATES = PACKAGE.parent / "templates"
SHARED_TEMPLATES = {"base.html", "_nav.html"}  # files at the top of templates/
SHARED_TEMPLATE_FOLDERS = {"macros", "errors", "emails"}

def _views_modules(domain: str) -> list[Path]:
    root = PACKAGE / domain
    return sorted([root / "views.py"] if (root / "views.py").exists() else (root / "views").rglob("*.py"))


def _trees(paths: list[Path]):
    for path in paths:
        yield path, ast.parse(path.read_text(), filename=str(path))


def _calls(tree: ast.AST):
    return (node for node in ast.walk(tree) if isinstance(node, ast.Call))


def test_views_never_commit_or_roll_back():
    found = [f"{path.relative_to(PACKAGE.parent)}:{call.lineno} .{call.func.attr}()"
             for domain in DOMAINS for path, tree in _trees(_views_modules(domain)) for call in _calls(tree)
             if isinstance(call.func, ast.Attribute) and call.func.attr in ("commit", "rollback")]
    assert found == [], "a service owns the transaction (@transactional, core/transactions.py)"


def _templates_named_by_views(domain: str) -> set[str]:
    """Every string in the domain's views that names a template file: the first argument of
    ``render_template`` and the names handed to helpers that call it."""
    return {node.value for _path, tree in _trees(_views_modules(domain)) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "/" in node.value
            and not node.value.startswith("/") and (TEMPLATES / node.value).is_file()}


def _belongs(domain: str, template: str) -> bool:
    top = template.split("/", 1)[0]
    return top == domain or top in SHARED_TEMPLATE_FOLDERS or template in SHARED_TEMPLATES


def _misplaced() -> set[tuple[str, str]]:
    return {(domain, template) for domain in DOMAINS for template in _templates_named_by_views(domain)
            if not _belongs(domain, template)}


def test_the_finder_sees_the_templates_views_render():
    assert {"catalog/home.html", "catalog/seller/dashboard.html",
            "catalog/moderation/index.html"} <= _templates_named_by_views("catalog")
    assert "accounts/register.html" in _templates_named_by_views("accounts")  # handed to a helper


def test_a_domains_views_render_its_own_templates():
    assert sorted(_misplaced()) == [], \
        "move the template under templates/<domain>/ (a subfolder per view area: catalog/seller/...)"


def test_template_folders_are_domains_or_shared():
    folders = {p.name for p in TEMPLATES.iterdir() if p.is_dir()}
    assert sorted(folders - set(DOMAINS) - SHARED_TEMPLATE_FOLDERS) == []
    files = {p.name for p in TEMPLATES.iterdir() if p.is_file()}
    assert files <= SHARED_TEMPLATES


def _blueprints(domain: str) -> list[str]:
    """Where the domain builds its blueprints (``Blueprint(...)``), as paths inside the domain."""
    root = PACKAGE / domain
    return sorted(str(path.relative_to(root)) for path, tree in _trees(sorted(root.rglob("*.py")))
                  for call in _calls(tree)
                  if getattr(call.func, "id", getattr(call.func, "attr", None)) == "Blueprint")


def test_a_domain_with_several_view_areas_has_a_views_package():
    several = {domain: found for domain in DOMAINS if len(found := _blueprints(domain)) > 1}
    assert "catalog" in several and "programs" in several
    outside = {domain: [p for p in found if not p.startswith("views/")] for domain, found in several.items()}
    assert {domain: paths for domain, paths in outside.items() if paths} == {}
    assert [domain for domain in several if not (PACKAGE / domain / "views" / "__init__.py").exists()] == []


# Hand commits and rollbacks kept on purpose, each with its reason: a module path under marketplace/ (every
# function in it) or "module:function". Everything else goes through @transactional or ``with transaction():``.
_ORDERS_AND_PAYMENTS = ("orders and payments keep their own hand-written transactions (another engineer's area): "
                        "commits before and after calls to Stripe, a rollback when a refund is refused after its "
                        "conditional UPDATE")
HAND_TRANSACTIONS = {
    "core/transactions.py": "the convention itself",
    "core/errors.py": "the error pages roll back whatever the failed request left in the session",
    "accounts/services.py:create_user": "a sign-up race lost at the unique index is rolled back by hand, so a caller "
                                        "that answers EmailTaken itself goes on in a usable session (a SAVEPOINT "
                                        "would commit the user early on SQLite)",
    "notifications/services.py:requeue_waiting": "delivery code: ends its read before talking to Redis; each claim is a "
                                                 "short transaction on a connection of its own",
    "cli.py:seed_demo": "a command, not a service: it commits what every domain's demo.seed() added",
    "notifications/cli.py:rq_worker": "delivery code: the worker starts again from a clean session after Redis or the "
                                      "database failed",
    **{f"orders/{name}.py": _ORDERS_AND_PAYMENTS
       for name in ("cart", "checkout", "closing", "delivery", "drafts", "fulfilment", "problems", "settlement")},
    "payments/services.py": _ORDERS_AND_PAYMENTS,
}


def _hand_transaction_calls() -> list[tuple[str, str, int]]:
    """Every ``.commit()`` and ``.rollback()`` in the package: (module, innermost function, line)."""
    found = []

    def walk(node: ast.AST, module: str, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                walk(child, module, child.name)
                continue
            if (isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute)
                    and child.func.attr in ("commit", "rollback")):
                found.append((module, function, child.lineno))
            walk(child, module, function)

    for path, tree in _trees(sorted(PACKAGE.rglob("*.py"))):
        walk(tree, str(path.relative_to(PACKAGE)), "")
    return found


def _kept_by(module: str, function: str) -> str | None:
    return next((key for key in (module, f"{module}:{function}") if key in HAND_TRANSACTIONS), None)


def test_services_leave_commit_and_rollback_to_the_transaction_helpers():
    unlisted = [f"marketplace/{module}:{line} in {function or 'the module'}()"
                for module, function, line in _hand_transaction_calls() if _kept_by(module, function) is None]
    assert unlisted == [], ("use @transactional or `with transaction():` (core/transactions.py), or add the "
                            "module or module:function to HAND_TRANSACTIONS with the reason it commits by hand")


def test_every_hand_transaction_kept_is_still_there():
    used = {_kept_by(module, function) for module, function, _line in _hand_transaction_calls()}
    assert sorted(set(HAND_TRANSACTIONS) - used) == [], "no hand commit or rollback left there: drop it from the list"
