"""Alembic environment: online migrations of the API's own tables only."""

from alembic import context
from sqlalchemy import create_engine

from fpbx_api.migrations import VERSION_TABLE

url = context.config.get_main_option("sqlalchemy.url")
engine = create_engine(url)
with engine.connect() as connection:
    context.configure(connection=connection, version_table=VERSION_TABLE)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
