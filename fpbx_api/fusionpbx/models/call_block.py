"""``v_call_block``: numbers a domain (or one of its extensions) refuses, read by
FusionPBX's call_block Lua on every call its global call_block dialplan sends it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column

from fpbx_api.fusionpbx.models.base import Record, Uuid

__all__ = ["CallBlock"]


class CallBlock(Record):
    __tablename__ = "v_call_block"

    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    call_block_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    call_block_direction: Mapped[str | None] = mapped_column(Text)
    extension_uuid: Mapped[str | None] = mapped_column(Uuid)
    call_block_name: Mapped[str | None] = mapped_column(Text)
    call_block_country_code: Mapped[Decimal | None] = mapped_column(Numeric)
    call_block_number: Mapped[str | None] = mapped_column(Text)
    call_block_count: Mapped[Decimal | None] = mapped_column(Numeric)
    call_block_action: Mapped[str | None] = mapped_column(Text)
    call_block_app: Mapped[str | None] = mapped_column(Text)
    call_block_data: Mapped[str | None] = mapped_column(Text)
    date_added: Mapped[str | None] = mapped_column(Text)
    call_block_enabled: Mapped[bool | None] = mapped_column(Boolean)
    call_block_description: Mapped[str | None] = mapped_column(Text)
