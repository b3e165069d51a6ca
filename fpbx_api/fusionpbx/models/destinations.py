"""``v_destinations``: the numbers a domain receives calls on (inbound DIDs in the
``public`` context, local numbers in the domain's own), each with the dialplan that
routes it (``app/destinations/app_config.php``)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import JSON, Boolean, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column

from fpbx_api.fusionpbx.models.base import Record, Uuid

__all__ = ["Destination"]


class Destination(Record):
    __tablename__ = "v_destinations"

    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    destination_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    dialplan_uuid: Mapped[str | None] = mapped_column(Uuid)
    fax_uuid: Mapped[str | None] = mapped_column(Uuid)
    user_uuid: Mapped[str | None] = mapped_column(Uuid)
    group_uuid: Mapped[str | None] = mapped_column(Uuid)
    provider_uuid: Mapped[str | None] = mapped_column(Uuid)
    destination_type: Mapped[str | None] = mapped_column(Text)
    destination_number: Mapped[str | None] = mapped_column(Text)
    destination_trunk_prefix: Mapped[str | None] = mapped_column(Text)
    destination_area_code: Mapped[str | None] = mapped_column(Text)
    destination_prefix: Mapped[str | None] = mapped_column(Text)
    destination_condition_field: Mapped[str | None] = mapped_column(Text)
    destination_number_regex: Mapped[str | None] = mapped_column(Text)
    destination_caller_id_name: Mapped[str | None] = mapped_column(Text)
    destination_caller_id_number: Mapped[str | None] = mapped_column(Text)
    destination_cid_name_prefix: Mapped[str | None] = mapped_column(Text)
    destination_context: Mapped[str | None] = mapped_column(Text)
    destination_record: Mapped[bool | None] = mapped_column(Boolean)
    destination_hold_music: Mapped[str | None] = mapped_column(Text)
    destination_distinctive_ring: Mapped[str | None] = mapped_column(Text)
    destination_ringback: Mapped[str | None] = mapped_column(Text)
    destination_accountcode: Mapped[str | None] = mapped_column(Text)
    destination_type_voice: Mapped[Decimal | None] = mapped_column(Numeric)
    destination_type_fax: Mapped[Decimal | None] = mapped_column(Numeric)
    destination_type_emergency: Mapped[Decimal | None] = mapped_column(Numeric)
    destination_type_text: Mapped[Decimal | None] = mapped_column(Numeric)
    destination_conditions: Mapped[list | None] = mapped_column(JSON)
    destination_actions: Mapped[list | None] = mapped_column(JSON)
    destination_app: Mapped[str | None] = mapped_column(Text)
    destination_data: Mapped[str | None] = mapped_column(Text)
    destination_alternate_app: Mapped[str | None] = mapped_column(Text)
    destination_alternate_data: Mapped[str | None] = mapped_column(Text)
    destination_order: Mapped[Decimal | None] = mapped_column(Numeric)
    destination_enabled: Mapped[bool | None] = mapped_column(Boolean)
    destination_description: Mapped[str | None] = mapped_column(Text)
    destination_email: Mapped[bool | None] = mapped_column(Boolean)
