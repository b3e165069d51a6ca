"""The request path's round trips: a read runs its statements in autocommit (no BEGIN or
ROLLBACK around them), a write in one transaction."""

from __future__ import annotations

from sqlalchemy import event

from fpbx_api import db


def autocommit_by_statement(app) -> list[tuple[str, bool]]:
    seen: list[tuple[str, bool]] = []
    event.listen(db.engine(app), "before_cursor_execute",
                 lambda conn, cursor, statement, *_: seen.append(
                     (statement.split()[0], cursor.connection.autocommit)))
    return seen


def test_a_read_runs_in_autocommit_and_a_write_in_a_transaction(make_app, tenants, fpbx_db):
    app = make_app()
    seen = autocommit_by_statement(app)
    client = app.test_client()
    assert client.get("/api/v1/extensions", headers=tenants.a.headers).status_code == 200
    reads = list(seen)
    assert reads and all(autocommit for _, autocommit in reads), reads
    seen.clear()
    r = client.post("/api/v1/extensions", json={"extension": "4500"}, headers=tenants.a.headers)
    assert r.status_code == 201
    assert seen and not any(autocommit for _, autocommit in seen), seen
    # the key's last use, written by the first (read) request, was saved
    used = [row for row in fpbx_db.rows("v_api_keys", domain_uuid=tenants.a.domain_uuid)
            if row["last_used_at"] is not None]
    assert used
