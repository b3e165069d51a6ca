"""Authentication and the domain a request acts on (README, Keys and domains).

``global_key``: the configured key, X-Domain required. ``per_key``: a key
from ``v_api_keys`` names its domain; X-Domain is optional and must match.
``both``: per-key rules for a per-domain key, else global rules.
"""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app, g, request
from sqlalchemy import func, or_, select

from fpbx_api import db
from fpbx_api.fusionpbx.models import Domain
from fpbx_api.http import keys, ratelimit
from fpbx_api.http.caching import lookup
from fpbx_api.http.errors import ApiError, Forbidden, Unauthorized

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Keys and domains are looked up once per this many seconds per worker (when caching is
# on): a revoked key or a disabled domain stops working within it.
KEY_CACHE_SECONDS = 30


@dataclass(frozen=True)
class Principal:
    """Who is calling, for which domain, with which scopes."""

    domain_uuid: str
    domain_name: str
    scopes: frozenset
    key_uuid: str | None = None  # None for the global key


def authenticate() -> None:
    """Set ``g.principal`` for a protected endpoint, or raise the contract's error.

    Failed attempts count against the client address (ratelimit.FailedAuth): every
    guess is a new key, so the per-key limit alone would never stop guessing.
    """
    security = current_app.config["FPBX"]["security"]
    mode = security["auth_mode"]
    presented = request.headers.get("X-API-Key", "")
    if not presented:
        raise Unauthorized("Missing API key")
    failures = ratelimit.failed_auth()
    if failures:
        failures.check()  # before the lookup: a blocked guesser costs no database query
    try:
        _identify(presented, mode, security["global_key"])
    except Unauthorized:
        if failures:
            failures.failed()
        raise


def _identify(presented: str, mode: str, global_key: str) -> None:
    """The principal of ``presented`` under ``mode``; Unauthorized when there is none."""
    header_domain = request.headers.get("X-Domain", "").strip()
    if mode in ("per_key", "both"):
        found = lookup(("key", keys.digest(presented)), lambda: _key(presented),
                       ttl=KEY_CACHE_SECONDS, remember_none=False)
        if found is not None and not found.expired():
            principal = found.principal
            if header_domain and header_domain.lower() not in (
                    principal.domain_name.lower(), principal.domain_uuid):
                raise Forbidden("API key does not have access to this domain",
                                code="DOMAIN_MISMATCH")
            found.touch()
            g.principal = principal
            return
    if mode == "per_key" or not global_key or not hmac.compare_digest(
            presented.encode("utf-8", "surrogatepass"), global_key.encode()):
        raise Unauthorized("Invalid API key")
    if not header_domain:
        raise ApiError("X-Domain header required", code="MISSING_DOMAIN")
    domain_uuid, domain_name = lookup(("domain", header_domain.lower()),
                                      lambda: _domain_by_header(header_domain),
                                      ttl=KEY_CACHE_SECONDS)
    g.principal = Principal(domain_uuid, domain_name, frozenset(keys.SCOPES))


def authorize(system_wide: bool) -> None:
    """A write needs the write scope; a write to a system-wide resource needs ``system``."""
    if request.method not in WRITE_METHODS:
        return
    if "write" not in g.principal.scopes:
        raise Forbidden("This API key is read-only")
    if system_wide and not has_system_scope():
        raise Forbidden("Changing a system-wide resource needs a key with the system scope")


def has_system_scope() -> bool:
    """The caller may change what reaches beyond its own domain (the global key has it)."""
    return "system" in g.principal.scopes


@dataclass
class KnownKey:
    """A per-domain key as looked up, kept briefly: its principal, expiry and last use."""

    principal: Principal
    expires_at: datetime | None
    last_used_at: datetime | None

    def expired(self) -> bool:
        return self.expires_at is not None and keys.aware(self.expires_at) <= datetime.now(UTC)

    def touch(self) -> None:
        self.last_used_at = keys.touch(db.session(), self.principal.key_uuid,
                                       self.last_used_at)


def _key(presented: str) -> KnownKey | None:
    row = keys.find_key(db.session(), presented)
    if row is None:
        return None
    domain_uuid, domain_name = _usable(db.session().get(Domain, row.domain_uuid))
    return KnownKey(Principal(domain_uuid, domain_name, frozenset(row.scopes.split(",")),
                              row.api_key_uuid), row.expires_at, row.last_used_at)


def _domain_by_header(header: str) -> tuple[str, str]:
    clause = func.lower(Domain.domain_name) == header.lower()
    try:
        clause = or_(clause, Domain.domain_uuid == str(uuid.UUID(header)))
    except ValueError:
        pass
    return _usable(db.session().scalars(select(Domain).where(clause)).first())


def _usable(domain: Domain | None) -> tuple[str, str]:
    if domain is None or domain.domain_enabled is not True:
        raise Forbidden("Domain not found or disabled", code="INVALID_DOMAIN")
    return domain.domain_uuid, domain.domain_name
