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


def same_create(client, fpbx_db, path: str, body: dict, headers: dict, feature: dict,
                volatile: set[str], *, uuids=None, replace: dict[str, str] = None,
                message: str | None = None, missing: tuple[str, ...] = (),
                step: str = "create"):
    """POST ``body`` to ``path``: a 201 (with ``message``), and the rows it adds are the
    golden create's (or ``step``'s), table for table (the audit trail aside; ``missing``: tables the
    golden create writes and the API deliberately does not), each dialplan's XML to the
    letter. The golden file's uuids become ours inside text values: ``uuids`` names them
    in a step's rows by table (``{"dialplan": ...}``), ``replace`` adds fixed ones.
    Returns the response, the changes and the replacements, for ``same_update`` and
    ``same_delete``."""
    before = fpbx_db.snapshot()
    r = client.post(path, json=body, headers=headers)
    assert r.status_code == 201, r.json
    if message is not None:
        assert r.json["message"] == message
    changes = fpbx_db.changes(before)
    expected = golden_step(feature, step, "rows_added")
    for table in missing:
        expected.pop(table)
    assert set(changes) == set(expected) | {"v_database_transactions"}
    replace = dict(replace or {})
    if uuids is not None:
        ours = uuids({t: c["added"] for t, c in changes.items()})
        replace = {str(theirs): str(ours[k]) for k, theirs in uuids(expected).items()} | replace
    for table, rows in expected.items():
        same_rows(changes[table]["added"], rows, volatile, replace)
    ours = {d["dialplan_name"]: d["dialplan_xml"] for d in changes.get(
        "v_dialplans", {}).get("added", [])}
    for theirs in expected.get("v_dialplans", []):
        assert ours[theirs["dialplan_name"]] == substituted(theirs["dialplan_xml"], replace)
    return r, changes, replace


def same_crud(client, fpbx_db, path: str, body: dict, update: dict, headers: dict,
              feature: dict, volatile: set[str], key: str, **create) -> dict:
    """The golden create (``same_create``, given ``create``'s options), update and delete
    of one row through ``path`` (its item named by ``key``), each write's rows checked
    against FusionPBX's. Returns the create's changes."""
    r, changes, replace = same_create(client, fpbx_db, path, body, headers, feature,
                                      volatile, **create)
    item = f"{path}/{r.json['data'][key]}"
    before = fpbx_db.snapshot()
    r = client.put(item, json=update, headers=headers)
    assert r.status_code == 200, r.json
    same_update(fpbx_db.changes(before), feature, volatile, replace)
    before = fpbx_db.snapshot()
    assert client.delete(item, headers=headers).status_code == 204
    same_delete(fpbx_db.changes(before), feature, volatile, replace)
    return changes


def substituted(text: str, replace: dict[str, str]) -> str:
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


def same_update(changes: dict, feature: dict, volatile: set[str], replace=None,
                step: str = "update") -> None:
    """The rows an update changed are the golden update's (or ``step``'s): the same
    columns changed, to the same values (``update_user`` aside: the API acts for no
    FusionPBX user)."""
    for table, rows in feature[step]["rows_changed"].items():
        (old, new), = changes[table]["changed"]
        assert {k for k in new if old[k] != new[k]} == set(rows[0]["changed_columns"]) - {
            "update_user"}, table
        same_rows([new], [rows[0]["after"]], volatile, replace)
    assert set(changes) == set(feature[step]["rows_changed"]) | {"v_database_transactions"}


def same_delete(changes: dict, feature: dict, volatile: set[str], replace=None,
                step: str = "delete") -> None:
    """The rows a delete removed are the golden delete's (or ``step``'s), table for
    table."""
    removed = golden_step(feature, step, "rows_removed")
    assert {t for t in changes if changes[t]["removed"]} == set(removed), step
    for table, rows in removed.items():
        same_rows(changes[table]["removed"], rows, volatile, replace)
