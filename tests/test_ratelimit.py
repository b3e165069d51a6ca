"""Rate limits at their boundary, their headers, a limit shared through Redis, and
failed authentication limited per client address, and a key cache guesses cannot empty."""

from __future__ import annotations

import time

import pytest
import redis

from tests.figures import FIGURES


def limited(make_app, per_minute=3, per_hour=1000, storage="memory://"):
    return make_app(rate_limit={"requests_per_minute": per_minute,
                                "requests_per_hour": per_hour, "storage_url": storage})


def test_limit_boundary_headers_and_429(make_app, tenants):
    client = limited(make_app).test_client()
    remaining = []
    for _ in range(3):
        r = client.get("/api/v1/domains", headers=tenants.a.headers)
        assert r.status_code == 200
        assert r.headers["X-RateLimit-Limit"] == "3"
        assert "Retry-After" not in r.headers
        remaining.append(int(r.headers["X-RateLimit-Remaining"]))
    assert remaining == [2, 1, 0]
    r = client.get("/api/v1/domains", headers=tenants.a.headers)
    assert r.status_code == 429
    body = r.json
    assert body["success"] is False and body["error"] == "Rate limit exceeded"
    assert body["message"] == "Too many requests. Please try again later."
    assert body["limit_type"] == "minute"
    assert 0 < body["retry_after"] <= 60 and int(r.headers["Retry-After"]) == body["retry_after"]
    assert abs(body["reset"] - (time.time() + body["retry_after"])) <= 2
    assert r.headers["X-RateLimit-Remaining"] == "0"
    # another key has its own budget
    assert client.get("/api/v1/domains", headers=tenants.b.headers).status_code == 200


def test_headers_report_the_limit_closest_to_exhaustion(make_app, tenants):
    client = limited(make_app, per_minute=10, per_hour=2).test_client()
    r = client.get("/api/v1/domains", headers=tenants.a.headers)
    assert (r.headers["X-RateLimit-Limit"], r.headers["X-RateLimit-Remaining"]) == ("2", "1")
    client.get("/api/v1/domains", headers=tenants.a.headers)
    r = client.get("/api/v1/domains", headers=tenants.a.headers)
    assert r.status_code == 429 and r.json["limit_type"] == "hour"


def test_errors_and_unknown_paths_count_and_carry_headers(make_app, tenants):
    client = limited(make_app, per_minute=2).test_client()
    assert client.get("/api/v1/nope", headers=tenants.a.headers).headers[
        "X-RateLimit-Remaining"] == "1"
    bad = client.get("/api/v1/domains", headers={"X-API-Key": "guess"})
    assert bad.status_code == 401 and "X-RateLimit-Limit" in bad.headers
    assert client.get("/api/v1/domains", headers=tenants.a.headers).status_code == 200
    assert client.get("/api/v1/domains", headers=tenants.a.headers).status_code == 429


def test_two_instances_share_one_redis_limit(make_app, tenants, redis_server):
    first = limited(make_app, per_minute=4, storage=redis_server.url).test_client()
    second = limited(make_app, per_minute=4, storage=redis_server.url).test_client()
    statuses = [c.get("/api/v1/domains", headers=tenants.a.headers).status_code
                for c in (first, second, first, second, first, second)]
    assert statuses == [200, 200, 200, 200, 429, 429]


def test_disabled_limits_send_no_headers(make_app, tenants):
    client = make_app(rate_limit={"enabled": False}).test_client()
    r = client.get("/api/v1/domains", headers=tenants.a.headers)
    assert r.status_code == 200 and "X-RateLimit-Limit" not in r.headers


@pytest.mark.parametrize("fail_open, status", [(True, 200), (False, 503)])
def test_redis_down_fails_open_or_closed_by_config(make_app, tenants, fail_open, status):
    client = make_app(rate_limit={"storage_url": "redis://127.0.0.1:9/0",
                                  "fail_open": fail_open}).test_client()
    r = client.get("/api/v1/domains", headers=tenants.a.headers)
    assert r.status_code == status
    if not fail_open:
        assert r.json["error"]["code"] == "RATE_LIMIT_UNAVAILABLE"
        assert r.headers["Retry-After"] == "5"
    FIGURES[f"faults survived: redis down, fail {'open' if fail_open else 'closed'}"] = "yes"


def test_failed_authentication_is_limited_per_client_address(make_app, tenants):
    app = make_app(rate_limit={"failed_auth_per_minute": 5})
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    guesses = [guesser.get("/api/v1/domains", headers={"X-API-Key": f"guess-{n}"})
               for n in range(6)]
    assert [r.status_code for r in guesses] == [401] * 5 + [429]
    body = guesses[-1].json
    assert body["error"] == "Rate limit exceeded" and body["limit_type"] == "minute"
    assert 0 < body["retry_after"] <= 60
    assert guesses[-1].headers["Retry-After"] == str(body["retry_after"])
    # the guesser's own valid key is blocked too; others' keys are not
    assert guesser.get("/api/v1/domains", headers=tenants.a.headers).status_code == 429
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    assert other.get("/api/v1/domains", headers=tenants.a.headers).status_code == 200
    assert other.get("/api/v1/domains", headers={"X-API-Key": "x"}).status_code == 401


def test_failed_authentication_limit_can_be_turned_off(make_app):
    client = make_app(rate_limit={"failed_auth_per_minute": 0}).test_client()
    statuses = {client.get("/api/v1/domains", headers={"X-API-Key": f"g{n}"}).status_code
                for n in range(30)}
    assert statuses == {401}


def test_guessed_keys_do_not_displace_cached_keys(make_app, tenants, fpbx_db):
    client = make_app(rate_limit={"enabled": False, "failed_auth_per_minute": 0}).test_client()
    assert client.get("/api/v1/domains", headers=tenants.a.headers).status_code == 200
    # revoked now: only the cached lookup still knows the key (for KEY_CACHE_SECONDS)
    fpbx_db.execute("UPDATE v_api_keys SET revoked_at = now()")
    for n in range(4100):  # more than the cache holds
        assert client.get("/api/v1/domains", headers={"X-API-Key": f"g{n}"}).status_code == 401
    assert client.get("/api/v1/domains", headers=tenants.a.headers).status_code == 200


# what the limiter's script runs inside Redis (counted by INFO too, but no round trip)
IN_SCRIPT = {"lindex", "lpush", "ltrim", "expire"}


def redis_round_trips(url: str) -> dict[str, int]:
    """Commands clients sent since the last call, by name (this one's INFO aside)."""
    server = redis.Redis.from_url(url)
    stats = server.info("commandstats")
    server.config_resetstat()
    return {name.removeprefix("cmdstat_"): figures["calls"] for name, figures in stats.items()
            if not name.startswith(("cmdstat_info", "cmdstat_config"))
            and name.removeprefix("cmdstat_") not in IN_SCRIPT}


def test_one_redis_round_trip_a_request(make_app, tenants, redis_server):
    client = limited(make_app, per_minute=2, storage=redis_server.url).test_client()
    client.get("/api/v1/domains", headers=tenants.a.headers)  # the script is loaded once
    redis_round_trips(redis_server.url)
    statuses = []
    for _ in range(2):
        r = client.get("/api/v1/domains", headers=tenants.a.headers)
        statuses.append(r.status_code)
        # both windows, the headers and the failed-authentication check: one script call
        assert redis_round_trips(redis_server.url) == {"evalsha": 1}
    assert statuses == [200, 429]
    assert r.json["limit_type"] == "minute"
    assert (r.headers["X-RateLimit-Limit"], r.headers["X-RateLimit-Remaining"]) == ("2", "0")
    assert 0 < int(r.headers["X-RateLimit-Reset"]) - time.time() <= 61  # flask-limiter: +1 s


def test_failed_authentication_is_limited_through_redis(make_app, tenants, redis_server):
    app = make_app(rate_limit={"failed_auth_per_minute": 3, "storage_url": redis_server.url})
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "198.51.100.8"
    statuses = [guesser.get("/api/v1/domains", headers={"X-API-Key": f"guess-{n}"}).status_code
                for n in range(4)]
    assert statuses == [401] * 3 + [429]
    assert guesser.get("/api/v1/domains", headers=tenants.a.headers).status_code == 429
    # a second worker sees the same failures
    other_worker = make_app(rate_limit={"failed_auth_per_minute": 3,
                                        "storage_url": redis_server.url}).test_client()
    other_worker.environ_base["REMOTE_ADDR"] = "198.51.100.8"
    assert other_worker.get("/api/v1/domains", headers=tenants.a.headers).status_code == 429
