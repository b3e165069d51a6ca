"""Fax-account fields, named as FusionPBX's columns (``v_fax``), with the clean-ups
FusionPBX's app/fax/fax_edit.php applies to them."""

from __future__ import annotations

import marshmallow as ma

from fpbx_api.fusionpbx.models import Fax
from fpbx_api.http.fields import (
    DIAL_STRING_NAME,
    DIAL_STRING_VALUE,
    NUMBER,
    BoolString,
    Integer,
    NumberString,
    Pattern,
    Pin,
    Text,
    output_schema,
)

EMAIL = ma.validate.Email(error="Not a valid e-mail address.")
DIGITS = Pattern(r"^[0-9]{1,15}$", error="Use 1 to 15 digits.")
PREFIX = Pattern(r"^[0-9*#+]{1,12}$", error="Use 1 to 12 of: digits, * # +")
PHONE = Pattern(r"^\+?[0-9*#]{1,20}$", error="Use up to 20 digits (* # allowed), '+' first.")
TOLL_ALLOW = Pattern(r"^[A-Za-z0-9_-]{1,32}(,[A-Za-z0-9_-]{1,32}){0,9}$",
                     error="Use words separated by commas, e.g. domestic,international")


class FaxName(Text):
    """FusionPBX stores the name with its spaces as '-' (``Main Fax`` is ``Main-Fax``)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        return text and text.replace(" ", "-")


class DialNumber(Text):
    """A number FusionPBX keeps without the spaces and dashes people type."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        return text and (text.replace(" ", "").replace("-", "") or None)


class EmailList(ma.fields.Field):
    """E-mail addresses as FusionPBX keeps them: one comma-separated text, spaces
    removed, empty entries dropped. Given as a list (FusionPBX's form posts one field per
    address) or as that text; returned as the text."""

    default_error_messages = {"invalid": "Give e-mail addresses as a list or as one text "
                                         "separated by commas."}

    def __init__(self, description: str, **kwargs):
        super().__init__(allow_none=True, metadata={
            "description": f"{description} A list of e-mail addresses, or one text "
                           "separating them by commas; stored and returned comma-separated.",
            "type": "string"}, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return value

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list) or len(value) > 20 or \
                not all(isinstance(v, str) for v in value):
            raise self.make_error("invalid")
        addresses = [v.replace(" ", "") for v in value]
        addresses = [a for a in addresses if a]
        for address in addresses:
            if len(address) > 254:
                raise ma.ValidationError("An e-mail address is at most 254 characters.")
            EMAIL(address)
        return ",".join(addresses) or None


LIST_COLUMNS = ["fax_uuid", "fax_extension", "fax_name", "fax_email", "fax_pin_number",
                "fax_caller_id_name", "fax_caller_id_number", "fax_forward_number",
                "fax_description", "fax_send_channels"]
DETAIL_COLUMNS = LIST_COLUMNS + [
    "fax_destination_number", "fax_prefix", "fax_email_confirmation", "fax_file",
    "fax_toll_allow", "accountcode", "dialplan_uuid"]
# A number, shown as the contract's string.
SEND_CHANNELS = NumberString()
ENABLED = BoolString(metadata={"description": "Whether the account's number answers: its "
                               "dialplan's dialplan_enabled (FusionPBX keeps no fax_enabled)."})
FaxListItemSchema = output_schema("FaxListItemSchema", Fax, LIST_COLUMNS,
                                  fax_send_channels=SEND_CHANNELS, fax_enabled=ENABLED)


class FaxWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial)."""

    fax_name = FaxName(max_length=30, required=True, metadata={
        "description": "Spaces are stored as '-', as FusionPBX does."})
    fax_extension = ma.fields.String(required=True, validate=DIGITS)
    fax_destination_number = ma.fields.String(validate=NUMBER, allow_none=True, metadata={
        "description": "The number whose calls are received as faxes (the dialplan "
                       "matches it); default: fax_extension."})
    fax_prefix = Text(validate=PREFIX)
    fax_email = EmailList("Where received faxes are sent.")
    fax_email_confirmation = EmailList("Where send confirmations go.")
    fax_file = Text(validate=ma.validate.OneOf(["attach", "link"]), metadata={
        "description": "E-mail the fax as an attachment or as a download link."})
    fax_pin_number = Pin()
    fax_caller_id_name = Text(max_length=40, validate=DIAL_STRING_NAME)
    fax_caller_id_number = Text(max_length=20, validate=DIAL_STRING_VALUE)
    fax_toll_allow = Text(validate=TOLL_ALLOW)
    fax_forward_number = DialNumber(validate=PHONE, metadata={
        "description": "Spaces and '-' are removed, as FusionPBX does."})
    fax_send_channels = Integer(allow_none=True, validate=ma.validate.Range(1, 100))
    fax_description = Text(max_length=1000)
    accountcode = Text(max_length=80, validate=DIAL_STRING_VALUE)


FaxSchema = output_schema("FaxSchema", Fax, DETAIL_COLUMNS, fax_send_channels=SEND_CHANNELS,
                          fax_enabled=ENABLED)
