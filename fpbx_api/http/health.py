"""``GET /api/v1/health``: what a load balancer or an operator asks first.

No key is needed and it is never rate limited (a probe must not depend on Redis).
Every check is bounded: the database by its client-side deadlines, each switch by
the event-socket timeout. The answer is 503 only when the database does not
answer, since without it nothing can be served; a silent switch is reported but
the API still reads and writes FusionPBX's database.
"""

from __future__ import annotations

import logging

from flask import current_app, g
from sqlalchemy import text

from fpbx_api import db
from fpbx_api.freeswitch import esl

log = logging.getLogger("fpbx_api.http.health")


def health():
    config = current_app.config["FPBX"]
    report = current_app.extensions["fpbx_plugins"]
    database = _check(_database, "database")
    switches = [{"name": s["name"], "status": _check(lambda s=s: _switch(s, config),
                                                     f"switch {s['name']}")}
                for s in config["freeswitch"]["switches"]]
    up = database == "ok"
    data = {
        "status": ("ok" if all(s["status"] == "ok" for s in switches) else "degraded")
        if up else "unavailable",
        "database": database,
        "switches": switches,
        "plugins": [p.name for p in report.loaded],
        "failed_plugins": sorted(report.failed),
    }
    if up:
        return {"success": True, "data": data}
    return {"success": False, "error": {"code": "DATABASE_UNAVAILABLE",
                                        "message": "Database unavailable"},
            "data": data}, 503, {"Retry-After": "5"}


def _check(probe, what: str) -> str:
    try:
        probe()
    except Exception as error:  # any failure of a probe is an answer, not a 500
        log.warning("health: %s not answering (%s)", what, type(error).__name__,
                    extra={"request_id": g.get("request_id")})
        return "unavailable"
    return "ok"


def _database() -> None:
    db.session().execute(text("SELECT 1"))


def _switch(switch: dict, config: dict) -> None:
    with esl.connect(esl.Switch(**switch), config) as conn:
        conn.api("status")
