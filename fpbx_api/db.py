"""Database engine and the one session (one transaction) per request.

A request's writes are committed together by ``commit()`` in the view, or not
at all: the session is rolled back and closed when the request ends, so a
failure half-way through a save leaves nothing behind.

Every wait on PostgreSQL is bounded on the client side too: the server's statement
and lock timeouts cannot fire while the server is frozen, so without a client
deadline a request would hang until gunicorn kills the worker.

Pooled connections are not pinged (a round trip on every checkout, a tenth of a cached
read): a connection is replaced after ``POOL_RECYCLE`` seconds, one the server closed while
it sat in the pool is noticed at checkout without a round trip (``_still_open``), and a
request whose connection is found dead by its first statements is run once more on a
fresh one, as long as it has committed nothing (``once_more_if_dead``).
"""

from __future__ import annotations

import hashlib
import logging
import select as selectors

import psycopg2
import psycopg2.extensions
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Delete, create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from fpbx_api.http.errors import CommitOutcomeUnknown

log = logging.getLogger("fpbx_api")
# seconds to open a connection; a frozen server then costs a request at most one
# statement (answer_timeout) and a reconnection, below gunicorn's 30 s worker timeout
CONNECT_TIMEOUT = 5
# seconds a pooled connection is used before it is replaced: below the idle timeouts of
# firewalls and poolers in front of PostgreSQL, rare enough to cost nothing
POOL_RECYCLE = 300
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def make_engine(url: str, options: dict, *, autocommit: bool = False) -> Engine:
    """An engine sized for sharing a PostgreSQL server with FusionPBX itself; its pooled
    connections in autocommit when ``autocommit`` (see ``init_app``)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        raise ValueError("database.url: write postgresql+psycopg2:// explicitly")
    timeouts = (f"-c statement_timeout={options['statement_timeout_ms']} "
                f"-c lock_timeout={options['lock_timeout_ms']}")
    answer_timeout = options["answer_timeout"]
    psycopg2.extensions.set_wait_callback(_wait_with_deadline)
    engine = create_engine(
        url,
        pool_size=options["pool_size"],
        max_overflow=options["max_overflow"],
        pool_timeout=options["pool_timeout"],
        pool_recycle=POOL_RECYCLE,
        **({"isolation_level": "AUTOCOMMIT"} if autocommit else {}),
        hide_parameters=True,  # values (keys, passwords) stay out of logged SQL errors
        connect_args={
            "options": timeouts, "connect_timeout": CONNECT_TIMEOUT,
            "application_name": "fpbx-api",
            # a dead host or network: keepalives notice an idle connection, and
            # tcp_user_timeout a request the server's kernel never acknowledged
            "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
            "keepalives_count": 3, "tcp_user_timeout": int(answer_timeout * 1000),
            # a live host whose PostgreSQL does not answer (frozen, swapped out)
            "connection_factory": _deadline_connection(answer_timeout),
        },
    )
    event.listen(engine, "checkout", _still_open)
    return engine


def _still_open(dbapi_connection, _record, _proxy) -> None:
    """An idle connection has nothing to read: if its socket is readable, the server has
    closed it (a restart's "terminating connection", an idle kill) or the peer is gone.
    Raising DisconnectionError makes the pool drop it and check out another; a select()
    with no timeout costs microseconds where a ping cost a round trip."""
    if dbapi_connection.closed or selectors.select([dbapi_connection], [], [], 0)[0]:
        raise DisconnectionError("the server closed this pooled connection")


class DeadlineConnection(psycopg2.extensions.connection):
    """A psycopg2 connection that waits at most ``answer_timeout`` seconds for any
    reply of the server (see ``_wait_with_deadline``)."""

    answer_timeout: float | None = None


def _deadline_connection(seconds: float) -> type[DeadlineConnection]:
    return type("DeadlineConnection", (DeadlineConnection,), {"answer_timeout": seconds})


def _wait_with_deadline(conn) -> None:
    """psycopg2's wait callback: ``psycopg2.extras.wait_select`` plus a deadline.

    With a wait callback installed psycopg2 drives libpq asynchronously and calls
    this to wait; raising here makes psycopg2 close the connection, so the pool
    drops it and the request gets the 503 envelope. Connections of other code
    (no ``answer_timeout``) wait as long as they always did.
    """
    timeout = getattr(conn, "answer_timeout", None)
    if timeout is not None and conn.status == psycopg2.extensions.STATUS_SETUP:
        # libpq's connect_timeout is not applied while psycopg2 drives the connection
        timeout = min(timeout, CONNECT_TIMEOUT)
    while True:
        state = conn.poll()
        if state == psycopg2.extensions.POLL_OK:
            return
        if state == psycopg2.extensions.POLL_READ:
            ready = selectors.select([conn.fileno()], [], [], timeout)[0]
        elif state == psycopg2.extensions.POLL_WRITE:
            ready = selectors.select([], [conn.fileno()], [], timeout)[1]
        else:
            raise psycopg2.OperationalError(f"bad state from poll: {state}")
        if not ready:
            raise psycopg2.OperationalError(
                f"no answer from the database within {timeout:g} s")


def _sqlite_pragmas(dbapi_connection, _record):
    dbapi_connection.execute("PRAGMA busy_timeout = 5000")


class RequestSession(Session):
    """The ORM session, with a bulk DELETE of a table it holds no object of run on its
    connection as Core runs it. Through the ORM, such a statement costs twice the CPU
    (a millisecond a statement; a write deletes a dozen child and linked rows) for its
    synchronisation of in-session objects, of which there are none to synchronise. Pending
    changes are flushed first, as the ORM would; otherwise the ORM runs it."""

    def execute(self, statement, params=None, **kwargs):
        if isinstance(statement, Delete) and not kwargs:
            if self.autoflush:
                self.flush()
            if not self._holds(statement.table.name):
                return self.connection().execute(statement, params)
        return super().execute(statement, params, **kwargs)

    def _holds(self, table: str) -> bool:
        return any(getattr(type(obj), "__tablename__", None) == table
                   for obj in (*self.identity_map.values(), *self.new))


def init_app(app: Flask, url: str, options: dict) -> None:
    """One pool whose connections stay in autocommit, for reads (``session``); a write's
    session takes one out of it in a READ COMMITTED transaction. psycopg2 leaves autocommit
    on the client, but going back to a transaction with an isolation level costs it a round
    trip: paid here once by a write (of ten or more) rather than by every read (of one)."""
    engine = make_engine(url, options, autocommit=url.startswith("postgresql"))
    writes = engine.execution_options(isolation_level="READ COMMITTED") \
        if engine.dialect.name == "postgresql" else engine
    factory = sessionmaker(bind=writes, class_=RequestSession, expire_on_commit=False)
    event.listen(factory, "after_commit", _committed)
    app.extensions["fpbx_db"] = factory
    app.extensions["fpbx_db_reads"] = engine
    app.teardown_appcontext(_close_session)


def once_more_if_dead(dispatch):
    """``dispatch()``, run a second time if a statement found its connection dead
    (a PostgreSQL restart since the connection's last use) before anything was committed:
    the transaction died with the connection, so nothing of the first run was saved. A
    COMMIT cut off is never retried (``commit``), nor a second dead connection."""
    g.db_committed = False
    try:
        return dispatch()
    except DBAPIError as error:
        if not error.connection_invalidated or g.db_committed:
            raise
        log.warning("database connection found dead; the request is run once more",
                    extra={"request_id": g.get("request_id")})
        _close_session()
        return dispatch()


def _committed(_session) -> None:
    if has_request_context():
        g.db_committed = True


def engine(app: Flask | None = None) -> Engine:
    """The engine (its events see reads and writes alike)."""
    return (app or current_app).extensions["fpbx_db_reads"]


def session() -> Session:
    """The request's session, opened on first use.

    A GET (HEAD, OPTIONS) runs its statements in autocommit: each one is its own
    transaction, which under READ COMMITTED sees what one statement of a transaction would
    (a fresh snapshot per statement), without the BEGIN and ROLLBACK round trips around
    them (two of a cached list's three). What such a request writes (a key's last use) is
    committed by its own statement."""
    if "db_session" not in g:
        factory = current_app.extensions["fpbx_db"]
        if has_request_context() and request.method in READ_METHODS:
            g.db_session = factory(bind=current_app.extensions["fpbx_db_reads"])
        else:
            g.db_session = factory()
    return g.db_session


def streaming_session() -> Session:
    """A session in a transaction of its own, for a read with a server-side cursor (which
    PostgreSQL keeps only inside a transaction, so never on a GET's autocommit session).
    The caller closes it."""
    return current_app.extensions["fpbx_db"]()


def commit() -> None:
    """Commit the request's session.

    An error raised by the COMMIT itself leaves the outcome unknown: the server
    may have made the transaction durable before the connection failed. The
    client is told so (COMMIT_OUTCOME_UNKNOWN), instead of "try again", which
    would duplicate a write that was saved.
    """
    db = session()
    db.flush()  # a failure before the COMMIT is a plain, known failure
    try:
        db.commit()
    except DBAPIError as error:
        if getattr(error.orig, "pgcode", None) is None and (
                isinstance(error, OperationalError) or error.connection_invalidated):
            log.error("commit outcome unknown: %s", type(error.orig).__name__,
                      extra={"request_id": g.get("request_id")})
            raise CommitOutcomeUnknown() from error
        raise


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
