"""Active-call fields (the contract's) and the call-control requests."""

from __future__ import annotations

import marshmallow as ma

from fpbx_api.http.fields import NUMBER, Integer, Pattern, Uuid

DESTINATION = Pattern(r"^[0-9+*#]{1,50}$",
                      error="Use 1 to 50 of: digits, +, *, #.")
CALLER_NAME = Pattern(r"^[A-Za-z0-9 ._-]{1,50}$",
                      error="Use 1 to 50 of: letters, digits, space, . _ -")


class ActiveCallSchema(ma.Schema):
    call_uuid = ma.fields.String(metadata={"description": "The channel's uuid"})
    caller_id_name = ma.fields.String()
    caller_id_number = ma.fields.String()
    destination_number = ma.fields.String()
    call_direction = ma.fields.String(metadata={"enum": ["inbound", "outbound"]})
    call_state = ma.fields.String(metadata={"example": "CS_EXECUTE"})
    callstate = ma.fields.String(metadata={"description": "ACTIVE, RINGING, HELD, …"})
    created_time = ma.fields.String(metadata={
        "description": "Start, in the domain's time zone (YYYY-MM-DD HH:MM:SS)"})
    created_epoch = ma.fields.Integer()
    duration = ma.fields.Integer(metadata={"description": "Seconds since the start"})
    channel_name = ma.fields.String(metadata={"example": "sofia/internal/1001@example.com"})
    context = ma.fields.String()
    application = ma.fields.String()
    bridged_uuid = ma.fields.String(allow_none=True, metadata={
        "description": "The other leg's uuid when the call is bridged"})
    switch = ma.fields.String(metadata={"description": "The FreeSWITCH host holding the call"})


class HangupSchema(ma.Schema):
    call_uuid = Uuid(required=True)


class TransferSchema(ma.Schema):
    call_uuid = Uuid(required=True)
    destination = ma.fields.String(required=True, validate=DESTINATION)
    leg = ma.fields.String(load_default="a", validate=ma.validate.OneOf(["a", "b", "both"]),
                           metadata={"description": "Which leg to transfer (default a)"})


class OriginateSchema(ma.Schema):
    extension = ma.fields.String(required=True, validate=NUMBER, metadata={
        "description": "The domain's extension to ring first"})
    destination = ma.fields.String(required=True, validate=DESTINATION, metadata={
        "description": "Number to connect once the extension answers"})
    caller_id_name = ma.fields.String(validate=CALLER_NAME)
    caller_id_number = ma.fields.String(validate=DESTINATION)
    timeout = Integer(load_default=30, validate=ma.validate.Range(5, 120),
                      metadata={"description": "Seconds to ring the extension"})


class CallResultSchema(ma.Schema):
    call_uuid = ma.fields.String()
    destination = ma.fields.String()
    result = ma.fields.String(metadata={"description": "FreeSWITCH's answer, e.g. +OK"})
    switch = ma.fields.String()
