"""The ``v_dialplans`` rows that features (ring groups, IVRs, …) generate: FreeSWITCH
reads only ``dialplan_xml`` (FusionPBX's Lua dialplan handler, ``app/switch/resources/
scripts/app/xml_handler/resources/scripts/dialplan/dialplan.lua``), so the XML is the
product."""

from __future__ import annotations

import re
from html import escape

from sqlalchemy import delete

from fpbx_api import db
from fpbx_api.fusionpbx.models import Dialplan, DialplanDetail
from fpbx_api.fusionpbx.rows import new_uuid, now
from fpbx_api.kit.scoping import domain_uuid, get_or_404

# Characters XML 1.0 cannot carry at all, escaped or not: a parser stops at them.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
EXPANSION = re.compile(r"\$\{[^}]+\}")


def sanitize(text) -> str:
    """FusionPBX's xml::sanitize (drop ``${…}`` expansions, escape for XML, quotes
    included so a value stays inside its attribute), and drop what XML cannot carry.
    Unlike FusionPBX, expansions are dropped until none is left ("$${a}{b}" would
    otherwise leave "${b}")."""
    cleaned, previous = NOT_XML.sub("", str(text or "")), None
    while cleaned != previous:
        previous, cleaned = cleaned, EXPANSION.sub("", cleaned)
    return escape(cleaned, quote=True).replace("&#x27;", "&apos;")


def number_expression(number: str) -> str:
    """``^<number>$`` matching that number only: a dialable number may hold ``*``, ``+``
    and ``.``, which PCRE would read as operators (``^.*$`` would catch every call of the
    context, emergency numbers included). FusionPBX writes the number unescaped."""
    return "^" + re.sub(r"([.*+?()\[\]{}|^$\\])", r"\\\1", number) + "$"


def save_dialplan(dialplan_uuid: str | None, *, app_uuid: str, name: str, number: str,
                  context: str, order: int, enabled: bool | None, description: str | None,
                  xml) -> Dialplan:
    """Insert or update the feature's dialplan row; ``xml(uuid)`` builds its XML (which
    names its own uuid). FusionPBX stores the XML trimmed."""
    session = db.session()
    if dialplan_uuid:
        row = get_or_404(Dialplan, dialplan_uuid, "Dialplan")
        row.update_date = now()
    else:
        row = Dialplan(dialplan_uuid=new_uuid(), domain_uuid=domain_uuid(), insert_date=now())
        session.add(row)
    row.app_uuid = app_uuid
    row.dialplan_name = name
    row.dialplan_number = number
    row.dialplan_context = context
    row.dialplan_continue = False
    row.dialplan_order = order
    row.dialplan_enabled = enabled
    row.dialplan_description = description
    row.dialplan_xml = xml(row.dialplan_uuid).strip()
    return row


def delete_dialplan(dialplan_uuid: str | None) -> None:
    """The dialplan row and any details, as every feature's delete does."""
    if not dialplan_uuid:
        return
    session = db.session()
    for model in (DialplanDetail, Dialplan):
        session.execute(delete(model).where(model.domain_uuid == domain_uuid(),
                                            model.dialplan_uuid == dialplan_uuid))


def with_dialplan(audit: dict, dialplan_uuid: str | None) -> dict:
    """A feature's audit rows plus its ``v_dialplans`` row, as FusionPBX's save array
    holds both (the transaction history then shows the XML that changed)."""
    dialplan = db.session().get(Dialplan, dialplan_uuid) if dialplan_uuid else None
    if dialplan is None:
        return audit
    return {**audit, "dialplans": [{c.key: getattr(dialplan, c.key) for c in
                                    Dialplan.__mapper__.column_attrs if not c.deferred}]}


def dialplan_keys(*contexts: str | None) -> list[str]:
    """The cache keys FusionPBX clears after a dialplan change in these contexts."""
    return sorted({f"dialplan:{c}" for c in contexts if c})
