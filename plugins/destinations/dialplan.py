"""The dialplan FusionPBX writes for a destination (``app/destinations/destination_edit.php``).

Unlike time conditions and outbound routes, the page writes the XML itself and the
``v_dialplan_details`` rows beside it (setting ``destinations/dialplan_details``, shipped
true), and the two differ: the XML opens with the call direction and the domain and
exports the ringback, the details set it. Both are reproduced as the page writes them;
FreeSWITCH reads only the XML.
"""

from __future__ import annotations

import re

from fpbx_api.fusionpbx.dialplans import sanitize

RECORD_PATH = ("record_path=${recordings_dir}/${domain_name}/archive/${strftime(%Y)}/"
               "${strftime(%b)}/${strftime(%d)}")


def number_regex(prefix: str | None, number: str) -> str:
    """``destinations->to_regex()`` for a prefix and a number of digits (a leading ``+``
    kept literally): ``1`` and ``2125550100`` give ``^\\+?1?(2125550100)$``."""
    if number.startswith("+"):
        return r"^\+(" + re.escape(number[1:]) + ")$"
    prefix = (prefix or "").replace("+", "")
    if len(prefix) == 1:
        prefix = r"\+?" + prefix + "?"
    elif prefix:
        prefix = r"\+?(?:" + prefix + ")?"
    return "^" + prefix + "(" + number + ")$"


def _actions(row) -> list[tuple[str, str]]:
    return [(a["destination_app"], a["destination_data"] or "")
            for a in row.destination_actions or [] if a.get("destination_app")]


def caller_expression(row, condition: dict) -> str:
    """A caller-ID condition's pattern as the page writes it: a number as long as the DID
    may carry the DID's prefix; ``+`` is escaped (the schema allows digits, ``*`` and
    ``+`` only)."""
    expression = condition["condition_expression"]
    if expression.isdigit() and len(expression) == len(row.destination_number) \
            and row.destination_prefix:
        return r"\+?" + row.destination_prefix + "?" + expression
    return expression.replace("+", r"\+")


def _caller_regex(condition: dict, expression: str) -> tuple[str, str]:
    if condition["condition_field"] == "caller_id_number_prefix":
        return "caller_id_number", "^" + expression
    return condition["condition_field"], "^" + expression + "$"


def details(row, domain_name: str, record_extension: str) -> list[dict]:
    """The ``v_dialplan_details`` rows, orders and all, as the page numbers them."""
    rows: list[dict] = []
    order, group = 20, 0
    field = row.destination_condition_field or "destination_number"

    def add(tag, kind, data, inline=None, step=True, brk=None):
        nonlocal order
        rows.append({"dialplan_detail_tag": tag, "dialplan_detail_type": kind,
                     "dialplan_detail_data": data, "dialplan_detail_inline": inline,
                     "dialplan_detail_break": brk, "dialplan_detail_group": group,
                     "dialplan_detail_order": order, "dialplan_detail_enabled": True})
        if step:
            order += 10

    for condition in row.destination_conditions or []:
        # one group per caller-ID condition, before the number's own
        add("condition", "regex", "all", brk="never")
        add("regex", field, row.destination_number_regex)
        add("regex", *_caller_regex(condition, caller_expression(row, condition)),
            step=False)
        if condition.get("condition_app"):
            order += 10
            add("action", condition["condition_app"], condition["condition_data"],
                step=False)
        order += 10
        group += 10
    add("condition", field, row.destination_number_regex)
    if any(app == "bridge" for app, _ in _actions(row)):
        # presence_id and hangup_after_bridge share one order number, as on the page
        add("action", "set", f"presence_id=$1@{domain_name}", "true", step=False)
        add("action", "set", "hangup_after_bridge=true", "true")
        add("action", "set", "continue_on_fail=true", "true", step=False)
    order += 10
    if row.destination_cid_name_prefix:
        add("action", "set",
            f"effective_caller_id_name={row.destination_cid_name_prefix}#${{caller_id_name}}",
            "true")
    if row.destination_ringback:
        add("action", "set", f"ringback={row.destination_ringback}", "true")
        add("action", "set", f"transfer_ringback={row.destination_ringback}", "true")
    if row.destination_accountcode:
        add("action", "export", f"accountcode={row.destination_accountcode}", "true")
    if row.destination_hold_music:
        add("action", "export", f"hold_music={row.destination_hold_music}", "true")
    if row.destination_distinctive_ring:
        add("action", "export", f"sip_h_Alert-Info={row.destination_distinctive_ring}",
            "true")
    if row.destination_record:
        variables = _record_variables(record_extension)
        variables[4:6] = reversed(variables[4:6])  # the details set record_stereo first
        for data in variables:
            add("action", "set", data, "true")
        add("action", "record_session", "${record_path}/${record_name}", "false")
    for app, data in _actions(row):
        add("action", app, data, "true" if app in ("set", "export") else None)
    return rows


def _record_variables(record_extension: str) -> list[str]:
    return [RECORD_PATH, f"record_name=${{uuid}}.{record_extension}", "record_append=true",
            "record_in_progress=true", "recording_follow_transfer=true",
            "record_stereo=true"]


def _caller_conditions(row, field: str, domain_uuid: str, domain_name: str) -> list[str]:
    """The XML of the caller-ID conditions, before the number's own condition."""
    lines = []
    for condition in row.destination_conditions or []:
        caller_field, expression = _caller_regex(condition, caller_expression(row, condition))
        lines += ['\t<condition regex="all" break="never">',
                  f'\t\t<regex field="{field}" '
                  f'expression="{sanitize(row.destination_number_regex)}"/>',
                  f'\t\t<regex field="{sanitize(caller_field)}" '
                  f'expression="{sanitize(expression)}"/>',
                  '\t\t<action application="export" data="call_direction=inbound" '
                  'inline="true"/>',
                  f'\t\t<action application="set" data="domain_uuid={domain_uuid}" '
                  'inline="true"/>',
                  f'\t\t<action application="set" data="domain_name={domain_name}" '
                  'inline="true"/>']
        if condition.get("condition_app"):
            lines.append(f'\t\t<action application="{sanitize(condition["condition_app"])}"'
                         f' data="{sanitize(condition["condition_data"])}"/>')
        lines.append("\t</condition>")
    return lines


def xml(row, dialplan_name: str, dialplan_uuid: str, domain_uuid: str, domain_name: str,
        record_extension: str) -> str:
    """The ``<extension>`` the page writes, trimmed as it is stored."""
    field = sanitize(row.destination_condition_field or "destination_number")
    lines = [f'<extension name="{sanitize(dialplan_name)}" continue="false" '
             f'uuid="{sanitize(dialplan_uuid)}">',
             f'\t<condition field="{field}"'
             f' expression="{sanitize(row.destination_number_regex)}">']

    def action(app, data, inline=None):
        inline = f' inline="{inline}"' if inline else ""
        lines.append(f'\t\t<action application="{sanitize(app)}" data="{data}"{inline}/>')

    action("export", "call_direction=inbound", "true")
    action("set", f"domain_uuid={domain_uuid}", "true")
    action("set", f"domain_name={domain_name}", "true")
    lines[1:1] = _caller_conditions(row, field, domain_uuid, domain_name)
    if any(app == "bridge" for app, _ in _actions(row)):
        action("set", f"presence_id=$1@{domain_name}", "true")
        action("set", "hangup_after_bridge=true", "true")
        action("set", "continue_on_fail=true", "true")
    if row.destination_cid_name_prefix:
        action("set", "effective_caller_id_name="
               f"{sanitize(row.destination_cid_name_prefix)}#${{caller_id_name}}", "true")
    if row.destination_record:
        for data in _record_variables(record_extension):
            action("set", data, "true")
        action("record_session", "${record_path}/${record_name}", "false")
    if row.destination_hold_music:
        action("export", f"hold_music={sanitize(row.destination_hold_music)}", "true")
    if row.destination_distinctive_ring:
        action("export", f"sip_h_Alert-Info={sanitize(row.destination_distinctive_ring)}",
               "true")
    if row.destination_ringback:  # checked against the ringbacks the schema offers
        action("export", f"ringback={row.destination_ringback}", "true")
        action("export", f"transfer_ringback={row.destination_ringback}", "true")
    if row.destination_accountcode:
        action("export", f"accountcode={sanitize(row.destination_accountcode)}", "true")
    for app, data in _actions(row):
        action(app, sanitize(data))
    lines += ["\t</condition>", "</extension>"]
    return "\n".join(lines)
