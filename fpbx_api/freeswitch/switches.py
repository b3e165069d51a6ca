"""Talking to every FreeSWITCH that serves the FusionPBX database: gathering live
state from all of them, parsing what they answer, and applying a change
(cache keys, reloads) to each after a commit."""

from __future__ import annotations

import html
import json
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass

from flask import current_app, g
from sqlalchemy import select

from fpbx_api import db
from fpbx_api.freeswitch import esl, file_cache
from fpbx_api.fusionpbx.models import SipProfile

log = logging.getLogger("fpbx_api.freeswitch")
HOSTNAME = "{hostname}"  # replaced, per switch, by the answer to `api hostname`
# FusionPBX keys some configuration caches with the switch's hostname and some versions
# without it; both forms are cleared.
SOFIA_CONF = (f"{HOSTNAME}:configuration:sofia.conf", "configuration:sofia.conf")
CLEAR_CACHE_SCRIPT = "app/servers/resources/clear_cache.lua"  # relative to FreeSWITCH's scripts
CACHE, RELOAD, EVENT, FAILED = "cache", "reload", "event", "failed"  # apply report steps
STATE, ITEMS = "state", {CACHE: "keys", RELOAD: "commands", EVENT: "events"}  # of each step


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
            body = conn.api(esl.Command("sofia", ("xmlstatus", "profile", name, "reg")))
            rows += [r for r in parse_registrations(body, name)
                     if domain in registration_domain(r)]
        return rows

    return gather(ask)


# --- applying a saved change ------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """What a write must apply to FreeSWITCH after its commit, as data: FusionPBX cache
    keys to clear, api commands to run and events to fire (``esl.Event``, e.g. a BLF
    lamp's PRESENCE_IN).

    It is built before the commit and checked as it is built: every key must be one
    event-socket token and every command is a ``Command`` (whose arguments check
    themselves), so a value FreeSWITCH cannot take is a 400 while nothing is written.
    A key may hold ``{hostname}`` (``HOSTNAME``), replaced per switch.
    """

    cache_keys: tuple[str, ...] = ()
    commands: tuple[esl.Command, ...] = ()
    events: tuple[esl.Event, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "cache_keys", tuple(self.cache_keys))
        object.__setattr__(self, "commands", tuple(self.commands))
        object.__setattr__(self, "events", tuple(self.events))
        for event in self.events:
            if not isinstance(event, esl.Event):
                raise TypeError("Change.events holds esl.Event objects, not text")
        for key in self.cache_keys:
            esl.token(key.replace(HOSTNAME, "host"), "cache key")
        for command in self.commands:
            if not isinstance(command, esl.Command):
                raise TypeError("Change.commands holds esl.Command objects, not text")


def apply_change(change: Change | None) -> dict:
    """Clear the change's cache keys, run its commands and fire its events on every
    switch, after the commit; report each step with its state (cleared/applied,
    not_configured, disabled or failed) and what it carried (``report``).

    ``None`` is a change that could not be built. Nothing here raises: the write is
    committed, so any failure is logged with the request id and reported as
    ``failed`` with the write's 2xx.
    """
    if change is None:
        return {CACHE: {STATE: FAILED, ITEMS[CACHE]: []}}
    try:
        return apply_report(change, _apply(change))
    except Exception:  # the commit stands whatever went wrong after it
        log.exception("change not applied (request_id=%s)", g.get("request_id"))
        failed = apply_report(change, dict.fromkeys((CACHE, RELOAD, EVENT), FAILED))
        return failed or {CACHE: {STATE: FAILED, ITEMS[CACHE]: []}}


def apply_report(change: Change, states: dict[str, str]) -> dict:
    """The apply report: for each step the change has, its state and what it carried.

    Keys are listed as the change declares them, ``{hostname}`` unexpanded (one key
    stands for each switch's own); commands as the line sent after ``api``
    (``str(Command)``); events as their name and the presence they set
    (``str(Event)``: ``PRESENCE_IN flow+*30@example.com``)."""
    carried = {CACHE: list(change.cache_keys), RELOAD: [str(c) for c in change.commands],
               EVENT: [str(e) for e in change.events]}
    return {step: {STATE: states[step], ITEMS[step]: items}
            for step, items in carried.items() if items}


def _apply(change: Change) -> dict[str, str]:
    """Each step's state after running the change on every switch."""
    options = config()["freeswitch"]
    keys = change.cache_keys if options["clear_cache_on_update"] else ()
    states = {CACHE: "cleared" if keys else "disabled", RELOAD: "applied", EVENT: "applied"}
    if not keys and not change.commands and not change.events:
        return states
    targets = [esl.Switch(**s) for s in options["switches"]]
    if not targets:
        return {step: ("not_configured" if state != "disabled" else state)
                for step, state in states.items()}
    for switch in targets:
        with _Link(switch) as link:
            if not link.run(_clear, keys):
                states[CACHE] = FAILED
            if not link.run(_command, change.commands):
                states[RELOAD] = FAILED
            if not link.run(_event, change.events):
                states[EVENT] = FAILED
    return states


class _Link:
    """One switch during an apply: its event socket opened on first use (the files
    method may never need it), and not retried once it failed."""

    def __init__(self, switch: esl.Switch):
        self.switch = switch
        self._stack = ExitStack()
        self._conn: esl.Connection | None = None
        self._down: esl.EslFailed | None = None
        self._hostname: str | None = None

    def __enter__(self) -> _Link:
        return self

    def __exit__(self, *_exc) -> None:
        self._stack.close()

    def conn(self) -> esl.Connection:
        if self._down:
            raise self._down
        if self._conn is None:
            try:
                self._conn = self._stack.enter_context(esl.connect(self.switch, config()))
            except esl.EslFailed as exc:
                self._down = exc
                raise
        return self._conn

    def expand(self, key: str) -> str:
        """``{hostname}`` replaced by what the switch answers to ``hostname``."""
        if HOSTNAME not in key:
            return key
        if self._hostname is None:
            self._hostname = esl.token(self.conn().api("hostname").strip(), "hostname")
        return key.replace(HOSTNAME, self._hostname)

    def run(self, step, items) -> bool:
        """``step`` on each item, going on after one fails (a key that can be cleared is,
        whatever happens to the next); False, with a log line each, if any failed."""
        done = True
        for item in items:
            try:
                step(self, item)
            except (esl.ApiError, CacheError, OSError) as exc:  # the switch or a value refused
                log.warning("change not applied on %s: %s (request_id=%s)", self.switch.name,
                            getattr(exc, "message", exc), g.get("request_id"))
                done = False
        return done


class CacheError(Exception):
    """A key the switch's clearing method cannot clear."""


def _clear(link: _Link, key: str) -> None:
    """Delete a key as the switch's FusionPBX reads it.

    ``memcache`` (FusionPBX's cache/method = memcache): the CUSTOM event
    ``resources/classes/cache.php`` sends, then ``memcache delete``. File cache: by the
    switch's ``cache_clear``, either deleting the files in the folder the API shares
    with it, or by ``luarun`` of FusionPBX's ``clear_cache.lua``
    (``app/switch/resources/scripts/app/servers/resources/clear_cache.lua``, the script
    FusionPBX's own cluster sync, ``app/servers/resources/file_cache.lua``, runs on
    each remote switch), once for the key's file and once for its ``.tmp``, as Lua's
    ``Cache.del`` removes both (``file_cache.luarun_names``). ``luarun`` answers ``+OK``
    and runs it; ``lua`` would answer ``-ERR no reply`` even when it worked.
    """
    key = link.expand(key)
    if config()["freeswitch"]["cache_method"] == "memcache":
        link.conn().sendevent("CUSTOM", {
            "Event-Name": "CUSTOM", "Event-Subclass": "fusion::memcache",
            "API-Command": "memcache", "API-Command-Argument": f"delete {key}"})
        link.conn().api(esl.Command("memcache", ("delete", key)))
    elif link.switch.cache_clear == "files":
        file_cache.delete(link.switch.cache_folder, key)
    else:
        names = file_cache.luarun_names(key)
        if "*" in names[0]:  # clear_cache.lua removes one file; it has no glob
            raise CacheError(f"luarun cannot clear the pattern {key}")
        for name in names:
            link.conn().api(esl.Command("luarun", (CLEAR_CACHE_SCRIPT, "delete", name)))


def _command(link: _Link, command: esl.Command) -> None:
    link.conn().api(command)


def _event(link: _Link, event: esl.Event) -> None:
    link.conn().sendevent(event.name, event.fields())
