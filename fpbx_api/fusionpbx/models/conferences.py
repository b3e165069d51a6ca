"""FusionPBX's conference tables: simple conferences (``app/conferences``), conference
centers with their rooms (``app/conference_centers``) and the system-wide conference
profiles FreeSWITCH's conference.conf is built from (``app/conference_profiles``)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column

from fpbx_api.fusionpbx.models.base import Record, Uuid

__all__ = ["Conference", "ConferenceCenter", "ConferenceProfile", "ConferenceProfileParam",
           "ConferenceRoom", "ConferenceRoomUser", "ConferenceUser"]


class Conference(Record):
    __tablename__ = "v_conferences"

    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    conference_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    dialplan_uuid: Mapped[str | None] = mapped_column(Uuid)
    conference_name: Mapped[str | None] = mapped_column(Text)
    conference_extension: Mapped[str | None] = mapped_column(Text)
    conference_pin_number: Mapped[str | None] = mapped_column(Text)
    conference_profile: Mapped[str | None] = mapped_column(Text)
    conference_email_address: Mapped[str | None] = mapped_column(Text)
    conference_account_code: Mapped[str | None] = mapped_column(Text)
    conference_flags: Mapped[str | None] = mapped_column(Text)
    conference_order: Mapped[Decimal | None] = mapped_column(Numeric)
    conference_description: Mapped[str | None] = mapped_column(Text)
    conference_context: Mapped[str | None] = mapped_column(Text)
    conference_enabled: Mapped[bool | None] = mapped_column(Boolean)


class ConferenceUser(Record):
    __tablename__ = "v_conference_users"

    conference_user_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    conference_uuid: Mapped[str | None] = mapped_column(Uuid)
    user_uuid: Mapped[str | None] = mapped_column(Uuid)


class ConferenceCenter(Record):
    __tablename__ = "v_conference_centers"

    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    conference_center_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    dialplan_uuid: Mapped[str | None] = mapped_column(Uuid)
    conference_center_name: Mapped[str | None] = mapped_column(Text)
    conference_center_extension: Mapped[str | None] = mapped_column(Text)
    conference_center_pin_length: Mapped[Decimal | None] = mapped_column(Numeric)
    conference_center_greeting: Mapped[str | None] = mapped_column(Text)
    conference_center_description: Mapped[str | None] = mapped_column(Text)
    conference_center_enabled: Mapped[bool | None] = mapped_column(Boolean)


class ConferenceRoom(Record):
    __tablename__ = "v_conference_rooms"

    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    conference_room_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    conference_center_uuid: Mapped[str | None] = mapped_column(Uuid)
    conference_room_name: Mapped[str | None] = mapped_column(Text)
    profile: Mapped[str | None] = mapped_column(Text)
    record: Mapped[bool | None] = mapped_column(Boolean)
    moderator_pin: Mapped[str | None] = mapped_column(Text)
    participant_pin: Mapped[str | None] = mapped_column(Text)
    max_members: Mapped[Decimal | None] = mapped_column(Numeric)
    start_datetime: Mapped[str | None] = mapped_column(Text)
    stop_datetime: Mapped[str | None] = mapped_column(Text)
    wait_mod: Mapped[bool | None] = mapped_column(Boolean)
    moderator_endconf: Mapped[bool | None] = mapped_column(Boolean)
    announce_name: Mapped[bool | None] = mapped_column(Boolean)
    announce_count: Mapped[bool | None] = mapped_column(Boolean)
    announce_recording: Mapped[bool | None] = mapped_column(Boolean)
    sounds: Mapped[bool | None] = mapped_column(Boolean)
    mute: Mapped[bool | None] = mapped_column(Boolean)
    created: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(Text)
    email_address: Mapped[str | None] = mapped_column(Text)
    account_code: Mapped[str | None] = mapped_column(Text)
    enabled: Mapped[bool | None] = mapped_column(Boolean)
    description: Mapped[str | None] = mapped_column(Text)


class ConferenceRoomUser(Record):
    __tablename__ = "v_conference_room_users"

    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    conference_room_user_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    conference_room_uuid: Mapped[str | None] = mapped_column(Uuid)
    user_uuid: Mapped[str | None] = mapped_column(Uuid)


class ConferenceProfile(Record):
    """System-wide: no domain_uuid (every tenant's conferences name one)."""

    __tablename__ = "v_conference_profiles"

    conference_profile_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    profile_name: Mapped[str | None] = mapped_column(Text)
    profile_enabled: Mapped[bool | None] = mapped_column(Boolean)
    profile_description: Mapped[str | None] = mapped_column(Text)


class ConferenceProfileParam(Record):
    __tablename__ = "v_conference_profile_params"

    conference_profile_param_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    conference_profile_uuid: Mapped[str | None] = mapped_column(Uuid)
    profile_param_name: Mapped[str | None] = mapped_column(Text)
    profile_param_value: Mapped[str | None] = mapped_column(Text)
    profile_param_enabled: Mapped[bool | None] = mapped_column(Boolean)
    profile_param_description: Mapped[str | None] = mapped_column(Text)
