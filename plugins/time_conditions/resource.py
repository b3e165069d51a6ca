"""How FusionPBX writes a time condition (``app/time_conditions/time_condition_edit.php``):
no table of its own, one dialplan of the time-conditions app whose details hold the
rules, rebuilt whole on every save, and the XML built from them."""

from __future__ import annotations

from fpbx_api_plugins.time_conditions import details, presets, schemas

from fpbx_api.fusionpbx.models import Dialplan
from fpbx_api.fusionpbx.settings import setting
from fpbx_api.http.errors import validation_error
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.detailed_dialplans import DetailedDialplans, detail_rows
from fpbx_api.kit.resource import columns

APP_UUID = "4b821450-926b-175a-af93-a03c441818b1"
RULE_FIELDS = ("dialplan_time_zone", "conditions", "presets", "default_preset_action",
               "dialplan_anti_action")


class TimeConditions(DetailedDialplans):
    noun = Noun("a time condition")
    path = "/time-conditions"
    slice = {"app_uuid": APP_UUID}
    numbers = ("dialplan_number",)
    app_name, app_uuid = "dialplans", "742714e5-8cdf-32fd-462c-cbe7e3d655db"
    # The form's own updates go through the class that reads the boolean, too.
    continue_on_update = ""
    list_spec = ListSpec(Dialplan, filters=["dialplan_number", "dialplan_enabled"],
                         search=["dialplan_name", "dialplan_number", "dialplan_description"],
                         sort=["dialplan_name", "dialplan_number", "dialplan_order"])
    list_schema = schemas.TimeConditionListItemSchema
    detail_schema = schemas.TimeConditionSchema
    schema = schemas.TimeConditionWriteSchema
    virtual_fields = frozenset(RULE_FIELDS)

    def prepare(self, values):
        if values.get("dialplan_name"):  # the form removes slashes from the name
            values["dialplan_name"] = values["dialplan_name"].replace("/", "")
        return values

    def defaults(self, values):
        return {**super().defaults(values), "dialplan_order": 300}

    def check(self, values, row=None):
        known = {name for name, _ in presets.available()}
        for n, preset in enumerate(values.get("presets") or []):
            if preset["preset"] not in known:
                raise validation_error(f"presets.{n}.preset", "Use one of the region's "
                                       f"presets: {', '.join(sorted(known))}.")

    def details(self, row, values, before):
        """Every save rewrites every detail (new uuids), as the form does; rules not given
        are read back from the stored ones. A new one is read in the domain's time zone
        unless it names another."""
        stored = details.read(detail_rows(row.dialplan_uuid)) if before else {
            "dialplan_time_zone": setting("domain", "time_zone")}
        given = {k: values[k] for k in RULE_FIELDS if k in values}
        return details.build({**stored, **given, "dialplan_number": row.dialplan_number},
                             presets.available())

    def detail(self, row):
        return {**columns(row), **details.read(detail_rows(row.dialplan_uuid))}
