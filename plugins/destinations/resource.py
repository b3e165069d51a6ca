"""How FusionPBX writes a destination (``app/destinations/destination_edit.php``): the
``v_destinations`` row, the ``v_dialplans`` row that routes its number and that
dialplan's ``v_dialplan_details``, all in one transaction."""

from __future__ import annotations

from fpbx_api_plugins.destinations import dialplan, schemas
from sqlalchemy import func, or_, select

from fpbx_api import db
from fpbx_api.fusionpbx.dialplan_builder import replace_details
from fpbx_api.fusionpbx.dialplans import save_dialplan
from fpbx_api.fusionpbx.models import Destination, Dialplan, User
from fpbx_api.fusionpbx.settings import setting
from fpbx_api.http.errors import Duplicate, validation_error
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.accountcodes import check_account_code
from fpbx_api.kit.numbers import claim_numbers
from fpbx_api.kit.resource import Change, Resource, columns
from fpbx_api.kit.scoping import domain_name, domain_uuid

# app_uuid of the dialplan, by destination type (destination_edit.php)
APP_UUIDS = {"inbound": "c03b422e-13a8-bd1b-e42b-b6b9b4d27ce4",
             "local": "b5242951-686f-448f-8b4e-5031ba0601a4"}
DIALPLAN_FIELDS = ("dialplan_name",)  # given by /inbound-routes, not a column here


def default_context(kind: str) -> str:
    """Inbound DIDs live in ``public``; a local number in the domain's own context."""
    return "public" if kind == "inbound" else domain_name()


def number_forms(prefix: str | None, number: str) -> set[str]:
    """The numbers FreeSWITCH may hand the dialplan for this DID (with and without the
    prefix and ``+``): two destinations sharing one of them route unpredictably."""
    bare = number.lstrip("+")
    return {bare, (prefix or "") + bare}


class LocalNumbers(Resource):
    """No routes: declares that a local destination's number is dialable in the domain
    (claimed against extensions, ring groups… and they against it). An inbound DID is
    not: it arrives in the public context, where ``Destinations`` keeps it unique."""

    noun = Noun("a local destination")
    model = Destination
    verbs = frozenset()
    slice = {"destination_type": "local"}
    numbers = ("destination_number",)


class Destinations(Resource):
    noun = Noun("a destination")
    path = "/destinations"
    model = Destination
    dialplan_apps = tuple(APP_UUIDS.values())
    app_name, app_uuid = "destinations", "5ec89622-b19c-3559-64f0-afde802ab139"
    dialplan = "dialplan_uuid"
    list_spec = ListSpec(
        Destination,
        filters=["destination_type", "destination_context", "destination_number",
                 "destination_enabled"],
        search=["destination_number", "destination_description", "destination_data",
                "destination_caller_id_name"],
        sort=["destination_number", "destination_order", "destination_type",
              "destination_description"],
    )
    list_schema = schemas.DestinationListItemSchema
    detail_schema = schemas.DestinationSchema
    schema = schemas.DestinationWriteSchema
    virtual_fields = frozenset(DIALPLAN_FIELDS)
    references = {"user_uuid": User}

    def prepare(self, values):
        """One list of actions; the first two are copied into their columns, as the page
        does. FusionPBX stores a type flag as 1 or NULL."""
        if "destination_app" in values or "destination_data" in values:
            app, data = values.pop("destination_app", None), values.pop("destination_data", None)
            values["destination_actions"] = [{"destination_app": app,
                                              "destination_data": data}] if app else []
        if "destination_actions" in values:
            actions = values["destination_actions"] or []
            first, second = (actions + [{}, {}])[:2]
            values.update(destination_actions=actions or None,
                          destination_app=first.get("destination_app"),
                          destination_data=first.get("destination_data"),
                          destination_alternate_app=second.get("destination_app"),
                          destination_alternate_data=second.get("destination_data"))
        if "destination_conditions" in values:
            values["destination_conditions"] = [{key: condition.get(key) for key in (
                "condition_field", "condition_expression", "condition_app", "condition_data",
                "condition_description")} for condition in values["destination_conditions"]
                or []] or None
        for flag in ("destination_type_voice", "destination_type_fax", "destination_type_text"):
            if flag in values:
                values[flag] = values[flag] or None
        if "destination_type" in values and "destination_context" not in values:
            values["destination_context"] = default_context(values["destination_type"])
        return values

    def defaults(self, values):
        kind = values.get("destination_type") or "inbound"
        return {"destination_type": kind, "destination_context": default_context(kind),
                "destination_order": 100, "destination_enabled": True,
                "destination_type_voice": 1}

    def check(self, values, row=None):
        final = {"destination_prefix": None,
                 **(columns(row) if row is not None else self.defaults(values)), **values}
        kind, context = final["destination_type"], final["destination_context"]
        if context != default_context(kind):
            raise validation_error("destination_context",
                                   f"An {kind} destination's context is "
                                   f"{default_context(kind)}.")
        if {"destination_number", "destination_prefix", "destination_type",
                "destination_context"} & set(values):
            self._claim_did(final, row)
            if kind == "local":
                claim_numbers(number_forms(final["destination_prefix"],
                                           final["destination_number"]),
                              exclude=row, field="destination_number")
        check_account_code(values.get("destination_accountcode"),
                           field="destination_accountcode")

    def _claim_did(self, final: dict, row) -> None:
        """409 when another destination of the context, in any domain, answers one of the
        number's forms (``destinations/unique``, shipped true); the other domain is not
        named. Held until the transaction ends, so two creates cannot both pass."""
        context, forms = final["destination_context"], number_forms(
            final["destination_prefix"], final["destination_number"])
        for form in sorted(forms):
            db.lock("destination", context, form)
        full = func.coalesce(Destination.destination_prefix, "") + func.ltrim(
            Destination.destination_number, "+")
        stmt = select(Destination.destination_uuid).where(
            Destination.destination_context == context,
            or_(func.ltrim(Destination.destination_number, "+").in_(forms), full.in_(forms)))
        if row is not None:
            stmt = stmt.where(Destination.destination_uuid != row.destination_uuid)
        if db.session().scalars(stmt).first() is not None:
            raise Duplicate(f"{final['destination_number']} is already a destination in "
                            f"the {context} context", field="destination_number")

    def written(self, row, values, before):
        """The regex of the number, then the dialplan and its details, rebuilt on every
        save as the page does."""
        row.destination_number_regex = dialplan.number_regex(row.destination_prefix,
                                                             row.destination_number)
        record_extension = setting("call_recordings", "record_extension", "mp3")
        name = values.get("dialplan_name") or self._kept_name(row, before)
        saved = save_dialplan(
            row.dialplan_uuid, app_uuid=APP_UUIDS[row.destination_type], name=name,
            number=row.destination_number, context=row.destination_context,
            order=row.destination_order, enabled=row.destination_enabled,
            description=row.destination_description,
            xml=lambda uuid: dialplan.xml(row, name, uuid, domain_uuid(), domain_name(),
                                          record_extension))
        row.dialplan_uuid = saved.dialplan_uuid
        db.session().flush()
        replace_details(saved, dialplan.details(row, domain_name(), record_extension))
        return {}

    def _kept_name(self, row, before) -> str:
        """The dialplan keeps a name given through /inbound-routes; a name that was the
        old number follows the number (FusionPBX names it after the number)."""
        if before and row.dialplan_uuid:
            name = db.session().scalar(select(Dialplan.dialplan_name).where(
                Dialplan.dialplan_uuid == row.dialplan_uuid))
            if name and name != before.get("destination_number"):
                return name
        return row.destination_number

    def change(self, row, before):
        """``dialplan:<context>`` (FusionPBX's multiple mode) and the number's own keys
        (single mode, as shipped), for the old and the new number: FusionPBX forgets the
        old number's keys when a number changes, so its calls kept the cached route."""
        keys = set()
        for state in (before, row and columns(row)):
            if not state:
                continue
            context, prefix = state["destination_context"], state["destination_prefix"] or ""
            number = state["destination_number"]
            keys.add(f"dialplan:{context}")
            keys.update(f"dialplan:{context}:{n}" for n in
                        {number, prefix + number.lstrip("+"), "+" + prefix + number.lstrip("+")})
        return Change(sorted(keys), [])
