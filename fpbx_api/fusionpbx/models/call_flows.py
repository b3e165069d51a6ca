"""FusionPBX's call flows (``app/call_flows/app_config.php``): a day/night switch."""

from __future__ import annotations

from sqlalchemy import Boolean, Text
from sqlalchemy.orm import Mapped, mapped_column

from fpbx_api.fusionpbx.models.base import Record, Uuid

__all__ = ["CallFlow"]


class CallFlow(Record):
    __tablename__ = "v_call_flows"

    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    call_flow_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    dialplan_uuid: Mapped[str | None] = mapped_column(Uuid)
    call_flow_name: Mapped[str | None] = mapped_column(Text)
    call_flow_extension: Mapped[str | None] = mapped_column(Text)
    call_flow_feature_code: Mapped[str | None] = mapped_column(Text)
    call_flow_context: Mapped[str | None] = mapped_column(Text)
    call_flow_status: Mapped[str | None] = mapped_column(Text)
    call_flow_pin_number: Mapped[str | None] = mapped_column(Text)
    call_flow_label: Mapped[str | None] = mapped_column(Text)
    call_flow_sound: Mapped[str | None] = mapped_column(Text)
    call_flow_app: Mapped[str | None] = mapped_column(Text)
    call_flow_data: Mapped[str | None] = mapped_column(Text)
    call_flow_alternate_label: Mapped[str | None] = mapped_column(Text)
    call_flow_alternate_sound: Mapped[str | None] = mapped_column(Text)
    call_flow_alternate_app: Mapped[str | None] = mapped_column(Text)
    call_flow_alternate_data: Mapped[str | None] = mapped_column(Text)
    call_flow_enabled: Mapped[bool | None] = mapped_column(Boolean)
    call_flow_description: Mapped[str | None] = mapped_column(Text)
