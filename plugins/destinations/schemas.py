"""Destination fields, named as FusionPBX's ``v_destinations`` columns."""

from __future__ import annotations

import marshmallow as ma

from fpbx_api.fusionpbx.models import Destination
from fpbx_api.http.fields import (
    DIAL_STRING_NAME,
    BoolString,
    Integer,
    Pattern,
    Text,
    Uuid,
    output_schema,
)
from fpbx_api.kit.accountcodes import ACCOUNT_CODE
from fpbx_api.kit.destinations import DestinationApp, DestinationData
from fpbx_api.kit.detailed_dialplans import list_item_schema

TYPES = ["inbound", "local"]
# What the XML condition tests (setting dialplan/destination offers these three; the page
# puts any other value into the XML as a field name).
CONDITION_FIELDS = ["destination_number", "${sip_to_user}", "${sip_req_user}"]
DID = Pattern(r"^\+?[0-9]{1,20}$", error="Use 1 to 20 digits, optionally after a +.")
PREFIX = Pattern(r"^[0-9]{1,4}$", error="Use 1 to 4 digits (a country code).")
# FusionPBX's selectors offer music-on-hold streams and ringback tones; the value goes
# into an exported channel variable, which FreeSWITCH expands.
HOLD_MUSIC = Pattern(r"^local_stream://[A-Za-z0-9_.-]{1,64}(/[0-9]{4,5})?$",
                     error="Use local_stream://<stream>, e.g. local_stream://default.")
RINGBACK = Pattern(r"^(\$\{[a-z0-9_-]{1,32}\}|local_stream://[A-Za-z0-9_.-]{1,64})$",
                   error="Use a tone variable such as ${{us-ring}} or local_stream://<stream>.")
ALERT_INFO = Pattern(r"^[A-Za-z0-9<>:;=/._@-]{1,128}$",
                     error="Use an Alert-Info value such as <http://x/Bellcore-r2>;info=r2.")
CALLER_ID_NUMBER = Pattern(r"^\+?[0-9]{1,20}$", error="Use 1 to 20 digits, optionally after a +.")


class ActionSchema(ma.Schema):
    """One step of the route, in order (FusionPBX's ``destination_actions`` entries)."""

    destination_app = DestinationApp("destination_data", "The application.", required=True)
    destination_data = DestinationData("destination_app", "Its data.", required=True)


class CallerConditionSchema(ma.Schema):
    """Calls from these callers go elsewhere (the page's "conditions")."""

    condition_field = ma.fields.String(required=True, validate=ma.validate.OneOf(
        ["caller_id_number", "caller_id_number_prefix"]))
    # digits only: FusionPBX keeps '*' too, which the pattern it is put in reads as an
    # operator ('^*1' does not compile)
    condition_expression = Text(required=True, validate=CALLER_ID_NUMBER, metadata={
        "description": "The caller's number (or its beginning, for caller_id_number_prefix)"})
    condition_app = DestinationApp("condition_data", "Where those calls go: the application.")
    condition_data = DestinationData("condition_app", "Its data.")
    condition_description = Text(max_length=255)


class DestinationWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial)."""

    destination_type = ma.fields.String(validate=ma.validate.OneOf(TYPES), metadata={
        "description": "inbound: a DID arriving from a carrier (context public); local: a "
                       "number dialled inside the domain (context: the domain)"})
    destination_prefix = Text(validate=PREFIX, metadata={
        "description": "Country code the carrier may send before the number (1: "
                       "+12125550100, 12125550100 and 2125550100 all match)"})
    destination_number = Text(required=True, validate=DID)
    destination_condition_field = Text(validate=ma.validate.OneOf(CONDITION_FIELDS))
    destination_context = Text(metadata={
        "description": "public for inbound destinations, the domain's name for local ones "
                       "(the default; another context is refused)"})
    destination_actions = ma.fields.List(
        ma.fields.Nested(ActionSchema), validate=ma.validate.Length(max=10), metadata={
            "description": "Where the call goes, in order; replaces all actions when given "
                           "(the first two are also kept in destination_app/_data and "
                           "destination_alternate_app/_data)"})
    destination_conditions = ma.fields.List(
        ma.fields.Nested(CallerConditionSchema), validate=ma.validate.Length(max=10),
        metadata={"description": "Caller-ID rules tried before the actions; replaces all "
                                 "when given"})
    destination_app = DestinationApp("destination_data", "Shorthand for one action: the "
                                      "application (not with destination_actions).")
    destination_data = DestinationData("destination_app", "Shorthand for one action: its "
                                       "data.")
    user_uuid = Uuid(allow_none=True, metadata={"description": "A user of the domain"})
    destination_caller_id_name = Text(max_length=50, validate=DIAL_STRING_NAME)
    destination_caller_id_number = Text(validate=CALLER_ID_NUMBER)
    destination_cid_name_prefix = Text(max_length=50, metadata={
        "description": "Put before the caller's name (Main: → 'Main:#Alice')"})
    destination_record = BoolString()
    destination_hold_music = Text(validate=HOLD_MUSIC)
    destination_distinctive_ring = Text(validate=ALERT_INFO)
    destination_ringback = Text(validate=RINGBACK)
    destination_accountcode = Text(max_length=64, validate=ACCOUNT_CODE)
    destination_type_voice = Integer(allow_none=True, validate=ma.validate.OneOf([0, 1]))
    destination_type_fax = Integer(allow_none=True, validate=ma.validate.OneOf([0, 1]))
    destination_type_text = Integer(allow_none=True, validate=ma.validate.OneOf([0, 1]))
    destination_order = Integer(validate=ma.validate.Range(0, 999))
    destination_enabled = BoolString()
    destination_description = Text(max_length=1000)

    @ma.validates_schema
    def one_way_to_give_actions(self, data, **kwargs):
        if "destination_actions" in data and ({"destination_app", "destination_data"}
                                              & set(data)):
            raise ma.ValidationError("Give destination_actions or destination_app/"
                                     "destination_data, not both.", "destination_app")


ACTION_OUT = ma.fields.List(ma.fields.Dict(), allow_none=True)
LIST_COLUMNS = ["destination_uuid", "dialplan_uuid", "destination_type", "destination_prefix",
                "destination_number", "destination_context", "destination_app",
                "destination_data", "destination_order", "destination_enabled",
                "destination_description"]
DETAIL_COLUMNS = LIST_COLUMNS + [
    "user_uuid", "group_uuid", "fax_uuid", "destination_condition_field",
    "destination_number_regex", "destination_caller_id_name",
    "destination_caller_id_number", "destination_cid_name_prefix", "destination_record",
    "destination_hold_music", "destination_distinctive_ring", "destination_ringback",
    "destination_accountcode", "destination_type_voice", "destination_type_fax",
    "destination_type_text", "destination_type_emergency", "destination_alternate_app",
    "destination_alternate_data"]
DestinationListItemSchema = output_schema("DestinationListItemSchema", Destination,
                                          LIST_COLUMNS)
DestinationSchema = output_schema("DestinationDetailSchema", Destination, DETAIL_COLUMNS,
                                  destination_actions=ACTION_OUT,
                                  destination_conditions=ACTION_OUT)

# --- /inbound-routes: the same rows, as the contract's "List Inbound Routes" -----------
InboundRouteListItemSchema = list_item_schema("InboundRouteListItemSchema")


class InboundRouteSchema(InboundRouteListItemSchema):
    destination_uuid = ma.fields.String(allow_none=True)
    destination_prefix = ma.fields.String(allow_none=True)
    destination_actions = ACTION_OUT
    dialplan_xml = ma.fields.String(allow_none=True)


class InboundRouteWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial)."""

    dialplan_name = Text(max_length=255, metadata={
        "description": "Defaults to the number, as FusionPBX names a destination's dialplan"})
    dialplan_number = Text(required=True, validate=DID, metadata={"description": "The DID"})
    dialplan_order = Integer(validate=ma.validate.Range(0, 999))
    dialplan_enabled = BoolString()
    dialplan_description = Text(max_length=1000)
    destination_prefix = Text(validate=PREFIX)
    destination_actions = DestinationWriteSchema._declared_fields["destination_actions"]
    destination_app = DestinationApp("destination_data", "Shorthand for one action.")
    destination_data = DestinationData("destination_app", "Its data.")

    one_way_to_give_actions = DestinationWriteSchema.one_way_to_give_actions

