"""Dialplan and dialplan-detail fields, named as FusionPBX's columns."""

from __future__ import annotations

import marshmallow as ma

from fpbx_api.fusionpbx.dialplan_builder import TAGS
from fpbx_api.fusionpbx.models import Dialplan, DialplanDetail
from fpbx_api.http.fields import (
    BoolString,
    Integer,
    NumberString,
    Pattern,
    Text,
    no_control_chars,
    output_schema,
)

BREAKS = ["on-true", "on-false", "always", "never"]


class InlineString(ma.fields.Field):
    """``dialplan_detail_inline``: a text column holding "true"/"false" (or NULL)."""

    def __init__(self, **kwargs):
        super().__init__(allow_none=True, metadata={
            "type": "string", "enum": ["true", "false"], "nullable": True,
            "description": "true: FreeSWITCH runs the action while it builds the call's "
                           "plan (set/export of variables later conditions test)"},
            **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            return "true" if value else "false"
        if value in ("true", "false"):
            return value
        if value == "":
            return None
        raise ma.ValidationError('Must be "true", "false" or null.')


class DialplanDetailWriteSchema(ma.Schema):
    dialplan_detail_tag = ma.fields.String(required=True, validate=ma.validate.OneOf(TAGS))
    dialplan_detail_type = ma.fields.String(
        required=True, validate=[ma.validate.Length(1, 255), no_control_chars],
        metadata={"description": "A condition's field (destination_number, ${variable}, "
                  "wday, regex…) or an action's application (see the README's dialplan "
                  "applications)"})
    dialplan_detail_data = ma.fields.String(
        allow_none=True, load_default=None,
        validate=[ma.validate.Length(max=4096), no_control_chars],
        metadata={"description": "A condition's expression (a regular expression; a "
                  "time condition's value) or an action's data"})
    dialplan_detail_break = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.OneOf([*BREAKS, ""]))
    dialplan_detail_inline = InlineString(load_default=None)
    dialplan_detail_group = Integer(load_default=0, validate=ma.validate.Range(0, 9999))
    dialplan_detail_order = Integer(allow_none=True, load_default=None,
                                    validate=ma.validate.Range(0, 99999), metadata={
                                        "description": "Default: the row's position × 10"})
    dialplan_detail_enabled = BoolString(load_default=True)


DETAIL_COLUMNS = ["dialplan_detail_uuid", "dialplan_detail_tag", "dialplan_detail_type",
                  "dialplan_detail_data", "dialplan_detail_break", "dialplan_detail_inline",
                  "dialplan_detail_group", "dialplan_detail_order", "dialplan_detail_enabled"]
DetailOutSchema = output_schema("DialplanDetailSchema", DialplanDetail, DETAIL_COLUMNS)

LIST_COLUMNS = ["dialplan_uuid", "app_uuid", "dialplan_name", "dialplan_number",
                "dialplan_context", "dialplan_order", "dialplan_continue", "dialplan_enabled",
                "dialplan_description"]
# The contract shows dialplan_order as a string ("100").
ORDER = NumberString(maximum=999)
DialplanListItemSchema = output_schema("DialplanListItemSchema", Dialplan, LIST_COLUMNS,
                                       dialplan_order=ORDER)
DialplanSchema = output_schema(
    "DialplanSchema", Dialplan, [*LIST_COLUMNS, "hostname", "dialplan_xml"],
    dialplan_order=ORDER, details=ma.fields.List(ma.fields.Nested(DetailOutSchema)))


class DialplanWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial)."""

    dialplan_name = Text(required=True, metadata={
        "description": "Spaces become _ and / is dropped, as FusionPBX's editor does"})
    dialplan_number = Text()
    dialplan_context = Text(validate=Pattern(r"^[A-Za-z0-9_.@${}-]{1,255}$"), metadata={
        "description": "Default: your domain. public, global, ${domain_name} and other "
                       "domains' contexts need a system-scope key."})
    dialplan_order = NumberString(maximum=999)  # lower runs first; default 200
    dialplan_continue = BoolString()
    dialplan_enabled = BoolString()
    dialplan_description = Text(max_length=1000)
    hostname = Text(validate=Pattern(r"^[A-Za-z0-9.-]{1,255}$"), metadata={
        "description": "Only the switch of this hostname uses the dialplan"})
    details = ma.fields.List(ma.fields.Nested(DialplanDetailWriteSchema),
                             validate=ma.validate.Length(max=200), metadata={
                                 "description": "Replaces all details when given"})
