"""Request logging: one line per request, a warning when slow.

Only the method, path (never the query string), status, duration, domain and
request id are logged, so keys and passwords cannot reach the log. Control characters
in anything the API logs are escaped (``logescape``), so a path cannot forge a line.
The same fields ride on the record as attributes (``record.path``, ``record.status``…)
for a structured (JSON) handler.

The options are read once at start-up, and nothing is gathered or formatted for a
request whose line would not be logged (``log_requests`` off, or the level above INFO).
When whoever runs the app configured no handler for these records (gunicorn leaves the
root logger bare), one writing to stderr is added, next to gunicorn's own lines:
otherwise "log_requests = true" would log nothing.
"""

from __future__ import annotations

import logging
import sys
import time

from flask import Flask, g, request

from fpbx_api.http import logescape

log = logging.getLogger("fpbx_api.requests")
FORMAT = "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s"


def _start() -> None:
    g.started = time.perf_counter()


class RequestLog:
    """The after-request hook, with its options bound at start-up."""

    def __init__(self, options: dict):
        self.requests = options["log_requests"]
        self.slow_ms = options["slow_request_threshold"] if options["log_slow_requests"] \
            else None

    def __call__(self, response):
        elapsed_ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        if self.slow_ms is not None and elapsed_ms >= self.slow_ms:
            level, message = logging.WARNING, "slow request %s %s -> %s in %.0f ms " \
                                              "domain=%s request_id=%s"
        elif self.requests and log.isEnabledFor(logging.INFO):
            level, message = logging.INFO, "%s %s -> %s in %.1f ms domain=%s request_id=%s"
        else:
            return response
        principal = g.get("principal")
        fields = {"method": request.method, "path": logescape.escape(request.path),
                  "status": response.status_code, "duration_ms": round(elapsed_ms, 1),
                  "domain": principal.domain_name if principal else "-",
                  "request_id": g.get("request_id", "-")}
        log.log(level, message, *fields.values(), extra=fields)
        return response


def _ensure_handler() -> None:
    """A stderr handler for the ``fpbx_api`` loggers when no handler would take them.

    It then stops them reaching the root logger: greenswitch logs through ``logging.debug``,
    which gives the root a handler of its own (``basicConfig``) on first use, and every
    request line was printed twice from then on.
    """
    ours = logging.getLogger("fpbx_api")
    if ours.hasHandlers():
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT, "%Y-%m-%d %H:%M:%S %z"))
    ours.addHandler(handler)
    ours.propagate = False


def init_app(app: Flask) -> None:
    logescape.install()
    options = app.config["FPBX"]["logging"]
    logging.getLogger("fpbx_api").setLevel(options["level"])
    if not options["log_errors"]:
        logging.getLogger("fpbx_api").setLevel(logging.CRITICAL)
    if options["enabled"]:
        _ensure_handler()
        app.before_request(_start)
        app.after_request(RequestLog(options))
