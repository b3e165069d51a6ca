"""Time condition fields: the dialplan's columns and the rules of
``app/time_conditions/time_condition_edit.php``, kept in its details."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import marshmallow as ma

from fpbx_api.fusionpbx.models import Dialplan
from fpbx_api.http.fields import NUMBER, BoolString, Integer, Text, output_schema
from fpbx_api.kit.destinations import Destination
from fpbx_api.kit.detailed_dialplans import ORDER, list_item_schema


def _between(low: int, high: int):
    def check(text: str) -> bool:
        return text.isascii() and text.isdigit() and len(text) <= 4 and low <= int(text) <= high
    return check


CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
DATE_TIME = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) "
                       r"([01][0-9]|2[0-3]):[0-5][0-9]")
# What FreeSWITCH's time conditions take (``switch_core_time`` fields), as the form offers
# them: the accepted value of one end of a range.
VARIABLES = {
    "year": (_between(1970, 2999), "a year"),
    "mon": (_between(1, 12), "a month, 1 to 12"),
    "mday": (_between(1, 31), "a day of the month, 1 to 31"),
    "wday": (_between(1, 7), "a weekday, 1 (Sunday) to 7 (Saturday)"),
    "yday": (_between(1, 366), "a day of the year, 1 to 366"),
    "week": (_between(1, 53), "a week of the year, 1 to 53"),
    "mweek": (_between(1, 6), "a week of the month, 1 to 6"),
    "hour": (_between(0, 23), "an hour, 0 to 23"),
    "minute": (_between(0, 59), "a minute, 0 to 59"),
    "minute-of-day": (_between(1, 1440), "a minute of the day, 1 to 1440"),
    "time-of-day": (CLOCK.fullmatch, "a time HH:MM"),
    "date-time": (DATE_TIME.fullmatch, "a date and time YYYY-MM-DD HH:MM"),
}


def time_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ma.ValidationError("Use an IANA time zone such as America/New_York.") from None


class ConditionSchema(ma.Schema):
    variable = ma.fields.String(required=True, validate=ma.validate.OneOf(list(VARIABLES)))
    start = ma.fields.String(required=True)
    stop = ma.fields.String(allow_none=True, load_default=None)

    @ma.validates_schema
    def in_range(self, data, **kwargs):
        check, what = VARIABLES.get(data.get("variable"), (None, None))
        if check is None:
            return
        for end in ("start", "stop"):
            value = data.get(end)
            if value is not None and not check(value):
                raise ma.ValidationError(f"Use {what}.", end)


class RuleSchema(ma.Schema):
    conditions = ma.fields.List(ma.fields.Nested(ConditionSchema), required=True,
                                validate=ma.validate.Length(1, 12), metadata={
                                    "description": "All must hold (time-of-day is stored as "
                                                   "minute-of-day, its start one minute "
                                                   "later, as FusionPBX does)"})
    dialplan_action = Destination("Where the call goes while the rule holds.", required=True)


class PresetSchema(ma.Schema):
    preset = ma.fields.String(required=True, validate=ma.validate.Length(1, 64), metadata={
        "description": "A holiday of the domain's region (setting time_conditions/region), "
                       "e.g. christmas_day"})
    dialplan_action = Destination("Where the call goes that day (default: "
                                  "default_preset_action, else dialplan_anti_action).")


class TimeConditionWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial)."""

    dialplan_name = Text(max_length=255, required=True)
    dialplan_number = ma.fields.String(required=True, validate=NUMBER)
    dialplan_order = Integer(validate=ma.validate.Range(300, 999))
    dialplan_enabled = BoolString()
    dialplan_description = Text(max_length=1000)
    dialplan_time_zone = Text(validate=time_zone, metadata={
        "description": "The zone the rules are read in (default: the domain's time zone)"})
    conditions = ma.fields.List(ma.fields.Nested(RuleSchema),
                                validate=ma.validate.Length(max=50), metadata={
                                    "description": "Rules in order; replaces them all"})
    presets = ma.fields.List(ma.fields.Nested(PresetSchema), validate=ma.validate.Length(max=50))
    default_preset_action = Destination("Where calls go on a preset holiday without its own.")
    dialplan_anti_action = Destination("Where the call goes when no rule holds.")


TimeConditionListItemSchema = list_item_schema("TimeConditionListItemSchema")
TimeConditionSchema = output_schema(
    "TimeConditionSchema", Dialplan,
    ["dialplan_uuid", "dialplan_name", "dialplan_number", "dialplan_context",
     "dialplan_enabled", "dialplan_description", "dialplan_xml"], dialplan_order=ORDER(),
    dialplan_time_zone=ma.fields.String(allow_none=True),
    conditions=ma.fields.List(ma.fields.Dict()), presets=ma.fields.List(ma.fields.Dict()),
    dialplan_anti_action=ma.fields.String(allow_none=True))
