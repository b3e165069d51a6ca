"""Call-flow fields, named as FusionPBX's columns (``app/call_flows/app_config.php``)."""

from __future__ import annotations

import marshmallow as ma

from fpbx_api.fusionpbx.models import CallFlow
from fpbx_api.http.fields import NUMBER, BoolString, Pattern, Pin, Text, output_schema
from fpbx_api.kit.destinations import DestinationApp, DestinationData

# Dialled from a phone to flip the flow (FusionPBX also answers it as flow+<code>).
FEATURE_CODE = Pattern(r"^(flow\+)?[0-9*#]{1,32}$",
                       error="Use 1 to 32 of: 0-9 * # (optionally after flow+)")


class Status(BoolString):
    """``call_flow_status``, a text column: "true" routes to the destination, "false" to
    the alternate one. FusionPBX's call_flow.lua reads an empty status as "true"."""

    def __init__(self, **kwargs):
        super().__init__(metadata={"description": '"true": calls go to call_flow_app/data '
                                   '(the label); "false": to the alternate destination'},
                         **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return "false" if value == "false" else "true"

    def _deserialize(self, value, attr, data, **kwargs):
        return "true" if super()._deserialize(value, attr, data, **kwargs) else "false"


class CallFlowWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial).
    FusionPBX's form requires the number and the (first) destination."""

    call_flow_name = Text(required=True)
    call_flow_extension = ma.fields.String(required=True, validate=NUMBER)
    call_flow_feature_code = Text(max_length=40, validate=FEATURE_CODE, metadata={
        "description": "Dialled to flip the flow (PIN asked when set); null for none"})
    call_flow_status = Status()
    call_flow_pin_number = Pin(load_only=True, metadata={
        "description": "PIN asked before the feature code flips the flow; write-only"})
    call_flow_label = Text(max_length=50, metadata={
        "description": "Name of the normal mode (shown on the phone)"})
    call_flow_sound = Text(metadata={"description": "Played when switching to normal mode"})
    call_flow_app = DestinationApp(
        "call_flow_data", "Where calls go while the status is true: the application.",
        required=True)
    call_flow_data = DestinationData(
        "call_flow_app", "Where calls go while the status is true: its data, e.g. "
        "1001 XML example.com.", required=True)
    call_flow_alternate_label = Text(max_length=50, metadata={
        "description": "Name of the alternate mode (e.g. Night)"})
    call_flow_alternate_sound = Text()
    call_flow_alternate_app = DestinationApp(
        "call_flow_alternate_data", "Where calls go while the status is false: the "
        "application.")
    call_flow_alternate_data = DestinationData(
        "call_flow_alternate_app", "Where calls go while the status is false: its data, "
        "e.g. *991001 XML example.com (voicemail box 1001).")
    call_flow_enabled = BoolString()
    call_flow_description = Text(max_length=1000)


LIST_COLUMNS = ["call_flow_uuid", "call_flow_name", "call_flow_extension",
                "call_flow_feature_code", "call_flow_status", "call_flow_enabled",
                "call_flow_description"]
DETAIL_COLUMNS = LIST_COLUMNS + [
    "call_flow_label", "call_flow_sound", "call_flow_app", "call_flow_data",
    "call_flow_alternate_label", "call_flow_alternate_sound", "call_flow_alternate_app",
    "call_flow_alternate_data", "call_flow_context", "dialplan_uuid"]
CallFlowListItemSchema = output_schema("CallFlowListItemSchema", CallFlow, LIST_COLUMNS,
                                       call_flow_status=Status())
CallFlowSchema = output_schema("CallFlowSchema", CallFlow, DETAIL_COLUMNS,
                               call_flow_status=Status())


class ToggledSchema(ma.Schema):
    call_flow_uuid = ma.fields.String()
    call_flow_status = Status()
    call_flow_active_label = ma.fields.String(allow_none=True, metadata={
        "description": "The label of the mode now routing calls"})
