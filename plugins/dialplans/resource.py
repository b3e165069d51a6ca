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

from fpbx_api.fusionpbx.dialplan_builder import TIME_FIELDS, check_details
from fpbx_api.fusionpbx.models import Dialplan
from fpbx_api.fusionpbx.rows import new_uuid
from fpbx_api.http.auth import has_system_scope
from fpbx_api.http.errors import Duplicate, Forbidden, validation_error
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit import dialplan_owners
from fpbx_api.kit.destinations import application_scope, expansion_scope
from fpbx_api.kit.detailed_dialplans import DetailedDialplans, stored_details
from fpbx_api.kit.regexes import check_regex
from fpbx_api.kit.resource import columns
from fpbx_api.kit.scoping import domain_name

# Contexts every domain's calls pass through: only a system-scope key writes there.
SHARED_CONTEXTS = ("public", "global", "${domain_name}")
TIME_VALUE = re.compile(r"[0-9:, ~-]{1,255}")
FIELD = re.compile(r"[A-Za-z0-9_-]{1,64}|\$\{[A-Za-z0-9_-]{1,64}\}")


class Dialplans(DetailedDialplans):
    """Any app's dialplan, its details as given (the kit's ``DetailedDialplans`` writes
    them, the XML and the cache key as for every dialplan stored as details)."""

    noun = Noun("a dialplan")
    app_name, app_uuid = "dialplans", "742714e5-8cdf-32fd-462c-cbe7e3d655db"
    # dialplan_edit.php posts continue as the text "true"/"false", and so it reads
    continue_on_create = continue_on_update = "false"
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
    virtual_fields = frozenset({"details"})

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
        return {**super().defaults(values), "app_uuid": new_uuid(), "dialplan_order": 200}

    def authorize(self, values, row=None):
        if row is not None and (feature := dialplan_owners.owner(row.app_uuid)):
            what, path = feature
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

    def details(self, row, values, before):
        return values.get("details")

    def detail(self, row):
        return {**columns(row),
                "details": [columns(d) for d in stored_details(row.dialplan_uuid)]}



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
