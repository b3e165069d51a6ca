"""Test-only resources for the kit's scopes, slices and computed list fields
(tests/test_kit_scopes.py), in one plugin: a system table (v_sip_profiles), a table of
domain and global rows (v_gateways) with an action, two slices of v_dialplans with
computed list fields, and global dialplans with their details as a nested collection."""

import marshmallow as ma

from fpbx_api.fusionpbx.models import Dialplan, DialplanDetail, Gateway, SipProfile
from fpbx_api.http.fields import BoolString, Integer, Text, output_schema
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.computed import count_of, value_of
from fpbx_api.kit.resource import Change, Child, Resource, action, resource_plugin
from fpbx_api.kit.scoping import owner_field

DIALPLANS = "742714e5-8cdf-32fd-462c-cbe7e3d655db"        # app/dialplans
TIME_CONDITIONS = "4b821450-926b-175a-af93-a03c441818b1"  # app/time_conditions
INBOUND_ROUTES = "c03b422e-13a8-bd1b-e42b-b6b9b4d27ce4"   # app/dialplan_inbound


# --- system: every key reads, the system scope writes --------------------------------------
class ProfileWrite(ma.Schema):
    sip_profile_name = ma.fields.String(required=True, validate=ma.validate.Length(1, 64))
    sip_profile_description = Text()
    sip_profile_enabled = BoolString()


class Profiles(Resource):
    noun = Noun("a test profile")
    path = "/profiles"
    model = SipProfile
    scope = "system"
    unique = ("sip_profile_name",)
    list_spec = ListSpec(SipProfile, sort=["sip_profile_name"])
    list_schema = detail_schema = output_schema(
        "KitProfileSchema", SipProfile,
        ["sip_profile_uuid", "sip_profile_name", "sip_profile_description",
         "sip_profile_enabled"])
    schema = ProfileWrite


# --- global: a domain's rows and global ones (domain_uuid NULL) ----------------------------
class TrunkWrite(ma.Schema):
    gateway = ma.fields.String(required=True, validate=ma.validate.Length(1, 64))
    description = Text()
    domain_uuid = owner_field("test trunk")


class Trunks(Resource):
    noun = Noun("a test trunk")
    path = "/trunks"
    model = Gateway
    scope = "global"
    unique = ("gateway",)
    list_spec = ListSpec(Gateway, search=["gateway"], sort=["gateway"])
    list_schema = detail_schema = output_schema(
        "KitTrunkSchema", Gateway, ["gateway_uuid", "gateway", "description"],
        domain_uuid=owner_field("test trunk", output=True))
    schema = TrunkWrite

    @action("disable", summary="Disable the trunk")
    def disable(self, row, values):
        row.enabled = False
        return {"gateway_uuid": row.gateway_uuid}, Change()


# --- slices of v_dialplans, with computed list fields --------------------------------------
class Detail(ma.Schema):
    dialplan_detail_tag = ma.fields.String(required=True,
                                           validate=ma.validate.OneOf(["condition", "action"]))
    dialplan_detail_type = Text(required=True)
    dialplan_detail_data = Text()
    dialplan_detail_order = Integer()


class DialplanWrite(ma.Schema):
    dialplan_name = ma.fields.String(required=True, validate=ma.validate.Length(1, 64))
    dialplan_description = Text()
    details = ma.fields.List(ma.fields.Nested(Detail))


DETAILS = Child("details", DialplanDetail, "dialplan_uuid", Detail,
                order_by=("dialplan_detail_order",))
COLUMNS = ["dialplan_uuid", "dialplan_name", "dialplan_description", "app_uuid"]
COMPUTED = {
    "detail_count": count_of(DialplanDetail.dialplan_uuid, Dialplan.dialplan_uuid),
    "first_action": value_of(DialplanDetail.dialplan_detail_data, DialplanDetail.dialplan_uuid,
                             Dialplan.dialplan_uuid,
                             DialplanDetail.dialplan_detail_tag == "action",
                             order_by=DialplanDetail.dialplan_detail_order),
}
DialplanItem = output_schema("KitDialplanItemSchema", Dialplan, COLUMNS,
                             detail_count=ma.fields.Integer(),
                             first_action=ma.fields.String(allow_none=True))


class TimeConditions(Resource):
    noun = Noun("a test time condition")
    path = "/time-conditions"
    model = Dialplan
    slice = {"app_uuid": TIME_CONDITIONS}
    unique = ("dialplan_name",)
    children = (DETAILS,)
    list_extra = COMPUTED
    list_spec = ListSpec(Dialplan, filters=["detail_count"], search=["first_action"],
                         sort=["dialplan_name", "detail_count"], extra=list_extra)
    list_schema = DialplanItem
    detail_schema = output_schema("KitDialplanSchema", Dialplan, COLUMNS,
                                  details=ma.fields.List(ma.fields.Nested(Detail)))
    schema = DialplanWrite


class InboundRoutes(TimeConditions):
    """The same table and fields, another slice; ``list_extra`` without ``extra=`` on the
    list spec: selected, not sortable."""

    noun = Noun("a test inbound route")
    path = "/inbound-routes"
    slice = {"app_uuid": INBOUND_ROUTES}
    list_spec = ListSpec(Dialplan, sort=["dialplan_name"])


# --- a nested collection under global rows --------------------------------------------------
class GlobalDialplans(Resource):
    """FusionPBX's dialplans with no domain are global (the "global" context)."""

    noun = Noun("a test dialplan")
    path = "/dialplans"
    model = Dialplan
    scope = "global"
    slice = {"app_uuid": DIALPLANS}
    list_spec = ListSpec(Dialplan, sort=["dialplan_name"])
    list_schema = detail_schema = output_schema(
        "KitGlobalDialplanSchema", Dialplan, ["dialplan_uuid", "dialplan_name"],
        domain_uuid=owner_field("test dialplan", output=True))
    schema = type("KitGlobalDialplanWrite", (ma.Schema,), {
        "dialplan_name": ma.fields.String(), "domain_uuid": owner_field("test dialplan")})


class DialplanDetails(Resource):
    """A dialplan's details, each addressed on its own (the parent's scope: global)."""

    noun = Noun("a test dialplan detail")
    path = "/details"
    parent, parent_key = GlobalDialplans, "dialplan_uuid"
    model = DialplanDetail
    list_spec = ListSpec(DialplanDetail, sort=["dialplan_detail_order"])
    list_schema = detail_schema = output_schema(
        "KitDetailSchema", DialplanDetail,
        ["dialplan_detail_uuid", "dialplan_detail_data", "domain_uuid"])
    schema = Detail


plugin = resource_plugin("scopes", [Profiles(), Trunks(), TimeConditions(), InboundRoutes(),
                                    GlobalDialplans(), DialplanDetails()],
                         url_prefix="/scopes",
                         description="Test-only: the kit's scopes, slices and computed fields")
