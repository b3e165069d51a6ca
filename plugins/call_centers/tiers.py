"""A queue's tiers as a collection of their own (``/call-centers/queues/<uuid>/tiers``):
one agent added to, moved in or removed from a queue without resending the others, told
to mod_callcenter as call_center_queue_edit.php and resources/classes/call_center.php do."""

from __future__ import annotations

from fpbx_api_plugins.call_centers import schemas, switch
from fpbx_api_plugins.call_centers.queues import Queues

from fpbx_api.fusionpbx.models import CallCenterAgent, CallCenterTier
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.references import Reference
from fpbx_api.kit.resource import Change, Resource


class QueueTiers(Resource):
    noun = Noun("a call center tier")
    label = "Tier"
    path = "/tiers"
    parent = Queues
    parent_key = "call_center_queue_uuid"
    model = CallCenterTier
    app_name, app_uuid = "call_centers", "95788e50-9500-079e-2807-fd530b0ea370"
    list_spec = ListSpec(CallCenterTier, filters=["call_center_agent_uuid", "tier_level"],
                         sort=["tier_level", "tier_position"])
    list_schema = detail_schema = schemas.TierRowSchema
    schema = schemas.TierSchema  # its agent is create_only: a tier is that agent's place
    unique = ("call_center_agent_uuid",)  # under the parent: an agent is in a queue once
    references = {"call_center_agent_uuid": Reference(CallCenterAgent, "agent")}

    def change(self, row, before):
        queue = switch.queue_id(self.parent_row().queue_extension)
        if row is None:
            return Change(switch.CALLCENTER_CONF, [
                switch.tier_removed(queue, before["call_center_agent_uuid"])])
        made = switch.tier_added if before is None else switch.tier_changed
        return Change(switch.CALLCENTER_CONF, made(queue, row.call_center_agent_uuid,
                                                   row.tier_level, row.tier_position))
