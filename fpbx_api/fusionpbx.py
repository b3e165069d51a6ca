"""What FusionPBX itself does around a save: its settings, its password
generator and its audit trail (``resources/classes/database.php``,
``app/extensions/extension_edit.php``)."""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import g
from sqlalchemy import select

from fpbx_api import db
from fpbx_api.caching import lookup
from fpbx_api.fields import whole_number
from fpbx_api.models import DatabaseTransaction, DefaultSetting, DomainSetting
from fpbx_api.scoping import domain_uuid
from fpbx_api.security import client_address

# Redacted whatever a resource declares: a column of this name is a credential in every
# FusionPBX table that has one (users, extensions, gateways, ...). Everything else is
# declared by the resource that writes it (``Resource.secrets``).
CORE_SECRETS = frozenset({"password", "api_key"})
REDACTED = "[redacted]"
# FusionPBX's built-in groups (v_groups rows with no domain) and their levels, as its
# installer creates them (core/groups/app_config.php).
BUILTIN_GROUPS = {"superadmin": 80, "admin": 50, "user": 30, "agent": 20, "public": 10}
PASSWORD_POOLS = ("0123456789", "abcdefghijkmnopqrstuvwxyz",
                  "ABCDEFGHIJKLMNPQRSTUVWXYZ", "!^$%*?.")


def new_uuid() -> str:
    return str(uuid.uuid4())


def now() -> datetime:
    return datetime.now(UTC)


def setting(category: str, subcategory: str, default: str | None = None) -> str | None:
    """A FusionPBX setting: the domain's enabled value, else the default's, else ``default``.

    Kept briefly (``cache.ttl``), as FusionPBX itself caches its settings.
    """
    key = ("setting", domain_uuid(), category, subcategory)
    value = lookup(key, lambda: _read_setting(category, subcategory))
    return default if value in (None, "") else value


def _read_setting(category: str, subcategory: str) -> str | None:
    session = db.session()
    value = session.scalars(
        select(DomainSetting.domain_setting_value).where(
            DomainSetting.domain_uuid == domain_uuid(),
            DomainSetting.domain_setting_category == category,
            DomainSetting.domain_setting_subcategory == subcategory,
            DomainSetting.domain_setting_enabled.is_(True))).first()
    if value is None:
        value = session.scalars(
            select(DefaultSetting.default_setting_value).where(
                DefaultSetting.default_setting_category == category,
                DefaultSetting.default_setting_subcategory == subcategory,
                DefaultSetting.default_setting_enabled.is_(True))).first()
    return value


def domain_time_zone() -> ZoneInfo | None:
    """The domain's time zone (setting domain/time_zone), or None for the server's."""
    name = setting("domain", "time_zone")
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_time(epoch: float) -> str:
    """An epoch as the contract writes times, in the domain's time zone."""
    return datetime.fromtimestamp(epoch, domain_time_zone()).strftime("%Y-%m-%d %H:%M:%S")


def int_setting(category: str, subcategory: str, default: int) -> int:
    value = setting(category, subcategory)
    number = whole_number(value or "")
    return default if number is None else number


def generate_password(length: int, strength: int) -> str:
    """FusionPBX's generator: pools of digits, lowercase (no l), uppercase (no O), specials."""
    pool = "".join(PASSWORD_POOLS[:max(1, min(strength, 4))])
    return "".join(secrets.choice(pool) for _ in range(max(1, length)))


def directory_keys(extension: str | None, number_alias: str | None,
                   user_context: str | None) -> list[str]:
    """FusionPBX's directory cache keys naming an extension, by number and by alias
    (``resources/classes/cache.php``): cleared whenever anything FreeSWITCH's directory
    reads changes."""
    return [f"directory:{n}@{user_context}" for n in (extension, number_alias) if n]


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
