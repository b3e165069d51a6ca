"""FreeSWITCH event-socket client, on greenswitch, with a hard deadline on every call.

greenswitch bounds only the TCP connect; a switch that never sends
``auth/request`` or never answers would hang a worker forever. Every call
here runs under ``gevent.Timeout``. A short-lived connection per call keeps
it safe in sync and gthread workers (a greenswitch connection must not cross
threads).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import gevent
from greenswitch.esl import InboundESL, NotConnectedError

from fpbx_api.errors import ApiError

log = logging.getLogger("fpbx_api.esl")


class EslUnavailable(ApiError):
    """No switch is configured: the contract's ESL_NOT_AVAILABLE."""

    status, code = 503, "ESL_NOT_AVAILABLE"


class EslFailed(ApiError):
    """The switch refused, rejected the password, or missed the deadline."""

    status, code = 503, "ESL_CONNECTION_FAILED"


@dataclass(frozen=True)
class Switch:
    name: str
    host: str
    port: int
    password: str


class Connection:
    """One authenticated event-socket session, closed on exit."""

    def __init__(self, switch: Switch, timeout: float):
        self.switch = switch
        self.timeout = timeout
        self._esl = InboundESL(switch.host, switch.port, switch.password, timeout=timeout)

    def __enter__(self) -> Connection:
        self._bounded(self._connect)
        return self

    def __exit__(self, *_exc) -> None:
        self._esl._run = False
        sock = getattr(self._esl, "sock", None)
        if sock is not None:
            sock.close()

    def _connect(self) -> None:
        try:
            self._esl.connect()
        except ValueError:
            raise EslFailed(f"FreeSWITCH {self.switch.name} rejected the password") from None

    def api(self, command: str) -> str:
        """Run ``api <command>`` and return its body."""
        return self._bounded(lambda: self._esl.send(f"api {command}")).data or ""

    def raw(self, command: str) -> str:
        """Send a raw command (e.g. ``sendevent``); return its Reply-Text."""
        return self._bounded(lambda: self._esl.send(command)).data or ""

    def _bounded(self, call):
        try:
            with gevent.Timeout(self.timeout):
                return call()
        except gevent.Timeout:
            raise EslFailed(f"FreeSWITCH {self.switch.name} did not answer within "
                            f"{self.timeout:g} s") from None
        except (OSError, NotConnectedError, KeyError):
            raise EslFailed(f"Cannot connect to FreeSWITCH {self.switch.name}") from None


def switches(config: dict) -> list[Switch]:
    return [Switch(**s) for s in config["freeswitch"]["switches"]]


def connect(switch: Switch, config: dict) -> Connection:
    return Connection(switch, config["freeswitch"]["timeout"])
