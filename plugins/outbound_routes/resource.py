"""How FusionPBX writes an outbound route (``app/dialplan_outbound/dialplan_outbound_add.php``):
two dialplans of the outbound-routes app, the route itself and a
``call_direction-outbound`` helper at order 22 that marks matching calls outbound,
each stored as details and the XML built from them.

FusionPBX has no page that edits a route: its generic dialplan editor
(``app/dialplans/dialplan_edit.php``) saves the row (``dialplan_destination`` false,
``continue="false"`` in the XML) and keeps the details. An update here does the same,
and rewrites the details when a route field (gateway, pattern, prefix…) is given,
the others read back from the stored details. Deleting a route leaves its helper, as
FusionPBX does: it only marks matching calls outbound.
"""

from __future__ import annotations

from fpbx_api_plugins.outbound_routes import details, schemas
from sqlalchemy import or_, select

from fpbx_api import db
from fpbx_api.fusionpbx.dialplan_builder import dialplan_xml, replace_details
from fpbx_api.fusionpbx.models import Dialplan, Gateway
from fpbx_api.fusionpbx.rows import new_uuid, now
from fpbx_api.http.errors import validation_error
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.accountcodes import check_account_code
from fpbx_api.kit.detailed_dialplans import DetailedDialplans, detail_rows
from fpbx_api.kit.resource import columns
from fpbx_api.kit.scoping import domain_uuid

APP_UUID = "8c914ec3-9fc0-8ab5-4cda-6c9288bdc9a3"
HELPER_ORDER = 22


class OutboundRoutes(DetailedDialplans):
    noun = Noun("an outbound route")
    path = "/outbound-routes"
    slice = {"app_uuid": APP_UUID}
    app_name, app_uuid = "dialplans", "742714e5-8cdf-32fd-462c-cbe7e3d655db"
    # The route's PIN is also in its XML and in a detail's data ("pin_number=…"), so the
    # audit trail redacts those whole.
    secrets = ("pin_number", "dialplan_xml", "dialplan_detail_data")
    list_spec = ListSpec(Dialplan, filters=["dialplan_enabled"],
                         search=["dialplan_name", "dialplan_description"],
                         sort=["dialplan_order", "dialplan_name"])
    list_schema = schemas.OutboundRouteListItemSchema
    detail_schema = schemas.OutboundRouteSchema
    schema = schemas.OutboundRouteWriteSchema
    virtual_fields = frozenset(schemas.ROUTE_FIELDS)

    def query(self):
        """The routes, not their helpers (same app, named call_direction-outbound…)."""
        return super().query().where(
            ~Dialplan.dialplan_name.startswith(details.HELPER_NAME))

    def prepare(self, values):
        preset = values.pop("dialplan_expression_preset", None)
        if preset:
            values["dialplan_expression"] = details.PRESETS[preset][0]
        return values

    def defaults(self, values):
        return {**super().defaults(values), "dialplan_order": 300,
                "dialplan_name": self._name(values)}

    def check(self, values, row=None):
        for field in ("gateway", "gateway_2", "gateway_3"):
            if values.get(field):
                self._gateway(values[field], field)
        check_account_code(values.get("accountcode"), field="accountcode")

    @staticmethod
    def _gateway(uuid: str, field: str) -> Gateway:
        """The domain's own gateway or a global one (no domain); another domain's
        gateway is refused as unknown."""
        gateway = db.session().scalars(select(Gateway).where(
            Gateway.gateway_uuid == uuid,
            or_(Gateway.domain_uuid == domain_uuid(), Gateway.domain_uuid.is_(None)))).first()
        if gateway is None:
            raise validation_error(field, "No such gateway in this domain (or global).")
        return gateway

    def _name(self, values) -> str:
        """``<gateway name>.<pattern abbreviation>``, as the page names a route."""
        gateway = self._gateway(values["gateway"], "gateway")
        return f"{gateway.gateway}.{details.abbreviation(values['dialplan_expression'])}"

    def details(self, row, values, before):
        if before is not None and not set(schemas.ROUTE_FIELDS) & set(values):
            return None
        stored = details.settings_of(detail_rows(row.dialplan_uuid)) if before else {}
        return details.route_details({**stored, **values})

    def written(self, row, values, before):
        if before is not None:
            row.dialplan_destination = False  # as the dialplan editor saves it
        extra = super().written(row, values, before)
        if before is None:
            self._helper(row, values)
        return extra

    def _helper(self, route, values) -> None:
        """The ``call_direction-outbound`` dialplan: named with the pattern's abbreviation
        when the route has no description, as the page does."""
        expression = values["dialplan_expression"]
        suffix = "" if route.dialplan_description else f".{details.abbreviation(expression)}"
        helper = Dialplan(dialplan_uuid=new_uuid(), domain_uuid=domain_uuid(),
                          app_uuid=APP_UUID, dialplan_name=details.HELPER_NAME + suffix,
                          dialplan_order=HELPER_ORDER, dialplan_continue=True,
                          dialplan_context=route.dialplan_context,
                          dialplan_enabled=route.dialplan_enabled,
                          dialplan_description=route.dialplan_description,
                          insert_date=now())
        db.session().add(helper)
        db.session().flush()
        rows = details.helper_details(expression)
        replace_details(helper, rows)
        helper.dialplan_xml = dialplan_xml(helper, rows, "1")

    def detail(self, row):
        return {**columns(row), **details.settings_of(detail_rows(row.dialplan_uuid))}
