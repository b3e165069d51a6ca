"""A dialplan's XML built from its ``v_dialplan_details`` rows, as FusionPBX's dialplan
class does (``app/dialplans/resources/classes/dialplan.php``, ``xml()`` with
``source = "details"``): time conditions, outbound routes and the generic dialplan
editor store their rows as details and the XML FreeSWITCH reads is generated from them.

The output is FusionPBX's, byte for byte (its whitespace quirks included: a time
condition's attributes end in a space before `` break="…"``), with two deliberate
differences, both FusionPBX bugs:

* values are escaped for an XML attribute (``&``, ``<``, ``"``): FusionPBX writes them
  raw, so a ``"`` in a detail ends the attribute and the rest of the value is parsed as
  XML by FreeSWITCH; characters XML cannot carry at all are dropped;
* rows are ordered as the class's own query orders them (group, then conditions,
  regexes, actions, anti-actions, then order) also where ``app/dialplans/
  dialplan_edit.php`` sorts only by group and order (``prepare_details``): there an
  action ordered before a condition of its group opens a second ``<condition>``
  inside the first, XML FreeSWITCH refuses.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import delete, select

from fpbx_api import db
from fpbx_api.fusionpbx.dialplans import NOT_XML
from fpbx_api.fusionpbx.models import DialplanDetail, Domain
from fpbx_api.fusionpbx.rows import new_uuid, now

__all__ = ["DETAIL_COLUMNS", "TAGS", "TIME_FIELDS", "build_xml", "check_details",
           "dialplan_xml", "is_public", "replace_details"]

# The detail columns a caller gives (the rest: uuids, domain and audit columns).
DETAIL_COLUMNS = ("dialplan_detail_tag", "dialplan_detail_type", "dialplan_detail_data",
                  "dialplan_detail_break", "dialplan_detail_inline",
                  "dialplan_detail_group", "dialplan_detail_order",
                  "dialplan_detail_enabled")
# Tags in the order the class's query puts them within a group (any other tag last).
TAGS = ("condition", "regex", "action", "anti-action")
# Condition fields FreeSWITCH tests against the clock: written as attributes of one
# ``<condition>`` (``wday="2-6" minute-of-day="481-1020"``), not as field/expression.
TIME_FIELDS = frozenset({"hour", "minute", "minute-of-day", "mday", "mweek", "mon",
                         "time-of-day", "yday", "year", "wday", "week", "date-time"})


def is_public(context: str | None) -> bool:
    """The class's test for an inbound (public) context."""
    context = context or ""
    return context == "public" or context.startswith("public@") or context.endswith(".public")


def _attr(value) -> str:
    """A value inside a double-quoted attribute (see the module docstring)."""
    text = NOT_XML.sub("", "" if value is None else str(value))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _data(row: dict) -> str:
    """A detail's data: the class turns ``$$`` into ``$`` first."""
    data = row.get("dialplan_detail_data")
    return _attr("" if data is None else str(data).replace("$$", "$"))


def _number(value) -> tuple[bool, Decimal]:
    """A numeric column's sort key: PostgreSQL puts NULL after every number."""
    try:
        return (False, Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return (True, Decimal(0))


def _sort_key(detail: dict):
    tag = detail.get("dialplan_detail_tag")
    rank = TAGS.index(tag) if tag in TAGS else 100
    return (_number(detail.get("dialplan_detail_group")), rank,
            _number(detail.get("dialplan_detail_order")))


def _enabled(detail: dict) -> bool:
    """The class's query takes ``enabled = true or enabled is null``."""
    return detail.get("dialplan_detail_enabled") not in (False, "false")


def check_details(details: list[dict]) -> None:
    """Refuse (ValueError naming the row's index) rows whose XML FreeSWITCH could not
    read: an unknown tag, a ``<regex>`` outside a ``<condition regex="…">``, a time
    field twice in one ``<condition>``. FusionPBX writes them as they come."""
    indexed = sorted(((i, d) for i, d in enumerate(details) if _enabled(d)),
                     key=lambda pair: _sort_key(pair[1]))
    previous_group, previous, times = object(), None, set()
    for index, row in indexed:
        tag, field = row.get("dialplan_detail_tag"), row.get("dialplan_detail_type")
        group = _number(row.get("dialplan_detail_group"))
        if group != previous_group:
            previous, times = None, set()
        if tag not in TAGS:
            raise ValueError(f"details[{index}]: the tag is one of {', '.join(TAGS)}")
        if tag == "regex" and previous not in ("regex", "condition-regex"):
            raise ValueError(f"details[{index}]: a regex follows a condition of type "
                             "regex in its group")
        if tag == "condition" and field in TIME_FIELDS:
            if field in times:
                raise ValueError(f"details[{index}]: {field} twice in one time condition")
            times.add(field)
        elif tag in ("condition", "regex"):
            times = set()
        previous = "condition-regex" if (tag, field) == ("condition", "regex") else tag
        previous_group = group


def build_xml(name: str, uuid: str, continue_: str, details: list[dict], *,
              context: str | None = None, domain_uuid: str | None = None,
              domain_name: str | None = None) -> str:
    """The ``<extension>`` FusionPBX stores in ``dialplan_xml`` (trimmed, as stored) for
    these detail rows (dicts of ``v_dialplan_details`` columns; disabled ones skipped).

    ``continue_`` is the attribute's text as FusionPBX writes it: ``""``/``"1"`` where the
    class reads the boolean column (time conditions, outbound routes), ``"false"``/
    ``"true"`` where a form posts it (the dialplan editor). In a public context the
    first action of each group is preceded by the call direction and the domain
    (``context``, ``domain_uuid`` and ``domain_name`` give them). No enabled detail:
    ``""`` (FusionPBX's query finds no row and writes no XML)."""
    rows = sorted(filter(_enabled, details), key=_sort_key)
    if not rows:
        return ""
    return _Writer(context, domain_uuid, domain_name).extension(
        name, uuid, continue_, rows).strip()


class _Writer:
    """The class's loop over one dialplan's rows, state for state: a pending
    ``<condition`` is finished (``/>`` or ``>``) only when the next row shows whether
    actions follow it, and consecutive time conditions share one element."""

    def __init__(self, context, domain_uuid, domain_name):
        self.public = is_public(context)
        self.domain_uuid, self.domain_name = domain_uuid, domain_name
        self.xml = []
        self.condition = ""            # a pending default condition (or regex) element
        self.attributes = ""           # pending time attributes: 'wday="2-6" '
        self.brk = ""                  # ' break="…"' of the last condition row
        self.open = False              # a condition element is pending or open
        self.in_regex = False          # a <condition regex="…"> open tag is written

    def extension(self, name, uuid, continue_, rows) -> str:
        self.xml.append(f'<extension name="{_attr(name)}" continue="{_attr(continue_)}"'
                        f' uuid="{_attr(uuid)}">\n')
        previous_group, first_action = None, True
        for index, row in enumerate(rows):
            group = _number(row.get("dialplan_detail_group"))
            if index and group != previous_group:
                self._close(group_change=True)
            tag = row.get("dialplan_detail_tag")
            if tag in ("condition", "regex"):
                self._condition(row)
            if tag in ("action", "anti-action"):
                self._open_for_actions()
                if tag == "action" and self.public and first_action:
                    self._public_prefix()
                    first_action = False
                self.xml.append(self._action(tag, row))
            if index == 0 or group != previous_group:
                # The class resets this after the row that starts a group.
                first_action = True
            previous_group = group
        self._close(group_change=False)
        self.xml.append("</extension>\n")
        return "".join(self.xml)

    def _condition(self, row) -> None:
        field = row.get("dialplan_detail_type")
        tag = row.get("dialplan_detail_tag")
        data = _data(row)
        is_time = field in TIME_FIELDS
        if self.open:
            if self.condition.endswith(">"):
                self.in_regex = self.in_regex or self.condition.startswith("\t<condition")
                self.xml.append(self.condition + "\n")
                if tag != "regex":
                    self._end_regex_condition()
                self.condition, self.open = "", False
            elif self.condition:
                self.xml.append(self.condition + "/>\n")
                self.condition, self.open = "", False
            elif self.attributes and not is_time:
                # The previous time condition(s) end here, with their own break.
                self.xml.append(f"\t<condition {self.attributes}{self.brk}/>\n")
                self.attributes, self.open = "", False
        brk = row.get("dialplan_detail_break")
        self.brk = f' break="{_attr(brk)}"' if brk and brk != "0" else ""
        if is_time:
            self.attributes += f'{field}="{data}" '
            self.condition = ""
        elif tag == "condition" and field == "regex":
            self.condition = f'\t<condition regex="{data}"{self.brk}>'
        elif tag == "regex" and field is not None:
            self.condition = (f'\t\t<regex field="{_attr(field)}" expression="{data}"'
                              f'{self.brk}/>')
        else:
            self.condition = (f'\t<condition field="{_attr(field)}" expression="{data}"'
                              f'{self.brk}')
        self.open = True

    def _open_for_actions(self) -> None:
        if not self.open:
            return
        if self.condition.startswith("\t<condition regex="):
            self.in_regex = True
        if self.attributes:
            self.xml.append(f"\t<condition {self.attributes}{self.brk}>\n")
            self.attributes = ""
        elif self.condition.endswith(">"):
            self.xml.append(self.condition + "\n")
            self.condition = ""
        elif self.condition:
            self.xml.append(self.condition + ">\n")
            self.condition = ""

    def _public_prefix(self) -> None:
        """What the class adds before the first action of a public (inbound) group."""
        self.xml.append('\t\t<action application="export" data="call_direction=inbound"'
                        ' inline="true"/>\n')
        if self.domain_uuid:
            self.xml.append(f'\t\t<action application="set" data="domain_uuid='
                            f'{_attr(self.domain_uuid)}" inline="true"/>\n')
        if self.domain_name:
            self.xml.append(f'\t\t<action application="set" data="domain_name='
                            f'{_attr(self.domain_name)}" inline="true"/>\n')

    @staticmethod
    def _action(tag, row) -> str:
        inline = row.get("dialplan_detail_inline")
        inline = f' inline="{_attr(inline)}"' if inline and inline != "0" else ""
        return (f'\t\t<{tag} application="{_attr(row.get("dialplan_detail_type"))}"'
                f' data="{_data(row)}"{inline}/>\n')

    def _end_regex_condition(self) -> None:
        """Close a ``<condition regex="…">`` whose last ``<regex>`` was just written.
        FusionPBX leaves it open when no action follows (XML FreeSWITCH refuses)."""
        if self.in_regex:
            self.xml.append("\t</condition>\n")
            self.in_regex = False

    def _close(self, *, group_change: bool) -> None:
        """End the pending or open condition, at a new group or at the end. The
        class's odd spacing is kept at a group change (a pending field condition is
        written after a space, without a line end: still well-formed XML)."""
        if not self.open:
            return
        if self.attributes:
            self.xml.append(f"\t<condition {self.attributes}{self.brk}/>\n")
            self.attributes = ""
        elif self.condition.endswith(">"):
            # Only <condition regex="…"> and <regex/> end so: finish the element.
            self.in_regex = self.in_regex or self.condition.startswith("\t<condition")
            self.xml.append(self.condition + "\n")
            self._end_regex_condition()
            self.condition = ""
        elif self.condition:
            self.xml.append(" " + self.condition + "/>" if group_change
                            else self.condition + "/>\n")
            self.condition = ""
        else:
            self.xml.append("\t</condition>\n")
            self.in_regex = False
        self.open = False


def _domain_name(domain_uuid) -> str | None:
    if not domain_uuid:
        return None
    return db.session().scalar(select(Domain.domain_name)
                               .where(Domain.domain_uuid == str(domain_uuid)))


def dialplan_xml(dialplan, details: list[dict], continue_: str) -> str | None:
    """``build_xml`` for a ``v_dialplans`` row (its name, uuid, context and domain);
    None when no detail is enabled (stored as NULL, as FusionPBX leaves it)."""
    public = is_public(dialplan.dialplan_context)
    xml = build_xml(dialplan.dialplan_name or "", str(dialplan.dialplan_uuid), continue_,
                    details, context=dialplan.dialplan_context,
                    domain_uuid=str(dialplan.domain_uuid) if dialplan.domain_uuid else None,
                    domain_name=_domain_name(dialplan.domain_uuid) if public else None)
    return xml or None


def replace_details(dialplan, details: list[dict]) -> list[DialplanDetail]:
    """Delete the dialplan's detail rows and insert ``details`` with new uuids, as
    FusionPBX's forms do on every save (same transaction: nothing half-written).
    Each dict holds ``DETAIL_COLUMNS`` (missing ones NULL; ``enabled`` defaults to
    true, group to 0 as ``dialplan_edit.php`` sets them)."""
    session = db.session()
    session.execute(delete(DialplanDetail).where(
        DialplanDetail.dialplan_uuid == str(dialplan.dialplan_uuid)))
    rows = []
    for detail in details:
        values = {column: detail.get(column) for column in DETAIL_COLUMNS}
        if values["dialplan_detail_enabled"] is None:
            values["dialplan_detail_enabled"] = True
        if values["dialplan_detail_group"] is None:
            values["dialplan_detail_group"] = 0
        row = DialplanDetail(dialplan_detail_uuid=new_uuid(),
                             domain_uuid=dialplan.domain_uuid,
                             dialplan_uuid=dialplan.dialplan_uuid,
                             insert_date=now(), **values)
        session.add(row)
        rows.append(row)
    session.flush()
    return rows
