"""The dialplan XML and BLF lamp of a call flow (``app/call_flows/call_flow_edit.php``,
``app/switch/resources/scripts/call_flow.lua``)."""

from __future__ import annotations

from fpbx_api.freeswitch.esl import Event, Quoted
from fpbx_api.fusionpbx.dialplans import number_expression, sanitize
from fpbx_api.fusionpbx.models import CallFlow

FLOW = "flow+"


def feature_expression(code: str) -> str:
    """The feature code, also dialable as ``flow+<code>`` (what a BLF key dials), matched
    literally."""
    prefix = "" if code.startswith(FLOW) else r"(?:flow\+)?"
    return f"^{prefix}{number_expression(code)[1:-1]}$"


def dialplan_xml(row: CallFlow, dialplan_uuid: str) -> str:
    """The exact snippet of call_flow_edit.php: the feature code answers and flips the
    flow, the number runs it. Unlike FusionPBX, which escapes only * and +, the number is
    matched literally."""
    uuid = sanitize(row.call_flow_uuid)
    lines = [f'<extension name="{sanitize(row.call_flow_name)}" continue="" '
             f'uuid="{sanitize(dialplan_uuid)}">']
    if row.call_flow_feature_code:
        lines += [
            f'\t<condition field="destination_number" '
            f'expression="{sanitize(feature_expression(row.call_flow_feature_code))}" '
            f'break="on-true">',
            '\t\t<action application="answer" data=""/>',
            '\t\t<action application="sleep" data="200"/>',
            '\t\t<action application="set" data="feature_code=true"/>',
            f'\t\t<action application="set" data="call_flow_uuid={uuid}"/>',
            '\t\t<action application="lua" data="call_flow.lua"/>',
            "\t</condition>"]
    lines += [
        f'\t<condition field="destination_number" '
        f'expression="{sanitize(number_expression(row.call_flow_extension))}">',
        f'\t\t<action application="set" data="call_flow_uuid={uuid}"/>',
        '\t\t<action application="lua" data="call_flow.lua"/>',
        "\t</condition>",
        "</extension>"]
    return "\n".join(lines) + "\n"


def lamp(code: str | None, call_flow_uuid: str, domain: str, on: bool) -> list[Event]:
    """The PRESENCE_IN events call_flow.lua fires when its feature code flips the flow
    (``presence_in.turn_lamp`` in app/switch/resources/scripts/resources/functions/
    presence_in.lua): for ``<code>@<domain>`` and, unless the code is already
    ``flow+…``, for ``flow+<code>@<domain>``. The proto is what precedes '+' (sip if
    nothing does); every value is checked as one token when the event is made."""
    if not code:
        return []
    events = []
    for user in [code] + ([] if code.startswith(FLOW) else [FLOW + code]):
        proto, plus, number = user.partition("+")
        if not plus:
            proto, number = "sip", user
        headers = [("proto", proto), ("event_type", "presence"),
                   ("alt_event_type", "dialog"), ("Presence-Call-Direction", "outbound"),
                   ("from", f"{number}@{domain}"), ("login", f"{number}@{domain}"),
                   ("unique-id", str(call_flow_uuid)),
                   ("status", Quoted("Active (1 waiting)"))]
        headers += ([("answer-state", "confirmed"), ("rpid", "unknown"), ("event_count", "1")]
                    if on else [("answer-state", "terminated")])
        events.append(Event("PRESENCE_IN", headers))
    return events
