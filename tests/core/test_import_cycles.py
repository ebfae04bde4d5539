"""Domains depend one way: a test of the ``import`` and ``from`` statements in ``marketplace/``, those
inside functions included (an import moved into a function still couples the two modules).

The allowed directions are in docs/architecture.md: core, then accounts, programs, catalog, orders;
payments depends on core alone and orders on payments, never the reverse; jobs and mentoring read the
sales and storefront domains only through their query modules. ``notifications`` sits just above core.
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

# What each domain may import besides itself. The top-level modules (extensions, config, storage) are
# below every domain; the app factory, cli.py and demo.py above them all.
MAY_IMPORT: dict[str, set[str]] = {
    "core": set(),
    "notifications": {"core"},
    "accounts": {"core", "notifications"},
    "programs": {"core", "notifications", "accounts"},
    "catalog": {"core", "notifications", "accounts", "programs"},
    "payments": {"core", "notifications"},
    "orders": {"core", "notifications", "accounts", "programs", "catalog", "payments"},
    "jobs": {"core", "notifications", "accounts", "programs"},
    "mentoring": {"core", "notifications", "accounts", "programs"},
}
# Domains whose data jobs and mentoring reach through these modules only: their read API (for orders also
# the monthly roll-up of sales, orders.rollup), and for the job board also the one service mentoring calls
# (a graduate attaching their mentor's reference to an application).
READ_THROUGH_QUERIES: dict[str, set[str]] = {
    "orders": {"orders.queries", "orders.rollup"},
    "catalog": {"catalog.queries"},
    "jobs": {"jobs.queries", "jobs.references"},
}
QUERY_READERS = {"jobs", "mentoring"}
TOP_LEVEL_BELOW = {"extensions", "config", "storage"}

# Temporary, named exceptions, to be deleted by whoever removes the need.
KNOWN_CYCLES: set[frozenset[str]] = set()
KNOWN_EDGES: set[tuple[str, str]] = set()


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:]) if "." in name else Path()
    return (PACKAGE / relative).with_suffix(".py").exists() or (PACKAGE / relative / "__init__.py").exists()


def import_graph() -> dict[str, dict[str, int]]:
    """Module -> {imported marketplace module: line}, every import statement of the module counted."""
    graph: dict[str, dict[str, int]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = graph.setdefault(name, {})
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.append(full if _is_module(full) else base)
            for target in targets:
                if (target == "marketplace" or target.startswith("marketplace.")) and target != name:
                    edges.setdefault(target, node.lineno)
    return graph


def _domain(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in DOMAINS) else None


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _domain_edges() -> dict[tuple[str, str], list[str]]:
    edges: dict[tuple[str, str], list[str]] = {}
    for module, targets in import_graph().items():
        source = _domain(module)
        for target, line in targets.items():
            destination = _domain(target)
            if source and destination and source != destination:
                edges.setdefault((source, destination), []).append(f"{module}:{line} -> {target}")
    return edges


def test_no_import_cycle_between_domains():
    graph: dict[str, set[str]] = {}
    for source, destination in _domain_edges():
        graph.setdefault(source, set()).add(destination)
    cycles = [c for c in _cycles(graph) if frozenset(c) not in KNOWN_CYCLES]
    assert cycles == [], "import cycles between domains (see docs/architecture.md)"


def test_no_import_cycle_between_modules():
    graph = {module: set(targets) for module, targets in import_graph().items()}
    cycles = [c for c in _cycles(graph)
              if not any({_domain(m) for m in c} <= known for known in KNOWN_CYCLES)]
    assert cycles == [], "modules that import each other (directly or round a loop)"


def test_domains_import_only_in_the_allowed_direction():
    problems = []
    for (source, destination), where in sorted(_domain_edges().items()):
        if (source, destination) in KNOWN_EDGES:
            continue
        if source in QUERY_READERS and destination in READ_THROUGH_QUERIES:
            allowed = {f"marketplace.{module}" for module in READ_THROUGH_QUERIES[destination]}
            problems += [w for w in where if w.rpartition(" -> ")[2] not in allowed]
        elif destination not in MAY_IMPORT.get(source, set()):
            problems += where
    assert problems == []


def test_domains_reach_the_top_level_only_for_infrastructure():
    """The factory (``marketplace``), cli.py and demo.py sit above every domain."""
    problems = []
    for module, targets in import_graph().items():
        if _domain(module) is None:
            continue
        for target, line in targets.items():
            if _domain(target) is None and target.split(".")[-1] not in TOP_LEVEL_BELOW:
                problems.append(f"{module}:{line} -> {target}")
    assert problems == []


def test_the_known_exceptions_are_still_needed():
    """Delete an exception as soon as the code no longer needs it."""
    edges = set(_domain_edges())
    assert {e for e in KNOWN_EDGES if e not in edges} == set()
    graph: dict[str, set[str]] = {}
    for source, destination in edges:
        graph.setdefault(source, set()).add(destination)
    cycles = {frozenset(c) for c in _cycles(graph)}
    assert {c for c in KNOWN_CYCLES if c not in cycles} == set()
