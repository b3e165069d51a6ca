"""Authentication modes, their error codes, key scopes and key lifecycle."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from fpbx_api.testing.tenants import GLOBAL_KEY


def codes(response):
    return response.status_code, response.json["error"]["code"]


@pytest.fixture
def per_key(make_app, tenants):
    return make_app(security={"auth_mode": "per_key"}).test_client()


@pytest.fixture
def global_only(make_app, tenants):
    # keys and domains are otherwise kept 30 s; these tests change them mid-test
    return make_app(security={"auth_mode": "global_key"}, cache={"ttl": 0}).test_client()


def test_global_key_needs_a_known_enabled_domain(global_only, tenants, fpbx_db):
    ok = global_only.get("/api/v1/domains", headers={"X-API-Key": GLOBAL_KEY,
                                                     "X-Domain": "example.com"})
    assert ok.status_code == 200 and ok.json["data"][0]["domain_name"] == "example.com"
    by_uuid = global_only.get("/api/v1/domains", headers={"X-API-Key": GLOBAL_KEY,
                                                          "X-Domain": tenants.b.domain_uuid})
    assert by_uuid.json["data"][0]["domain_name"] == "other.example"
    assert codes(global_only.get("/api/v1/domains", headers={"X-API-Key": GLOBAL_KEY})) == (
        400, "MISSING_DOMAIN")
    assert codes(global_only.get("/api/v1/domains", headers={
        "X-API-Key": GLOBAL_KEY, "X-Domain": "nowhere.example"})) == (403, "INVALID_DOMAIN")
    fpbx_db.execute("UPDATE v_domains SET domain_enabled = false WHERE domain_name = 'example.com'")
    assert codes(global_only.get("/api/v1/domains", headers={
        "X-API-Key": GLOBAL_KEY, "X-Domain": "example.com"})) == (403, "INVALID_DOMAIN")


def test_global_mode_rejects_per_domain_keys(global_only, tenants):
    assert codes(global_only.get("/api/v1/domains", headers={
        "X-API-Key": tenants.a.key, "X-Domain": "example.com"})) == (401, "UNAUTHORIZED")


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "wrong"}, {"X-API-Key": GLOBAL_KEY[:-1]}])
def test_missing_or_wrong_key_is_401(client, headers):
    assert codes(client.get("/api/v1/domains", headers={**headers, "X-Domain": "example.com"})
                 ) == (401, "UNAUTHORIZED")


def test_per_key_mode_names_the_domain(per_key, tenants):
    r = per_key.get("/api/v1/domains", headers={"X-API-Key": tenants.b.key})
    assert r.json["data"][0]["domain_uuid"] == tenants.b.domain_uuid
    for same in ("other.example", "OTHER.example", tenants.b.domain_uuid):
        assert per_key.get("/api/v1/domains", headers={"X-API-Key": tenants.b.key,
                                                       "X-Domain": same}).status_code == 200
    assert codes(per_key.get("/api/v1/domains", headers={
        "X-API-Key": tenants.b.key, "X-Domain": "example.com"})) == (403, "DOMAIN_MISMATCH")
    assert codes(per_key.get("/api/v1/domains", headers={
        "X-API-Key": GLOBAL_KEY, "X-Domain": "example.com"})) == (401, "UNAUTHORIZED")


def test_both_mode_accepts_either(client, tenants):
    assert client.get("/api/v1/domains", headers={"X-API-Key": tenants.a.key}).status_code == 200
    assert client.get("/api/v1/domains", headers={"X-API-Key": GLOBAL_KEY,
                                                  "X-Domain": "other.example"}).status_code == 200
    assert codes(client.get("/api/v1/domains", headers={"X-API-Key": GLOBAL_KEY})) == (
        400, "MISSING_DOMAIN")


def test_read_only_key_cannot_write(client, tenants, fpbx_db):
    headers = {"X-API-Key": tenants.a.read_key}
    assert client.get("/api/v1/extensions", headers=headers).status_code == 200
    assert codes(client.post("/api/v1/extensions", json={"extension": "1001"},
                             headers=headers)) == (403, "FORBIDDEN")
    assert fpbx_db.rows("v_extensions") == []


def test_keys_are_hashed_at_rest_and_record_last_use(client, tenants, fpbx_db):
    rows = fpbx_db.rows("v_api_keys", domain_uuid=tenants.a.domain_uuid)
    stored = " ".join(str(v) for row in rows for v in row.values())
    assert tenants.a.key not in stored
    digest = hashlib.sha256(tenants.a.key.encode()).hexdigest()
    (row,) = [r for r in rows if r["key_hash"] == digest]
    assert row["last_used_at"] is None
    client.get("/api/v1/domains", headers={"X-API-Key": tenants.a.key})
    (row,) = fpbx_db.rows("v_api_keys", key_hash=digest)
    assert row["last_used_at"] is not None


def test_revoked_and_expired_keys_are_401(client, tenants, fpbx_db):
    digest = hashlib.sha256(tenants.a.key.encode()).hexdigest()
    fpbx_db.execute("UPDATE v_api_keys SET revoked_at = now() WHERE key_hash = :h", h=digest)
    assert codes(client.get("/api/v1/domains", headers=tenants.a.headers)) == (
        401, "UNAUTHORIZED")
    digest = hashlib.sha256(tenants.b.key.encode()).hexdigest()
    fpbx_db.execute("UPDATE v_api_keys SET expires_at = :t WHERE key_hash = :h",
                    h=digest, t=datetime.now(UTC) - timedelta(seconds=1))
    assert codes(client.get("/api/v1/domains", headers=tenants.b.headers)) == (
        401, "UNAUTHORIZED")


def test_index_and_docs_need_no_key(client):
    index = client.get("/api/v1/")
    assert index.status_code == 200
    assert {p["name"] for p in index.json["data"]["plugins"]} >= {"extensions", "domains"}
    assert client.get("/api/v1/docs").status_code == 200


def test_key_and_domain_lookups_are_kept_briefly(client, tenants, fpbx_db):
    """Documented trade-off: with caching on, a revoked key works for up to 30 s more
    in a worker that has just seen it (one query fewer on every request)."""
    assert client.get("/api/v1/domains", headers=tenants.a.headers).status_code == 200
    fpbx_db.execute("UPDATE v_api_keys SET revoked_at = now()")
    assert client.get("/api/v1/domains", headers=tenants.a.headers).status_code == 200
