"""``/inbound-routes``: the contract lists inbound routes apart, but in FusionPBX 5.x an
inbound route is a destination plus its dialplan (the legacy wizard,
``app/dialplan_inbound/dialplan_inbound_add.php``, wrote the dialplan alone, which
does not route in the shipped ``single`` dialplan mode). So this is a view of the
inbound dialplans, keyed by ``dialplan_uuid``, whose writes go through
``Destinations``: a route written through either path is the same rows."""

from __future__ import annotations

from flask import g
from fpbx_api_plugins.destinations import schemas
from fpbx_api_plugins.destinations.resource import APP_UUIDS, Destinations
from fpbx_api_plugins.destinations.schemas import DID

from fpbx_api import db
from fpbx_api.fusionpbx.dialplans import delete_dialplan, dialplan_keys
from fpbx_api.fusionpbx.models import Destination, Dialplan
from fpbx_api.http.errors import validation_error
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.resource import Change, Resource, columns
from fpbx_api.kit.scoping import scoped

# The route's fields under the names of the destination's columns.
AS_DESTINATION = {"dialplan_number": "destination_number",
                  "dialplan_order": "destination_order",
                  "dialplan_enabled": "destination_enabled",
                  "dialplan_description": "destination_description"}


class InboundRoutes(Resource):
    noun = Noun("an inbound route")
    path = "/inbound-routes"
    model = Dialplan
    app_name, app_uuid = "destinations", "5ec89622-b19c-3559-64f0-afde802ab139"
    list_spec = ListSpec(Dialplan, filters=["dialplan_number", "dialplan_enabled"],
                         search=["dialplan_name", "dialplan_number", "dialplan_description"],
                         sort=["dialplan_order", "dialplan_name", "dialplan_number"])
    list_schema = schemas.InboundRouteListItemSchema
    detail_schema = schemas.InboundRouteSchema
    schema = schemas.InboundRouteWriteSchema
    slice = {"app_uuid": APP_UUIDS["inbound"]}
    destinations = Destinations()

    def _destination(self, row, *, for_update: bool = False) -> Destination | None:
        stmt = scoped(Destination).where(Destination.dialplan_uuid == row.dialplan_uuid)
        if for_update:
            stmt = stmt.with_for_update(of=Destination)
        return db.session().scalars(stmt).first()

    @staticmethod
    def _as_destination(values: dict) -> dict:
        return {AS_DESTINATION.get(k, k): v for k, v in values.items()}

    def create(self, values):
        destination, extra = self.destinations.create(
            {"destination_type": "inbound", **self._as_destination(values)})
        g.inbound_route = (None, destination)
        return self.get(destination.dialplan_uuid), extra

    def update(self, row, values):
        before = columns(row)
        destination = self._destination(row, for_update=True)
        if destination is None:
            self._adopt(row, values)
            return before
        old = self.destinations.update(destination, self._as_destination(values))
        g.inbound_route = (old, destination)
        return before

    def _adopt(self, row, values: dict) -> None:
        """A route the legacy wizard wrote gets the destination it lacks (its dialplan
        rewritten as a destination's): the only form that routes in single mode."""
        if not values.get("destination_actions") and not values.get("destination_app"):
            raise validation_error("destination_actions", "This route has no destination "
                                   "yet (FusionPBX's legacy wizard wrote it): give where "
                                   "its calls go.")
        number = values.get("dialplan_number") or row.dialplan_number or ""
        if not DID.regex.fullmatch(number):
            raise validation_error("dialplan_number", DID.error)
        destination, _ = self.destinations.create({
            "destination_type": "inbound", "dialplan_uuid": row.dialplan_uuid,
            "dialplan_name": row.dialplan_name, "destination_order": row.dialplan_order,
            "destination_enabled": row.dialplan_enabled,
            "destination_description": row.dialplan_description,
            **self._as_destination(values), "destination_number": number})
        g.inbound_route = (columns(row), destination)

    def delete(self, row):
        destination = self._destination(row, for_update=True)
        if destination is None:
            delete_dialplan(row.dialplan_uuid)
            g.inbound_route = (columns(row), None)
            return
        g.inbound_route = (columns(destination), None)
        self.destinations.delete(destination)

    def change(self, row, before):
        old, new = g.get("inbound_route", (None, None))
        if old is not None and "destination_number" not in old:  # a legacy route
            legacy = Change(dialplan_keys(old["dialplan_context"]), [])
            if new is None:
                return legacy
            adopted = self.destinations.change(new, None)
            return Change(sorted({*legacy.cache_keys, *adopted.cache_keys}), [])
        return self.destinations.change(new, old)

    def detail(self, row):
        destination = self._destination(row)
        return {**columns(row),
                **({k: getattr(destination, k) for k in
                    ("destination_uuid", "destination_prefix", "destination_actions")}
                   if destination is not None else {})}

