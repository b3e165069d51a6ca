"""A FreeSWITCH event-socket simulator, for tests, ``fpbx-api demo`` and plugin authors.

It speaks the real wire protocol as FreeSWITCH 1.11.2 does (the frames follow
the captures in tests/fixtures/freeswitch): ``auth/request`` greeting,
``command/reply``, ``api/response`` with a byte-exact Content-Length, ``bgapi``
with a BACKGROUND_JOB event, disconnect notices and rude rejection. It holds a
small model of channels and registrations, logs every command it receives, and
misbehaves on request: refuse, stay silent, drop mid-reply, answer slowly.

Given the FusionPBX database (``db_url``), it also answers SIP registrations the
way FusionPBX's Lua does on a real switch: the directory entry is read from the
database once, kept in a file cache that never expires (``cache_dir``), and served
from there until the file is deleted (by the API in a shared folder, or by
``luarun`` of FusionPBX's clear_cache.lua). Tests observe what a phone would.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import socket
import socketserver
import tempfile
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote

from sqlalchemy import create_engine, text

GOODBYE = "Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n"
NO_CHANNEL = "-ERR No such channel!\n"
CHANNEL_COLUMNS = [
    "uuid", "direction", "created", "created_epoch", "name", "state", "cid_name", "cid_num",
    "ip_addr", "dest", "application", "application_data", "dialplan", "context", "read_codec",
    "read_rate", "read_bit_rate", "write_codec", "write_rate", "write_bit_rate", "secure",
    "hostname", "presence_id", "presence_data", "accountcode", "callstate", "callee_name",
    "callee_num", "callee_direction", "call_uuid", "sent_callee_name", "sent_callee_num",
    "initial_cid_name", "initial_cid_num", "initial_ip_addr", "initial_dest",
    "initial_dialplan", "initial_context",
]
CALL_COLUMNS = ["uuid", "direction", "created", "created_epoch", "name", "state", "cid_name",
                "cid_num", "ip_addr", "dest", "presence_id", "presence_data", "accountcode",
                "callstate", "callee_name", "callee_num", "callee_direction", "call_uuid",
                "hostname", "sent_callee_name", "sent_callee_num"]
CLEAR_CACHE_SCRIPT = "app/servers/resources/clear_cache.lua"
# FusionPBX's directory.lua (app/switch/resources/scripts/app/xml_handler/resources/
# scripts/directory/directory.lua): the domain by name, then the enabled extension whose
# number or alias is the user, in an enabled domain.
DIRECTORY_SQL = text(
    "SELECT e.extension, e.number_alias, e.password FROM v_extensions AS e "
    "JOIN v_domains AS d ON e.domain_uuid = d.domain_uuid "
    "WHERE d.domain_name = :domain AND d.domain_enabled = true "
    "AND (e.extension = :user OR e.number_alias = :user) AND e.enabled = true")
# translate.conf as FusionPBX's Lua builds it (app/switch/resources/scripts/app/
# xml_handler/resources/scripts/configuration/translate.conf.lua).
TRANSLATE_SQL = text(
    "SELECT t.number_translation_name AS name, d.number_translation_detail_regex AS regex, "
    "d.number_translation_detail_replace AS replace FROM v_number_translations AS t "
    "JOIN v_number_translation_details AS d "
    "ON d.number_translation_uuid = t.number_translation_uuid "
    "WHERE t.number_translation_enabled = true "
    "ORDER BY t.number_translation_name, d.number_translation_detail_order")
REGISTRATION_FIELDS = ["call-id", "user", "contact", "agent", "status", "ping-status",
                       "ping-time", "host", "network-ip", "network-port", "sip-auth-user",
                       "sip-auth-realm", "mwi-account"]


@dataclass
class Misbehaviour:
    """How the simulator breaks: ``refuse`` (close at once, rude rejection),
    ``silent`` (never greet), ``drop`` (close half-way through an api reply),
    ``slow`` (wait ``delay`` seconds before each reply), ``mute`` (never answer
    commands)."""

    mode: str | None = None
    delay: float = 0.0


@dataclass
class Simulator:
    """A running fake switch: ``start()``, then tell it about calls and registrations."""

    password: str = "ClueCon"
    hostname: str = "fs-sim"
    host: str = "127.0.0.1"
    channels: dict = field(default_factory=dict)
    registrations: list = field(default_factory=list)
    profiles: set = field(default_factory=lambda: {"internal", "external"})
    commands: list = field(default_factory=list)
    # BLF lamps as PRESENCE_IN events left them: (proto, from) -> answer-state
    presence: dict = field(default_factory=dict)
    callcenter: CallCenter = field(default_factory=lambda: CallCenter())
    misbehaviour: Misbehaviour = field(default_factory=Misbehaviour)
    db_url: str | None = None       # the FusionPBX database its Lua reads
    cache_dir: str | None = None    # its file cache (cache.location); its own if None
    translate_profiles: dict = field(default_factory=dict)  # what mod_translate loaded

    def __post_init__(self):
        self._lock = threading.Lock()
        self.core_uuid = str(uuid.uuid4())
        self.sequence = itertools.count(1)
        self._server = None
        self.port = 0
        self._own_cache = self.cache_dir is None
        if self._own_cache:
            self.cache_dir = tempfile.mkdtemp(prefix=f"fpbx-sim-{self.hostname}-")
        self._engine = create_engine(self.db_url) if self.db_url else None

    # --- lifecycle ----------------------------------------------------------------------
    def start(self, port: int = 0) -> Simulator:
        simulator = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                Session(simulator, self.request).run()

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer((self.host, port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
        if self._engine is not None:
            self._engine.dispose()
        if self._own_cache:
            shutil.rmtree(self.cache_dir, ignore_errors=True)

    def switch(self, name: str | None = None, cache_clear: str = "files") -> dict:
        """This simulator as an entry of ``freeswitch.switches``: with ``files``, the API
        shares its cache folder; with ``luarun``, it has to ask the switch."""
        entry = {"name": name or self.hostname, "host": self.host, "port": self.port,
                 "password": self.password, "cache_clear": cache_clear}
        if cache_clear == "files":
            entry["cache_folder"] = self.cache_dir
        return entry

    def misbehave(self, mode: str | None, delay: float = 0.0) -> None:
        self.misbehaviour = Misbehaviour(mode, delay)

    # --- the model ----------------------------------------------------------------------
    def add_call(self, bridged_with: str | None = None, **call) -> str:
        """A channel as FreeSWITCH lists it (see ``channel_row``); returns its uuid.
        ``bridged_with`` names the a-leg this channel is bridged to (it becomes the b-leg)."""
        row = self.channel_row(**call)
        with self._lock:
            if bridged_with:
                a_leg = self.channels[bridged_with]
                a_leg["call_uuid"] = row["call_uuid"] = bridged_with
                for leg, other in ((a_leg, row), (row, a_leg)):
                    leg.update(callee_name=other["cid_name"], callee_num=other["cid_num"],
                               callee_direction="SEND")
            self.channels[row["uuid"]] = row
        return row["uuid"]

    def channel_row(self, *, caller: str, destination: str, domain: str,
                    caller_name: str | None = None, direction: str = "inbound",
                    context: str | None = None, call_uuid: str | None = None,
                    age: int = 0, profile: str = "internal") -> dict:
        now = int(time.time()) - age
        call_uuid = call_uuid or str(uuid.uuid4())
        row = dict.fromkeys(CHANNEL_COLUMNS, "")
        row.update({
            "uuid": call_uuid, "direction": direction,
            "created": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now)),
            "created_epoch": str(now), "name": f"sofia/{profile}/{caller}@{domain}",
            "state": "CS_EXECUTE", "cid_name": caller_name or caller, "cid_num": caller,
            "ip_addr": "127.0.0.1", "dest": destination, "application": "bridge",
            "application_data": f"user/{destination}@{domain}", "dialplan": "XML",
            "context": context or domain, "read_codec": "PCMU", "read_rate": "8000",
            "read_bit_rate": "64000", "write_codec": "PCMU", "write_rate": "8000",
            "write_bit_rate": "64000", "hostname": self.hostname,
            "presence_id": f"{caller}@{domain}", "accountcode": domain, "callstate": "ACTIVE",
            "initial_cid_name": caller_name or caller, "initial_cid_num": caller,
            "initial_ip_addr": "127.0.0.1", "initial_dest": destination,
            "initial_dialplan": "XML", "initial_context": context or domain,
        })
        return row

    def add_registration(self, *, user: str, domain: str, agent: str = "Yealink SIP-T46S",
                         ip: str = "192.0.2.10", port: int = 5060,
                         profile: str = "internal") -> None:
        contact = f'"" <sip:{user}@{ip}:{port}>'
        with self._lock:
            self.registrations.append({
                "profile": profile, "call-id": f"{uuid.uuid4().hex}@{ip}",
                "user": f"{user}@{domain}", "contact": contact, "agent": agent,
                "status": "Registered(UDP)(unknown) exp(2026-11-27 21:26:18) expsecs(3600)",
                "ping-status": "Reachable", "ping-time": "0.00", "host": self.hostname,
                "network-ip": ip, "network-port": str(port), "sip-auth-user": user,
                "sip-auth-realm": domain, "mwi-account": f"{user}@{domain}"})

    # --- the directory, as FusionPBX's Lua serves it -------------------------------------
    def register(self, user: str, domain: str, password: str, **where) -> bool:
        """A phone's REGISTER for ``user@domain`` answering the digest challenge with
        ``password``: accepted if the directory entry FreeSWITCH would use has that
        password (it is then listed as a registration, ``where`` as in
        ``add_registration``)."""
        entry = self.directory(user, domain)
        if entry is None or entry["password"] != password:
            return False
        with self._lock:
            self.registrations = [r for r in self.registrations
                                  if r["user"] != f"{user}@{domain}"]
        self.add_registration(user=user, domain=domain, **where)
        return True

    def directory(self, user: str, domain: str) -> dict | None:
        """The directory entry of ``user@domain`` (``id``, ``number-alias``,
        ``password``), as directory.lua finds it: its cache file if present, else the
        database, cached under the number (alias if any) and the extension. Not found is
        not cached."""
        cached = self.cache_get(f"directory:{user}@{domain}")
        if cached is None:
            if self._engine is None:
                raise RuntimeError("the simulator was given no db_url to read extensions")
            with self._engine.connect() as conn:
                row = conn.execute(DIRECTORY_SQL, {"user": user, "domain": domain}).first()
            if row is None:
                return None
            cached = _directory_xml(row, domain)
            number = row.number_alias or row.extension
            for key_user in dict.fromkeys((number, row.extension)):
                self.cache_set(f"directory:{key_user}@{domain}", cached)
        found = ET.fromstring(cached).find(".//user")
        params = {p.get("name"): p.get("value") for p in found.iter("param")}
        return {"id": found.get("id"), "number-alias": found.get("number-alias"),
                "password": params.get("password")}

    def cache_file(self, key: str) -> str:
        """Lua's key2file (resources/functions/cache.lua)."""
        name = key.replace(":", ".").replace("\\", "_").replace("/", "_")
        return os.path.join(self.cache_dir, name)

    def cache_get(self, key: str) -> str | None:
        try:
            with open(self.cache_file(key), encoding="utf-8") as fh:
                return fh.read()
        except FileNotFoundError:
            return None

    def cache_set(self, key: str, value: str) -> None:
        """Lua's Cache.set: unless the file exists, write a uniquely named temp file and
        rename it into place (a failed rename drops the copy)."""
        path = self.cache_file(key)
        if os.path.exists(path):
            return
        temp = f"{path}.{uuid.uuid4()}.tmp"
        with open(temp, "w", encoding="utf-8") as fh:
            fh.write(value)
        try:
            os.rename(temp, path)
        except OSError:
            _remove(temp)

    def event(self, name: str, lines: list[str]) -> None:
        """A fired event: a PRESENCE_IN sets the lamp of its (proto, from) as a phone
        subscribed to it would show it."""
        headers = dict(line.partition(": ")[::2] for line in lines)
        if name == "PRESENCE_IN":
            with self._lock:
                self.presence[(headers.get("proto"), headers.get("from"))] = \
                    headers.get("answer-state")

    def received(self, prefix: str = "") -> list[str]:
        """Commands received so far (``auth`` passwords masked), optionally by prefix."""
        with self._lock:
            return [c for c in self.commands if c.startswith(prefix)]

    # --- api commands -------------------------------------------------------------------
    def api(self, command: str) -> str:
        words = re.findall(r"(?:'[^']*'|\S)+", command)  # FreeSWITCH keeps '...' together
        name = words[0] if words else ""
        handler = getattr(self, "_api_" + name.replace("-", "_"), None)
        if handler is None:
            return f"-ERR {name} Command not found!\n"
        with self._lock:
            return handler(words[1:])

    def _api_show(self, args):
        if args[:3] == ["channels", "as", "json"]:
            return _rows_json(list(self.channels.values()))
        if args[:3] == ["calls", "as", "json"]:
            return _rows_json(self._calls())
        return "-ERR USAGE: show channels|calls as json\n"

    def _calls(self):
        calls = []
        for row in self.channels.values():
            if row["call_uuid"] and row["call_uuid"] != row["uuid"]:
                continue
            call = {k: row[k] for k in CALL_COLUMNS}
            partner = next((r for r in self.channels.values() if r["uuid"] != row["uuid"]
                            and r["call_uuid"] == row["uuid"]), None)
            if partner:
                call.update({f"b_{k}": partner[k] for k in CALL_COLUMNS
                             if k not in ("call_uuid", "hostname")})
                call["call_created_epoch"] = partner["created_epoch"]
            calls.append(call)
        return calls

    def _api_sofia(self, args):
        if args[:1] == ["xmlstatus"] and args[1:2] == ["profile"] and args[3:4] == ["reg"]:
            profile = args[2].strip("'")
            if profile not in self.profiles:
                return "Invalid Profile!\n"
            return _registrations_xml([r for r in self.registrations
                                       if r["profile"] == profile])
        if args[:1] == ["profile"] and len(args) >= 3:
            if args[1].strip("'") not in self.profiles:
                return "Invalid Profile!\n"
            if args[2] == "killgw":
                return "+OK gateway marked for deletion.\n"
            if args[2] == "startgw":
                return "+OK\n"
            return f"+OK {args[2]} complete\n" if args[2] == "rescan" else "+OK\n"
        return "-ERR Usage: sofia ...\n"

    def _api_uuid_kill(self, args):
        row = self.channels.pop(args[0] if args else "", None)
        if row is None:
            return NO_CHANNEL
        for other in [u for u, r in self.channels.items() if r["call_uuid"] == row["uuid"]]:
            self.channels.pop(other)
        return "+OK\n"

    def _api_uuid_transfer(self, args):
        args = [a for a in args if a not in ("-bleg", "-both")]
        row = self.channels.get(args[0] if args else "")
        if row is None or len(args) < 2:
            return NO_CHANNEL
        row["dest"] = args[1]
        if len(args) >= 4:
            row["context"] = args[3]
        return "+OK\n"

    def _api_uuid_exists(self, args):
        return "true" if args and args[0] in self.channels else "false"

    def _api_originate(self, args):
        """``originate {vars}user/<ext>@<domain> <dest> XML <context>``."""
        if len(args) < 2:
            return "-ERR INVALID_ARGS\n"
        spec = args[0]
        variables = {}
        if spec.startswith("{"):
            body, _, spec = spec[1:].partition("}")
            variables = dict(v.split("=", 1) for v in body.split(",") if "=" in v)
        user, _, domain = spec.removeprefix("user/").partition("@")
        if not any(r["user"] == f"{user}@{domain}" for r in self.registrations):
            return "-ERR USER_NOT_REGISTERED\n"
        row = self.channel_row(
            caller=user, destination=args[1], domain=domain, direction="outbound",
            caller_name=variables.get("origination_caller_id_name", "").strip("'"),
            call_uuid=variables.get("origination_uuid"),
            context=args[3] if len(args) > 3 else domain)
        self.channels[row["uuid"]] = row
        return f"+OK {row['uuid']}\n"

    def _api_luarun(self, args):
        """``luarun`` starts the script in a thread and answers ``+OK`` whatever it does;
        the one script simulated is FusionPBX's clear_cache.lua (argv: delete <file> |
        flush), which removes ``<cache.location>/<file>``, without a glob."""
        if not args:
            return "-ERR no args specified!\n"
        if args[0] == CLEAR_CACHE_SCRIPT and args[1:2] == ["delete"] and len(args) > 2:
            _remove(os.path.join(self.cache_dir, args[2]))
        elif args[0] == CLEAR_CACHE_SCRIPT and args[1:2] == ["flush"]:
            for name in os.listdir(self.cache_dir):
                _remove(os.path.join(self.cache_dir, name))
        return "+OK\n"

    def _api_lua(self, args):
        """``lua`` runs the script in the api thread; a script that writes no reply (like
        clear_cache.lua) is answered ``-ERR no reply`` even though it ran."""
        self._api_luarun(args)
        return "-ERR no reply\n"

    def _api_memcache(self, args):
        return "+OK\n"

    def _api_callcenter_config(self, args):
        return self.callcenter.command([a.strip("'") for a in args], self._callcenter_queues)

    def _callcenter_queues(self) -> set[str]:
        """The queue names callcenter.conf offers, as FusionPBX's callcenter.conf.lua
        serves it: from its cache file, else from the database (then cached until the
        key is cleared)."""
        key = f"{self.hostname}:configuration:callcenter.conf"
        cached = self.cache_get(key)
        if cached is None:
            if self._engine is None:
                return set()
            with self._engine.connect() as conn:
                names = conn.execute(CALLCENTER_QUEUES_SQL).scalars().all()
            cached = "\n".join(sorted(names))
            self.cache_set(key, cached)
        return set(filter(None, cached.split("\n")))

    def _api_reloadxml(self, args):
        return "+OK [Success]\n"

    def _api_reloadacl(self, args):
        return "+OK acl reloaded\n"

    def _api_reload(self, args):
        """``reload mod_translate`` loads translate.conf, as the module does on load."""
        if args[:1] == ["mod_translate"]:
            self.translate_profiles = self._translate_conf()
        return "+OK Reloading XML\n+OK module loaded\n"

    # --- mod_translate, as it runs FusionPBX's number translations -----------------------
    def translate(self, number: str, profile: str) -> str:
        """``translate <number> <profile>`` with the rules mod_translate loaded: the first
        rule whose regex matches rewrites the number ($1… are its groups)."""
        for regex, replace in self.translate_profiles.get(profile, []):
            match = re.search(regex, number)
            if match:
                template = re.sub(r"\$(\d)", r"\\g<\1>", replace.replace("\\", "\\\\"))
                return match.expand(template)
        return number

    def _translate_conf(self) -> dict:
        """The profiles of translate.conf: the cached XML if present, else built from the
        database and cached (the Lua writes regex and replace unescaped)."""
        key = "configuration:translate.conf"
        cached = self.cache_get(key)
        if cached is None:
            with self._engine.connect() as conn:
                rows = conn.execute(TRANSLATE_SQL).all()
            profiles: dict = {}
            for row in rows:
                profiles.setdefault(row.name, []).append(
                    f'<rule regex="{row.regex}" replace="{row.replace}" />')
            cached = ('<document type="freeswitch/xml"><section name="configuration">'
                      '<configuration name="translate.conf"><profiles>'
                      + "".join(f'<profile name="{escape(name)}">{"".join(rules)}</profile>'
                                for name, rules in profiles.items())
                      + "</profiles></configuration></section></document>")
            self.cache_set(key, cached)
        return {p.get("name"): [(r.get("regex"), r.get("replace") or "")
                                for r in p.iter("rule")]
                for p in ET.fromstring(cached).iter("profile")}

    def _api_hostname(self, args):
        return self.hostname

    def _api_status(self, args):
        return (f"UP 0 years, 0 days, 0 hours, 1 minutes, 0 seconds, 0 milliseconds, "
                f"0 microseconds\nFreeSWITCH (Version 1.11.2-release  64bit) is ready\n"
                f"{len(self.channels)} session(s) since startup\n")

    def _api_version(self, args):
        return "FreeSWITCH Version 1.11.2-release~64bit ( 64bit)\n"


# --- mod_callcenter, as callcenter_config changes it ----------------------------------------
# FusionPBX's callcenter.conf.lua (app/switch/resources/scripts/app/xml_handler/resources/
# scripts/configuration/callcenter.conf.lua) names each queue <queue_extension>@<domain>.
CALLCENTER_QUEUES_SQL = text(
    "SELECT q.queue_extension || '@' || d.domain_name FROM v_call_center_queues AS q "
    "JOIN v_domains AS d ON d.domain_uuid = q.domain_uuid")
AGENT_STATUSES = ("Logged Out", "Available", "Available (On Demand)", "On Break")
AGENT_STATES = ("Waiting", "Receiving", "In a queue call", "Idle")
TIER_STATES = ("No Answer", "Ready", "Offering", "Active Inbound", "Standby")
AGENT_NUMBERS = ("max_no_answer", "wrap_up_time", "reject_delay_time", "busy_delay_time",
                 "no_answer_delay_time", "ready_time")


def _named(chart: tuple[str, ...], value: str) -> str | None:
    """mod_callcenter's str2status/str2state: case-insensitive, its own spelling kept."""
    return next((name for name in chart if name.lower() == value.lower()), None)


def _atoi(value: str) -> int:
    match = re.match(r"\s*[+-]?[0-9]+", value)
    return int(match.group()) if match else 0


@dataclass
class CallCenter:
    """What mod_callcenter holds (its ``agents`` and ``tiers`` tables and its loaded
    queues), changed by ``callcenter_config`` as mod_callcenter.c does, with its replies.
    A queue loads on first use from callcenter.conf (``queues`` is asked for the names
    it offers), so a queue the cached configuration does not know yet is not found."""

    agents: dict = field(default_factory=dict)   # name -> {type, contact, status, state, …}
    tiers: dict = field(default_factory=dict)    # (queue, agent) -> {state, level, position}
    loaded: set = field(default_factory=set)     # queue names

    def command(self, args: list[str], queues) -> str:
        section, action, rest = (args + ["", ""])[0], (args + ["", ""])[1], args[2:]
        handler = getattr(self, f"_{section.lower()}_{action.lower()}", None)
        if len(args) < 2 or handler is None:
            return "-ERR Invalid!\n"
        return handler(rest, queues)

    def _queue(self, name: str, queues) -> bool:
        if name not in self.loaded and name in queues():
            self.loaded.add(name)
        return name in self.loaded

    def _agent_add(self, args, queues):
        if len(args) < 2:
            return "-ERR Invalid!\n"
        name, kind = args[0], args[1]
        if kind.lower() not in ("callback", "uuid-standby"):
            return "-ERR Agent type invalid!\n"
        if name in self.agents:
            return "-ERR Agent already exist!\n"
        self.agents[name] = {"type": kind, "contact": "", "status": "Logged Out",
                             "state": "Waiting", **dict.fromkeys(AGENT_NUMBERS, 0)}
        return "+OK\n"

    def _agent_del(self, args, queues):
        if not args:
            return "-ERR Invalid!\n"
        self.agents.pop(args[0], None)
        self.tiers = {k: v for k, v in self.tiers.items() if k[1] != args[0]}
        return "+OK\n"

    def _agent_set(self, args, queues):
        if len(args) < 3:
            return "-ERR Invalid!\n"
        key, name, value = args[0].lower(), args[1], args[2]
        agent = self.agents.get(name)
        if agent is None:
            return "-ERR Agent not found!\n"
        if key == "status":
            if not _named(AGENT_STATUSES, value):
                return "-ERR Invalid Agent Status!\n"
            agent["status"] = _named(AGENT_STATUSES, value)
        elif key == "state":
            if not _named(AGENT_STATES, value):
                return "-ERR Invalid Agent State!\n"
            agent["state"] = _named(AGENT_STATES, value)
        elif key == "type":
            if value.lower() not in ("callback", "uuid-standby"):
                return "-ERR Invalid Agent Type!\n"
            agent["type"] = value
        elif key in ("contact", "uuid"):
            agent[key] = value
        elif key in AGENT_NUMBERS:
            agent[key] = _atoi(value)
        else:
            return "-ERR Invalid Agent Update KEY!\n"
        return "+OK\n"

    def _agent_get(self, args, queues):
        if len(args) < 2:
            return "-ERR Invalid!\n"
        if args[1] not in self.agents:
            return "-ERR Agent not found!\n"
        if args[0].lower() != "status":
            return "-ERR Invalid Agent Update KEY!\n"
        return self.agents[args[1]]["status"]

    def _tier_add(self, args, queues):
        if len(args) < 4:
            return "-ERR Invalid!\n"
        queue, agent = args[0], args[1]
        if not self._queue(queue, queues):
            return "-ERR Queue not found!\n"
        if agent not in self.agents:
            return "-ERR Agent not found!\n"
        if (queue, agent) in self.tiers:
            return "-ERR Tier already exist!\n"
        self.tiers[(queue, agent)] = {"state": "Ready", "level": _atoi(args[2]),
                                      "position": _atoi(args[3])}
        return "+OK\n"

    def _tier_set(self, args, queues):
        if len(args) < 4:  # FusionPBX's "tier set position <queue> <position>" ends here
            return "-ERR Invalid!\n"
        key, queue, agent, value = args[0].lower(), args[1], args[2], args[3]
        tier = self.tiers.get((queue, agent))
        if tier is None:
            return "-ERR Unknown Error!\n"
        if agent not in self.agents:
            return "-ERR Agent not found!\n"
        if not self._queue(queue, queues):
            return "-ERR Agent not found!\n"  # sic: mod_callcenter's text for a lost queue
        if key == "state":
            if not _named(TIER_STATES, value):
                return "-ERR Invalid Tier State!\n"
            tier["state"] = _named(TIER_STATES, value)
        elif key in ("level", "position"):
            tier[key] = _atoi(value)
        else:
            return "-ERR Invalid Tier Update KEY!\n"
        return "+OK\n"

    def _tier_del(self, args, queues):
        if len(args) < 2:
            return "-ERR Invalid!\n"
        self.tiers.pop((args[0], args[1]), None)
        return "+OK\n"

    def _queue_load(self, args, queues):
        if not args:
            return "-ERR Invalid!\n"
        return "+OK\n" if self._queue(args[0], queues) else "-ERR Invalid Queue not found!\n"

    def _queue_unload(self, args, queues):
        if not args:
            return "-ERR Invalid!\n"
        self.loaded.discard(args[0])
        return "+OK\n"

    def _queue_reload(self, args, queues):
        self._queue_unload(args, queues)
        return self._queue_load(args, queues)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def _directory_xml(row, domain: str) -> str:
    """The part of directory.lua's XML that authentication reads (FusionPBX writes the
    password unescaped; it is escaped here so any stored password reads back)."""
    alias = f' number-alias="{escape(row.number_alias)}"' if row.number_alias else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<document type="freeswitch/xml"><section name="directory">'
        f'<domain name="{escape(domain)}" alias="true"><groups><group name="default">'
        f'<users><user id="{escape(row.extension)}"{alias}><params>'
        f'<param name="password" value="{escape(row.password or "")}"/>'
        '</params></user></users></group></groups></domain></section></document>')


def _rows_json(rows: list[dict]) -> str:
    """FreeSWITCH's shapes: ``{"row_count": 0}`` plus newline when empty, compact otherwise."""
    if not rows:
        return '{"row_count": 0}\n'
    return json.dumps({"row_count": len(rows), "rows": rows}, separators=(",", ":"))


def _registrations_xml(rows: list[dict]) -> str:
    out = ['<?xml version="1.0" encoding="ISO-8859-1"?>', "<profile>", "  <registrations>"]
    for row in rows:
        out.append("    <registration>")
        out += [f"        <{k}>{escape(row[k])}</{k}>" for k in REGISTRATION_FIELDS]
        out.append("    </registration>")
    out += ["  </registrations>", "</profile>", ""]
    return "\n".join(out)


def frame(headers: list[tuple[str, str]], body: str = "", length_first: bool = False) -> bytes:
    """One event-socket frame: headers, blank line, then exactly Content-Length bytes.
    FreeSWITCH puts Content-Length after Content-Type, except on events."""
    data = body.encode()
    lines = [f"{k}: {v}" for k, v in headers]
    if data:
        lines.insert(0 if length_first else 1, f"Content-Length: {len(data)}")
    return ("\n".join(lines) + "\n\n").encode() + data


def reply(text: str, *extra: tuple[str, str]) -> bytes:
    return frame([("Content-Type", "command/reply"), ("Reply-Text", text), *extra])


class Session:
    """One client connection."""

    def __init__(self, simulator: Simulator, sock: socket.socket):
        self.sim, self.sock = simulator, sock
        self.file = sock.makefile("rb")
        self.events: set[str] = set()

    def run(self) -> None:
        mode = self.sim.misbehaviour
        try:
            if mode.mode == "refuse":
                self.sock.sendall(frame([("Content-Type", "text/rude-rejection")],
                                        "Access Denied, go away.\n"))
                return
            if mode.mode == "silent":
                self.file.read()  # wait for the client to give up
                return
            self.sock.sendall(frame([("Content-Type", "auth/request")]))
            authed = False
            while True:
                command = self.read_command()
                if command is None:
                    return
                self.log(command)
                if mode.mode == "mute":
                    continue
                if mode.delay:
                    time.sleep(mode.delay)
                if not authed:
                    authed = self.auth(command)
                    if not authed:
                        return
                elif not self.dispatch(command):
                    return
        except OSError:
            return
        finally:
            self.sock.close()

    def read_command(self) -> str | None:
        lines = []
        while True:
            line = self.file.readline()
            if not line:
                return None
            line = line.decode(errors="replace").rstrip("\r\n")
            if line == "" and lines:
                return "\n".join(lines)
            if line:
                lines.append(line)

    def log(self, command: str) -> None:
        shown = "auth ********" if command.startswith("auth ") else command
        with self.sim._lock:
            self.sim.commands.append(shown)

    def auth(self, command: str) -> bool:
        if command == f"auth {self.sim.password}":
            self.sock.sendall(reply("+OK accepted"))
            return True
        self.sock.sendall(reply("-ERR invalid"))
        self.sock.sendall(frame([("Content-Type", "text/disconnect-notice")], GOODBYE))
        return False

    def dispatch(self, command: str) -> bool:
        first = command.split("\n", 1)[0]
        verb, _, rest = first.partition(" ")
        if verb == "api":
            body = self.sim.api(rest)
            data = frame([("Content-Type", "api/response")], body)
            if self.sim.misbehaviour.mode == "drop":
                self.sock.sendall(data[: len(data) - max(1, len(body) // 2)])
                return False
            self.sock.sendall(data)
        elif verb == "bgapi":
            job = str(uuid.uuid4())
            self.sock.sendall(reply(f"+OK Job-UUID: {job}", ("Job-UUID", job)))
            result = self.sim.api(rest)
            if "BACKGROUND_JOB" in self.events:
                self.sock.sendall(self.background_job(job, rest, result))
        elif verb == "event":
            self.events |= set(rest.split()[1:])
            self.sock.sendall(reply(f"+OK event listener enabled {rest.split()[0]}"))
        elif verb == "noevents":
            self.events.clear()
            self.sock.sendall(reply("+OK no longer listening for events"))
        elif verb == "sendevent":
            self.sim.event(rest, command.split("\n")[1:])
            self.sock.sendall(reply(f"+OK {uuid.uuid4()}"))
        elif verb == "exit":
            self.sock.sendall(reply("+OK bye"))
            self.sock.sendall(frame([("Content-Type", "text/disconnect-notice")], GOODBYE))
            return False
        else:
            self.sock.sendall(reply("-ERR command not found"))
        return True

    def background_job(self, job: str, command: str, result: str) -> bytes:
        """The BACKGROUND_JOB event, with the headers FreeSWITCH sends (URL-encoded)."""
        now = time.time()
        name, _, args = command.partition(" ")
        headers = [
            ("Event-Name", "BACKGROUND_JOB"), ("Core-UUID", self.sim.core_uuid),
            ("FreeSWITCH-Hostname", self.sim.hostname),
            ("FreeSWITCH-Switchname", self.sim.hostname), ("FreeSWITCH-IPv4", self.sim.host),
            ("FreeSWITCH-IPv6", "::1"),
            ("Event-Date-Local", time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now))),
            ("Event-Date-GMT", time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now))),
            ("Event-Date-Timestamp", str(int(now * 1_000_000))),
            ("Event-Calling-File", "mod_event_socket.c"),
            ("Event-Calling-Function", "api_exec"), ("Event-Calling-Line-Number", "1580"),
            ("Event-Sequence", str(next(self.sim.sequence))), ("Job-UUID", job),
            ("Job-Command", name),
        ]
        if args:
            headers.append(("Job-Command-Arg", args))
        inner = "".join(f"{k}: {quote(v, safe='')}\n" for k, v in headers)
        inner += f"Content-Length: {len(result.encode())}\n\n{result}"
        return frame([("Content-Type", "text/event-plain")], inner, length_first=True)
