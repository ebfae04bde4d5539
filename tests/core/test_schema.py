"""The migrations and the models describe the same schema."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from marketplace.core.schema import migration_options
from marketplace.extensions import db


def test_migrations_match_the_models():
    # The session's database was built by `flask db upgrade` (see conftest): any difference left
    # between it and the models means a model changed without a migration.
    options = migration_options()
    connection = db.session.connection()  # the test's own connection (see tests/conftest.py)
    context = MigrationContext.configure(connection, opts={
        "compare_type": True, "include_object": options["include_object"]})
    differences = compare_metadata(context, db.metadata)
    assert differences == []
