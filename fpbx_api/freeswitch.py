"""Talking to every FreeSWITCH that serves the FusionPBX database: gathering live
state from all of them, parsing what they answer, and applying a change
(cache keys, reloads) to each after a commit (SIDE_EFFECTS.md §2, §9)."""

from __future__ import annotations

import html
import json
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from flask import current_app
from sqlalchemy import select

from fpbx_api import db, esl
from fpbx_api.models import SipProfile

log = logging.getLogger("fpbx_api.freeswitch")
HOSTNAME = "{hostname}"  # replaced, per switch, by the answer to `api hostname`
# FusionPBX keys some configuration caches with the switch's hostname and some versions
# without it; both forms are cleared.
SOFIA_CONF = [f"{HOSTNAME}:configuration:sofia.conf", "configuration:sofia.conf"]


# --- parsers (tested on real FreeSWITCH 1.11.2 captures) -------------------------------------

def parse_rows(body: str) -> list[dict]:
    """``show channels|calls as json``: an empty answer is ``{"row_count": 0}`` with no rows."""
    try:
        data = json.loads(body)
    except ValueError:
        raise esl.EslCommandError("FreeSWITCH sent unreadable JSON") from None
    return data.get("rows", []) if isinstance(data, dict) else []


def parse_registrations(body: str, profile: str) -> list[dict]:
    """``sofia xmlstatus profile <p> reg``: one dict per ``<registration>``.

    The XML is ISO-8859-1 with an entity-escaped contact; ``Invalid Profile!`` (a
    profile that is not running) gives no rows.
    """
    text = body.strip()
    if not text.startswith("<"):
        return []
    text = re.sub(r"^<\?xml[^>]*\?>", "", text)
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        raise esl.EslCommandError("FreeSWITCH sent unreadable registration XML") from None
    rows = []
    for reg in root.iter("registration"):
        row = {child.tag: html.unescape(child.text or "") for child in reg}
        row["profile"] = profile
        rows.append(row)
    return rows


def channel_domain(row: dict) -> str:
    """The domain FusionPBX attributes a channel to: the context (after '@' if any), or
    for the ``public``/``default`` contexts the domain of the presence id."""
    context = row.get("context") or ""
    if "@" in context:
        return context.rpartition("@")[2].lower()
    if context in ("public", "default", ""):
        return (row.get("presence_id") or "").rpartition("@")[2].lower()
    return context.lower()


def registration_domain(row: dict) -> set[str]:
    return {(row.get("sip-auth-realm") or "").lower(),
            (row.get("user") or "").rpartition("@")[2].lower()}


# --- running a command on every switch ------------------------------------------------------

def config() -> dict:
    return current_app.config["FPBX"]


def gather(command: Callable[[esl.Connection], list[dict]]) -> list[dict]:
    """Rows from every switch, each tagged with ``switch``. Any switch failing is a 503:
    a partial list of live calls would look complete and mislead."""
    rows = []
    for switch in esl.switches(config()):
        with esl.connect(switch, config()) as conn:
            for row in command(conn):
                row["switch"] = switch.name
                rows.append(row)
    return rows


def on_switch(name: str, command: Callable[[esl.Connection], str]) -> str:
    switch = next(s for s in esl.switches(config()) if s.name == name)
    with esl.connect(switch, config()) as conn:
        return command(conn)


def registrations(domain: str) -> list[dict]:
    """The domain's SIP registrations on every switch, from every enabled SIP profile
    (a profile pinned to a hostname is asked only of that switch)."""
    profiles = db.session().execute(
        select(SipProfile.sip_profile_name, SipProfile.sip_profile_hostname)
        .where(SipProfile.sip_profile_enabled.is_(True))
        .order_by(SipProfile.sip_profile_name)).all()
    domain = domain.lower()

    def ask(conn: esl.Connection) -> list[dict]:
        rows = []
        for name, hostname in profiles:
            if hostname and hostname not in (conn.switch.name, conn.switch.host):
                continue
            body = conn.api(f"sofia xmlstatus profile {esl.token(name, 'profile')} reg")
            rows += [r for r in parse_registrations(body, name)
                     if domain in registration_domain(r)]
        return rows

    return gather(ask)


# --- applying a saved change ------------------------------------------------------------------

def apply_change(cache_keys: list[str] = (), commands: list[str] = (),
                 cache_label: str = "cache", command_label: str = "reload") -> dict:
    """Clear ``cache_keys`` and run ``commands`` (api commands) on every switch, after
    the commit; report each step as cleared/applied, not_configured, disabled or failed.

    A key or command may hold ``{hostname}``: FusionPBX prefixes some keys with the
    switch's hostname (``<host>:configuration:sofia.conf``).
    """
    options = config()["freeswitch"]
    clear = list(cache_keys) if options["clear_cache_on_update"] else []
    report = {}
    if cache_keys:
        report[cache_label] = "cleared" if clear else "disabled"
    if commands:
        report[command_label] = "applied"
    if not clear and not commands:
        return report
    targets = [esl.Switch(**s) for s in options["switches"]]
    if not targets:
        return {step: ("not_configured" if state != "disabled" else state)
                for step, state in report.items()}
    for switch in targets:
        try:
            with esl.connect(switch, config()) as conn:
                _apply_on(conn, options["cache_method"], clear, commands)
        except (esl.EslFailed, esl.EslCommandError) as exc:
            log.warning("change not applied on %s: %s", switch.name, exc.message)
            report = {step: ("failed" if state != "disabled" else state)
                      for step, state in report.items()}
    return report


def _apply_on(conn: esl.Connection, method: str, keys, commands) -> None:
    hostname = conn.api("hostname").strip() if any(
        HOSTNAME in item for item in [*keys, *commands]) else ""
    for key in keys:
        _delete_key(conn, method, key.replace(HOSTNAME, hostname))
    for command in commands:
        conn.api(command.replace(HOSTNAME, hostname))


def _delete_key(conn: esl.Connection, method: str, key: str) -> None:
    """The CUSTOM event FusionPBX's cache class sends; in memcache mode, then
    ``memcache delete``. The file method names files with '.' for ':'."""
    esl.token(key, "cache key")
    argument = key.replace(":", ".") if method == "file" else key
    conn.send("\n".join([
        "sendevent CUSTOM",
        "Event-Name: CUSTOM",
        f"Event-Subclass: fusion::{method}",
        f"API-Command: {'cache' if method == 'file' else 'memcache'}",
        f"API-Command-Argument: delete {argument}",
    ]))
    if method == "memcache":
        conn.api(f"memcache delete {key}")
