"""Tenant scoping: every tenant-owned query starts here, already limited to the
authenticated domain, so no handler has to remember a WHERE clause.

Three kinds of table (``SCOPES``), each with its own base SELECT (``visible``):
``domain`` rows belong to one domain; ``system`` tables have no domain at all (SIP
profiles, access controls: every key reads them); ``global`` tables hold a domain's
rows and global ones, whose ``domain_uuid`` is NULL (gateways, music on hold: a domain
sees its own and the global ones).
"""

from __future__ import annotations

import marshmallow as ma
from flask import g
from sqlalchemy import Select, or_, select, true

from fpbx_api import db
from fpbx_api.http.errors import NotFound
from fpbx_api.http.fields import Uuid


def domain_uuid() -> str:
    """The domain the request is authenticated for."""
    return g.principal.domain_uuid


def domain_name() -> str:
    return g.principal.domain_name


def scoped(model) -> Select:
    """``SELECT model`` limited to the authenticated domain."""
    return select(model).where(model.domain_uuid == domain_uuid())


SCOPES = ("domain", "system", "global")


def visible(model, scope: str = "domain") -> Select:
    """``SELECT model`` limited to the rows the caller may read under ``scope``."""
    if scope == "domain":
        return scoped(model)
    if scope == "system":
        return select(model)
    if scope == "global":
        return select(model).where(or_(model.domain_uuid == domain_uuid(),
                                       model.domain_uuid.is_(None)))
    raise ValueError(f"unknown scope {scope!r} (one of {', '.join(SCOPES)})")


def owner_field(noun: str, *, output: bool = False) -> ma.fields.Field:
    """The ``domain_uuid`` field of a ``global`` resource. In a request: left out (or the
    caller's domain) for the domain's own row, null for a global one; ``output``: as
    responses show it."""
    if output:
        return ma.fields.String(allow_none=True, metadata={"description": (
            f"null: a global {noun} (read-only without the system scope); otherwise your "
            "domain's uuid")})
    return Uuid(allow_none=True, metadata={"description": (
        f"null (or \"\"): a global {noun}, read by every domain and written only with a "
        "key with the system scope; otherwise your domain's uuid (the default)")})


def same_owner(model, owner: str | None):
    """A WHERE clause: ``model``'s rows owned as ``owner`` is (a domain's uuid, or None for
    global rows); always true for a table without ``domain_uuid``."""
    column = getattr(model, "domain_uuid", None)
    if column is None:
        return true()
    return column.is_(None) if owner is None else column == owner


def get_or_404(model, uuid: str, label: str | None = None):
    """The domain's row with this primary key, or 404 (also for other domains' rows)."""
    primary = model.__mapper__.primary_key[0]
    row = db.session().scalars(scoped(model).where(primary == uuid)).first()
    if row is None:
        raise NotFound(f"{label or model.__name__} not found")
    return row
