"""How FusionPBX writes a call flow (``app/call_flows/call_flow_edit.php`` and its class
``app/call_flows/resources/classes/call_flows.php``): the row and a v_dialplans row whose
XML runs call_flow.lua, which routes to one of two destinations by the flow's status."""

from __future__ import annotations

from fpbx_api_plugins.call_flows import schemas
from fpbx_api_plugins.call_flows.dialplan import dialplan_xml, lamp

from fpbx_api.fusionpbx.dialplans import (
    dialplan_keys,
    save_dialplan,
)
from fpbx_api.fusionpbx.models import CallFlow
from fpbx_api.http.errors import validation_error
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.resource import Change, Resource, action
from fpbx_api.kit.scoping import domain_name

APP_UUID = "b1b70f85-6b42-429b-8c5a-60c8b02b7d14"
DIALPLAN_ORDER = 333
NUMBERS = ("call_flow_extension", "call_flow_feature_code")


class CallFlows(Resource):
    noun = Noun("a call flow")
    model = CallFlow
    dialplan_apps = (APP_UUID,)
    app_name, app_uuid = "call_flows", "b1b70f85-6b42-429b-8c5a-60c8b02b7d14"
    dialplan = "dialplan_uuid"
    secrets = ("call_flow_pin_number",)
    numbers = NUMBERS  # both are dialable: claimed against every feature's numbers
    list_spec = ListSpec(
        CallFlow,
        filters=["call_flow_extension", "call_flow_feature_code", "call_flow_status",
                 "call_flow_enabled"],
        search=["call_flow_name", "call_flow_extension", "call_flow_feature_code",
                "call_flow_label", "call_flow_alternate_label", "call_flow_description"],
        sort=["call_flow_name", "call_flow_extension", "call_flow_feature_code",
              "call_flow_status", "call_flow_enabled"],
    )
    list_schema = schemas.CallFlowListItemSchema
    detail_schema = schemas.CallFlowSchema
    schema = schemas.CallFlowWriteSchema

    def defaults(self, values):
        return {"call_flow_context": domain_name(), "call_flow_status": "true",
                "call_flow_enabled": True}

    def check(self, values, row=None):
        """The declared numbers are claimed against other rows; a flow's own two must
        differ too."""
        extension, code = (values.get(f, row and getattr(row, f)) for f in NUMBERS)
        if extension and extension == code:
            raise validation_error("call_flow_feature_code",
                                   "The feature code must differ from the extension.")

    def written(self, row, values, before):
        """The dialplan row, rebuilt on every save as FusionPBX does."""
        dialplan = save_dialplan(
            row.dialplan_uuid, app_uuid=APP_UUID, name=row.call_flow_name,
            number=row.call_flow_extension, context=row.call_flow_context,
            order=DIALPLAN_ORDER, enabled=row.call_flow_enabled,
            description=row.call_flow_description,
            xml=lambda uuid: dialplan_xml(row, uuid))
        row.dialplan_uuid = dialplan.dialplan_uuid
        return {}

    def change(self, row, before):
        """The dialplan key (call_flow_edit.php), and the BLF lamp of the feature code.

        FusionPBX's edit page lights the lamp while the status is "true", the feature
        code (call_flow.lua) while it is "false": the lamp says the alternate mode is on.
        The API follows the feature code on every write, so the lamp never contradicts
        the last flip; a code that is removed or changed has its lamp turned off (FusionPBX
        leaves it lit)."""
        before = before or {}
        contexts = [before.get("call_flow_context"), row and row.call_flow_context]
        events = []
        old = before.get("call_flow_feature_code")
        if old and (row is None or row.call_flow_feature_code != old):
            events += lamp(old, before["call_flow_uuid"], domain_name(), on=False)
        if row is not None:
            events += lamp(row.call_flow_feature_code, row.call_flow_uuid, domain_name(),
                           on=row.call_flow_status == "false")
        return Change(dialplan_keys(*contexts), [], events)

    @action("toggle", summary="Flip the call flow to its other destination, as its "
            "feature code does", response=schemas.ToggledSchema,
            message="Call flow toggled successfully")
    def toggle(self, row, values) -> tuple[dict, None]:
        """Flip the flow as its feature code does (call_flow.lua): the status, and, as
        for any write (``change``), the lamp and the dialplan key, as the list page's
        toggle (call_flows.php) clears it."""
        row.call_flow_status = "true" if row.call_flow_status == "false" else "false"
        label = row.call_flow_label if row.call_flow_status == "true" \
            else row.call_flow_alternate_label
        return ({"call_flow_uuid": row.call_flow_uuid,
                 "call_flow_status": row.call_flow_status, "call_flow_active_label": label},
                None)
