"""Call block fields, named as FusionPBX's columns."""

from __future__ import annotations

import marshmallow as ma

from fpbx_api.fusionpbx.models import CallBlock
from fpbx_api.http.fields import BoolString, Integer, Pattern, Text, Uuid, output_schema
from fpbx_api.kit.destinations import CallBlockAction

COLUMNS = ["call_block_uuid", "call_block_direction", "extension_uuid", "call_block_name",
           "call_block_country_code", "call_block_number", "call_block_count",
           "call_block_app", "call_block_data", "date_added", "call_block_enabled",
           "call_block_description"]
CallBlockSchema = output_schema("CallBlockSchema", CallBlock, COLUMNS)


class CallBlockWriteSchema(ma.Schema):
    call_block_direction = ma.fields.String(
        validate=ma.validate.OneOf(["inbound", "outbound"]), metadata={
            "description": "inbound: calls from the number; outbound: calls to it"})
    extension_uuid = Uuid(allow_none=True, metadata={
        "description": "The extension whose calls are screened; null: the whole domain"})
    call_block_name = Text(metadata={"description": "Also matched against the caller ID "
                                     "name of inbound calls"})
    call_block_country_code = Integer(allow_none=True, validate=ma.validate.Range(0, 9999))
    call_block_number = ma.fields.String(
        allow_none=True, validate=Pattern(r"^[0-9./ ()+-]{1,64}$", error=(
            "Use digits (spaces, dashes, brackets and + are dropped, as FusionPBX does)")))
    call_block_action = CallBlockAction(
        "What happens to a blocked call; stored as call_block_app and call_block_data.")
    call_block_enabled = BoolString()
    call_block_description = Text(max_length=1000)
