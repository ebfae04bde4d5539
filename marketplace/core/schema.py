"""Hooks shared by Alembic (migrations/env.py) and the test that compares models with migrations."""
from marketplace.core.types import UTCDateTime

# Database objects that the models do not describe (search indexes built by raw DDL in migrations).
UNMODELLED_TABLE_PREFIXES = ("product_search", "vacancy_search")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    if type_ == "table" and name and name.startswith(UNMODELLED_TABLE_PREFIXES):
        return False
    if type_ == "index" and name and name.startswith("ix_fts_"):
        return False
    return True


def render_item(type_, obj, autogen_context):
    """Write our column types as plain SQLAlchemy types so migrations do not import app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def migration_options() -> dict:
    return {"include_object": include_object, "render_item": render_item, "compare_type": True,
            "render_as_batch": True}
