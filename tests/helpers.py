"""Small helpers for the API's own tests."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from decimal import Decimal
from pathlib import Path

GOLDEN = Path(__file__).with_name("golden")
AUDIT = {"insert_date", "insert_user", "update_date", "update_user"}


def golden(feature: str) -> dict:
    return json.loads((GOLDEN / f"{feature}.json").read_text())


def comparable(row: dict, ignore: set[str] = frozenset()) -> dict:
    """A row as JSON-like values, without audit columns and ``ignore``d ones."""
    def plain(value):
        if isinstance(value, uuid.UUID):
            return str(value)
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral() else float(value)
        if isinstance(value, datetime):
            return value.isoformat()
        return value
    return {k: plain(v) for k, v in row.items() if k not in AUDIT | set(ignore)}


def add_user(db, domain_uuid: str, username: str, user_uuid: str | None = None,
             given: str | None = None, family: str | None = None) -> str:
    """A FusionPBX user (with a contact when names are given) written directly."""
    user_uuid = user_uuid or str(uuid.uuid4())
    contact_uuid = None
    if given or family:
        contact_uuid = str(uuid.uuid4())
        db.execute("INSERT INTO v_contacts (contact_uuid, domain_uuid, contact_name_given, "
                   "contact_name_family) VALUES (:c, :d, :g, :f)",
                   c=contact_uuid, d=domain_uuid, g=given, f=family)
    db.execute("INSERT INTO v_users (user_uuid, domain_uuid, username, contact_uuid, "
               "user_enabled) VALUES (:u, :d, :n, :c, true)",
               u=user_uuid, d=domain_uuid, n=username, c=contact_uuid)
    return user_uuid


def same_rows(actual: list[dict], expected: list[dict], volatile: set[str],
              replace: dict[str, str] = None) -> None:
    """Assert two sets of rows are equal, ``volatile`` columns aside, in any order.
    ``replace`` maps the golden file's uuids to ours inside text values (dialplan XML)."""
    def norm(row):
        row = comparable(row, volatile)
        for old, new in (replace or {}).items():
            row = {k: v.replace(old, new) if isinstance(v, str) else v for k, v in row.items()}
        return row
    key = lambda r: json.dumps(r, sort_keys=True, default=str)  # noqa: E731
    assert sorted(map(norm, actual), key=key) == sorted(map(norm, expected), key=key)


def golden_step(feature: dict, step: str, kind: str) -> dict[str, list[dict]]:
    """A golden step's rows by table, without the audit trail (checked separately)."""
    return {t: rows for t, rows in feature[step][kind].items()
            if t != "v_database_transactions"}


def same_update(changes: dict, feature: dict, volatile: set[str], replace=None) -> None:
    """The rows an update changed are the golden update's: the same columns changed, to
    the same values (``update_user`` aside: the API acts for no FusionPBX user)."""
    for table, rows in feature["update"]["rows_changed"].items():
        (old, new), = changes[table]["changed"]
        assert {k for k in new if old[k] != new[k]} == set(rows[0]["changed_columns"]) - {
            "update_user"}, table
        same_rows([new], [rows[0]["after"]], volatile, replace)
    assert set(changes) == set(feature["update"]["rows_changed"]) | {"v_database_transactions"}


def same_delete(changes: dict, feature: dict, volatile: set[str], replace=None) -> None:
    """The rows a delete removed are the golden delete's, table for table."""
    removed = golden_step(feature, "delete", "rows_removed")
    assert {t for t in changes if changes[t]["removed"]} == set(removed)
    for table, rows in removed.items():
        same_rows(changes[table]["removed"], rows, volatile, replace)
