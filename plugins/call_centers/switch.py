"""What mod_callcenter is told, as FusionPBX's pages tell it (``callcenter_config``).

mod_callcenter names a queue ``<queue_extension>@<domain_name>`` and an agent by its
``call_center_agent_uuid``. Every value is an ``esl.Command`` argument, checked as one
token; statuses and agent types come from allow-lists, contacts are ``DialString``s.
"""

from __future__ import annotations

from decimal import Decimal

from fpbx_api.freeswitch.esl import DialString
from fpbx_api.freeswitch.switches import HOSTNAME
from fpbx_api.kit.resource import Command, Quoted
from fpbx_api.kit.scoping import domain_name

# The Lua caches callcenter.conf under the switch's hostname
# (app/switch/resources/scripts/app/xml_handler/resources/scripts/configuration/
# callcenter.conf.lua); call_center_queue_edit.php clears both forms, while
# call_center_agent_edit.php and the deletes in resources/classes/call_center.php clear only
# the plain one, leaving the switch's cached configuration stale. Every write clears both.
CALLCENTER_CONF = (f"{HOSTNAME}:configuration:callcenter.conf", "configuration:callcenter.conf")
# Added to a gateway contact by call_center_agent_edit.php: the agent confirms with 1.
CONFIRM = (("group_confirm_file", "custom/press_1_to_accept_this_call.wav"),
           ("group_confirm_key", "1"), ("group_confirm_read_timeout", "2000"))
# The numbers call_center_agent_edit.php sends after the status, in its order.
AGENT_TIMES = (("reject_delay_time", "agent_reject_delay_time"),
               ("busy_delay_time", "agent_busy_delay_time"),
               ("no_answer_delay_time", "agent_no_answer_delay_time"),
               ("max_no_answer", "agent_max_no_answer"),
               ("wrap_up_time", "agent_wrap_up_time"))


def callcenter(*args) -> Command:
    return Command("callcenter_config", args)


def queue_id(extension: str) -> str:
    """The queue's name inside mod_callcenter."""
    return f"{extension}@{domain_name()}"


def number(value) -> str:
    """A stored numeric as mod_callcenter reads it (atoi)."""
    return str(int(Decimal(value)))


def contact(row) -> DialString:
    """The agent's contact with the variables call_center_agent_edit.php adds: the call
    timeout and the SIP domain, and for a gateway the confirmation prompt."""
    timeout = number(row.agent_call_timeout or 20)  # the form's default; FusionPBX requires one
    variables = (("call_timeout", timeout), ("sip_invite_domain", domain_name()))
    if "sofia/gateway" in row.agent_contact:
        variables = (*CONFIRM, ("leg_timeout", timeout), *variables)
    return DialString(row.agent_contact, variables)


def agent_saved(row, created: bool) -> list[Command]:
    """call_center_agent_edit.php's commands, in its order: add, contact, status, then
    the delays and limits. On an update FusionPBX sends ``agent add`` again, which
    mod_callcenter refuses ("Agent already exist"), so a changed type never reached the
    switch: an update sets the type instead."""
    uuid = row.call_center_agent_uuid
    first = ("add", uuid, Quoted(row.agent_type)) if created else (
        "set", "type", uuid, Quoted(row.agent_type))
    commands = [callcenter("agent", *first),
                callcenter("agent", "set", "contact", uuid, contact(row))]
    if row.agent_status:
        commands.append(callcenter("agent", "set", "status", uuid, Quoted(row.agent_status)))
    commands += [callcenter("agent", "set", key, uuid, number(getattr(row, column)))
                 for key, column in AGENT_TIMES if getattr(row, column) not in (None, "")]
    return commands


def status_set(agent_uuid: str, status: str) -> list[Command]:
    """app/call_centers/call_center_agent_status.php: the status, and for Available and
    Logged Out the state Waiting (an agent left in Receiving would get no calls)."""
    commands = [callcenter("agent", "set", "status", agent_uuid, Quoted(status))]
    if status in ("Available", "Logged Out"):
        commands.append(callcenter("agent", "set", "state", agent_uuid, Quoted("Waiting")))
    return commands


def tier_added(queue: str, agent: str, level, position) -> list[Command]:
    """app/call_centers/call_center_queue_edit.php's order: add, then level, then
    position. FusionPBX's bug: it sends ``tier set position <queue> <position>`` without
    the agent, which mod_callcenter refuses ("-ERR Invalid!": it wants
    ``<queue> <agent> <position>``), so a tier's position never reached the switch; here
    the agent is given."""
    return [callcenter("tier", "add", queue, agent, number(level), number(position)),
            *tier_changed(queue, agent, level, position)]


def tier_changed(queue: str, agent: str, level, position) -> list[Command]:
    return [callcenter("tier", "set", "level", queue, agent, number(level)),
            callcenter("tier", "set", "position", queue, agent, number(position))]


def tier_removed(queue: str, agent: str) -> Command:
    return callcenter("tier", "del", queue, agent)
