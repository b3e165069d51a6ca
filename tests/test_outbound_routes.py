"""Outbound routes through HTTP against PostgreSQL, row by row against FusionPBX's own
writes (tests/golden/outbound_routes.json): the route and its call_direction-outbound
helper, 22 details, and the XML built from them byte for byte."""

from __future__ import annotations

import pytest

from tests.helpers import golden, same_create, same_delete, same_update

GOLDEN = golden("outbound_routes")
VOLATILE = {"dialplan_uuid", "dialplan_detail_uuid", "domain_uuid"}
GATEWAY = "7e3f096e-4e07-4227-b08a-9f075efd4d7d"
GOLDEN_BODY = {
    "gateway": GATEWAY, "gateway_2": None, "gateway_3": None,
    "dialplan_expression_preset": "north_america", "prefix_number": "1", "limit": 10,
    "accountcode": "acme", "toll_allow": "domestic", "dialplan_order": 100,
    "dialplan_enabled": "true", "dialplan_description": "US/Canada 10/11 digit via fixture-trunk",
}


def add_gateway(db, domain_uuid, name="fixture-trunk", gateway_uuid=GATEWAY):
    db.execute("INSERT INTO v_gateways (gateway_uuid, domain_uuid, gateway, proxy, profile, "
               "enabled) VALUES (:g, :d, :n, 'sip.example.net', 'external', true)",
               g=gateway_uuid, d=domain_uuid, n=name)
    return gateway_uuid


def by_name(rows) -> dict:
    return {r["dialplan_name"]: str(r["dialplan_uuid"]) for r in rows}


def uuids_of(rows: dict) -> dict:
    return by_name(rows["v_dialplans"])


def test_crud_writes_what_fusionpbx_writes(client, tenants, fpbx_db):
    headers = tenants.a.headers
    add_gateway(fpbx_db, tenants.a.domain_uuid)
    r, changes, replace = same_create(client, fpbx_db, "/api/v1/outbound-routes",
                                      GOLDEN_BODY, headers, GOLDEN, VOLATILE, uuids=uuids_of)
    ours = uuids_of({"v_dialplans": changes["v_dialplans"]["added"]})
    assert set(ours) == {"fixture-trunk.10-11-NANP", "call_direction-outbound"}
    uuid = r.json["data"]["dialplan_uuid"]
    assert uuid == ours["fixture-trunk.10-11-NANP"]

    before = fpbx_db.snapshot()
    update = {"dialplan_order": 110,
              "dialplan_description": "US/Canada via fixture-trunk (order 110)"}
    assert client.put(f"/api/v1/outbound-routes/{uuid}", json=update,
                      headers=headers).status_code == 200
    same_update(fpbx_db.changes(before), GOLDEN, VOLATILE, replace)

    before = fpbx_db.snapshot()
    assert client.delete(f"/api/v1/outbound-routes/{uuid}", headers=headers).status_code == 204
    same_delete(fpbx_db.changes(before), GOLDEN, VOLATILE, replace)
    assert by_name(fpbx_db.rows("v_dialplans")) == {
        "call_direction-outbound": ours["call_direction-outbound"]}  # FusionPBX keeps it


def test_failover_gateways_and_what_get_reads_back(client, tenants, fpbx_db):
    headers = tenants.a.headers
    first = add_gateway(fpbx_db, tenants.a.domain_uuid)
    second = add_gateway(fpbx_db, tenants.a.domain_uuid, "backup",
                         "4c0b3e4e-3d8e-4f43-9f55-8c1f5b2c6a01")
    shared = add_gateway(fpbx_db, None, "global-trunk", "5d1c4f5f-4e9f-4a54-8a66-9d2a6c3d7b12")
    body = {"gateway": first, "gateway_2": second, "gateway_3": shared,
            "dialplan_expression": r"^9(\d{10})$", "prefix_number": "011"}
    r = client.post("/api/v1/outbound-routes", json=body, headers=headers)
    assert r.status_code == 201, r.json
    got = client.get(f"/api/v1/outbound-routes/{r.json['data']['dialplan_uuid']}",
                     headers=headers).json["data"]
    assert (got["gateway"], got["gateway_2"], got["gateway_3"]) == (first, second, shared)
    assert got["dialplan_name"] == "fixture-trunk.9.10d" and got["dialplan_order"] == "300"
    assert got["prefix_number"] == "011" and got["limit"] is None
    bridges = [line for line in got["dialplan_xml"].splitlines()
               if 'application="bridge"' in line]
    assert [b.split('data="')[1].split('"')[0] for b in bridges] == [
        f"sofia/gateway/{g}/011$1" for g in (first, second, shared)]
    assert 'data="outbound_prefix=9"' in got["dialplan_xml"]
    assert 'data="provider_prefix=011"' in got["dialplan_xml"]
    # a route field given alone keeps the others (read back from the details)
    client.put(f"/api/v1/outbound-routes/{got['dialplan_uuid']}",
               json={"gateway_3": None, "limit": 5}, headers=headers)
    got = client.get(f"/api/v1/outbound-routes/{got['dialplan_uuid']}",
                     headers=headers).json["data"]
    assert (got["gateway"], got["gateway_2"], got["gateway_3"], got["limit"]) == (
        first, second, None, 5)
    assert got["dialplan_expression"] == r"^9(\d{10})$" and got["prefix_number"] == "011"


def test_the_list_is_the_routes_not_their_helpers(client, tenants, fpbx_db):
    add_gateway(fpbx_db, tenants.a.domain_uuid)
    client.post("/api/v1/outbound-routes", json=GOLDEN_BODY, headers=tenants.a.headers)
    data = client.get("/api/v1/outbound-routes", headers=tenants.a.headers).json["data"]
    assert [(d["dialplan_name"], d["dialplan_order"], d["dialplan_context"]) for d in data] == [
        ("fixture-trunk.10-11-NANP", "100", "example.com")]


def test_another_domains_gateway_is_unknown(client, tenants, fpbx_db):
    theirs = add_gateway(fpbx_db, tenants.b.domain_uuid)
    before = fpbx_db.snapshot()
    for field in ("gateway", "gateway_2"):
        body = {**GOLDEN_BODY, field: theirs}
        if field != "gateway":
            body["gateway"] = add_gateway(fpbx_db, tenants.a.domain_uuid, "mine",
                                          "6e2d5a6a-5fa0-4b65-9b77-ae3b7d4e8c23")
            before = fpbx_db.snapshot()
        r = client.post("/api/v1/outbound-routes", json=body, headers=tenants.a.headers)
        assert r.status_code == 400 and r.json["error"]["errors"][0]["field"] == field
        assert fpbx_db.changes(before) == {}


@pytest.mark.parametrize("change", [
    {"dialplan_expression": "(a+)+$"},               # catastrophic backtracking
    {"dialplan_expression": "^(\\d{10}"},            # does not compile
    {"dialplan_expression": "^${system(id)}$"},
    {"prefix_number": "1,x=y"}, {"prefix_number": "1}"},
    {"toll_allow": "domestic|.*"}, {"toll_allow": "${x}"},
    {"pin_number": "12ab"}, {"accountcode": "a,b"},
    {"dialplan_expression_preset": "everything"},
    {"dialplan_order": 301},
])
def test_hostile_route_values_are_400(client, tenants, fpbx_db, change):
    add_gateway(fpbx_db, tenants.a.domain_uuid)
    before = fpbx_db.snapshot()
    body = {**GOLDEN_BODY, **change}
    if "dialplan_expression" in change:
        body.pop("dialplan_expression_preset")
    r = client.post("/api/v1/outbound-routes", json=body, headers=tenants.a.headers)
    assert r.status_code == 400, r.json
    assert fpbx_db.changes(before) == {}


def test_writes_clear_the_domains_dialplan(esl_client, tenants, switches, fpbx_db):
    add_gateway(fpbx_db, tenants.a.domain_uuid)
    for sim in switches:
        sim.cache_set("dialplan:example.com", "<context/>")
    r = esl_client.post("/api/v1/outbound-routes", json=GOLDEN_BODY, headers=tenants.a.headers)
    assert r.json["applied"] == {"cache": {"state": "cleared", "keys": ["dialplan:example.com"]}}
    assert [sim.cache_get("dialplan:example.com") for sim in switches] == [None, None]
