"""FusionPBX's audit trail (``resources/classes/database.php``): a
``v_database_transactions`` row for every save, with credentials redacted."""

from __future__ import annotations

import json

from flask import g

from fpbx_api import db
from fpbx_api.fusionpbx.models import DatabaseTransaction
from fpbx_api.fusionpbx.rows import new_uuid, now
from fpbx_api.http.security import client_address
from fpbx_api.kit.scoping import domain_uuid

# Redacted whatever a resource declares: a column of this name is a credential in every
# FusionPBX table that has one (users, extensions, gateways, ...). Everything else is
# declared by the resource that writes it (``Resource.secrets``).
CORE_SECRETS = frozenset({"password", "api_key"})
REDACTED = "[redacted]"


def redact(value, secrets=()):
    """A copy of ``value`` with every field named in ``secrets`` (and the core's
    ``CORE_SECRETS``) replaced, at any depth, for the audit trail and logs."""
    names = CORE_SECRETS.union(secrets)
    if isinstance(value, dict):
        return {k: (REDACTED if k in names and v not in (None, "") else redact(v, names))
                for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, names) for v in value]
    return value


def record_transaction(kind: str, new: dict | None, old: dict | None = None,
                       app_name: str | None = None, app_uuid: str | None = None,
                       secrets=()) -> None:
    """A ``v_database_transactions`` row, as FusionPBX writes for every save, minus the
    ``secrets`` the resource declares.

    It is written in the request's transaction, so the history never shows a
    change that was rolled back.
    """
    def dump(value):
        return None if value is None else json.dumps(redact(value, secrets), indent=4,
                                                     default=str)

    db.session().add(DatabaseTransaction(
        database_transaction_uuid=new_uuid(), domain_uuid=domain_uuid(), user_uuid=None,
        app_name=app_name, app_uuid=app_uuid, transaction_code="200",
        transaction_address=client_address(), transaction_type=kind,
        transaction_date=now(), transaction_old=dump(old), transaction_new=dump(new),
        transaction_result=json.dumps({"message": "OK", "code": "200",
                                       "request_id": g.get("request_id")}),
        insert_date=now()))
