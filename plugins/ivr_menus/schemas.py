"""IVR menu fields, named as FusionPBX's columns (``app/ivr_menus/app_config.php``)."""

from __future__ import annotations

import marshmallow as ma

from fpbx_api.fusionpbx.models import IvrMenu, IvrMenuOption
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
from fpbx_api.kit.destinations import DestinationApp, DestinationData, IvrAction, IvrParam
from fpbx_api.kit.music import HoldMusic

# One option key, or several (a mod_ivr entry matches the whole string). FusionPBX's Lua
# writes it unescaped into ivr.conf (``digits="…"``), so nothing but keypad characters.
DIGITS = Pattern(r"^[0-9*#]{1,20}$", error="Use 1 to 20 of: 0-9 * #")
KEY = Pattern(r"^[0-9*#]$", error="Use one key: 0-9 * #")
# A part of FreeSWITCH's sound path $${sounds_dir}/<language>/<dialect>/<voice>
SOUND_PART = Pattern(r"^[A-Za-z0-9_-]{1,32}$", error="Use 1 to 32 of: letters, digits, _ -")
LANGUAGE = Pattern(r"^[A-Za-z0-9_-]{1,32}(/[A-Za-z0-9_-]{1,32}){0,2}$",
                   error="Use a language such as en, or language/dialect/voice (en/us/callie)")
TTS = Pattern(r"^[A-Za-z0-9_.-]{1,64}$", error="Use 1 to 64 of: letters, digits, _ . -")


class AsText(ma.fields.Field):
    """A FusionPBX ``numeric`` the contract shows as a string ("3000")."""

    def __init__(self, **kwargs):
        super().__init__(allow_none=True, metadata={"type": "string", "example": "3000"},
                         **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return str(int(value)) if value == int(value) else str(value)


def number(low: int, high: int, description: str, **kwargs) -> Integer:
    return Integer(validate=ma.validate.Range(low, high), metadata={
        "description": description}, **kwargs)


class OptionSchema(ma.Schema):
    """An option, on its own (``/options``) or in a menu's ``options``; update is partial
    and leaves the stored order and state as they are."""

    ivr_menu_option_digits = Text(required=True, max_length=20, validate=DIGITS)
    ivr_menu_option_action = IvrAction("ivr_menu_option_param",
                                       "What pressing the digits does: a mod_ivr action.",
                                       required=True)
    ivr_menu_option_param = IvrParam("ivr_menu_option_action", "The action's parameter.")
    ivr_menu_option_order = number(0, 999, "Order among the options", load_default=0)
    ivr_menu_option_enabled = BoolString(load_default=True)
    ivr_menu_option_description = Text()


OPTION_COLUMNS = ["ivr_menu_option_uuid", "ivr_menu_uuid", "ivr_menu_option_digits",
                  "ivr_menu_option_action", "ivr_menu_option_param", "ivr_menu_option_order",
                  "ivr_menu_option_enabled", "ivr_menu_option_description"]
OptionOutSchema = output_schema("IvrMenuOptionSchema", IvrMenuOption, OPTION_COLUMNS,
                                ivr_menu_option_order=AsText())

NUMERIC = ["ivr_menu_timeout", "ivr_menu_inter_digit_timeout", "ivr_menu_max_failures",
           "ivr_menu_max_timeouts", "ivr_menu_digit_len", "ivr_menu_confirm_attempts"]
LIST_COLUMNS = ["ivr_menu_uuid", "ivr_menu_name", "ivr_menu_extension", "ivr_menu_language",
                "ivr_menu_timeout", "ivr_menu_exit_app", "ivr_menu_enabled",
                "ivr_menu_description"]
DETAIL_COLUMNS = LIST_COLUMNS + [
    "ivr_menu_parent_uuid", "ivr_menu_dialect", "ivr_menu_voice", "ivr_menu_greet_long",
    "ivr_menu_greet_short", "ivr_menu_invalid_sound", "ivr_menu_exit_sound",
    "ivr_menu_confirm_macro", "ivr_menu_confirm_key", "ivr_menu_tts_engine",
    "ivr_menu_tts_voice", "ivr_menu_confirm_attempts", "ivr_menu_exit_data",
    "ivr_menu_inter_digit_timeout", "ivr_menu_max_failures", "ivr_menu_max_timeouts",
    "ivr_menu_digit_len", "ivr_menu_direct_dial", "ivr_menu_ringback", "ivr_menu_cid_prefix",
    "ivr_menu_context", "dialplan_uuid"]
AS_TEXT = {c: AsText() for c in NUMERIC}
IvrMenuListItemSchema = output_schema("IvrMenuListItemSchema", IvrMenu, LIST_COLUMNS,
                                      ivr_menu_timeout=AsText())


class IvrMenuWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial)."""

    ivr_menu_name = Text(required=True)
    ivr_menu_extension = ma.fields.String(required=True, validate=NUMBER)
    ivr_menu_parent_uuid = Uuid(allow_none=True, metadata={
        "description": "The menu this one is a submenu of (its ivr.conf includes this "
                       "one); null for none"})
    ivr_menu_language = Text(max_length=100, validate=LANGUAGE, metadata={
        "description": "Sound language, e.g. en, or language/dialect/voice (en/us/callie) "
                       "as FusionPBX's form posts it"})
    ivr_menu_dialect = Text(max_length=32, validate=SOUND_PART)
    ivr_menu_voice = Text(max_length=32, validate=SOUND_PART)
    ivr_menu_greet_long = Text(metadata={"description": "Greeting: a recording, say:<text> "
                                         "or tone_stream://…"})
    ivr_menu_greet_short = Text()
    ivr_menu_invalid_sound = Text()
    ivr_menu_exit_sound = Text()
    ivr_menu_pin_number = Pin(load_only=True, metadata={
        "description": "PIN callers enter before the menu; write-only"})
    ivr_menu_confirm_macro = Text(max_length=64, validate=TTS)
    ivr_menu_confirm_key = Text(max_length=1, validate=KEY)
    ivr_menu_tts_engine = Text(max_length=64, validate=TTS)
    ivr_menu_tts_voice = Text(max_length=64, validate=TTS)
    ivr_menu_confirm_attempts = number(1, 100, "Attempts to confirm a choice")
    ivr_menu_timeout = number(1, 600_000, "Milliseconds to wait for a choice")
    ivr_menu_exit_app = DestinationApp(
        "ivr_menu_exit_data", "Where the call goes after the menu: the application.")
    ivr_menu_exit_data = DestinationData(
        "ivr_menu_exit_app", "Where the call goes after the menu: its data, e.g. "
        "*991001 XML example.com (voicemail box 1001).")
    ivr_menu_inter_digit_timeout = number(1, 600_000, "Milliseconds between digits")
    ivr_menu_max_failures = number(0, 100, "Invalid entries before the exit action")
    ivr_menu_max_timeouts = number(0, 100, "Timeouts before the exit action")
    ivr_menu_digit_len = number(1, 32, "Most digits a caller may enter")
    ivr_menu_direct_dial = BoolString(metadata={"description": "Callers may dial an "
                                                "extension of the domain directly"})
    ivr_menu_ringback = HoldMusic()
    ivr_menu_cid_prefix = Text(max_length=50)
    ivr_menu_enabled = BoolString()
    ivr_menu_description = Text(max_length=1000)
    options = ma.fields.List(ma.fields.Nested(OptionSchema), validate=ma.validate.Length(
        max=100), metadata={"description": "Replaces all options when given"})


IvrMenuSchema = output_schema(
    "IvrMenuSchema", IvrMenu, DETAIL_COLUMNS, **AS_TEXT,
    options=ma.fields.List(ma.fields.Nested(OptionOutSchema)))
