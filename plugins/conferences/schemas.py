"""Conference fields, named as FusionPBX's columns (``v_conferences``), plus the
contract's fields that FusionPBX keeps elsewhere, each saying where."""

from __future__ import annotations

import marshmallow as ma

from fpbx_api.fusionpbx.models import Conference
from fpbx_api.http.fields import BoolString, Integer, Pattern, Pin, Text, output_schema

EMAIL = ma.validate.Email(error="Not a valid e-mail address.")
# The number goes into the conference application's data, "<number>@<domain>@<profile>
# +<pin>+flags{…}": '+' and '@' separate its parts there.
CONFERENCE_NUMBER = Pattern(r"^[A-Za-z0-9*#_.-]{1,32}$",
                            error="Use 1 to 32 of: letters, digits, * # _ . -")
PROFILE = Pattern(r"^[A-Za-z0-9_.-]{1,64}$", error="Use 1 to 64 of: letters, digits, _ . -")
# FreeSWITCH member flags, '|'-separated as FusionPBX documents ("mute|deaf|moderator");
# written inside flags{'…'}, so no quote, brace or space can end that part.
FLAGS = Pattern(r"^[a-z0-9_-]{1,32}(\|[a-z0-9_-]{1,32}){0,19}$",
                error="Use FreeSWITCH member flags separated by |, e.g. mute|moderator")
NAME_RULE = ("FusionPBX keeps letters, digits, spaces and '-' only "
             "(app/conferences/conference_edit.php); other characters are dropped.")
FLAGS_NOTE = " Kept as a flag in conference_flags (FreeSWITCH member flag {!r})."
PROFILE_NOTE = (" Read-only: FusionPBX keeps it in the conference profile's {!r} param "
                "(v_conference_profile_params, system-wide; see "
                "/conference-centers/profiles).")

LIST_COLUMNS = ["conference_uuid", "conference_name", "conference_extension",
                "conference_pin_number", "conference_profile", "conference_flags",
                "conference_order", "conference_enabled", "conference_description"]
DETAIL_COLUMNS = LIST_COLUMNS + ["conference_email_address", "conference_account_code",
                                 "conference_context", "dialplan_uuid"]


class ConferenceWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial)."""

    conference_name = Text(max_length=100, required=True, metadata={"description": NAME_RULE})
    conference_extension = ma.fields.String(required=True, validate=CONFERENCE_NUMBER)
    conference_pin_number = Pin(metadata={
        "description": "Callers key it in to join (the contract's conference_pin)."})
    conference_profile = ma.fields.String(validate=PROFILE, metadata={
        "description": "A conference profile name (the contract's profile); default "
                       "'default'."})
    conference_flags = Text(max_length=400, validate=FLAGS)
    conference_email_address = Text(validate=EMAIL)
    conference_account_code = Text(max_length=80)
    conference_order = Integer(allow_none=True, validate=ma.validate.Range(0, 999))
    conference_context = Text(metadata={"description": "The domain's name (the default); "
                                        "no other context is accepted."})
    conference_enabled = BoolString(metadata={"description": "The contract's enabled."})
    conference_description = Text(max_length=1000, metadata={
        "description": "The contract's description."})
    mute = BoolString(metadata={"description": "Members join muted." +
                                FLAGS_NOTE.format("mute")})
    wait_mod = BoolString(metadata={"description": "Members wait (with music) until a "
                                    "moderator joins." + FLAGS_NOTE.format("wait-mod")})
    member_type = ma.fields.String(validate=ma.validate.OneOf(["moderator", "participant"]),
                                   metadata={"description": "moderator: callers join as "
                                             "moderators." + FLAGS_NOTE.format("moderator")})


# The contract's fields FusionPBX keeps elsewhere (listed and shown alike).
ELSEWHERE = {
    "mute": BoolString(metadata={"description": "'mute' in conference_flags"}),
    "wait_mod": BoolString(metadata={"description": "'wait-mod' in conference_flags"}),
    "member_type": ma.fields.String(metadata={"description": "moderator when "
                                    "conference_flags holds 'moderator', else participant"}),
    "moderator_pin": ma.fields.String(allow_none=True, metadata={
        "description": PROFILE_NOTE.format("moderator-pin").strip()}),
    "max_members": ma.fields.String(allow_none=True, metadata={
        "description": PROFILE_NOTE.format("max-members").strip()}),
}
ConferenceListItemSchema = output_schema("ConferenceListItemSchema", Conference, LIST_COLUMNS,
                                         **ELSEWHERE)
ConferenceSchema = output_schema("ConferenceSchema", Conference, DETAIL_COLUMNS, **ELSEWHERE)
