"""Extension fields, named as FusionPBX's columns."""

from __future__ import annotations

import marshmallow as ma

from fpbx_api.fusionpbx.models import Extension
from fpbx_api.http.fields import (
    DIAL_STRING_NAME,
    DIAL_STRING_VALUE,
    NUMBER,
    BoolString,
    Integer,
    NumberString,
    Pattern,
    Text,
    Uuid,
    output_schema,
)
from fpbx_api.kit.destinations import LimitDestination

PIN = Pattern(r"^[0-9]{4,16}$", error="Use 4 to 16 digits.")
SIP_PASSWORD = Pattern(r"^[\x21-\x7e]{8,128}$",
                       error="Use 8 to 128 printable characters without spaces.")
# FusionPBX's Lua puts the account code into dial strings ("[accountcode=…,…]"), so it is
# one token: a comma or bracket would add channel variables of the caller's choosing.
ACCOUNT_CODE = Pattern(r"^[A-Za-z0-9._@+-]{1,64}$",
                       error="Use 1 to 64 of: letters, digits, . _ @ + -")
# Commas separate the entries (FusionPBX stores them as ':'), nothing else of a dial string.
TOLL_ALLOW = Pattern(r"^[^\s\[\]{}'\"]+$", error="Use names separated by commas, without "
                     "spaces, brackets, braces or quotes.")
EMAILS = Pattern(r"^[^\s,@]+@[^\s,@]+(,[^\s,@]+@[^\s,@]+)*$",
                 error="Use one e-mail address, or several separated by commas.")


def _text(description: str, **kwargs) -> Text:
    return Text(metadata={"description": description}, **kwargs)


class VoicemailSchema(ma.Schema):
    voicemail_uuid = ma.fields.String()
    voicemail_id = ma.fields.String()
    voicemail_password = ma.fields.String(metadata={"description": "Mailbox PIN"})
    voicemail_mail_to = ma.fields.String(allow_none=True)
    voicemail_enabled = BoolString()
    voicemail_description = ma.fields.String(allow_none=True)


class LinkedUserSchema(ma.Schema):
    user_uuid = ma.fields.String()
    username = ma.fields.String()
    full_name = ma.fields.String(allow_none=True,
                                 metadata={"description": "From the user's contact"})


LIST_COLUMNS = ["extension_uuid", "extension", "number_alias", "effective_caller_id_name",
                "effective_caller_id_number", "outbound_caller_id_name",
                "outbound_caller_id_number", "user_context", "enabled", "description"]
DETAIL_COLUMNS = LIST_COLUMNS + [
    "emergency_caller_id_name", "emergency_caller_id_number", "directory_first_name",
    "directory_last_name", "directory_visible", "directory_exten_visible", "max_registrations",
    "limit_max", "limit_destination", "accountcode", "call_timeout", "call_group",
    "toll_allow", "user_record", "hold_music", "forward_all_destination",
    "forward_all_enabled", "forward_busy_destination", "forward_busy_enabled",
    "forward_no_answer_destination", "forward_no_answer_enabled",
    "forward_user_not_registered_destination", "forward_user_not_registered_enabled",
    "follow_me_uuid", "do_not_disturb"]
ExtensionListItemSchema = output_schema("ExtensionListItemSchema", Extension, LIST_COLUMNS)
ExtensionSchema = output_schema(
    "ExtensionSchema", Extension, DETAIL_COLUMNS,
    __doc__="One extension in full; the SIP password is never returned by GET.",
    voicemail=ma.fields.Nested(VoicemailSchema, allow_none=True),
    user=ma.fields.Nested(LinkedUserSchema, allow_none=True))


class ExtensionWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial)."""

    extension = ma.fields.String(required=True, validate=NUMBER,
                                 metadata={"description": "Extension number"})
    number_alias = ma.fields.String(validate=NUMBER, allow_none=True, metadata={
        "description": "A second number that reaches the extension; names the voicemail box"})
    password = ma.fields.String(validate=SIP_PASSWORD, load_only=True, metadata={
        "description": "SIP password; generated (and returned once) when not given"})
    accountcode = Text(max_length=64, validate=ACCOUNT_CODE, metadata={
        "description": "Account code for billing (default: the domain's). Without the "
                       "system scope, a code another domain uses (its name, its account code "
                       "setting or any of its extensions' codes) is refused."})
    effective_caller_id_name = _text("Caller ID name")
    effective_caller_id_number = _text("Caller ID number", max_length=50)
    outbound_caller_id_name = _text("Outbound caller ID name", validate=DIAL_STRING_NAME)
    outbound_caller_id_number = _text("Outbound caller ID number (digits and + are kept)",
                                      max_length=50, validate=DIAL_STRING_VALUE)
    emergency_caller_id_name = _text("Emergency caller ID name")
    emergency_caller_id_number = _text("Emergency caller ID number", max_length=50)
    directory_first_name = _text("Directory first name")
    directory_last_name = _text("Directory last name")
    directory_visible = BoolString()
    directory_exten_visible = BoolString()
    max_registrations = NumberString(maximum=1000)
    limit_max = NumberString(maximum=1000)
    limit_destination = LimitDestination("Where a call over limit_max goes (default "
                                         "!USER_BUSY).")
    call_timeout = Integer(validate=ma.validate.Range(0, 3600), allow_none=True)
    call_group = _text("Call group(s), comma separated")
    toll_allow = _text("Toll allow list; commas are stored as ':' as FusionPBX does",
                       validate=TOLL_ALLOW)
    user_record = Text(validate=ma.validate.OneOf(["all", "local", "inbound", "outbound"]),
                       metadata={"description": "Recording"})
    hold_music = _text("Music on hold source, e.g. local_stream://default or "
                       "$${hold_music}", validate=DIAL_STRING_VALUE)
    call_screen_enabled = BoolString()
    force_ping = BoolString()
    enabled = BoolString()
    description = _text("Description; copied to the voicemail box", max_length=1000)
    voicemail_enabled = BoolString()
    voicemail_password = ma.fields.String(validate=PIN, metadata={
        "description": "Voicemail PIN; generated (and returned once) when not given"})
    voicemail_mail_to = Text(validate=EMAILS)
    voicemail_file = ma.fields.String(validate=ma.validate.OneOf(["attach", "link", "listen"]),
                                      metadata={"description": "How e-mail carries messages"})
    voicemail_local_after_email = BoolString(metadata={
        "description": "Keep messages in the box after e-mailing them"})
    user_uuid = Uuid(allow_none=True, metadata={
        "description": "A user of the same domain to link; null unlinks (update)"})


class ExtensionCreatedSchema(ma.Schema):
    extension_uuid = ma.fields.String()
    voicemail_uuid = ma.fields.String()
    password = ma.fields.String(metadata={"description": "Generated SIP password, shown once"})
    voicemail_password = ma.fields.String(metadata={
        "description": "Generated voicemail PIN, shown once"})


class ExtensionUpdatedSchema(ma.Schema):
    extension_uuid = ma.fields.String()
