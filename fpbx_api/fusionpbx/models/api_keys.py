"""The API's own table of per-domain keys (created by our Alembic migrations)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from fpbx_api.fusionpbx.models.base import Record, TZDateTime, Uuid


class ApiKey(Record):
    """A per-domain key; only its SHA-256 digest is stored."""

    __tablename__ = "v_api_keys"

    api_key_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str] = mapped_column(Uuid, nullable=False, index=True)
    key_prefix: Mapped[str] = mapped_column(Text, nullable=False)
    key_hash: Mapped[str] = mapped_column(Text, nullable=False, unique=True)
    name: Mapped[str | None] = mapped_column(Text)
    scopes: Mapped[str] = mapped_column(Text, nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(TZDateTime)
