"""Every domain error says what went wrong in words: its code is in its domain's message table."""
from __future__ import annotations

import inspect

from marketplace.core.domains import domain_modules
from marketplace.core.errors import DomainError


def _error_classes() -> set[type[DomainError]]:
    for _domain, _errors in domain_modules("errors"):
        pass  # import every domain's errors module, so every subclass is known
    found, todo = set(), [DomainError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub)
            todo.append(sub)
    return found


def test_every_fixed_code_has_a_message(app):
    missing = [f"{cls.__module__}.{cls.__name__}: {cls.code!r}" for cls in _error_classes()
               if "code" in vars(cls) and cls.code not in cls.messages]
    assert missing == []


def test_codes_given_at_raise_time_have_messages(app):
    """``CatalogError("invalid_price")`` and the like: every literal code passed to a domain error class
    in the source is in that class's table."""
    import ast
    from pathlib import Path

    import marketplace

    classes = {cls.__name__: cls for cls in _error_classes()}
    missing = []
    for path in Path(marketplace.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in classes
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                cls = classes[node.func.id]
                if "__init__" in vars(cls) and "code" not in inspect.signature(cls.__init__).parameters:
                    continue  # e.g. ImageRejected(reason), InvitationUnusable(status): checked below
                if node.args[0].value not in cls.messages:
                    missing.append(f"{path.name}:{node.lineno} {node.func.id}({node.args[0].value!r})")
    assert missing == []


def test_image_and_invitation_reasons_have_messages(app):
    from marketplace.accounts.errors import InvitationUnusable
    from marketplace.catalog.errors import ImageRejected

    for reason in ("empty", "too_large", "too_many_pixels", "format", "not_an_image"):
        assert ImageRejected(reason).code in ImageRejected.messages
    for status in ("expired", "used", "revoked", "invalid"):
        assert InvitationUnusable(status).code in InvitationUnusable.messages


def test_each_domain_has_one_root_error_carrying_its_message_table(app):
    """The same shape in every ``<domain>/errors.py``: one root directly under DomainError holds the whole
    message table (code -> lazily translated text); the errors under it add codes and statuses only."""
    roots, extra_tables = {}, []
    for domain, module in domain_modules("errors"):
        classes = [c for c in vars(module).values()
                   if isinstance(c, type) and issubclass(c, DomainError) and c is not DomainError
                   and c.__module__ == module.__name__]
        roots[domain] = [c.__name__ for c in classes if c.__bases__ == (DomainError,)]
        extra_tables += [c.__name__ for c in classes if "messages" in vars(c) and c.__bases__ != (DomainError,)]
        for root in (c for c in classes if c.__bases__ == (DomainError,)):
            assert root.messages and all(isinstance(code, str) and code.islower() for code in root.messages)
    assert {domain: names for domain, names in roots.items() if len(names) != 1} == {}
    assert extra_tables == []
