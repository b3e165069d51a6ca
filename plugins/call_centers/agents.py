"""How FusionPBX writes a call-center agent (``app/call_centers/call_center_agent_edit.php``):
the row, the linked user's status, and mod_callcenter told of the agent."""

from __future__ import annotations

import re

from fpbx_api_plugins.call_centers import schemas, switch

from fpbx_api import db
from fpbx_api.fusionpbx.models import CallCenterAgent, CallCenterTier, Gateway, User
from fpbx_api.fusionpbx.rows import now
from fpbx_api.fusionpbx.settings import setting
from fpbx_api.http.errors import validation_error
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.resource import Change, Resource, action
from fpbx_api.kit.scoping import domain_name, scoped

# The contacts FusionPBX's selector offers an agent (destinations 'user_contact'), and the
# loopback form call_center/agent_contact_method = loopback turns a user contact into.
USER_CONTACT = re.compile(r"user/([A-Za-z0-9*#+_.-]{1,64})@([A-Za-z0-9.-]{1,253})")
LOOPBACK_CONTACT = re.compile(r"loopback/([A-Za-z0-9*#+_.-]{1,64})/([A-Za-z0-9.-]{1,253})")
GATEWAY_CONTACT = re.compile(r"sofia/gateway/([0-9a-f-]{36})/([0-9*#+]{1,32})")
CONTACT_SHAPES = ("Use user/<extension>@<your domain> or sofia/gateway/<gateway uuid>/"
                  "<number> with a gateway of your domain.")


class Agents(Resource):
    noun = Noun("a call center agent")
    label = "Agent"
    path = "/agents"
    model = CallCenterAgent
    app_name, app_uuid = "call_centers", "95788e50-9500-079e-2807-fd530b0ea370"
    deletes_with = (CallCenterTier,)  # as resources/classes/call_center.php
    list_spec = ListSpec(
        CallCenterAgent,
        filters=["agent_status", "agent_type", "user_uuid"],
        search=["agent_name", "agent_id", "agent_contact"],
        sort=["agent_name", "agent_status", "agent_type", "agent_id"],
    )
    list_schema = schemas.AgentListItemSchema
    detail_schema = schemas.AgentSchema
    schema = schemas.AgentWriteSchema
    secrets = ("agent_password",)
    # FusionPBX checks neither; two agents of one name or login id cannot be told apart.
    unique = ("agent_name", "agent_id")
    references = {"user_uuid": User}

    def prepare(self, values):
        if values.get("agent_contact"):
            values["agent_contact"] = self._contact(values["agent_contact"])
        return values

    def defaults(self, values):
        """The values call_center_agent_edit.php's form starts with; a new agent is
        Logged Out (mod_callcenter's own default) until a status is given."""
        return {"agent_type": "callback", "agent_call_timeout": "20",
                "agent_max_no_answer": "0", "agent_wrap_up_time": "10",
                "agent_no_answer_delay_time": "30", "agent_reject_delay_time": "90",
                "agent_busy_delay_time": "90", "agent_record": False,
                "agent_status": "Logged Out"}

    def written(self, row, values, before):
        """The linked user's status follows the agent's (FusionPBX saves it every time)."""
        follow_status(row)
        return {}

    def change(self, row, before):
        if row is None:  # FusionPBX sends it with bgapi; api reports what the switch said
            return Change(switch.CALLCENTER_CONF, [switch.callcenter(
                "agent", "del", before["call_center_agent_uuid"])])
        return Change(switch.CALLCENTER_CONF, switch.agent_saved(row, created=before is None))

    @action("status", arguments=schemas.AgentStatusSchema,
            response=schemas.AgentStatusOutSchema, verb="setStatusOf",
            message="Agent status set",
            summary="Set a call center agent's status, in mod_callcenter and for the "
                    "linked user, as FusionPBX's agent status page does")
    def status(self, row, values):
        """app/call_centers/call_center_agent_status.php: the linked user's status and
        mod_callcenter's (with the state Waiting for Available and Logged Out). The page
        leaves v_call_center_agents as it was, so the agent's form (and callcenter.conf
        after a reload) brought the old status back; the row is saved too."""
        row.agent_status = values["agent_status"]
        follow_status(row)
        uuid = row.call_center_agent_uuid
        return ({"call_center_agent_uuid": uuid, "agent_status": row.agent_status},
                Change(switch.CALLCENTER_CONF, switch.status_set(uuid, row.agent_status)))

    def _contact(self, contact: str) -> str:
        """The contact if FusionPBX's selector could offer it in this domain, in the form
        call_center/agent_contact_method asks for; otherwise a 400."""
        own = domain_name()
        if match := USER_CONTACT.fullmatch(contact) or LOOPBACK_CONTACT.fullmatch(contact):
            if match.group(2).lower() != own.lower():
                raise validation_error("agent_contact", CONTACT_SHAPES)
            if setting("call_center", "agent_contact_method", "user") == "loopback":
                return f"loopback/{match.group(1)}/{own}"
            return f"user/{match.group(1)}@{own}"
        if match := GATEWAY_CONTACT.fullmatch(contact):
            gateway = db.session().scalars(scoped(Gateway).where(
                Gateway.gateway_uuid == match.group(1))).first()
            if gateway is not None:
                return contact
        raise validation_error("agent_contact", CONTACT_SHAPES)


def follow_status(agent) -> None:
    """call_center_agent_edit.php saves the linked user's user_status with the agent."""
    if not agent.user_uuid:
        return
    user = db.session().scalars(scoped(User).where(User.user_uuid == agent.user_uuid)).first()
    if user is not None:
        user.user_status = agent.agent_status
        user.update_date = now()
