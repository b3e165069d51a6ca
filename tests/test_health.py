"""GET /api/v1/health: no key, never rate limited, bounded; 503 only without the database."""

from __future__ import annotations

import time

from tests.pgproxy import PgProxy


def test_health_reports_plugins_database_and_each_switch(make_app, tenants, switches):
    app = make_app(freeswitch={"switches": [s.switch() for s in switches], "timeout": 0.5},
                   rate_limit={"requests_per_minute": 1})
    client = app.test_client()
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    data = r.json["data"]
    assert r.json["success"] is True and data["status"] == "ok"
    assert data["database"] == "ok"
    assert data["switches"] == [{"name": "fs1", "status": "ok"}, {"name": "fs2", "status": "ok"}]
    assert "extensions" in data["plugins"] and data["failed_plugins"] == []
    # never rate limited (the limit here is one request a minute)
    assert [client.get("/api/v1/health").status_code for _ in range(3)] == [200] * 3

    switches[1].stop()
    started = time.monotonic()
    r = client.get("/api/v1/health")
    assert time.monotonic() - started < 2
    assert r.status_code == 200 and r.json["data"]["status"] == "degraded"
    assert r.json["data"]["switches"][1] == {"name": "fs2", "status": "unavailable"}


def test_health_is_503_without_the_database(make_app, tenants, fpbx_db):
    proxy = PgProxy().start()
    try:
        url = fpbx_db.url.replace(":5432/", f":{proxy.port}/")
        client = make_app(database={"url": url, "pool_timeout": 1}).test_client()
        assert client.get("/api/v1/health").status_code == 200
        proxy.restart_begins()
        r = client.get("/api/v1/health")
        assert r.status_code == 503 and r.headers["Retry-After"] == "5"
        assert r.json["success"] is False
        assert r.json["error"]["code"] == "DATABASE_UNAVAILABLE"
        assert r.json["data"]["database"] == "unavailable"
        assert r.json["data"]["status"] == "unavailable"
    finally:
        proxy.stop()
