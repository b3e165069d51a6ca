"""Conference-center, room and profile fields, named as FusionPBX's columns."""

from __future__ import annotations

import marshmallow as ma

from fpbx_api.fusionpbx.models import (
    ConferenceCenter,
    ConferenceProfile,
    ConferenceProfileParam,
    ConferenceRoom,
)
from fpbx_api.http.fields import (
    NUMBER,
    BoolString,
    Integer,
    Pattern,
    Pin,
    Text,
    Uuid,
    output_schema,
)

EMAIL = ma.validate.Email(error="Not a valid e-mail address.")
PROFILE = Pattern(r"^[A-Za-z0-9_.-]{1,64}$", error="Use 1 to 64 of: letters, digits, _ . -")
DATETIME = Pattern(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$",
                   error="Use YYYY-MM-DD HH:MM.")


# --- centers -------------------------------------------------------------------------------
CENTER_LIST = ["conference_center_uuid", "conference_center_name",
               "conference_center_extension", "conference_center_pin_length",
               "conference_center_greeting", "conference_center_enabled",
               "conference_center_description"]
CenterListItemSchema = output_schema("ConferenceCenterListItemSchema", ConferenceCenter,
                                     CENTER_LIST)
CenterSchema = output_schema("ConferenceCenterSchema", ConferenceCenter,
                             CENTER_LIST + ["dialplan_uuid"])


class ConferenceCenterWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial)."""

    conference_center_name = Text(max_length=100, required=True)
    conference_center_extension = ma.fields.String(required=True, validate=NUMBER)
    conference_center_pin_length = Integer(validate=ma.validate.Range(1, 32), metadata={
        "description": "Digits of the rooms' PINs (generated PINs have this length, given "
                       "ones at least this); 2 or 3 also lets callers dial the number "
                       "followed by the PIN. Default 9."})
    conference_center_greeting = Text(metadata={"description": "A recording played to "
                                                "callers"})
    conference_center_enabled = BoolString()
    conference_center_description = Text(max_length=1000)


# --- rooms ---------------------------------------------------------------------------------
ROOM_LIST = ["conference_room_uuid", "conference_center_uuid", "conference_room_name",
             "moderator_pin", "participant_pin", "profile", "record", "max_members",
             "wait_mod", "announce_name", "announce_count", "announce_recording", "mute",
             "sounds", "enabled", "description"]
RoomListItemSchema = output_schema("ConferenceRoomListItemSchema", ConferenceRoom, ROOM_LIST)
RoomSchema = output_schema(
    "ConferenceRoomSchema", ConferenceRoom,
    ROOM_LIST + ["start_datetime", "stop_datetime", "moderator_endconf", "email_address",
                 "account_code", "created"],
    users=ma.fields.List(ma.fields.String(), metadata={
        "description": "user_uuids of v_conference_room_users"}))


class ConferenceRoomWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial)."""

    conference_center_uuid = Uuid(metadata={
        "description": "A conference center of the domain; on create, default: the "
                       "domain's first center by name (FusionPBX's form preselects it)."})
    conference_room_name = Text(max_length=100, required=True)
    moderator_pin = Pin(keep_digits=True, metadata={
        "description": "Digits only (others are dropped); generated when not given, as "
                       "FusionPBX's form does."})
    participant_pin = Pin(keep_digits=True, metadata={
        "description": "Digits only (others are dropped); generated when not given."})
    profile = ma.fields.String(validate=PROFILE, metadata={"description": "A conference "
                               "profile name; default 'default'."})
    record = BoolString()
    max_members = Integer(allow_none=True, validate=ma.validate.Range(0, 10000))
    start_datetime = Text(validate=DATETIME)
    stop_datetime = Text(validate=DATETIME)
    wait_mod = BoolString()
    moderator_endconf = BoolString()
    announce_name = BoolString()
    announce_count = BoolString()
    announce_recording = BoolString()
    sounds = BoolString()
    mute = BoolString()
    email_address = Text(validate=EMAIL)
    account_code = Text(max_length=80)
    enabled = BoolString()
    description = Text(max_length=1000)
    user_uuid = Uuid(allow_none=True, metadata={
        "description": "A user of the domain to assign to the room (v_conference_room_"
                       "users); FusionPBX's form assigns the user it is logged in as."})


# --- profiles (system-wide) ----------------------------------------------------------------
PROFILE_COLUMNS = ["conference_profile_uuid", "profile_name", "profile_enabled",
                   "profile_description"]
PARAM_NAME = Pattern(r"^[a-z0-9_-]{1,64}$", error="A FreeSWITCH conference param name, "
                     "e.g. max-members")


class ConferenceProfileParamSchema(ma.Schema):
    profile_param_name = ma.fields.String(required=True, validate=PARAM_NAME)
    profile_param_value = Text(max_length=1000)
    profile_param_enabled = BoolString(load_default=True)
    profile_param_description = Text(max_length=1000)


ParamSchema = output_schema(
    "ConferenceProfileParamOutSchema", ConferenceProfileParam,
    ["conference_profile_param_uuid", "profile_param_name", "profile_param_value",
     "profile_param_enabled", "profile_param_description"])
ProfileListItemSchema = output_schema("ConferenceProfileListItemSchema", ConferenceProfile,
                                      PROFILE_COLUMNS)
ProfileSchema = output_schema("ConferenceProfileSchema", ConferenceProfile, PROFILE_COLUMNS,
                              params=ma.fields.List(ma.fields.Nested(ParamSchema)))


def distinct_names(params: list) -> None:
    names = [p["profile_param_name"] for p in params]
    if len(set(names)) != len(names):
        raise ma.ValidationError("Each param name once.")


class ConferenceProfileWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial)."""

    profile_name = ma.fields.String(required=True, validate=PROFILE)
    profile_enabled = BoolString()
    profile_description = Text(max_length=1000)
    params = ma.fields.List(ma.fields.Nested(ConferenceProfileParamSchema),
                            validate=[ma.validate.Length(max=200), distinct_names], metadata={
                                "description": "FreeSWITCH conference params (v_conference_"
                                               "profile_params); replaces all when given"})
