"""Ring-group fields, named as FusionPBX's columns."""

from __future__ import annotations

import marshmallow as ma

from fpbx_api.fusionpbx.models import RingGroup
from fpbx_api.http.fields import (
    DIAL_STRING_NAME,
    DIAL_STRING_VALUE,
    NUMBER,
    BoolString,
    Integer,
    Pattern,
    Text,
    output_schema,
)
from fpbx_api.kit.destinations import (
    DestinationApp,
    DestinationData,
    DestinationNumber,
    own_domain_only,
)

STRATEGIES = ["simultaneous", "sequence", "enterprise", "rollover", "random"]
DESTINATION = Pattern(r"^[A-Za-z0-9*#+_.@-]{1,64}$",
                      error="Use 1 to 64 of: letters, digits, * # + _ . @ -")


class DestinationSchema(ma.Schema):
    destination_number = ma.fields.String(required=True, validate=[DESTINATION, own_domain_only])
    destination_delay = Integer(load_default=0, validate=ma.validate.Range(0, 600),
                                metadata={"description": "Seconds before ringing "
                                          "(the order for sequence/rollover)"})
    destination_timeout = Integer(load_default=30, validate=ma.validate.Range(1, 600))
    destination_prompt = Integer(allow_none=True, load_default=None,
                                 validate=ma.validate.OneOf([1]), metadata={
                                     "description": "1: the callee confirms"})
    destination_enabled = BoolString(load_default=True)
    destination_description = Text()


class DestinationOutSchema(DestinationSchema):
    ring_group_destination_uuid = ma.fields.String()


LIST_COLUMNS = ["ring_group_uuid", "ring_group_name", "ring_group_extension",
                "ring_group_strategy", "ring_group_timeout_app", "ring_group_timeout_data",
                "ring_group_cid_name_prefix", "ring_group_cid_number_prefix",
                "ring_group_enabled", "ring_group_description"]
DETAIL_COLUMNS = LIST_COLUMNS + [
    "ring_group_greeting", "ring_group_exit_key", "ring_group_call_timeout",
    "ring_group_caller_id_name", "ring_group_caller_id_number", "ring_group_distinctive_ring",
    "ring_group_ringback", "ring_group_call_screen_enabled", "ring_group_call_forward_enabled",
    "ring_group_follow_me_enabled", "ring_group_missed_call_app",
    "ring_group_missed_call_data", "ring_group_forward_enabled",
    "ring_group_forward_destination", "ring_group_forward_toll_allow", "ring_group_context",
    "dialplan_uuid"]
RingGroupListItemSchema = output_schema("RingGroupListItemSchema", RingGroup, LIST_COLUMNS)


class RingGroupWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial)."""

    ring_group_name = Text(required=True)
    ring_group_extension = ma.fields.String(required=True, validate=NUMBER)
    ring_group_strategy = ma.fields.String(validate=ma.validate.OneOf(STRATEGIES))
    ring_group_timeout_app = DestinationApp(
        "ring_group_timeout_data", "What happens when nobody answers: the application.")
    ring_group_timeout_data = DestinationData(
        "ring_group_timeout_app", "What happens when nobody answers: its data, e.g. "
        "*991001 XML example.com (voicemail box 1001).")
    ring_group_greeting = Text()
    ring_group_exit_key = Text(validate=Pattern(r"^[0-9*#]$"))
    ring_group_call_timeout = Integer(allow_none=True,
                                      validate=ma.validate.Range(0, 3600))
    ring_group_caller_id_name = Text(validate=DIAL_STRING_NAME)
    ring_group_caller_id_number = Text(max_length=50, validate=DIAL_STRING_VALUE)
    ring_group_cid_name_prefix = Text(max_length=50)
    ring_group_cid_number_prefix = Text(max_length=50)
    ring_group_distinctive_ring = Text()
    ring_group_ringback = Text()
    ring_group_call_screen_enabled = BoolString()
    ring_group_call_forward_enabled = BoolString()
    ring_group_follow_me_enabled = BoolString()
    ring_group_missed_call_app = Text(validate=ma.validate.OneOf(["email", "text", "url"]))
    ring_group_missed_call_data = Text()
    ring_group_forward_enabled = BoolString()
    ring_group_forward_destination = DestinationNumber(
        "Where every call goes while forwarding is enabled.")
    ring_group_forward_toll_allow = Text()
    ring_group_enabled = BoolString()
    ring_group_description = Text(max_length=1000)
    destinations = ma.fields.List(ma.fields.Nested(DestinationSchema),
                                  validate=ma.validate.Length(max=100), metadata={
                                      "description": "Replaces all destinations when given"})


RingGroupSchema = output_schema(
    "RingGroupSchema", RingGroup, DETAIL_COLUMNS,
    destinations=ma.fields.List(ma.fields.Nested(DestinationOutSchema)))
