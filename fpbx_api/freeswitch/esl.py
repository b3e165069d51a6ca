"""FreeSWITCH event-socket client, on greenswitch, with a hard deadline on every call.

greenswitch bounds only the TCP connect: a switch that never sends
``auth/request``, never answers, or drops the line half-way through a reply
would hang a worker forever (its reader even spins on a closed socket). Each
call here runs under one ``gevent.Timeout`` and the reader raises at end of
stream. A connection lives for one request (greenswitch connections must not
cross threads, so nothing is shared between gthread workers' threads).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import gevent
from greenswitch.esl import InboundESL, NotConnectedError

from fpbx_api.http.errors import ApiError

log = logging.getLogger("fpbx_api.freeswitch.esl")
logging.getLogger("greenswitch").setLevel(logging.ERROR)
# Matched with fullmatch: ``$`` would let a trailing newline through, and a newline
# ends a command on the event socket.
TOKEN = re.compile(r"[A-Za-z0-9@._:+*#/=-]+")
QUOTABLE = re.compile(r"[A-Za-z0-9 ()._-]{1,64}")
COMMAND_WORD = re.compile(r"[a-z][a-z0-9_]*")


class EslUnavailable(ApiError):
    """No switch is configured: the contract's ESL_NOT_AVAILABLE."""

    status, code = 503, "ESL_NOT_AVAILABLE"


class EslFailed(ApiError):
    """The switch refused, rejected the password, dropped the line or missed the deadline."""

    status, code = 503, "ESL_CONNECTION_FAILED"


class EslCommandError(ApiError):
    """FreeSWITCH answered a command with ``-ERR``."""

    status, code = 502, "ESL_COMMAND_FAILED"


@dataclass(frozen=True)
class Switch:
    """One configured switch. ``cache_clear`` says how FusionPBX's file cache on it is
    cleared: ``files`` (delete them in ``cache_folder``, a folder the API shares with
    the switch) or ``luarun`` (FusionPBX's clear_cache.lua, run by the switch itself)."""

    name: str
    host: str
    port: int
    password: str
    cache_clear: str = "files"
    cache_folder: str = "/var/cache/fusionpbx"


def token(value: str, what: str) -> str:
    """``value`` if it is one event-socket argument: no space, quote, brace or newline.

    Inputs are validated by their schemas first; this is the last guard before a
    value is written into a command line.
    """
    if not isinstance(value, str) or not TOKEN.fullmatch(value):
        raise ApiError(f"{what} cannot be sent to FreeSWITCH", code="VALIDATION_ERROR",
                       field=what)
    return value


def quoted(value: str, what: str) -> str:
    """``value`` single-quoted (FreeSWITCH keeps '…' as one argument): letters, digits,
    space, ( ) . _ - only."""
    if not isinstance(value, str) or not QUOTABLE.fullmatch(value):
        raise ApiError(f"{what} cannot be sent to FreeSWITCH", code="VALIDATION_ERROR",
                       field=what)
    return f"'{value}'"


@dataclass(frozen=True)
class Quoted:
    """An argument FreeSWITCH keeps whole between single quotes (``'On Break'``)."""

    value: str


# Channel variables a dial string sent as an argument may set ahead of its endpoint: those
# FusionPBX's call-center agent page puts in an agent's contact
# (app/call_centers/call_center_agent_edit.php). Another name could run a command when the
# call is made (api_on_answer, execute_on_answer, …).
DIAL_VARIABLES = frozenset({"call_timeout", "sip_invite_domain", "leg_timeout",
                            "group_confirm_file", "group_confirm_key",
                            "group_confirm_read_timeout"})
DIAL_VALUE = re.compile(r"[A-Za-z0-9@._/-]{1,128}")


@dataclass(frozen=True)
class DialString:
    """A dial string as one argument: ``{call_timeout=20,…}user/1001@example.com``. Each
    variable is named in DIAL_VARIABLES with a value of letters, digits and @ . _ / -
    (no comma, brace, quote or space), and the endpoint is one token."""

    endpoint: str
    variables: tuple = ()

    def text(self, what: str) -> str:
        pairs = []
        for name, value in self.variables:
            if name not in DIAL_VARIABLES or not isinstance(value, str) \
                    or not DIAL_VALUE.fullmatch(value):
                raise ApiError(f"{what} cannot be sent to FreeSWITCH", code="VALIDATION_ERROR",
                               field=what)
            pairs.append(f"{name}={value}")
        variables = "{" + ",".join(pairs) + "}" if pairs else ""
        return variables + token(self.endpoint, what)


@dataclass(frozen=True)
class Command:
    """An api command as data: a command word chosen by code, and arguments that are
    checked, each as one token (or one ``Quoted`` or ``DialString`` argument), when the
    command is made.

    ``Command("sofia", ("profile", profile, "killgw", uuid))``. A value that cannot be
    sent raises a 400 here, where a change is built before the commit, so nothing is
    written that the switch could not be told about.
    """

    word: str
    args: tuple = ()

    def __post_init__(self):
        if not isinstance(self.word, str) or not COMMAND_WORD.fullmatch(self.word):
            raise ValueError(f"{self.word!r} is not a FreeSWITCH command word")
        if isinstance(self.args, str):
            raise TypeError("Command args is a tuple of arguments, not one string")
        object.__setattr__(self, "args", tuple(self.args))
        self.line()

    def line(self) -> str:
        """The command line ``api`` sends."""
        what = f"{self.word} argument"
        return " ".join([self.word, *(quoted(a.value, what) if isinstance(a, Quoted)
                                      else a.text(what) if isinstance(a, DialString)
                                      else token(a, what) for a in self.args)])

    def __str__(self) -> str:
        """The command line, as the apply report lists it."""
        return self.line()


HEADER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Event:
    """An event to fire (``sendevent <name>``) as data, e.g. the PRESENCE_IN that lights
    a BLF key. Header names are chosen by code; every value is checked when the event is
    made: one token (``token``), or a ``Quoted`` value code chose, such as
    ``Active (1 waiting)`` (letters, digits, space, ( ) . _ - only; sent without the
    quotes, a header value ends at its line)."""

    name: str
    headers: tuple[tuple[str, str | Quoted], ...] = ()

    def __post_init__(self):
        token(self.name, "event name")
        object.__setattr__(self, "headers", tuple(self.headers))
        self.fields()

    def fields(self) -> dict[str, str]:
        """The headers as ``sendevent`` writes them, each value checked."""
        out = {}
        for name, value in self.headers:
            if not HEADER_NAME.fullmatch(name):
                raise ValueError(f"{name!r} is not an event header name")
            what = f"{name} header"
            out[name] = quoted(value.value, what)[1:-1] if isinstance(value, Quoted) \
                else token(value, what)
        return out

    def __str__(self) -> str:
        """The name and, when it has them, the presence it is about (``proto+from``), as
        the apply report lists it: ``PRESENCE_IN flow+*30@example.com``."""
        return event_label(self.name, self.fields())


def event_label(name: str, headers: dict[str, str]) -> str:
    """An event as the apply report names it: its name, then its ``proto`` and ``from``
    headers joined by '+' (the lamp a PRESENCE_IN sets), those it has."""
    about = "+".join(headers[h] for h in ("proto", "from") if h in headers)
    return f"{name} {about}" if about else name


class _Inbound(InboundESL):
    """greenswitch's inbound client, reading to a hard end instead of spinning, and
    failing waiting commands at once when the line drops."""

    def receive_events(self):
        try:
            super().receive_events()
        except ConnectionError:
            self.connected = False
        finally:
            for pending in self._commands_sent:
                pending.set_exception(ConnectionError("event socket closed"))
            self._commands_sent.clear()

    @staticmethod
    def _read_socket(sock, length):
        data = b""
        while len(data) < length:
            chunk = sock.read(length - len(data))
            if not chunk:
                raise ConnectionError("event socket closed mid-reply")
            data += chunk
        return data.decode("utf-8", "replace")


class Connection:
    """One authenticated event-socket session; ``with`` closes it."""

    def __init__(self, switch: Switch, timeout: float):
        self.switch = switch
        self.timeout = timeout
        self._esl = _Inbound(switch.host, switch.port, switch.password, timeout=timeout)

    def __enter__(self) -> Connection:
        self._bounded(self._connect)
        return self

    def __exit__(self, *_exc) -> None:
        esl = self._esl
        esl._run = False
        esl.connected = False
        greenlets = [g for g in (esl._receive_events_greenlet, esl._process_events_greenlet) if g]
        gevent.killall(greenlets, block=True, timeout=1)
        for closable in (getattr(esl, "sock_file", None), getattr(esl, "sock", None)):
            if closable is not None:
                closable.close()

    def _connect(self) -> None:
        try:
            self._esl.connect()
        except ValueError:
            raise EslFailed(f"FreeSWITCH {self.switch.name} rejected the event-socket "
                            "password") from None

    def api(self, command: Command | str) -> str:
        """``api <command>``: FreeSWITCH's reply body; ``-ERR`` raises EslCommandError.

        A plain string is for queries built from checked tokens; it may still never
        hold a line break, which would end the command and start another.
        """
        line = command.line() if isinstance(command, Command) else _one_line(command)
        body = self._bounded(lambda: self._esl.send(f"api {line}")).data or ""
        if body.startswith("-ERR"):
            raise EslCommandError(f"FreeSWITCH {self.switch.name}: {body.strip()}")
        return body

    def bgapi(self, command: str) -> str:
        """``bgapi <command>``: the job uuid; the result arrives later as BACKGROUND_JOB."""
        reply = self._bounded(lambda: self._esl.send(f"bgapi {_one_line(command)}"))
        text = reply.headers.get("Reply-Text", "")
        if not text.startswith("+OK"):
            raise EslCommandError(f"FreeSWITCH {self.switch.name}: {text}")
        return reply.headers.get("Job-UUID", text.rpartition(" ")[2])

    def sendevent(self, name: str, headers: dict[str, str]) -> str:
        """``sendevent <name>`` with ``headers``, each value on its one line; its Reply-Text."""
        frame = "\n".join([f"sendevent {token(name, 'event name')}",
                           *(f"{k}: {_one_line(v)}" for k, v in headers.items())])
        text = self._bounded(lambda: self._esl.send(frame)).headers.get("Reply-Text", "")
        if text.startswith("-ERR"):
            raise EslCommandError(f"FreeSWITCH {self.switch.name}: {text}")
        return text

    def _bounded(self, call):
        try:
            with gevent.Timeout(self.timeout):
                return call()
        except gevent.Timeout:
            raise EslFailed(f"FreeSWITCH {self.switch.name} did not answer within "
                            f"{self.timeout:g} s") from None
        except (OSError, NotConnectedError, KeyError, IndexError, ValueError):
            raise EslFailed(f"Cannot talk to FreeSWITCH {self.switch.name}") from None


def _one_line(command: str) -> str:
    if "\n" in command or "\r" in command:
        raise ApiError("A value cannot be sent to FreeSWITCH", code="VALIDATION_ERROR")
    return command


def switches(config: dict) -> list[Switch]:
    """The configured switches; 503 ESL_NOT_AVAILABLE when there are none."""
    found = [Switch(**s) for s in config["freeswitch"]["switches"]]
    if not found:
        raise EslUnavailable("No FreeSWITCH event socket is configured")
    return found


def connect(switch: Switch, config: dict) -> Connection:
    return Connection(switch, config["freeswitch"]["timeout"])
