"""CDR fields (the contract's, plus what report builders filter on)."""

from __future__ import annotations

import marshmallow as ma

from fpbx_api.fusionpbx.models import XmlCdr
from fpbx_api.http.fields import (
    NUMBER,
    BoolString,
    DateOrTime,
    Integer,
    Pattern,
    Query,
    output_schema,
)

STATUSES = ["answered", "no_answer", "cancelled", "busy", "failed", "missed", "voicemail"]


class CdrArgs(ma.Schema):
    page = Integer(load_default=1, metadata={"minimum": 1})
    per_page = Integer(metadata={"default": 50, "minimum": 1, "maximum": 100})
    start_date = DateOrTime(metadata={"description": "From this day (domain time zone) or "
                                      "this instant, inclusive"})
    end_date = DateOrTime(metadata={"description": "To this day (inclusive) or instant"})
    direction = Query(validate=ma.validate.OneOf(["inbound", "outbound", "local"]),
                      metadata={"description": "The call's direction"})
    extension = Query(max_length=32, validate=NUMBER,
                      metadata={"description": "Calls to or from this extension number"})
    caller_id = Query(max_length=64, metadata={
        "description": "Partial, case-insensitive match on caller ID name or number"})
    hangup_cause = Query(max_length=64, validate=Pattern(r"^[A-Z_]+$"),
                         metadata={"example": "NORMAL_CLEARING"})
    status = Query(validate=ma.validate.OneOf(STATUSES))
    leg = Query(validate=ma.validate.OneOf(["a", "b"]))
    min_duration = Integer(validate=ma.validate.Range(0, 10_000_000))
    max_duration = Integer(validate=ma.validate.Range(0, 10_000_000))
    answered = BoolString(metadata={"description": "true: billsec > 0"})
    order = Query(validate=ma.validate.OneOf(
        ["start_stamp", "-start_stamp", "duration", "-duration", "billsec", "-billsec"]),
        metadata={"description": "Sort field, '-' first for descending (default "
                                 "-start_stamp, newest first)"})
    after = Query(max_length=200, metadata={
        "description": "pagination.next_cursor of the previous page: the next page by key"})


class CdrSchema(ma.Schema):
    xml_cdr_uuid = ma.fields.String()
    direction = ma.fields.String(allow_none=True)
    caller_id_name = ma.fields.String(allow_none=True)
    caller_id_number = ma.fields.String(allow_none=True)
    caller_destination = ma.fields.String(allow_none=True)
    destination_number = ma.fields.String(allow_none=True)
    start_stamp = ma.fields.String(allow_none=True, metadata={
        "description": "YYYY-MM-DD HH:MM:SS in the domain's time zone"})
    answer_stamp = ma.fields.String(allow_none=True)
    end_stamp = ma.fields.String(allow_none=True)
    duration = ma.fields.Integer(allow_none=True)
    billsec = ma.fields.Integer(allow_none=True)
    hangup_cause = ma.fields.String(allow_none=True)
    recording_file = ma.fields.String(allow_none=True, metadata={"description": "record_name"})
    extension_uuid = ma.fields.String(allow_none=True)
    status = ma.fields.String(allow_none=True)
    leg = ma.fields.String(allow_none=True)
    missed_call = BoolString()


DETAIL_COLUMNS = [c.name for c in XmlCdr.__table__.columns
                  if c.name not in ("xml", "json", "call_flow", "processed", "insert_date",
                                    "insert_user", "update_date", "update_user")]
CdrDetailSchema = output_schema(
    "CdrDetailSchema", XmlCdr, DETAIL_COLUMNS,
    json=ma.fields.Raw(allow_none=True, metadata={"description": "FreeSWITCH's CDR document"}),
    call_flow=ma.fields.Raw(allow_none=True),
    **{c: ma.fields.String(allow_none=True) for c in ("start_stamp", "answer_stamp",
                                                      "end_stamp")})
