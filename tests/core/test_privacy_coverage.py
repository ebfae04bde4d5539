"""Every table that points at users is covered by its domain's privacy export and erase, or is listed,
with the reason, as kept by law: a new domain's tables (mentor notes, job applications) cannot be
forgotten by "download my data" and "delete my account".

The rule a privacy module follows is in ``marketplace/accounts/privacy.py`` and docs/architecture.md.
"""
from __future__ import annotations

from marketplace.core.domains import domain_module
from marketplace.extensions import db

USERS = "users"


def _domain_of_tables() -> dict[str, str]:
    """Table name -> the domain whose module defines its model (``marketplace.<domain>....``)."""
    owners = {}
    for mapper in db.Model.registry.mappers:
        for table in mapper.tables:
            owners[table.name] = mapper.class_.__module__.split(".")[1]
    return owners


def _tables_pointing_at_users() -> set[str]:
    return {USERS} | {table.name for table in db.metadata.tables.values()
                      if any(fk.column.table.name == USERS for fk in table.foreign_keys)}


def test_every_table_pointing_at_users_is_exported_and_erased_or_kept_by_law(app):
    owners = _domain_of_tables()
    problems = []
    for table in sorted(_tables_pointing_at_users()):
        domain = owners.get(table)
        if domain is None:
            problems.append(f"{table}: no model defines it, so no domain answers for it")
            continue
        privacy = domain_module(domain, "privacy")
        if privacy is None:
            problems.append(f"{table}: marketplace/{domain}/privacy.py is missing")
            continue
        covers, kept = getattr(privacy, "COVERS", {}), getattr(privacy, "KEPT_BY_LAW", {})
        if table in covers and table in kept:
            problems.append(f"{table}: both COVERS and KEPT_BY_LAW in {domain}/privacy.py")
        elif table not in covers and table not in kept:
            problems.append(f"{table}: not in COVERS (exported and erased) nor in KEPT_BY_LAW (with the reason) "
                            f"of marketplace/{domain}/privacy.py")
        elif table in kept and not str(kept[table]).strip():
            problems.append(f"{table}: kept by law without a reason")
    assert problems == []


def test_privacy_declarations_name_real_tables_of_their_own_domain(app):
    owners = _domain_of_tables()
    from marketplace.accounts.privacy import privacy_modules

    problems = []
    for domain, module in privacy_modules():
        declared = {**getattr(module, "COVERS", {}), **getattr(module, "KEPT_BY_LAW", {})}
        if not hasattr(module, "COVERS") or not hasattr(module, "KEPT_BY_LAW"):
            problems.append(f"{domain}/privacy.py: declare both COVERS and KEPT_BY_LAW (empty if none)")
        for table in declared:
            if owners.get(table) != domain:
                problems.append(f"{domain}/privacy.py names {table!r}, which is not a table of {domain}")
        if getattr(module, "COVERS", None) and not (callable(getattr(module, "export_user_data", None))
                                                   and callable(getattr(module, "erase_user_data", None))):
            problems.append(f"{domain}/privacy.py covers tables but lacks export_user_data/erase_user_data")
    assert problems == []
