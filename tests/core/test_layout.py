"""The house's layout rules, read from the source (docs/architecture.md, "Layout"):

- views never commit or roll back: services own the transaction (``core/transactions.py``);
- the templates a domain's views render live under ``templates/<that domain>/``, or are the shared
  top-level ones;
- a domain with more than one view area (blueprint) keeps its views in a ``views/`` package.
"""
from __future__ import annotations

import ast
from pathlib import Path

import marketplace
from marketplace.core.domains import DOMAINS

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
