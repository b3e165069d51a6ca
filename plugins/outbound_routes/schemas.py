"""Outbound route fields: the dialplan's columns and the form fields of
``app/dialplan_outbound/dialplan_outbound_add.php`` (kept in the route's details)."""

from __future__ import annotations

import marshmallow as ma
from fpbx_api_plugins.outbound_routes.details import PRESETS

from fpbx_api.fusionpbx.models import Dialplan
from fpbx_api.http.fields import BoolString, Integer, Pattern, Pin, Text, Uuid, output_schema
from fpbx_api.kit.accountcodes import ACCOUNT_CODE
from fpbx_api.kit.bodies import validates_create
from fpbx_api.kit.detailed_dialplans import ORDER, list_item_schema
from fpbx_api.kit.regexes import Regex

# Dialled before the number in the bridge string: digits and the dial-string safe * # +
PREFIX = Pattern(r"^[0-9*#+]{1,10}$", error="Use 1 to 10 of: digits * # +")
# The route's condition on the caller's ${toll_allow}: one class name (an extension's
# toll_allow lists them, e.g. domestic,international).
TOLL_ALLOW = Pattern(r"^[A-Za-z0-9_-]{1,64}$", error="Use one name: letters, digits, _ -")
ROUTE_FIELDS = ("gateway", "gateway_2", "gateway_3", "dialplan_expression",
                "dialplan_expression_preset", "prefix_number", "limit", "accountcode",
                "toll_allow", "pin_number")


class OutboundRouteWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial)."""

    gateway = Uuid(required=True, metadata={"description": "The gateway calls leave "
                                            "through (its uuid): one of the domain's own "
                                            "or a global one"})
    gateway_2 = Uuid(allow_none=True, metadata={"description": "Failover gateway"})
    gateway_3 = Uuid(allow_none=True, metadata={"description": "Second failover gateway"})
    dialplan_expression = Regex(metadata={"description": "The numbers this route takes "
                                          "(PCRE); $1 is dialled"})
    dialplan_expression_preset = ma.fields.String(
        validate=ma.validate.OneOf(sorted(PRESETS)), metadata={
            "description": "One of FusionPBX's patterns instead of dialplan_expression "
                           "(north_america: 10/11-digit NANP; 911: 911 and 933 with the "
                           "emergency caller ID)"})
    prefix_number = Text(validate=PREFIX, metadata={"description": "Dialled before $1"})
    limit = Integer(allow_none=True, validate=ma.validate.Range(0, 10000), metadata={
        "description": "Concurrent outbound calls of the domain through this route "
                       "(empty: no limit)"})
    accountcode = Text(max_length=64, validate=ACCOUNT_CODE)
    toll_allow = Text(validate=TOLL_ALLOW)
    pin_number = Pin(16, words=("database",), metadata={
        "description": "Digits callers key in before the call, or 'database': any of the "
                       "PIN numbers FusionPBX keeps"})
    dialplan_name = Text(metadata={"description": "Default: <gateway name>.<pattern>"})
    dialplan_order = Integer(validate=ma.validate.Range(0, 300), metadata={
        "description": "At most 300 (FusionPBX: later orders loop with call-forward-all)"})
    dialplan_enabled = BoolString()
    dialplan_description = Text(max_length=1000)

    @ma.validates_schema
    def one_pattern(self, data, **kwargs):
        if "dialplan_expression" in data and "dialplan_expression_preset" in data:
            raise ma.ValidationError("Give dialplan_expression or its preset, not both.",
                                     "dialplan_expression_preset")

    @validates_create  # an update without either keeps the stored pattern
    def a_pattern(self, data, **kwargs):
        if "dialplan_expression" not in data and "dialplan_expression_preset" not in data:
            raise ma.ValidationError("Give dialplan_expression or "
                                     "dialplan_expression_preset.", "dialplan_expression")


OutboundRouteListItemSchema = list_item_schema("OutboundRouteListItemSchema")
OutboundRouteSchema = output_schema(
    "OutboundRouteSchema", Dialplan,
    ["dialplan_uuid", "dialplan_name", "dialplan_number", "dialplan_context",
     "dialplan_enabled", "dialplan_description", "dialplan_xml"], dialplan_order=ORDER(),
    gateway=ma.fields.String(allow_none=True), gateway_2=ma.fields.String(allow_none=True),
    gateway_3=ma.fields.String(allow_none=True),
    dialplan_expression=ma.fields.String(allow_none=True),
    prefix_number=ma.fields.String(allow_none=True), limit=ma.fields.Integer(allow_none=True),
    accountcode=ma.fields.String(allow_none=True), toll_allow=ma.fields.String(allow_none=True),
    pin_number=ma.fields.String(allow_none=True))
