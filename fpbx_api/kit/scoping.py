"""Tenant scoping: every tenant-owned query starts here, already limited to the
authenticated domain, so no handler has to remember a WHERE clause."""

from __future__ import annotations

from flask import g
from sqlalchemy import Select, select

from fpbx_api import db
from fpbx_api.http.errors import NotFound


def domain_uuid() -> str:
    """The domain the request is authenticated for."""
    return g.principal.domain_uuid


def domain_name() -> str:
    return g.principal.domain_name


def scoped(model) -> Select:
    """``SELECT model`` limited to the authenticated domain."""
    return select(model).where(model.domain_uuid == domain_uuid())


def get_or_404(model, uuid: str, label: str | None = None):
    """The domain's row with this primary key, or 404 (also for other domains' rows)."""
    primary = model.__mapper__.primary_key[0]
    row = db.session().scalars(scoped(model).where(primary == uuid)).first()
    if row is None:
        raise NotFound(f"{label or model.__name__} not found")
    return row
