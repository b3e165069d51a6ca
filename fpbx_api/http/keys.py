"""Per-domain API keys: created once, stored as a SHA-256 digest, revocable,
expiring, with scopes ``read``, ``write`` and ``system``."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fpbx_api.fusionpbx.models import ApiKey

SCOPES = ("read", "write", "system")
PREFIX = "fpbx_"
LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def normalise_scopes(scopes: list[str]) -> str:
    unknown = set(scopes) - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown scope(s): {', '.join(sorted(unknown))}")
    chosen = set(scopes) | {"read"}
    if "system" in chosen:
        chosen.add("write")
    return ",".join(s for s in SCOPES if s in chosen)


def create_key(db: Session, domain_uuid: str, *, scopes: list[str], name: str | None = None,
               expires_at: datetime | None = None) -> tuple[ApiKey, str]:
    """Store a new key and return it with its plain text, which is never stored."""
    secret = PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(api_key_uuid=str(uuid.uuid4()), domain_uuid=domain_uuid,
                 key_prefix=secret[:12], key_hash=digest(secret), name=name,
                 scopes=normalise_scopes(scopes), expires_at=expires_at,
                 insert_date=datetime.now(UTC))
    db.add(row)
    return row, secret


def find_key(db: Session, presented: str) -> ApiKey | None:
    """The live key matching ``presented``, or None (unknown, revoked or expired)."""
    wanted = digest(presented)
    row = db.scalars(select(ApiKey).where(ApiKey.key_hash == wanted)).first()
    if row is None or not hmac.compare_digest(row.key_hash, wanted):
        return None
    now = datetime.now(UTC)
    if row.revoked_at is not None or (row.expires_at and aware(row.expires_at) <= now):
        return None
    return row


def touch(db: Session, key_uuid: str, last_used_at: datetime | None) -> datetime | None:
    """Record a key's last use, at most once a minute per key (it costs a write); return
    the last use now recorded."""
    now = datetime.now(UTC)
    if last_used_at is not None and now - aware(last_used_at) < LAST_USED_RESOLUTION:
        return last_used_at
    db.execute(update(ApiKey).where(ApiKey.api_key_uuid == key_uuid).values(last_used_at=now))
    db.commit()
    return now


def revoke(db: Session, key_uuid: str) -> bool:
    result = db.execute(update(ApiKey).where(ApiKey.api_key_uuid == key_uuid,
                                             ApiKey.revoked_at.is_(None))
                        .values(revoked_at=datetime.now(UTC)))
    return result.rowcount == 1


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
