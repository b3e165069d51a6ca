"""Database engine and the one session (one transaction) per request.

A request's writes are committed together by ``commit()`` in the view, or not
at all: the session is rolled back and closed when the request ends, so a
failure half-way through a save leaves nothing behind.
"""

from __future__ import annotations

import hashlib

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, options: dict) -> Engine:
    """An engine sized for sharing a PostgreSQL server with FusionPBX itself."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        raise ValueError("database.url: write postgresql+psycopg2:// explicitly")
    timeouts = (f"-c statement_timeout={options['statement_timeout_ms']} "
                f"-c lock_timeout={options['lock_timeout_ms']}")
    return create_engine(
        url,
        pool_size=options["pool_size"],
        max_overflow=options["max_overflow"],
        pool_timeout=options["pool_timeout"],
        pool_pre_ping=True,
        hide_parameters=True,  # values (keys, passwords) stay out of logged SQL errors
        connect_args={"options": timeouts, "connect_timeout": 5,
                      "application_name": "fpbx-api"},
    )


def _sqlite_pragmas(dbapi_connection, _record):
    dbapi_connection.execute("PRAGMA busy_timeout = 5000")


def init_app(app: Flask, url: str, options: dict) -> None:
    engine = make_engine(url, options)
    app.extensions["fpbx_db"] = sessionmaker(bind=engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def engine(app: Flask | None = None) -> Engine:
    return (app or current_app).extensions["fpbx_db"].kw["bind"]


def session() -> Session:
    """The request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["fpbx_db"]()
    return g.db_session


def _close_session(_exc=None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()


def lock(*parts: str) -> None:
    """Serialise writers on one name until the transaction ends.

    FusionPBX has no unique constraints, so "is this number free?" followed by
    an insert would race; a transaction-scoped advisory lock on the name makes
    the check and the insert atomic. SQLite (the demo) serialises writers anyway.
    """
    db = session()
    if db.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.sha256(":".join(parts).encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def has_column(table: str, column: str) -> bool:
    """Whether the database has ``table.column``: a FusionPBX 5.6 column is missing on a
    5.5 database. Asked at each use (one catalog query), as an upgrade of FusionPBX can
    add the column while the API runs."""
    columns = inspect(session().connection()).get_columns(table)
    return any(c["name"] == column for c in columns)
