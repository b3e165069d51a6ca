"""Fields that could route calls into another tenant or bill them to another tenant need
the system scope (issue 10 §2), in each of the three ways to call: the global key (all
scopes), a per-domain write key and a per-domain system key."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest

GATEWAY = {"gateway": "carrier", "proxy": "sip.carrier.example"}
MAY_ROUTE = {"global key": True, "write key": False, "system key": True}


@pytest.mark.parametrize("mode", MAY_ROUTE)
@pytest.mark.parametrize("change", [{"context": "other.example"}, {"context": "default"},
                                    {"profile": "internal"}])
def test_gateway_context_and_profile_need_the_system_scope(client, tenants, fpbx_db, mode,
                                                           change):
    headers = tenants.a.auth_modes()[mode]
    before = fpbx_db.fingerprint()
    r = client.post("/api/v1/gateways", json={**GATEWAY, **change}, headers=headers)
    if MAY_ROUTE[mode]:
        assert r.status_code == 201, r.json
        assert fpbx_db.rows("v_gateways")[0][next(iter(change))] == next(iter(change.values()))
    else:
        assert r.status_code == 403 and r.json["error"]["code"] == "FORBIDDEN"
        assert r.json["error"]["field"] == next(iter(change))
        assert fpbx_db.fingerprint() == before


@pytest.mark.parametrize("mode", MAY_ROUTE)
def test_a_write_key_manages_only_its_own_kind_of_gateway(client, tenants, fpbx_db, mode):
    """Own context or public over the external profile: any key. A gateway the system
    scope put elsewhere: only the system scope may change or delete it."""
    headers = tenants.a.auth_modes()[mode]
    for context in ("public", "example.com"):
        body = {**GATEWAY, "gateway": f"gw-{context}", "context": context}
        assert client.post("/api/v1/gateways", json=body, headers=headers).status_code == 201
    system = tenants.a.auth_modes()["system key"]
    r = client.post("/api/v1/gateways", json={**GATEWAY, "profile": "internal"}, headers=system)
    uuid = r.json["data"]["gateway_uuid"]
    before = fpbx_db.fingerprint()
    put = client.put(f"/api/v1/gateways/{uuid}", json={"description": "x"}, headers=headers)
    back = client.put(f"/api/v1/gateways/{uuid}", json={"profile": "external"},
                      headers=headers)
    delete = client.delete(f"/api/v1/gateways/{uuid}", headers=headers)
    if MAY_ROUTE[mode]:
        assert (put.status_code, back.status_code, delete.status_code) == (200, 200, 204)
    else:
        assert (put.status_code, back.status_code, delete.status_code) == (403, 403, 403)
        assert fpbx_db.fingerprint() == before


@pytest.mark.parametrize("mode", MAY_ROUTE)
@pytest.mark.parametrize("field, host", [
    ("proxy", "127.0.0.1"), ("proxy", "localhost:5080"), ("proxy", "10.0.0.5:5060"),
    ("proxy", "[::1]:5080"), ("proxy", "169.254.169.254"), ("proxy", "2130706433"),
    ("proxy", "127.1"), ("register_proxy", "192.168.1.1"), ("outbound_proxy", "0.0.0.0"),
    ("outbound_proxy", "[::ffff:127.0.0.1]")])
def test_a_gateway_to_the_providers_own_network_needs_the_system_scope(
        client, tenants, fpbx_db, mode, field, host):
    headers = tenants.a.auth_modes()[mode]
    before = fpbx_db.fingerprint()
    r = client.post("/api/v1/gateways", json={**GATEWAY, field: host}, headers=headers)
    if MAY_ROUTE[mode]:
        assert r.status_code == 201, r.json
        assert fpbx_db.rows("v_gateways")[0][field] == host
    else:
        assert (r.status_code, r.json["error"]["field"]) == (403, field)
        assert fpbx_db.fingerprint() == before


def test_a_write_key_may_not_move_its_gateway_to_an_internal_address(client, tenants,
                                                                      fpbx_db):
    r = client.post("/api/v1/gateways", json={**GATEWAY, "proxy": "8.8.8.8:5060"},
                    headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    uuid = r.json["data"]["gateway_uuid"]
    r = client.put(f"/api/v1/gateways/{uuid}", json={"proxy": "127.0.0.1:5432"},
                   headers=tenants.a.headers)
    assert (r.status_code, r.json["error"]["field"]) == (403, "proxy")
    assert fpbx_db.rows("v_gateways")[0]["proxy"] == "8.8.8.8:5060"


def test_the_profile_allow_list_is_configurable(make_app, tenants):
    client = make_app(security={"tenant_gateway_profiles": ["external", "carrier-b"]}
                      ).test_client()
    r = client.post("/api/v1/gateways", json={**GATEWAY, "profile": "carrier-b"},
                    headers=tenants.a.headers)
    assert r.status_code == 201
    r = client.post("/api/v1/gateways", json={**GATEWAY, "gateway": "x", "profile": "internal"},
                    headers=tenants.a.headers)
    assert r.status_code == 403


@pytest.mark.parametrize("mode", MAY_ROUTE)
def test_another_domains_account_code_needs_the_system_scope(client, tenants, fpbx_db, mode):
    theirs = {"extension": "3001", "accountcode": "acme-b"}
    assert client.post("/api/v1/extensions", json=theirs,
                       headers=tenants.b.headers).status_code == 201
    headers = tenants.a.auth_modes()[mode]
    for n, code in enumerate(("other.example", "OTHER.EXAMPLE", "acme-b")):
        before = fpbx_db.fingerprint()
        r = client.post("/api/v1/extensions", json={"extension": f"100{n}", "accountcode": code},
                        headers=headers)
        if MAY_ROUTE[mode]:
            assert r.status_code == 201, (code, r.json)
        else:
            assert r.status_code == 403 and r.json["error"]["field"] == "accountcode", code
            assert fpbx_db.fingerprint() == before
    for n, code in enumerate(("example.com", "acme-a", None)):
        r = client.post("/api/v1/extensions", json={"extension": f"200{n}", "accountcode": code},
                        headers=headers)
        assert r.status_code == 201, (code, r.json)


def test_an_account_code_is_one_token(client, tenants):
    for code in ("a,domain_name=other.example", "a]b", "a b", "${x}", "a\tb"):
        r = client.post("/api/v1/extensions", json={"extension": "1001", "accountcode": code},
                        headers=tenants.a.headers)
        assert r.status_code == 400, code


def test_concurrent_creates_of_one_gateway_name_give_one_201(make_app, tenants, fpbx_db):
    """Resource.unique claims the name under a lock, as dialable numbers are claimed."""
    app = make_app(database={"pool_size": 8})
    start = Barrier(8)

    def create(name):
        client = app.test_client()
        start.wait()
        return client.post("/api/v1/gateways", json={**GATEWAY, "gateway": name},
                           headers=tenants.a.headers).status_code

    for name in ("carrier-1", "carrier-2", "carrier-3"):
        with ThreadPoolExecutor(8) as pool:
            statuses = sorted(pool.map(create, [name] * 8))
        assert statuses == [201] + [409] * 7, (name, statuses)
        assert len(fpbx_db.rows("v_gateways", gateway=name)) == 1
