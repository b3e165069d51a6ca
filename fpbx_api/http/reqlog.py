"""Request logging: one line per request, a warning when slow.

Only the method, path (never the query string), status, duration, domain and
request id are logged, so keys and passwords cannot reach the log. Control characters
in anything the API logs are escaped (``logescape``), so a path cannot forge a line.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, current_app, g, request

from fpbx_api.http import logescape

log = logging.getLogger("fpbx_api.requests")


def _start() -> None:
    g.started = time.perf_counter()


def _log(response):
    options = current_app.config["FPBX"]["logging"]
    elapsed_ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    principal = g.get("principal")
    fields = (request.method, request.path, response.status_code, elapsed_ms,
              principal.domain_name if principal else "-", g.get("request_id", "-"))
    if options["log_slow_requests"] and elapsed_ms >= options["slow_request_threshold"]:
        log.warning("slow request %s %s -> %s in %.0f ms domain=%s request_id=%s", *fields)
    elif options["log_requests"]:
        log.info("%s %s -> %s in %.1f ms domain=%s request_id=%s", *fields)
    return response


def init_app(app: Flask) -> None:
    logescape.install()
    options = app.config["FPBX"]["logging"]
    logging.getLogger("fpbx_api").setLevel(options["level"])
    if not options["log_errors"]:
        logging.getLogger("fpbx_api").setLevel(logging.CRITICAL)
    if options["enabled"]:
        app.before_request(_start)
        app.after_request(_log)
