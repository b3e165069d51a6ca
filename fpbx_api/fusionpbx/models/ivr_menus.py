"""FusionPBX's IVR menus (``app/ivr_menus/app_config.php``): the menu and its options."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column

from fpbx_api.fusionpbx.models.base import Record, Uuid

__all__ = ["IvrMenu", "IvrMenuOption"]


class IvrMenu(Record):
    __tablename__ = "v_ivr_menus"

    ivr_menu_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    dialplan_uuid: Mapped[str | None] = mapped_column(Uuid)
    ivr_menu_name: Mapped[str | None] = mapped_column(Text)
    ivr_menu_extension: Mapped[str | None] = mapped_column(Text)
    ivr_menu_parent_uuid: Mapped[str | None] = mapped_column(Uuid)
    ivr_menu_language: Mapped[str | None] = mapped_column(Text)
    ivr_menu_dialect: Mapped[str | None] = mapped_column(Text)
    ivr_menu_voice: Mapped[str | None] = mapped_column(Text)
    ivr_menu_greet_long: Mapped[str | None] = mapped_column(Text)
    ivr_menu_greet_short: Mapped[str | None] = mapped_column(Text)
    ivr_menu_invalid_sound: Mapped[str | None] = mapped_column(Text)
    ivr_menu_exit_sound: Mapped[str | None] = mapped_column(Text)
    ivr_menu_pin_number: Mapped[str | None] = mapped_column(Text)
    ivr_menu_confirm_macro: Mapped[str | None] = mapped_column(Text)
    ivr_menu_confirm_key: Mapped[str | None] = mapped_column(Text)
    ivr_menu_tts_engine: Mapped[str | None] = mapped_column(Text)
    ivr_menu_tts_voice: Mapped[str | None] = mapped_column(Text)
    ivr_menu_confirm_attempts: Mapped[Decimal | None] = mapped_column(Numeric)
    ivr_menu_timeout: Mapped[Decimal | None] = mapped_column(Numeric)
    ivr_menu_exit_app: Mapped[str | None] = mapped_column(Text)
    ivr_menu_exit_data: Mapped[str | None] = mapped_column(Text)
    ivr_menu_inter_digit_timeout: Mapped[Decimal | None] = mapped_column(Numeric)
    ivr_menu_max_failures: Mapped[Decimal | None] = mapped_column(Numeric)
    ivr_menu_max_timeouts: Mapped[Decimal | None] = mapped_column(Numeric)
    ivr_menu_digit_len: Mapped[Decimal | None] = mapped_column(Numeric)
    ivr_menu_direct_dial: Mapped[bool | None] = mapped_column(Boolean)
    ivr_menu_ringback: Mapped[str | None] = mapped_column(Text)
    ivr_menu_cid_prefix: Mapped[str | None] = mapped_column(Text)
    ivr_menu_context: Mapped[str | None] = mapped_column(Text)
    ivr_menu_enabled: Mapped[bool | None] = mapped_column(Boolean)
    ivr_menu_description: Mapped[str | None] = mapped_column(Text)


class IvrMenuOption(Record):
    __tablename__ = "v_ivr_menu_options"

    ivr_menu_option_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    ivr_menu_uuid: Mapped[str | None] = mapped_column(Uuid)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    ivr_menu_option_digits: Mapped[str | None] = mapped_column(Text)
    ivr_menu_option_action: Mapped[str | None] = mapped_column(Text)
    ivr_menu_option_param: Mapped[str | None] = mapped_column(Text)
    ivr_menu_option_order: Mapped[Decimal | None] = mapped_column(Numeric)
    ivr_menu_option_description: Mapped[str | None] = mapped_column(Text)
    ivr_menu_option_enabled: Mapped[bool | None] = mapped_column(Boolean)
