"""Rate limiting per API key (flask-limiter), with the contract's headers and 429 body.

The limiter runs before authentication, so guessing keys is limited too: the
counter is keyed on a digest of the presented key, or on the client address
when none is presented. ``X-RateLimit-*`` describe the limit closest to
exhaustion (DECISIONS.md), and ``Retry-After`` appears only on a 429 or 503. When the
storage (Redis) is down, ``rate_limit.fail_open`` decides: serve unlimited
(and log), or answer 503 RATE_LIMIT_UNAVAILABLE.
"""

from __future__ import annotations

import logging
import math
import time

from flask import Flask, current_app, jsonify, request
from flask_limiter import Limiter, RateLimitExceeded

from fpbx_api.errors import Unavailable, api_error_response
from fpbx_api.keys import digest
from fpbx_api.security import client_address

EXEMPT_ENDPOINTS = {"meta.swagger_assets"}  # Swagger UI's own files
log = logging.getLogger("fpbx_api.ratelimit")


def rate_key() -> str:
    presented = request.headers.get("X-API-Key")
    options = current_app.config["FPBX"]["rate_limit"]
    if presented and options["by_key"]:
        return "key:" + digest(presented)[:32]
    return "ip:" + client_address()


def _limit_type(seconds: int) -> str:
    return {60: "minute", 3600: "hour"}.get(seconds, f"{seconds}s")


def too_many_requests(error: RateLimitExceeded):
    limiter: Limiter = current_app.extensions["fpbx_limiter"]
    breached = next((lim for lim in limiter.current_limits if lim.breached), None)
    seconds = breached.limit.get_expiry() if breached else 60
    now = time.time()
    reset = breached.reset_at if breached else now + seconds
    retry_after = max(1, min(seconds, math.ceil(reset - now)))
    reset = int(now) + retry_after
    response = jsonify({
        "success": False,
        "error": "Rate limit exceeded",
        "message": "Too many requests. Please try again later.",
        "limit_type": _limit_type(seconds),
        "retry_after": retry_after,
        "reset": reset,
    })
    response.status_code = 429
    response.headers["Retry-After"] = str(retry_after)
    return response


def storage_down(_error):
    """Fail closed: without its counters the limiter cannot tell, so nothing is served."""
    log.error("rate-limit storage unavailable; failing closed")
    return api_error_response(Unavailable("Rate limiting is unavailable, try again shortly",
                                          code="RATE_LIMIT_UNAVAILABLE",
                                          headers={"Retry-After": "5"}))


def add_headers(response):
    limiter: Limiter = current_app.extensions.get("fpbx_limiter")
    if limiter is None:
        return response
    limits = [lim for lim in limiter.current_limits if lim]
    if limits:
        tightest = min(limits, key=lambda lim: (lim.remaining, lim.reset_at))
        response.headers["X-RateLimit-Limit"] = str(tightest.limit.amount)
        response.headers["X-RateLimit-Remaining"] = str(max(0, tightest.remaining))
        response.headers["X-RateLimit-Reset"] = str(int(tightest.reset_at))
    if response.status_code not in (429, 503):  # flask-limiter adds it to every response
        response.headers.pop("Retry-After", None)
    return response


def init_app(app: Flask) -> None:
    """Install the limiter; its check runs before every other request hook."""
    options = app.config["FPBX"]["rate_limit"]
    if not options["enabled"]:
        return
    limiter = Limiter(
        key_func=rate_key,
        application_limits=[f"{options['requests_per_minute']}/minute",
                            f"{options['requests_per_hour']}/hour"],
        storage_uri=options["storage_url"],
        strategy=options["strategy"],
        headers_enabled=False,
        swallow_errors=options["fail_open"],
        key_prefix="fpbx-api",
        request_identifier=lambda: request.endpoint or "unrouted",
    )
    limiter.request_filter(lambda: request.endpoint in EXEMPT_ENDPOINTS
                           or request.method == "OPTIONS")
    limiter.init_app(app)
    app.extensions["fpbx_limiter"] = limiter
    app.register_error_handler(RateLimitExceeded, too_many_requests)
    if not options["fail_open"]:
        exceptions = limiter.storage.base_exceptions
        for exception in exceptions if isinstance(exceptions, tuple) else (exceptions,):
            app.register_error_handler(exception, storage_down)
    app.after_request(add_headers)
