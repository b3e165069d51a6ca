"""The detail rows ``app/time_conditions/time_condition_edit.php`` writes, and the time
condition read back from them (FusionPBX keeps nothing else).

Groups: 0 holds the time zone, 100 + 5·n the n-th holiday preset of the region,
500, 505, … the custom rules in the order given, 999 the destination when nothing
matched. Each group repeats the number's condition, then its time conditions (break
never), then its action.
"""

from __future__ import annotations

from fpbx_api.fusionpbx.dialplans import number_expression
from fpbx_api.kit.detailed_dialplans import detail

TIME_ZONE_GROUP, FIRST_PRESET_GROUP, FIRST_CUSTOM_GROUP, ANTI_GROUP = 0, 100, 500, 999
STEP = 5


def minute_of_day(start: str, stop: str | None) -> tuple[str, str | None]:
    """``time-of-day`` as the form stores it: minutes since midnight, the start one minute
    later ("08:00"-"17:00" is 481-1020): FreeSWITCH would otherwise match from 07:59."""
    def minutes(clock: str) -> int:
        hours, minutes_ = clock.split(":")
        return int(hours) * 60 + int(minutes_)
    return str(minutes(start) + 1), None if stop is None else str(minutes(stop))


def time_of_day(value: str) -> tuple[str, str | None]:
    """``minute_of_day`` undone, as the edit page shows a stored rule."""
    start, _, stop = value.partition("-")

    def clock(minutes: int) -> str:
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return clock(int(start) - 1), clock(int(stop)) if stop else None


def _stored(variable: str, start: str, stop: str | None) -> tuple[str, str]:
    if variable == "time-of-day":
        variable, (start, stop) = "minute-of-day", minute_of_day(start, stop)
    if stop is None:
        return variable, start
    return variable, f"{start}{'~' if variable == 'date-time' else '-'}{stop}"


def _group(number: str, group: int, conditions: list[tuple[str, str]],
           action: str, preset: str | None = None) -> list[dict]:
    rows = [("condition", "destination_number", number_expression(number), {})]
    rows += [("condition", variable, value, {"brk": "never"}) for variable, value in conditions]
    if preset:
        rows.append(("action", "set", f"preset={preset}", {"inline": "true"}))
    app, _, data = action.partition(":")
    rows.append(("action", app, data, {}))
    return [detail(tag, kind, data, 10 * (n + 1), group, **extra)
            for n, (tag, kind, data, extra) in enumerate(rows)]


def build(tc: dict, available: list[tuple[str, dict]]) -> list[dict]:
    """The rows for a time condition: ``tc`` holds dialplan_number,
    dialplan_time_zone, conditions ([{conditions: [{variable, start, stop}],
    dialplan_action}]), presets ([{preset, dialplan_action}]), default_preset_action
    and dialplan_anti_action (actions as ``app:data``). A preset without an action takes
    the default preset action, else the anti-action, else is left out (as the form)."""
    number, rows = tc["dialplan_number"], []
    if tc.get("dialplan_time_zone"):
        rows += [detail("condition", "destination_number", number_expression(number), 10),
                 detail("action", "set", f"timezone={tc['dialplan_time_zone']}", 20,
                        inline="true")]
    index = {name: (n, conditions) for n, (name, conditions) in enumerate(available)}
    for preset in tc.get("presets") or []:
        action = (preset.get("dialplan_action") or tc.get("default_preset_action")
                  or tc.get("dialplan_anti_action"))
        if action:
            n, conditions = index[preset["preset"]]
            rows += _group(number, FIRST_PRESET_GROUP + STEP * n,
                           [_stored(v, value, None) for v, value in conditions.items()],
                           action, preset["preset"])
    for n, rule in enumerate(tc.get("conditions") or []):
        rows += _group(number, FIRST_CUSTOM_GROUP + STEP * n,
                       [_stored(c["variable"], c["start"], c.get("stop"))
                        for c in rule["conditions"]], rule["dialplan_action"])
    if tc.get("dialplan_anti_action"):
        app, _, data = tc["dialplan_anti_action"].partition(":")
        rows += [detail("condition", "destination_number", number_expression(number), 10,
                        ANTI_GROUP),
                 detail("action", app, data, 20, ANTI_GROUP)]
    return rows


def read(rows: list[dict]) -> dict:
    """``build``'s input, read back (the time of day as given, not as stored)."""
    groups: dict[int, list[dict]] = {}
    for row in rows:
        groups.setdefault(int(row["dialplan_detail_group"] or 0), []).append(row)
    tc: dict = {"dialplan_time_zone": None, "conditions": [], "presets": [],
                "dialplan_anti_action": None}
    for group, members in sorted(groups.items()):
        actions = [r for r in members if r["dialplan_detail_tag"] == "action"]
        sets = {r["dialplan_detail_data"].partition("=")[0]: r["dialplan_detail_data"]
                .partition("=")[2] for r in actions if r["dialplan_detail_type"] == "set"}
        final = next((r for r in reversed(actions) if not (
            r["dialplan_detail_type"] == "set" and r["dialplan_detail_data"].partition("=")[0]
            in ("preset", "timezone"))), None)
        action = (f"{final['dialplan_detail_type']}:{final['dialplan_detail_data'] or ''}"
                  if final is not None and final["dialplan_detail_type"] else None)
        if group == TIME_ZONE_GROUP:
            tc["dialplan_time_zone"] = sets.get("timezone")
        elif group == ANTI_GROUP:
            tc["dialplan_anti_action"] = action
        elif "preset" in sets:
            tc["presets"].append({"preset": sets["preset"], "dialplan_action": action})
        else:
            tc["conditions"].append({"conditions": [
                _given(r["dialplan_detail_type"], r["dialplan_detail_data"] or "")
                for r in members if r["dialplan_detail_tag"] == "condition"
                and r["dialplan_detail_type"] != "destination_number"],
                "dialplan_action": action})
    return tc


def _given(variable: str, value: str) -> dict:
    if variable == "minute-of-day":
        start, stop = time_of_day(value)
        return {"variable": "time-of-day", "start": start, "stop": stop}
    start, _, stop = value.partition("~" if variable == "date-time" else "-")
    return {"variable": variable, "start": start, "stop": stop or None}
