"""How FusionPBX writes a ring group (``app/ring_groups/ring_group_edit.php``):
the row, its destinations, and a v_dialplans row whose XML runs the ring_groups Lua."""

from __future__ import annotations

from fpbx_api_plugins.ring_groups import schemas
from sqlalchemy import delete

from fpbx_api import db
from fpbx_api.fusionpbx.dialplans import (
    dialplan_keys,
    number_expression,
    sanitize,
    save_dialplan,
)
from fpbx_api.fusionpbx.models import (
    Extension,
    RingGroup,
    RingGroupDestination,
    RingGroupUser,
)
from fpbx_api.fusionpbx.settings import setting
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.events import on
from fpbx_api.kit.resource import Change, Child, Resource
from fpbx_api.kit.scoping import domain_name, domain_uuid

APP_UUID = "1d61fb65-1eec-bc73-a6ee-a6203b4fe6f2"
DIALPLAN_ORDER = 101


class RingGroups(Resource):
    noun = Noun("a ring group")
    model = RingGroup
    dialplan_apps = (APP_UUID,)
    app_name, app_uuid = "ring_groups", "1d61fb65-1eec-bc73-a6ee-a6203b4fe6f2"
    dialplan = "dialplan_uuid"
    deletes_with = (RingGroupUser,)
    list_spec = ListSpec(
        RingGroup,
        filters=["ring_group_extension", "ring_group_strategy", "ring_group_enabled"],
        search=["ring_group_name", "ring_group_extension", "ring_group_description"],
        sort=["ring_group_extension", "ring_group_name", "ring_group_strategy"],
    )
    list_schema = schemas.RingGroupListItemSchema
    detail_schema = schemas.RingGroupSchema
    schema = schemas.RingGroupWriteSchema
    numbers = ("ring_group_extension",)
    children = (Child("destinations", RingGroupDestination, "ring_group_uuid",
                      schemas.DestinationOutSchema,
                      order_by=("destination_delay", "destination_number")),)

    def defaults(self, values):
        return {"ring_group_context": domain_name(), "ring_group_strategy": "simultaneous",
                "ring_group_call_timeout": 60, "ring_group_ringback": "${us-ring}",
                "ring_group_enabled": True, "ring_group_forward_enabled": False,
                "ring_group_call_screen_enabled": False,
                "ring_group_call_forward_enabled": False,
                "ring_group_follow_me_enabled": False}

    def written(self, row, values, before):
        """The dialplan row, rebuilt on every save as FusionPBX does."""
        ring_ready = setting("ring_group", "ring_ready", "true") != "false"
        dialplan = save_dialplan(
            row.dialplan_uuid, app_uuid=APP_UUID, name=row.ring_group_name,
            number=row.ring_group_extension, context=row.ring_group_context,
            order=DIALPLAN_ORDER, enabled=row.ring_group_enabled,
            description=row.ring_group_description,
            xml=lambda uuid: dialplan_xml(row, uuid, ring_ready))
        row.dialplan_uuid = dialplan.dialplan_uuid
        return {}

    def change(self, row, before):
        contexts = [(before or {}).get("ring_group_context"), row and row.ring_group_context]
        return Change(dialplan_keys(*contexts), [])


@on("extension.deleted")
def forget_extension(ext: Extension) -> None:
    """Destinations dialling the deleted extension's number or alias go with it, as
    FusionPBX's extension delete removes them (app/extensions/resources/classes/
    extension.php)."""
    numbers = [n for n in (ext.extension, ext.number_alias) if n]
    db.session().execute(delete(RingGroupDestination).where(
        RingGroupDestination.domain_uuid == domain_uuid(),
        RingGroupDestination.destination_number.in_(numbers)))


def dialplan_xml(row: RingGroup, dialplan_uuid: str, ring_ready: bool) -> str:
    """The exact snippet FusionPBX's ring_group_edit.php writes."""
    lines = [
        f'<extension name="{sanitize(row.ring_group_name)}" continue="" '
        f'uuid="{sanitize(dialplan_uuid)}">',
        f'\t<condition field="destination_number" '
        f'expression="{sanitize(number_expression(row.ring_group_extension))}">',
    ]
    if ring_ready:
        lines.append('\t\t<action application="ring_ready" data=""/>')
    lines += [
        f'\t\t<action application="set" data="ring_group_uuid={sanitize(row.ring_group_uuid)}"/>',
        '\t\t<action application="set" data="record_stereo=true"/>',
        '\t\t<action application="lua" data="app.lua ring_groups"/>',
        "\t</condition>",
        "</extension>",
    ]
    return "\n".join(lines) + "\n"
