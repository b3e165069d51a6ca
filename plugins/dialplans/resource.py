"""How FusionPBX's generic dialplan editor writes a dialplan (``app/dialplans/
dialplan_edit.php``): the row, its details (deleted and re-inserted on every save) and
the XML its dialplan class builds from them (``fpbx_api.fusionpbx.dialplan_builder``).

Every dialplan of the domain can be read here, those of other apps included. One that
a feature generates (a ring group's, an IVR's, an inbound route's…) is written only
through that feature's resource, which rebuilds it from its own rows: here it is a
409 naming that resource. What a detail may run is decided by the destination type's
core (``fpbx_api.kit.destinations.application_scope``) and the regular expressions it
matches by ``fpbx_api.kit.regexes``.
"""

from __future__ import annotations

import re

import marshmallow as ma
from fpbx_api_plugins.dialplans import schemas

from fpbx_api.fusionpbx.dialplan_builder import TIME_FIELDS, check_details, dialplan_xml
from fpbx_api.fusionpbx.dialplans import dialplan_keys
from fpbx_api.fusionpbx.models import Dialplan, DialplanDetail
from fpbx_api.fusionpbx.rows import new_uuid
from fpbx_api.http.auth import has_system_scope
from fpbx_api.http.errors import Duplicate, Forbidden, validation_error
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.destinations import application_scope, expansion_scope
from fpbx_api.kit.regexes import check_regex
from fpbx_api.kit.resource import Change, Child, Resource, children_of, columns
from fpbx_api.kit.scoping import domain_name

# Dialplans a feature generates (the app_uuid of its app_config.php), and the resource
# that writes them.
FEATURES = {
    "1d61fb65-1eec-bc73-a6ee-a6203b4fe6f2": ("a ring group", "/api/v1/ring-groups"),
    "a5788e9b-58bc-bd1b-df59-fff5d51253ab": ("an IVR menu", "/api/v1/ivr-menus"),
    "b1b70f85-6b42-429b-8c5a-60c8b02b7d14": ("a call flow", "/api/v1/call-flows"),
    "b81412e8-7253-91f4-e48e-42fc2c9a38d9": (
        "a conference or conference center",
        "/api/v1/conferences or /api/v1/conference-centers/centers"),
    "8d083f5a-f726-42a8-9ffa-8d28f848f10e": ("a conference center",
                                             "/api/v1/conference-centers/centers"),
    "95788e50-9500-079e-2807-fd530b0ea370": ("a call-center queue",
                                             "/api/v1/call-centers/queues"),
    "24108154-4ac3-1db6-1551-4731703a4440": ("a fax server", "/api/v1/fax/accounts"),
    "4b821450-926b-175a-af93-a03c441818b1": ("a time condition", "/api/v1/time-conditions"),
    "c03b422e-13a8-bd1b-e42b-b6b9b4d27ce4": (
        "an inbound route", "/api/v1/inbound-routes or /api/v1/destinations"),
    "8c914ec3-9fc0-8ab5-4cda-6c9288bdc9a3": ("an outbound route", "/api/v1/outbound-routes"),
}
# Contexts every domain's calls pass through: only a system-scope key writes there.
SHARED_CONTEXTS = ("public", "global", "${domain_name}")
TIME_VALUE = re.compile(r"[0-9:, ~-]{1,255}")
FIELD = re.compile(r"[A-Za-z0-9_-]{1,64}|\$\{[A-Za-z0-9_-]{1,64}\}")


class Dialplans(Resource):
    noun = Noun("a dialplan")
    model = Dialplan
    app_name = "Dialplans"
    list_spec = ListSpec(
        Dialplan,
        filters=["dialplan_context", "dialplan_enabled", "app_uuid", "dialplan_number",
                 "hostname"],
        search=["dialplan_name", "dialplan_number", "dialplan_description"],
        sort=["dialplan_order", "dialplan_name", "dialplan_number", "dialplan_context"],
    )
    list_schema = schemas.DialplanListItemSchema
    detail_schema = schemas.DialplanSchema
    schema = schemas.DialplanWriteSchema
    children = (Child("details", DialplanDetail, "dialplan_uuid", schemas.DetailOutSchema,
                      order_by=("dialplan_detail_group", "dialplan_detail_order")),)

    def prepare(self, values):
        """The editor's clean-ups: the name without spaces and slashes, an empty break
        as NULL, a missing order from the row's position."""
        if values.get("dialplan_name"):
            values["dialplan_name"] = values["dialplan_name"].replace(" ", "_").replace("/", "")
            if not values["dialplan_name"]:
                raise validation_error("dialplan_name", "Must not be empty.")
        for position, detail in enumerate(values.get("details") or [], start=1):
            detail["dialplan_detail_break"] = detail.get("dialplan_detail_break") or None
            if detail.get("dialplan_detail_order") is None:
                detail["dialplan_detail_order"] = position * 10
        return values

    def defaults(self, values):
        """The add form's defaults; a new dialplan is an app of its own (FusionPBX gives
        it a new app_uuid), so it never passes for a feature's."""
        return {"app_uuid": new_uuid(), "dialplan_context": domain_name(),
                "dialplan_order": 200, "dialplan_continue": False,
                "dialplan_enabled": True}

    def authorize(self, values, row=None):
        if row is not None and str(row.app_uuid) in FEATURES:
            what, path = FEATURES[str(row.app_uuid)]
            raise Duplicate(f"This dialplan belongs to {what}: change it through {path}",
                            field="app_uuid")
        if has_system_scope():
            return
        context = values.get("dialplan_context")
        for name in filter(None, (context, row is not None and row.dialplan_context)):
            if name.lower() != domain_name().lower():
                raise Forbidden(f"Without the system scope a dialplan's context is "
                                f"{domain_name()} ({', '.join(SHARED_CONTEXTS)} and other "
                                "domains' contexts reach other tenants' calls)",
                                field="dialplan_context")

    def check(self, values, row=None):
        details = values.get("details")
        if details is None:
            return
        system = has_system_scope()
        for index, detail in enumerate(details):
            if check_detail(detail, index) == "system" and not system:
                raise Forbidden(f"details[{index}]: {detail['dialplan_detail_type']} with "
                                "this data needs a system-scope key (see the README's "
                                "dialplan applications)", field="details")
        try:
            check_details(details)
        except ValueError as error:
            raise validation_error("details", str(error)) from None

    def written(self, row, values, before):
        """The XML, rebuilt from the stored details on every save (dialplan_edit.php
        posts continue as the text "true"/"false", and so it reads)."""
        details = [columns(d) for d in children_of(self.children[0], row)]
        row.dialplan_xml = dialplan_xml(row, details,
                                        "true" if row.dialplan_continue else "false")
        return {}

    def change(self, row, before):
        contexts = [(before or {}).get("dialplan_context"), row and row.dialplan_context]
        return Change(dialplan_keys(*[cache_context(c) for c in contexts]), [])

    def audit(self, row):
        details = [columns(d) for d in children_of(self.children[0], row)]
        return {"dialplans": [columns(row)], "dialplan_details": details}


def cache_context(context: str | None) -> str | None:
    """dialplan_edit.php clears ``dialplan:*`` for the contexts every domain shares."""
    return "*" if context in ("${domain_name}", "global") else context


def check_detail(detail: dict, index: int) -> str:
    """``"tenant"`` or ``"system"``: who may write this detail; a 400 naming the field
    for what no key may."""
    tag, kind = detail["dialplan_detail_tag"], detail["dialplan_detail_type"]
    data = detail.get("dialplan_detail_data") or ""
    field = f"details.{index}.dialplan_detail_data"
    try:
        if tag in ("action", "anti-action"):
            return application_scope(kind, data)
        if kind in TIME_FIELDS:
            if not TIME_VALUE.fullmatch(data):
                raise ma.ValidationError(f"{kind} takes numbers and ranges (1-5,7; "
                                         "08:00-17:00; a date-time range with ~).")
            return "tenant"
        if tag == "condition" and kind == "regex":
            if data not in ("all", "any", "xor"):
                raise ma.ValidationError("A condition of type regex is all, any or xor.")
            return "tenant"
        if not FIELD.fullmatch(kind):
            field = f"details.{index}.dialplan_detail_type"
            raise ma.ValidationError("A condition's field is a channel field "
                                     "(destination_number…) or ${variable}.")
        check_regex(data)
        return expansion_scope(data)
    except ma.ValidationError as error:
        raise validation_error(field, " ".join(map(str, error.messages))) from None
