"""Live calls of the authenticated domain, read as FusionPBX's ``app/calls_active`` reads
them (``show channels as json``)."""

from __future__ import annotations

import time
import uuid

from sqlalchemy import or_

from fpbx_api import db
from fpbx_api.freeswitch.esl import EslCommandError, quoted, switches, token
from fpbx_api.freeswitch.switches import (
    channel_domain,
    config,
    gather,
    on_switch,
    parse_rows,
    registrations,
)
from fpbx_api.fusionpbx.models import Extension
from fpbx_api.fusionpbx.settings import local_time
from fpbx_api.http.errors import NotFound
from fpbx_api.kit.scoping import domain_name, scoped


def channels() -> list[dict]:
    """Every channel of the domain, on every switch, as FreeSWITCH lists it."""
    rows = gather(lambda conn: parse_rows(conn.api("show channels as json")))
    domain = domain_name().lower()
    return [r for r in rows if channel_domain(r) == domain]


def partners(rows: list[dict]) -> dict[str, str]:
    """Each bridged channel's other leg. FreeSWITCH's ``call_uuid`` names the a-leg on
    both legs, so the a-leg's partner is the b-leg that points at it."""
    pairs = {}
    for row in rows:
        a_leg = row.get("call_uuid")
        if a_leg and a_leg != row["uuid"]:
            pairs[row["uuid"]], pairs[a_leg] = a_leg, row["uuid"]
    return pairs


def active_calls() -> list[dict]:
    now = int(time.time())
    calls = []
    rows = channels()
    bridged = partners(rows)
    for row in rows:
        created = int(row.get("created_epoch") or now)
        calls.append({
            "call_uuid": row["uuid"], "caller_id_name": row.get("cid_name", ""),
            "caller_id_number": row.get("cid_num", ""),
            "destination_number": row.get("dest") or row.get("initial_dest", ""),
            "call_direction": row.get("direction", ""), "call_state": row.get("state", ""),
            "callstate": row.get("callstate", ""), "created_time": local_time(created),
            "created_epoch": created, "duration": max(0, now - created),
            "channel_name": row.get("name", ""), "context": row.get("context", ""),
            "application": row.get("application", ""),
            "bridged_uuid": bridged.get(row["uuid"]),
            "switch": row["switch"],
        })
    return calls


def find_channel(call_uuid: str) -> dict:
    """The domain's channel with this uuid, or 404 (also when it is another domain's)."""
    for row in channels():
        if row["uuid"] == call_uuid:
            return row
    raise NotFound("Call not found")


def hangup(call_uuid: str) -> dict:
    row = find_channel(call_uuid)
    result = _run(row, f"uuid_kill {token(call_uuid, 'call_uuid')}")
    return {"call_uuid": call_uuid, "result": result, "switch": row["switch"]}


def transfer(call_uuid: str, destination: str, leg: str) -> dict:
    row = find_channel(call_uuid)
    flag = {"a": "", "b": "-bleg ", "both": "-both "}[leg]
    context = token(domain_name(), "domain")
    command = (f"uuid_transfer {token(call_uuid, 'call_uuid')} {flag}"
               f"{token(destination, 'destination')} XML {context}")
    return {"call_uuid": call_uuid, "destination": destination, "result": _run(row, command),
            "switch": row["switch"]}


def originate(values: dict) -> dict:
    """Ring one of the domain's extensions, then connect it to the destination."""
    number = values["extension"]
    found = db.session().scalars(scoped(Extension).where(
        or_(Extension.extension == number, Extension.number_alias == number),
        Extension.enabled.is_(True))).first()
    if found is None:
        raise NotFound("Extension not found")
    domain = token(domain_name(), "domain")
    call_uuid = str(uuid.uuid4())
    variables = [f"origination_uuid={call_uuid}", f"call_timeout={values['timeout']}",
                 f"domain_name={domain}", "ignore_early_media=true"]
    if values.get("caller_id_name"):
        variables.append("origination_caller_id_name="
                         + quoted(values["caller_id_name"], "caller_id_name"))
    if values.get("caller_id_number"):
        variables.append("origination_caller_id_number="
                         + token(values["caller_id_number"], "caller_id_number"))
    user = token(found.extension, "extension")
    command = (f"originate {{{','.join(variables)}}}user/{user}@{domain} "
               f"{token(values['destination'], 'destination')} XML {domain}")
    switch = _switch_holding(user)
    on_switch(switch, lambda conn: conn.bgapi(command))
    return {"call_uuid": call_uuid, "destination": values["destination"], "result": "+OK",
            "switch": switch}


def _switch_holding(user: str) -> str:
    """The switch where the extension is registered (the first switch when it is not)."""
    for reg in registrations(domain_name()):
        if reg["user"].partition("@")[0] == user:
            return reg["switch"]
    return switches(config())[0].name


def _run(row: dict, command: str) -> str:
    """Run on the switch holding the call; a call that ended meanwhile is a 404."""
    try:
        return on_switch(row["switch"], lambda conn: conn.api(command)).strip()
    except EslCommandError as exc:
        if "No such channel" in exc.message:
            raise NotFound("Call not found") from None
        raise
