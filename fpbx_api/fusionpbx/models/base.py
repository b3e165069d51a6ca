"""Declarative base shared by FusionPBX's tables and the API's own."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, FetchedValue, MetaData, types
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SINCE_5_6 = {"since": "5.6"}
TZDateTime = DateTime(timezone=True)
JsonDoc = types.JSON().with_variant(JSONB(), "postgresql")  # jsonb; plain JSON in the demo


def since_5_6(type_):
    """A column FusionPBX 5.5 does not have: deferred (not in SELECTs) and marked as
    server-filled (left out of INSERTs when no value is given)."""
    return mapped_column(type_, deferred=True, server_default=FetchedValue(), info=SINCE_5_6)


class Uuid(types.TypeDecorator):
    """A uuid column holding lowercase strings, native on PostgreSQL.

    Strings keep JSON output and comparisons simple; the text form on SQLite
    (the demo) is the canonical dashed one, as FusionPBX writes it.
    """

    impl = types.Uuid(as_uuid=False)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(types.Uuid(as_uuid=False))
        return dialect.type_descriptor(types.String(36))

    def process_bind_param(self, value, dialect):
        return None if value is None else str(value).lower()


class Base(DeclarativeBase):
    """The metadata every model is declared on."""

    metadata = MetaData()


class Record(Base):
    """Every FusionPBX table carries the same four audit columns."""

    __abstract__ = True
    # Never fetch "server defaults" back: the only ones are since_5_6 columns, which a
    # 5.5 database does not have.
    __mapper_args__ = {"eager_defaults": False}

    insert_date: Mapped[datetime | None] = mapped_column(TZDateTime)
    insert_user: Mapped[str | None] = mapped_column(Uuid)
    update_date: Mapped[datetime | None] = mapped_column(TZDateTime)
    update_user: Mapped[str | None] = mapped_column(Uuid)
