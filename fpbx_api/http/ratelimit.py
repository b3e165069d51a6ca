"""Rate limiting per API key (flask-limiter), with the contract's headers and 429 body.

The limiter runs before authentication, so guessing keys is limited too: the
counter is keyed on a digest of the presented key, or on the client address
when none is presented. Because every guess is a new key, failed
authentications are also counted per client address (``failed_auth_per_minute``).
``X-RateLimit-*`` describe the limit closest to exhaustion (so Remaining never overstates), and
``Retry-After`` appears only on a 429 or 503. The index and ``/health`` are never
limited: a load balancer's probe must not depend on the limiter's storage.

When the storage (Redis) is down or hung (short socket timeouts), ``rate_limit.fail_open``
decides: serve unlimited, or answer 503 RATE_LIMIT_UNAVAILABLE. Either way the outage
is logged once when it starts and once when it ends, with how many requests it affected.
"""

from __future__ import annotations

import logging
import math
import threading
import time

from flask import Flask, current_app, jsonify, request
from flask_limiter import Limiter, RateLimitExceeded
from limits import RateLimitItemPerMinute, parse
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import MovingWindowRateLimiter

from fpbx_api.http.errors import Unavailable, api_error_response
from fpbx_api.http.keys import digest
from fpbx_api.http.ratewindows import OneTripMovingWindow
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


def too_many_requests(error: RateLimitExceeded):
    limiter: Limiter = current_app.extensions["fpbx_limiter"]
    breached = next((lim for lim in limiter.current_limits if lim.breached), None)
    seconds = breached.limit.get_expiry() if breached else 60
    return limited_response(seconds, breached.reset_at if breached else time.time() + seconds)


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


class GuardedLimiter(Limiter):
    """flask-limiter with storage failures handed to a ``StorageWatch``.

    flask-limiter's own ``swallow_errors`` logs to a NullHandler and cannot say
    when an outage ends; here the check itself decides, per ``fail_open``.
    """

    watch: StorageWatch

    def _check_request_limit(self, callable_name=None, in_middleware=True) -> None:
        if exempt():
            return None
        if self.watch.skip_storage():
            return self._storage_failed(None)
        try:
            super()._check_request_limit(callable_name, in_middleware)
        except storage_errors(self) as error:
            self.context.view_rate_limits = []  # their windows would ask the storage again
            return self._storage_failed(error)
        self.watch.answered()
        return None

    def _storage_failed(self, error: Exception | None):
        self.watch.failed(error or ConnectionError("storage skipped after a failure"))
        if self.watch.fail_open:
            return None
        return storage_down()


def exempt() -> bool:
    return request.endpoint in EXEMPT_ENDPOINTS or request.method == "OPTIONS"


def storage_errors(limiter: Limiter) -> tuple[type[Exception], ...]:
    exceptions = limiter.storage.base_exceptions
    return exceptions if isinstance(exceptions, tuple) else (exceptions,)


def storage_down():
    """Fail closed: without its counters the limiter cannot tell, so nothing is served."""
    return api_error_response(Unavailable("Rate limiting is unavailable, try again shortly",
                                          code="RATE_LIMIT_UNAVAILABLE",
                                          headers={"Retry-After": "5"}))


def add_headers(response):
    """The limit closest to exhaustion. This runs after the commit of a write, so a
    storage failure here must not turn a saved write into an error: the headers are
    left out and the failure logged."""
    limiter: GuardedLimiter | None = current_app.extensions.get("fpbx_limiter")
    if limiter is None:
        return response
    if response.status_code not in (429, 503):  # flask-limiter adds it to every response
        response.headers.pop("Retry-After", None)
    limits = [lim for lim in limiter.current_limits if lim]
    if not limits or limiter.watch.down:
        return response
    try:
        tightest = min(limits, key=lambda lim: (lim.remaining, lim.reset_at))
        headers = {"X-RateLimit-Limit": str(tightest.limit.amount),
                   "X-RateLimit-Remaining": str(max(0, tightest.remaining)),
                   "X-RateLimit-Reset": str(int(tightest.reset_at))}
    except storage_errors(limiter) as error:
        limiter.watch.failed(error, decides=False)
        log.warning("rate-limit headers left out: storage failed after the request (%s)",
                    type(error).__name__)
        return response
    response.headers.update(headers)
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

    def __init__(self, per_minute: int, limiter: GuardedLimiter | None, key_prefix: str):
        self.item = RateLimitItemPerMinute(per_minute)
        self.limiter = limiter
        self.strategy = limiter.limiter if limiter else MovingWindowRateLimiter(MemoryStorage())
        self.errors = storage_errors(limiter) if limiter else ()
        self.key_prefix = key_prefix
        if isinstance(self.strategy, OneTripMovingWindow):  # read in the request's one trip
            self.strategy.probe(self.item, self._key)

    def _key(self) -> tuple[str, str, str]:
        return self.key_prefix, "failed-auth", client_address()

    def check(self) -> None:
        """Raise ``FailedAuthLimited`` when this address has no failures left."""
        if not self._usable():
            return
        try:
            if not self.strategy.test(self.item, *self._key()):
                reset, _ = self.strategy.get_window_stats(self.item, *self._key())
                raise FailedAuthLimited(reset)
        except self.errors as error:
            self.limiter.watch.failed(error, decides=False)

    def failed(self) -> None:
        if not self._usable():
            return
        try:
            self.strategy.hit(self.item, *self._key())
        except self.errors as error:
            self.limiter.watch.failed(error, decides=False)

    def _usable(self) -> bool:
        return self.limiter is None or not self.limiter.watch.down


def failed_auth() -> FailedAuth | None:
    return current_app.extensions.get("fpbx_failed_auth")


def init_app(app: Flask) -> None:
    """Install the limiter; its check runs before every later request hook."""
    options = app.config["FPBX"]["rate_limit"]
    limiter = None
    if options["enabled"]:
        application_limits = [f"{options['requests_per_minute']}/minute",
                              f"{options['requests_per_hour']}/hour"]
        limiter = GuardedLimiter(
            key_func=rate_key,
            application_limits=application_limits,
            storage_uri=options["storage_url"],
            storage_options=_storage_options(options),
            strategy=options["strategy"],
            headers_enabled=False,
            swallow_errors=False,
            key_prefix=options["key_prefix"],
            request_identifier=lambda: request.endpoint or "unrouted",
        )
        limiter.watch = StorageWatch(options["fail_open"])
        limiter.request_filter(exempt)
        limiter.init_app(app)
        _one_trip(limiter, options["strategy"], application_limits)
        app.extensions["fpbx_limiter"] = limiter
        app.register_error_handler(RateLimitExceeded, too_many_requests)
        app.after_request(add_headers)
    if options["failed_auth_per_minute"]:
        app.extensions["fpbx_failed_auth"] = FailedAuth(options["failed_auth_per_minute"],
                                                        limiter, options["key_prefix"])
        app.register_error_handler(
            FailedAuthLimited, lambda error: limited_response(60, error.reset))


def _one_trip(limiter: GuardedLimiter, strategy: str, application_limits: list[str]) -> None:
    """On Redis, the moving windows of a request in one round trip (ratewindows.py) instead
    of flask-limiter's five. flask-limiter takes a strategy by name only, so its instance
    is replaced here, once, at start-up."""
    if strategy == "moving-window" and isinstance(limiter.storage, RedisStorage):
        limiter._limiter = OneTripMovingWindow(  # noqa: SLF001
            limiter.storage, [parse(limit) for limit in application_limits])


def _storage_options(options: dict) -> dict:
    """Short socket timeouts for Redis, so that a hung server cannot hang requests."""
    if not options["storage_url"].startswith(("redis", "rediss", "valkey")):
        return {}
    return {"socket_connect_timeout": options["storage_timeout"],
            "socket_timeout": options["storage_timeout"]}
