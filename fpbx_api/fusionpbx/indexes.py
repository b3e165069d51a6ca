"""``fpbx-api db indexes``: the indexes plugins declare, created without locking writers.

Opt-in and idempotent: ``CREATE INDEX CONCURRENTLY IF NOT EXISTS`` (a build that
failed half-way leaves an INVALID index, which is dropped and rebuilt), one index
at a time in autocommit, each reported with its size.
"""

from __future__ import annotations

from sqlalchemy import create_engine, text

from fpbx_api.plugins import Index, Plugin


def ensure(url: str, plugins: list[Plugin]) -> list[tuple[Index, str, str]]:
    """Create every declared index that is missing; return (index, outcome, size)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    report = []
    try:
        with engine.connect() as conn:
            for index in [i for p in plugins for i in p.indexes]:
                report.append((index, _ensure_one(conn, index), _size(conn, index)))
    finally:
        engine.dispose()
    return report


def _ensure_one(conn, index: Index) -> str:
    valid = conn.execute(text(
        "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE c.relname = :name"), {"name": index.name}).scalar()
    if valid:
        return "exists"
    outcome = "created"
    if valid is False:
        conn.execute(text(f'DROP INDEX CONCURRENTLY IF EXISTS "{index.name}"'))
        outcome = "rebuilt (was invalid)"
    if index.extension:
        conn.execute(text(f'CREATE EXTENSION IF NOT EXISTS "{index.extension}"'))
    conn.execute(text(f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{index.name}" '
                      f'ON public."{index.table}" {index.definition}'))
    return outcome


def _size(conn, index: Index) -> str:
    return conn.execute(text("SELECT pg_size_pretty(pg_relation_size(CAST(:name AS regclass)))"),
                        {"name": index.name}).scalar()
