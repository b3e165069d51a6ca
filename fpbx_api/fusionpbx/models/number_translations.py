"""``v_number_translations`` and their details: system-wide rules (no domain) that
FusionPBX's translate.conf Lua hands to mod_translate."""

from __future__ import annotations

from sqlalchemy import Boolean, Text
from sqlalchemy.orm import Mapped, mapped_column

from fpbx_api.fusionpbx.models.base import Record, Uuid

__all__ = ["NumberTranslation", "NumberTranslationDetail"]


class NumberTranslation(Record):
    __tablename__ = "v_number_translations"

    number_translation_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    number_translation_name: Mapped[str | None] = mapped_column(Text)
    number_translation_enabled: Mapped[bool | None] = mapped_column(Boolean)
    number_translation_description: Mapped[str | None] = mapped_column(Text)


class NumberTranslationDetail(Record):
    __tablename__ = "v_number_translation_details"

    number_translation_detail_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    number_translation_uuid: Mapped[str | None] = mapped_column(Uuid)
    number_translation_detail_regex: Mapped[str | None] = mapped_column(Text)
    number_translation_detail_replace: Mapped[str | None] = mapped_column(Text)
    number_translation_detail_order: Mapped[str | None] = mapped_column(Text)
