"""Destinations through HTTP against PostgreSQL, row by row against FusionPBX's own writes
(tests/golden/destinations.json): the v_destinations row, its dialplan with the exact XML
and the 14 detail rows, re-inserted on update."""

from __future__ import annotations

import pytest

from tests.helpers import add_user, golden, golden_step, same_create, same_rows, substituted

GOLDEN = golden("destinations")
VOLATILE = {"destination_uuid", "dialplan_uuid", "dialplan_detail_uuid", "domain_uuid"}
ADMIN = "de3d4839-25c1-4347-81e7-7c1ec3ee5c45"
GOLDEN_BODY = {
    "destination_type": "inbound", "destination_prefix": "1",
    "destination_number": "2125550100",
    "destination_actions": [{"destination_app": "transfer",
                             "destination_data": "1001 XML example.com"}],
    "user_uuid": ADMIN, "destination_cid_name_prefix": "Main:", "destination_record": "true",
    "destination_hold_music": "local_stream://default", "destination_ringback": "${us-ring}",
    "destination_accountcode": "acme", "destination_type_voice": 1, "destination_order": 100,
    "destination_enabled": "true", "destination_description": "Main DID to reception",
}


def uuids_of(rows: dict) -> dict:
    """The golden file's dialplan and domain uuids (inside the XML)."""
    destination = rows["v_destinations"][0]
    return {"dialplan": destination["dialplan_uuid"], "domain": destination["domain_uuid"]}


def test_crud_writes_what_fusionpbx_writes(client, tenants, fpbx_db):
    tenant = tenants.a
    add_user(fpbx_db, tenant.domain_uuid, "admin", user_uuid=ADMIN)
    r, _, replace = same_create(client, fpbx_db, "/api/v1/destinations", GOLDEN_BODY,
                                tenant.headers, GOLDEN, VOLATILE, uuids=uuids_of)

    uuid = r.json["data"]["destination_uuid"]
    before = fpbx_db.snapshot()
    update = {"destination_actions": [{"destination_app": "transfer",
                                       "destination_data": "1002 XML example.com"}],
              "destination_description": "Main DID to back office"}
    r = client.put(f"/api/v1/destinations/{uuid}", json=update, headers=tenant.headers)
    assert r.status_code == 200, r.json
    changes = fpbx_db.changes(before)
    for table, rows in GOLDEN["update"]["rows_changed"].items():
        (old, new), = changes[table]["changed"]
        assert {k for k in new if old[k] != new[k]} == set(rows[0]["changed_columns"]) - {
            "update_user"}, table
        same_rows([new], [rows[0]["after"]], VOLATILE | {"dialplan_xml"}, replace)
        if table == "v_dialplans":
            assert new["dialplan_xml"] == substituted(rows[0]["after"]["dialplan_xml"], replace)
    for kind in ("rows_added", "rows_removed"):
        expected = golden_step(GOLDEN, "update", kind)["v_dialplan_details"]
        same_rows(changes["v_dialplan_details"][kind.split("_")[1]], expected, VOLATILE)

    before = fpbx_db.snapshot()
    assert client.delete(f"/api/v1/destinations/{uuid}",
                         headers=tenant.headers).status_code == 204
    changes = fpbx_db.changes(before)
    removed = golden_step(GOLDEN, "delete", "rows_removed")
    assert {t for t in changes if changes[t]["removed"]} == set(removed)
    for table, rows in removed.items():
        same_rows(changes[table]["removed"], rows, VOLATILE | {"dialplan_xml"}, replace)


def did(number: str, target: str = "1001", **extra) -> dict:
    return {"destination_number": number, "destination_prefix": "1",
            "destination_actions": [{"destination_app": "transfer",
                                     "destination_data": f"{target} XML example.com"}],
            **extra}


def test_another_domains_did_is_409_without_naming_it(client, tenants, fpbx_db):
    theirs = {**did("2125550100"), "destination_actions": [
        {"destination_app": "transfer", "destination_data": "1001 XML other.example"}]}
    assert client.post("/api/v1/destinations", json=theirs,
                       headers=tenants.b.headers).status_code == 201
    before = fpbx_db.snapshot()
    # the same DID with and without the country code: both forms reach the same route
    for number, prefix in (("2125550100", "1"), ("12125550100", None), ("+12125550100", None)):
        body = {**did(number), "destination_prefix": prefix}
        r = client.post("/api/v1/destinations", json=body, headers=tenants.a.headers)
        assert r.status_code == 409 and r.json["error"]["code"] == "DUPLICATE_ERROR", number
        assert "other.example" not in r.get_data(as_text=True)
    assert fpbx_db.changes(before) == {}
    # a local number is only the domain's own business
    local = {**did("2125550100"), "destination_type": "local"}
    assert client.post("/api/v1/destinations", json=local,
                       headers=tenants.a.headers).status_code == 201


def test_an_inbound_route_is_a_destination_seen_as_a_dialplan(client, tenants, fpbx_db):
    headers = tenants.a.headers
    r = client.post("/api/v1/destinations", json=did("2125550100"), headers=headers)
    destination = client.get(f"/api/v1/destinations/{r.json['data']['destination_uuid']}",
                             headers=headers).json["data"]
    listed = client.get("/api/v1/inbound-routes", headers=headers).json
    assert listed["data"] == [{
        "dialplan_uuid": destination["dialplan_uuid"], "dialplan_name": "2125550100",
        "dialplan_number": "2125550100", "dialplan_context": "public",
        "dialplan_order": "100", "dialplan_enabled": "true", "dialplan_description": None}]
    # written through /inbound-routes: a destination too, with the route's name
    r = client.post("/api/v1/inbound-routes", headers=headers, json={
        "dialplan_name": "Main Number", "dialplan_number": "5551234567",
        "dialplan_order": 110, "dialplan_description": "Main company number",
        "destination_app": "transfer", "destination_data": "1002 XML example.com"})
    assert r.status_code == 201, r.json
    route = r.json["data"]["dialplan_uuid"]
    (row,) = fpbx_db.rows("v_destinations", dialplan_uuid=route)
    assert (row["destination_number"], row["destination_data"], int(row["destination_order"]),
            row["destination_description"]) == ("5551234567", "1002 XML example.com", 110,
                                                 "Main company number")
    got = client.get(f"/api/v1/inbound-routes/{route}", headers=headers).json["data"]
    assert got["dialplan_name"] == "Main Number" and got["destination_actions"] == [
        {"destination_app": "transfer", "destination_data": "1002 XML example.com"}]
    # changed through /destinations: the route shows it and keeps its name
    client.put(f"/api/v1/destinations/{row['destination_uuid']}",
               json={"destination_enabled": False}, headers=headers)
    got = client.get(f"/api/v1/inbound-routes/{route}", headers=headers).json["data"]
    assert got["dialplan_enabled"] == "false" and got["dialplan_name"] == "Main Number"
    assert 'name="Main Number"' in got["dialplan_xml"]
    # deleted through /inbound-routes: the destination, dialplan and details go
    assert client.delete(f"/api/v1/inbound-routes/{route}", headers=headers).status_code == 204
    assert fpbx_db.rows("v_destinations", dialplan_uuid=route) == []
    assert fpbx_db.rows("v_dialplan_details", dialplan_uuid=route) == []
    assert client.get(f"/api/v1/destinations/{row['destination_uuid']}",
                      headers=headers).status_code == 404


def test_a_legacy_inbound_route_is_listed_and_adopted(client, tenants, fpbx_db):
    """The legacy wizard wrote a dialplan without a destination: listed, and an update that
    says where its calls go gives it the destination it needs to route."""
    fpbx_db.execute(
        "INSERT INTO v_dialplans (dialplan_uuid, domain_uuid, app_uuid, dialplan_name, "
        "dialplan_number, dialplan_context, dialplan_order, dialplan_enabled, dialplan_xml)"
        " VALUES ('6f1a3d52-6a10-4c4e-8f55-0c2a1f0e9b01', :d, "
        "'c03b422e-13a8-bd1b-e42b-b6b9b4d27ce4', 'Old', '5550001', 'public', 100, true, "
        "'<extension/>')", d=tenants.a.domain_uuid)
    route = "6f1a3d52-6a10-4c4e-8f55-0c2a1f0e9b01"
    assert [r["dialplan_name"] for r in client.get(
        "/api/v1/inbound-routes", headers=tenants.a.headers).json["data"]] == ["Old"]
    r = client.put(f"/api/v1/inbound-routes/{route}", json={"dialplan_order": 120},
                   headers=tenants.a.headers)
    assert r.status_code == 400 and r.json["error"]["errors"][0]["field"] == \
        "destination_actions"
    r = client.put(f"/api/v1/inbound-routes/{route}", headers=tenants.a.headers,
                   json={"destination_app": "transfer",
                         "destination_data": "1001 XML example.com"})
    assert r.status_code == 200, r.json
    (row,) = fpbx_db.rows("v_destinations")
    assert str(row["dialplan_uuid"]) == route and row["destination_number"] == "5550001"
    (dialplan,) = fpbx_db.rows("v_dialplans")
    assert 'data="1001 XML example.com"' in dialplan["dialplan_xml"]
    assert dialplan["dialplan_name"] == "Old"


@pytest.mark.parametrize("change", [
    {"destination_context": "other.example"},
    {"destination_context": "example.com"},              # an inbound DID lives in public
    {"destination_type": "local", "destination_context": "public"},
    {"destination_condition_field": "${system(id)}"},
    {"destination_number": "2125550100-2125550199"},    # FusionPBX's ranges: one per row
    {"destination_ringback": "${system(id)}"},
    {"destination_hold_music": "/etc/passwd"},
    {"destination_cid_name_prefix": "${system(id)}"},
    {"destination_actions": [{"destination_app": "system", "destination_data": "id"}]},
    {"destination_actions": [{"destination_app": "transfer",
                              "destination_data": "1001 XML other.example"}]},
])
def test_what_would_leave_the_domain_or_run_a_command_is_400(client, tenants, fpbx_db, change):
    before = fpbx_db.snapshot()
    r = client.post("/api/v1/destinations", json={**did("2125550100"), **change},
                    headers=tenants.a.headers)
    assert r.status_code == 400, r.json
    assert fpbx_db.changes(before) == {}


def test_writes_clear_the_number_keys_of_both_contexts(esl_client, tenants, switches):
    """Single mode (as shipped) caches a public route under its number, multiple mode under
    the context; a number that changes clears its old keys too."""
    keys = ["dialplan:public", "dialplan:public:2125550100", "dialplan:public:12125550100",
            "dialplan:public:+12125550100", "dialplan:public:2125550199",
            "dialplan:example.com", "dialplan:example.com:3001"]
    for sim in switches:
        for key in keys:
            sim.cache_set(key, "<context/>")
    headers = tenants.a.headers
    r = esl_client.post("/api/v1/destinations", json=did("2125550100"), headers=headers)
    assert r.json["applied"] == {"cache": {"state": "cleared", "keys": sorted(keys[:4])}}
    uuid = r.json["data"]["destination_uuid"]
    cleared = {k for k in keys if switches[0].cache_get(k) is None}
    assert cleared == set(keys[:4])
    for sim in switches:
        sim.cache_set("dialplan:public:2125550100", "<context/>")
    esl_client.put(f"/api/v1/destinations/{uuid}", json={"destination_number": "2125550199"},
                   headers=headers)
    assert switches[0].cache_get("dialplan:public:2125550100") is None
    assert switches[0].cache_get("dialplan:public:2125550199") is None
    local = esl_client.post("/api/v1/destinations", headers=headers, json={
        **did("3001"), "destination_type": "local", "destination_prefix": None})
    assert local.status_code == 201, local.json
    assert [sim.cache_get("dialplan:example.com:3001") for sim in switches] == [None, None]
    assert [sim.cache_get("dialplan:example.com") for sim in switches] == [None, None]


def test_a_local_number_is_claimed_in_the_domain(client, tenants):
    client.post("/api/v1/extensions", json={"extension": "3001"}, headers=tenants.a.headers)
    r = client.post("/api/v1/destinations", headers=tenants.a.headers, json={
        **did("3001"), "destination_type": "local", "destination_prefix": None})
    assert r.status_code == 409 and "extension" in r.json["error"]["message"]


def test_a_bridge_to_a_call_group_gets_the_bridge_variables(client, tenants, fpbx_db):
    body = {**did("2125550100"), "destination_actions": [
        {"destination_app": "bridge", "destination_data": "group/sales@example.com"}]}
    assert client.post("/api/v1/destinations", json=body,
                       headers=tenants.a.headers).status_code == 201
    xml = fpbx_db.rows("v_dialplans")[0]["dialplan_xml"]
    assert 'data="hangup_after_bridge=true" inline="true"/>' in xml
    orders = sorted((int(d["dialplan_detail_order"]), d["dialplan_detail_data"])
                    for d in fpbx_db.rows("v_dialplan_details"))
    assert [o for o, _ in orders] == [20, 30, 30, 40, 50]
    assert orders[-1][1] == "group/sales@example.com"


def test_caller_id_conditions_route_those_callers_first(client, tenants, fpbx_db):
    """The page's conditions: a group per caller-ID rule before the number's own, in the
    XML and the details (a caller number as long as the DID may carry its prefix)."""
    body = {**did("2125550100"), "destination_conditions": [
        {"condition_field": "caller_id_number", "condition_expression": "3105550123",
         "condition_app": "transfer", "condition_data": "1002 XML example.com"},
        {"condition_field": "caller_id_number_prefix", "condition_expression": "+44"}]}
    r = client.post("/api/v1/destinations", json=body, headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    xml = fpbx_db.rows("v_dialplans")[0]["dialplan_xml"].splitlines()
    assert xml[1:4] == ['\t<condition regex="all" break="never">',
                        '\t\t<regex field="destination_number" '
                        'expression="^\\+?1?(2125550100)$"/>',
                        '\t\t<regex field="caller_id_number" '
                        'expression="^\\+?1?3105550123$"/>']
    assert xml[7] == '\t\t<action application="transfer" data="1002 XML example.com"/>'
    assert xml[8:10] == ['\t</condition>', '\t<condition regex="all" break="never">']
    assert '\t\t<regex field="caller_id_number" expression="^\\+44"/>' in xml
    rows = sorted((int(d["dialplan_detail_group"]), int(d["dialplan_detail_order"]),
                   d["dialplan_detail_tag"], d["dialplan_detail_type"])
                  for d in fpbx_db.rows("v_dialplan_details"))
    assert rows[:7] == [(0, 20, "condition", "regex"), (0, 30, "regex", "destination_number"),
                        (0, 40, "regex", "caller_id_number"), (0, 50, "action", "transfer"),
                        (10, 60, "condition", "regex"),
                        (10, 70, "regex", "destination_number"),
                        (10, 80, "regex", "caller_id_number")]
    assert rows[7] == (20, 90, "condition", "destination_number")
    got = client.get(f"/api/v1/destinations/{r.json['data']['destination_uuid']}",
                     headers=tenants.a.headers).json["data"]
    assert got["destination_conditions"][0]["condition_data"] == "1002 XML example.com"
    for bad in ({"condition_field": "${x}", "condition_expression": "1"},
                {"condition_field": "caller_id_number", "condition_expression": "^.*$"},
                {"condition_field": "caller_id_number", "condition_expression": "1",
                 "condition_app": "transfer", "condition_data": "1 XML other.example"}):
        r = client.post("/api/v1/destinations", json={
            **did("2125550199"), "destination_conditions": [bad]}, headers=tenants.a.headers)
        assert r.status_code == 400, bad


def test_a_local_number_is_claimed_both_ways(client, tenants):
    """An extension cannot take a local destination's number; an inbound DID holds none
    of the domain's numbers (it arrives in the public context)."""
    local = {**did("3002"), "destination_type": "local", "destination_prefix": None}
    assert client.post("/api/v1/destinations", json=local,
                       headers=tenants.a.headers).status_code == 201
    r = client.post("/api/v1/extensions", json={"extension": "3002"}, headers=tenants.a.headers)
    assert r.status_code == 409 and "local destination" in r.json["error"]["message"]
    assert client.post("/api/v1/destinations", json={**did("3003"), "destination_prefix": None},
                       headers=tenants.a.headers).status_code == 201
    assert client.post("/api/v1/extensions", json={"extension": "3003"},
                       headers=tenants.a.headers).status_code == 201
