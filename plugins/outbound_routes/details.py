"""The detail rows ``app/dialplan_outbound/dialplan_outbound_add.php`` writes for a route
through gateways, and the settings read back from them (FusionPBX keeps no other
record of a route's gateway, prefix or limit)."""

from __future__ import annotations

import re

from fpbx_api.kit.detailed_dialplans import detail

# Pattern presets of the page: name -> (expression, abbreviation in the route's name).
PRESETS = {
    "7d": (r"^(\d{7})$", "7d"),
    "8d": (r"^(\d{8})$", "8d"),
    "9d": (r"^(\d{9})$", "9d"),
    "10d": (r"^(\d{10})$", "10d"),
    "11d": (r"^\+?(\d{11})$", "11d"),
    "north_america": (r"^(?:\+1|1)?([2-9]\d{2}[2-9]\d{2}\d{4})$", "10-11-NANP"),
    "north_america_intl": (r"^(011\d{9,17})$", "011.9-17d"),
    "north_america_islands": (
        r"^(?:\+1|1)((?:264|268|242|246|441|284|345|767|809|829|849|473|658|876|664|787|"
        r"939|869|758|784|721|868|649|340|684|671|670|808)\d{7})$", "011.9-17d"),
    "intl": (r"^(\d{12,20})$", "International"),
    "311": (r"^(311)$", "311"),
    "411": (r"^(411)$", "411"),
    "711": (r"^(711)$", "711"),
    "911": (r"(^911$|^933$)", "911"),
    "988": (r"(^988$)", "988"),
    "9d3": (r"^9(\d{3})$", "9.3d"),
    "9d4": (r"^9(\d{4})$", "9.4d"),
    "9d7": (r"^9(\d{7})$", "9.7d"),
    "9d10": (r"^9(\d{10})$", "9.10d"),
    "9d11": (r"^9(\d{11})$", "9.11d"),
    "9d12-20": (r"^9(\d{12,20})$", "9.12-20"),
    "800": (r"^(?:\+1|1)?(8(00|33|44|55|66|77|88)[2-9]\d{6})$", "800"),
    "inum": (r"^0118835100\d{8}$", "inum"),
}
ABBREVIATIONS = {expression: abbrv for expression, abbrv in PRESETS.values()}
EMERGENCY = "(^911$|^933$)"
CONTINUE_ON_FAIL = ("continue_on_fail=1,2,3,6,18,21,27,28,31,34,38,41,42,44,58,88,111,403,"
                    "501,602,607,809")
HELPER_NAME = "call_direction-outbound"
GATEWAY_BRIDGE = re.compile(r"sofia/gateway/([0-9a-f-]{36})/(.*)\$1$")


def abbreviation(expression: str) -> str:
    """The page's short name of a pattern (``filename_safe`` of any other)."""
    return ABBREVIATIONS.get(expression) or re.sub(r"[^0-9a-z_]", "",
                                                   expression.lower().replace(" ", "_"))


def outbound_prefix(expression: str) -> str:
    """The digits between ``^`` and the first ``(`` (``^9(\\d{3})$``: 9)."""
    match = re.fullmatch(r"\^(\d+)\(.*", expression, re.S)
    return match.group(1) if match else ""


def bridge(gateway_uuid: str, prefix: str, expression: str) -> str:
    """``sofia/gateway/<uuid>/<prefix>$1``: FreeSWITCH knows a gateway by its uuid. 988
    is bridged to the lifeline's own number, as the page does."""
    number = "18002738255" if abbreviation(expression) == "988" else "$1"
    return f"sofia/gateway/{gateway_uuid}/{prefix}{number}"


def helper_details(expression: str) -> list[dict]:
    """The ``call_direction-outbound`` dialplan (order 22) marks matching calls outbound."""
    return [detail("condition", "${user_exists}", "false", 10),
            detail("condition", "${call_direction}", "^$", 20),
            detail("condition", "destination_number", expression, 30),
            detail("action", "export", "call_direction=outbound", 40, inline="true")]


def route_details(s: dict) -> list[dict]:
    """The route's rows; ``s`` holds gateway, gateway_2, gateway_3 (uuids),
    dialplan_expression, prefix_number, limit, accountcode, toll_allow, pin_number."""
    expression, prefix = s["dialplan_expression"], s.get("prefix_number") or ""
    emergency = expression == EMERGENCY
    caller = "emergency_caller_id" if emergency else "outbound_caller_id"
    pin, limit = s.get("pin_number"), s.get("limit")
    rows = [("condition", "${user_exists}", "false", {})]
    if s.get("toll_allow"):
        rows.append(("condition", "${toll_allow}", s["toll_allow"], {}))
    rows += [
        ("condition", "destination_number", expression, {}),
        ("action", "set", f"sip_h_accountcode={s.get('accountcode') or '${accountcode}'}",
         {"enabled": False}),
        ("action", "export", "call_direction=outbound", {"inline": "true"}),
        ("action", "unset", "call_timeout", {}),
        ("action", "set", "hangup_after_bridge=true", {}),
        ("action", "set", f"effective_caller_id_name=${{{caller}_name}}", {}),
        ("action", "set", f"effective_caller_id_number=${{{caller}_number}}", {}),
    ]
    if emergency:
        rows += [("action", "set", "call_date=${strftime(%d-%b-%Y %r)}", {"enabled": False}),
                 ("action", "lua", "app.lua emergency 1", {"enabled": False})]
    rows += [
        ("action", "set", "inherit_codec=true", {}),
        ("action", "set", "ignore_display_updates=true", {}),
        ("action", "set", "callee_id_number=$1", {}),
        ("action", "set", CONTINUE_ON_FAIL, {}),
        ("action", "set", f"limit_max={limit or ''}", {"enabled": bool(limit)}),
        ("action", "limit", "hash ${domain_name} outbound ${limit_max} !USER_BUSY",
         {"enabled": bool(limit)}),
    ]
    if outbound_prefix(expression):
        rows.append(("action", "set", f"outbound_prefix={outbound_prefix(expression)}", {}))
    rows += [("action", "set", f"pin_number={pin or ''}", {"enabled": bool(pin)}),
             ("action", "lua", "pin_number.lua", {"enabled": bool(pin)})]
    if len(prefix) > 2:
        rows.append(("action", "set", f"provider_prefix={prefix}", {}))
    for field in ("gateway", "gateway_2", "gateway_3"):  # failover in this order
        if s.get(field):
            rows.append(("action", "bridge", bridge(s[field], prefix, expression), {}))
    return [detail(tag, kind, data, 10 * (n + 1), **extra)
            for n, (tag, kind, data, extra) in enumerate(rows)]


def settings_of(details: list[dict]) -> dict:
    """What ``route_details`` was given, read back from the rows."""
    found: dict = {"gateway": None, "gateway_2": None, "gateway_3": None,
                   "dialplan_expression": None, "prefix_number": None, "limit": None,
                   "accountcode": None, "toll_allow": None, "pin_number": None}
    gateways = []
    for row in details:
        kind, data = row["dialplan_detail_type"], row["dialplan_detail_data"] or ""
        enabled = row["dialplan_detail_enabled"] is not False
        if row["dialplan_detail_tag"] == "condition":
            if kind == "destination_number":
                found["dialplan_expression"] = data
            elif kind == "${toll_allow}":
                found["toll_allow"] = data
            continue
        name, _, value = data.partition("=")
        if kind == "bridge" and (match := GATEWAY_BRIDGE.fullmatch(data)):
            gateways.append(match.group(1))
            found["prefix_number"] = match.group(2) or None
        elif kind == "set" and name == "limit_max" and enabled and value:
            found["limit"] = int(value)
        elif kind == "set" and name == "sip_h_accountcode" and value != "${accountcode}":
            found["accountcode"] = value
        elif kind == "set" and name == "pin_number" and enabled:
            found["pin_number"] = value or None
    for field, uuid in zip(("gateway", "gateway_2", "gateway_3"), gateways, strict=False):
        found[field] = uuid
    return found
