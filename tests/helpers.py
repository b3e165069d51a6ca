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
