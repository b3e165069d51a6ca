"""Rate limiting per API key, with the contract's headers and 429 body.

The limiter runs before authentication, so guessing keys is limited too: the
counter is keyed on a digest of the presented key, or on the client address
when none is presented. Because every guess is a new key, failed
authentications are also counted per client address (``failed_auth_per_minute``).
``X-RateLimit-*`` describe the limit closest to exhaustion (so Remaining never overstates), and
``Retry-After`` appears only on a 429 or 503. The index and ``/health`` are never
limited: a load balancer's probe must not depend on the limiter's storage.

One request costs one round trip to Redis (``ratestore``): both windows are counted, the
figures for the headers come back with the count, and the client address's failed
authentications are read in the same call. Nothing is asked of the storage after the
view, so a storage failure cannot turn a saved write into an error.

When the storage (Redis) is down or hung (short socket timeouts), ``rate_limit.fail_open``
decides: serve unlimited, or answer 503 RATE_LIMIT_UNAVAILABLE. Either way the outage
is logged once when it starts and once when it ends, with how many requests it affected.
"""

from __future__ import annotations

import logging
import math
import threading
import time

from flask import Flask, current_app, g, jsonify, request

from fpbx_api.http.errors import Unavailable, api_error_response
from fpbx_api.http.keys import digest
from fpbx_api.http.ratestore import Usage, Window, counter
from fpbx_api.http.security import client_address

# Swagger UI's own files, the index and the health probe
EXEMPT_ENDPOINTS = {"meta.swagger_assets", "meta.index", "meta.health"}
# After a storage failure the storage is left alone this long, so that a hung Redis
# costs one timeout per second per worker instead of one per request.
STORAGE_RETRY_SECONDS = 1.0
log = logging.getLogger("fpbx_api.http.ratelimit")


def rate_key() -> str:
    presented = request.headers.get("X-API-Key")
    options = current_app.config["FPBX"]["rate_limit"]
    if presented and options["by_key"]:
        return "key:" + digest(presented)[:32]
    return "ip:" + client_address()


def _limit_type(seconds: int) -> str:
    return {60: "minute", 3600: "hour"}.get(seconds, f"{seconds}s")


def limited_response(seconds: int, reset: float):
    """The contract's 429 for a limit of ``seconds`` that resets at ``reset``."""
    now = time.time()
    retry_after = max(1, min(seconds, math.ceil(reset - now)))
    response = jsonify({
        "success": False,
        "error": "Rate limit exceeded",
        "message": "Too many requests. Please try again later.",
        "limit_type": _limit_type(seconds),
        "retry_after": retry_after,
        "reset": int(now) + retry_after,
    })
    response.status_code = 429
    response.headers["Retry-After"] = str(retry_after)
    return response


class StorageWatch:
    """The limiter storage's health as one worker sees it.

    ``unlimited`` counts the requests served without limits (fail open) since the
    process started, for a metric; ``current`` those of the outage in progress.
    """

    def __init__(self, fail_open: bool):
        self.fail_open = fail_open
        self.unlimited = 0
        self.current = 0
        self.down_since: float | None = None
        self._retry_at = 0.0
        self._lock = threading.Lock()

    @property
    def down(self) -> bool:
        return self.down_since is not None

    def skip_storage(self) -> bool:
        """True while a recent failure says not to try the storage yet."""
        return self.down and time.monotonic() < self._retry_at

    def failed(self, error: Exception, decides: bool = True) -> None:
        """Note a storage failure; ``decides`` when it decided the request's fate (served
        without limits, or refused), rather than happening beside it."""
        with self._lock:
            if not self.down:
                self.down_since = time.monotonic()
                self.current = 0
                log.error("rate-limit storage unavailable (%s); %s", type(error).__name__,
                          "serving without limits" if self.fail_open else "answering 503")
            self._retry_at = time.monotonic() + STORAGE_RETRY_SECONDS
            if decides:
                self.current += 1
                self.unlimited += self.fail_open

    def answered(self) -> None:
        if not self.down:
            return
        with self._lock:
            if self.down_since is None:
                return
            log.warning("rate-limit storage back after %.1f s; %d requests %s during the outage",
                        time.monotonic() - self.down_since, self.current,
                        "served without limits" if self.fail_open else "refused")
            self.down_since = None


class RateLimiter:
    """The per-minute and per-hour limits of the client (``rate_key``), checked in one call."""

    def __init__(self, options: dict, watch: StorageWatch):
        self.counter = counter(options["storage_url"], _storage_options(options),
                               moving=options["strategy"] == "moving-window")
        self.watch = watch
        self.prefix = options["key_prefix"]
        self.limits = ((options["requests_per_minute"], 60), (options["requests_per_hour"], 3600))
        per_minute = options["failed_auth_per_minute"]
        self.failed_auth = FailedAuth(per_minute, self.counter, watch, self.prefix) \
            if per_minute else None

    def check(self):
        """Before every request: count it, or answer 429 (or 503 when failing closed)."""
        if exempt():
            return None
        if self.watch.skip_storage():
            return self._storage_failed(None)
        key = f"{self.prefix}:rate:{rate_key()}"
        windows = [Window(f"{key}:{seconds}", limit, seconds) for limit, seconds in self.limits]
        peek = self.failed_auth.window() if self.failed_auth and \
            request.headers.get("X-API-Key") else None
        try:
            verdict = self.counter.check(windows, peek)
        except self.counter.errors as error:
            return self._storage_failed(error)
        self.watch.answered()
        g.rate_usage = verdict.usage
        if verdict.peeked:
            g.failed_auth_usage = verdict.peeked
        if verdict.full:
            used = next(u for u in verdict.usage if u.window is verdict.full)
            return limited_response(verdict.full.seconds, used.reset)
        return None

    def _storage_failed(self, error: Exception | None):
        self.watch.failed(error or ConnectionError("storage skipped after a failure"))
        if self.watch.fail_open:
            return None
        return storage_down()


def exempt() -> bool:
    return request.endpoint in EXEMPT_ENDPOINTS or request.method == "OPTIONS"


def storage_down():
    """Fail closed: without its counters the limiter cannot tell, so nothing is served."""
    return api_error_response(Unavailable("Rate limiting is unavailable, try again shortly",
                                          code="RATE_LIMIT_UNAVAILABLE",
                                          headers={"Retry-After": "5"}))


def add_headers(response):
    """The limit closest to exhaustion, from the figures the check brought back."""
    usage: list[Usage] | None = g.get("rate_usage")
    if usage:
        tightest = min(usage, key=lambda u: (u.remaining, u.reset))
        headers = response.headers
        headers["X-RateLimit-Limit"] = str(tightest.window.limit)
        headers["X-RateLimit-Remaining"] = str(tightest.remaining)
        headers["X-RateLimit-Reset"] = str(int(tightest.reset))
    return response


class FailedAuthLimited(Exception):
    """This client address has failed authentication too often in the last minute."""

    def __init__(self, reset: float):
        super().__init__("too many failed authentications")
        self.reset = reset


class FailedAuth:
    """Failed authentications per client address and minute.

    Kept in the limiter's storage when there is one (shared by workers), else in
    memory. While the storage is down nothing is counted: the limiter's own outage
    handling already decided whether to serve.
    """

    def __init__(self, per_minute: int, store, watch: StorageWatch | None, key_prefix: str):
        self.per_minute = per_minute
        self.counter = store
        self.watch = watch
        self.key_prefix = key_prefix

    def window(self) -> Window:
        return Window(f"{self.key_prefix}:failed-auth:{client_address()}", self.per_minute, 60)

    def check(self) -> None:
        """Raise ``FailedAuthLimited`` when this address has no failures left. The
        limiter's check has usually read the count already, in its own round trip."""
        if not self._usable():
            return
        usage = g.get("failed_auth_usage")
        if usage is None:
            try:
                usage = self.counter.check([], self.window()).peeked
            except self.counter.errors as error:
                self._note(error)
                return
        if usage.remaining <= 0:
            raise FailedAuthLimited(usage.reset)

    def failed(self) -> None:
        if not self._usable():
            return
        try:
            self.counter.check([self.window()])
        except self.counter.errors as error:
            self._note(error)

    def _note(self, error: Exception) -> None:
        if self.watch is not None:
            self.watch.failed(error, decides=False)

    def _usable(self) -> bool:
        return self.watch is None or not self.watch.down


def failed_auth() -> FailedAuth | None:
    return current_app.extensions.get("fpbx_failed_auth")


def init_app(app: Flask) -> None:
    """Install the limiter; its check runs before every later request hook."""
    options = app.config["FPBX"]["rate_limit"]
    failures = None
    if options["enabled"]:
        limiter = RateLimiter(options, StorageWatch(options["fail_open"]))
        app.extensions["fpbx_limiter"] = limiter
        app.before_request(limiter.check)
        app.after_request(add_headers)
        failures = limiter.failed_auth
    elif options["failed_auth_per_minute"]:
        failures = FailedAuth(options["failed_auth_per_minute"],
                              counter("memory://", {}, moving=True), None, options["key_prefix"])
    if failures:
        app.extensions["fpbx_failed_auth"] = failures
        app.register_error_handler(
            FailedAuthLimited, lambda error: limited_response(60, error.reset))


def _storage_options(options: dict) -> dict:
    """Short socket timeouts for Redis, so that a hung server cannot hang requests."""
    if not options["storage_url"].startswith(("redis", "rediss", "valkey")):
        return {}
    return {"socket_connect_timeout": options["storage_timeout"],
            "socket_timeout": options["storage_timeout"]}
