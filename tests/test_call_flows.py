"""Call flows through HTTP against PostgreSQL, row by row against FusionPBX's own writes
(tests/golden/call_flows.json), including the exact dialplan XML; the toggle action; and
the BLF lamp of the feature code as a subscribed phone would see it (the simulator)."""

from __future__ import annotations

import pytest

from tests.helpers import golden, same_crud

GOLDEN = golden("call_flows")
VOLATILE = {"call_flow_uuid", "dialplan_uuid", "domain_uuid"}
NOT_POSTED = {"call_flow_context", "call_flow_uuid", "dialplan_uuid"}
SPLIT = {"call_flow_destination": ("call_flow_app", "call_flow_data"),
         "call_flow_alternate_destination": ("call_flow_alternate_app",
                                             "call_flow_alternate_data")}


def body_of(form: dict) -> dict:
    """FusionPBX's form as an API body: the same fields, an empty one left out, each
    'app:data' selector split into its two columns."""
    body = {k: v for k, v in form.items()
            if v != "" and k not in NOT_POSTED and not k.startswith("<")}
    for selector, (app, data) in SPLIT.items():
        body[app], _, body[data] = body.pop(selector).partition(":")
    return body


GOLDEN_BODY = body_of(GOLDEN["input"])
LAMPS = [("sip", "*30@example.com"), ("flow", "*30@example.com")]
APPLIED = {"cache": {"state": "cleared", "keys": ["dialplan:example.com"]},
           "event": {"state": "applied", "events": [f"PRESENCE_IN {proto}+{user}"
                                                    for proto, user in LAMPS]}}


def uuids_of(step_rows: dict) -> dict:
    flow = step_rows["v_call_flows"][0]
    return {"flow": str(flow["call_flow_uuid"]), "dialplan": str(flow["dialplan_uuid"])}


def test_crud_writes_what_fusionpbx_writes(client, tenants, fpbx_db):
    changes = same_crud(client, fpbx_db, "/api/v1/call-flows", GOLDEN_BODY,
                        GOLDEN["update"]["fields_changed_in_form"], tenants.a.headers, GOLDEN,
                        VOLATILE, "call_flow_uuid", uuids=uuids_of,
                        message="Call flow created successfully")
    (audit,) = changes["v_database_transactions"]["added"]
    assert "4321" not in audit["transaction_new"] and "Night Mode" in audit["transaction_new"]
    # as FusionPBX's call_flows class names its app (its edit page leaves both null)
    (theirs,) = GOLDEN["delete"]["rows_added"]["v_database_transactions"]
    assert (audit["app_name"], str(audit["app_uuid"])) == (theirs["app_name"],
                                                           theirs["app_uuid"])


def test_the_pin_is_write_only(client, tenants):
    uuid = client.post("/api/v1/call-flows", json=GOLDEN_BODY,
                       headers=tenants.a.headers).json["data"]["call_flow_uuid"]
    data = client.get(f"/api/v1/call-flows/{uuid}", headers=tenants.a.headers).json["data"]
    assert "call_flow_pin_number" not in data
    assert data["call_flow_status"] == "true" and data["call_flow_app"] == "transfer"
    listed = client.get("/api/v1/call-flows", headers=tenants.a.headers).json["data"]
    assert listed == [{k: data[k] for k in listed[0]}]


def test_writes_clear_the_dialplan_and_set_the_lamp(esl_client, tenants, switches):
    for sim in switches:
        sim.cache_set("dialplan:example.com", "<context/>")
    r = esl_client.post("/api/v1/call-flows", json=GOLDEN_BODY, headers=tenants.a.headers)
    assert r.json["applied"] == APPLIED
    for sim in switches:
        assert sim.cache_get("dialplan:example.com") is None
        assert [sim.presence.get(lamp) for lamp in LAMPS] == ["terminated"] * 2
    uuid = r.json["data"]["call_flow_uuid"]
    esl_client.put(f"/api/v1/call-flows/{uuid}", json={"call_flow_status": "false"},
                   headers=tenants.a.headers)
    for sim in switches:  # the alternate (night) mode lights the lamp, as *30 does
        assert [sim.presence.get(lamp) for lamp in LAMPS] == ["confirmed"] * 2


def test_the_toggle_flips_the_flow_as_the_feature_code_does(esl_client, tenants, fpbx_db,
                                                              switches):
    uuid = esl_client.post("/api/v1/call-flows", json=GOLDEN_BODY,
                           headers=tenants.a.headers).json["data"]["call_flow_uuid"]
    for sim in switches:
        sim.cache_set("dialplan:example.com", "<context/>")
    before = fpbx_db.snapshot()
    r = esl_client.post(f"/api/v1/call-flows/{uuid}/toggle", headers=tenants.a.headers)
    assert r.status_code == 200, r.json
    assert r.json["data"] == {"call_flow_uuid": uuid, "call_flow_status": "false",
                              "call_flow_active_label": "Night"}
    assert r.json["applied"] == APPLIED
    changes = fpbx_db.changes(before)
    (old, new), = changes["v_call_flows"]["changed"]
    assert {k for k in new if old[k] != new[k]} == {"call_flow_status", "update_date"}
    assert set(changes) == {"v_call_flows", "v_database_transactions"}
    for sim in switches:
        assert sim.cache_get("dialplan:example.com") is None
        assert [sim.presence.get(lamp) for lamp in LAMPS] == ["confirmed"] * 2
    r = esl_client.post(f"/api/v1/call-flows/{uuid}/toggle", headers=tenants.a.headers)
    assert r.json["data"]["call_flow_status"] == "true"
    assert fpbx_db.rows("v_call_flows")[0]["call_flow_status"] == "true"
    assert [switches[0].presence.get(lamp) for lamp in LAMPS] == ["terminated"] * 2


def test_another_domains_flow_cannot_be_toggled(client, tenants, fpbx_db):
    body = {**GOLDEN_BODY, "call_flow_data": "1001", "call_flow_alternate_data": "*991001"}
    uuid = client.post("/api/v1/call-flows", json=body,
                       headers=tenants.b.headers).json["data"]["call_flow_uuid"]
    before = fpbx_db.fingerprint()
    r = client.post(f"/api/v1/call-flows/{uuid}/toggle", headers=tenants.a.headers)
    assert r.status_code == 404 and r.json["error"]["code"] == "NOT_FOUND"
    assert fpbx_db.fingerprint() == before


def test_deleting_or_changing_the_code_turns_its_lamp_off(esl_client, tenants, switches):
    uuid = esl_client.post("/api/v1/call-flows",
                           json={**GOLDEN_BODY, "call_flow_status": "false"},
                           headers=tenants.a.headers).json["data"]["call_flow_uuid"]
    esl_client.put(f"/api/v1/call-flows/{uuid}", json={"call_flow_feature_code": "*31"},
                   headers=tenants.a.headers)
    sim = switches[0]
    assert [sim.presence.get(lamp) for lamp in LAMPS] == ["terminated"] * 2
    assert sim.presence[("flow", "*31@example.com")] == "confirmed"
    esl_client.delete(f"/api/v1/call-flows/{uuid}", headers=tenants.a.headers)
    assert sim.presence[("flow", "*31@example.com")] == "terminated"


def test_dialplan_without_feature_code_and_with_a_flow_code(client, tenants, fpbx_db):
    body = {**GOLDEN_BODY, "call_flow_feature_code": None, "call_flow_extension": "31"}
    assert client.post("/api/v1/call-flows", json=body,
                       headers=tenants.a.headers).status_code == 201
    body = {**GOLDEN_BODY, "call_flow_feature_code": "flow+*32", "call_flow_extension": "32"}
    assert client.post("/api/v1/call-flows", json=body,
                       headers=tenants.a.headers).status_code == 201
    xml = {r["dialplan_number"]: r["dialplan_xml"] for r in fpbx_db.rows("v_dialplans")}
    assert "feature_code=true" not in xml["31"] and xml["31"].count("<condition") == 1
    assert r'expression="^flow\+\*32$" break="on-true"' in xml["32"]


@pytest.mark.parametrize("change", [
    {"call_flow_feature_code": "30"},           # its own extension
    {"call_flow_feature_code": "*30 x"},
    {"call_flow_feature_code": "+30"},
    {"call_flow_pin_number": "12a4"},
    {"call_flow_status": "night"},
])
def test_bad_values_are_400(client, tenants, fpbx_db, change):
    before = fpbx_db.fingerprint()
    r = client.post("/api/v1/call-flows", json={**GOLDEN_BODY, **change},
                    headers=tenants.a.headers)
    assert r.status_code == 400 and r.json["error"]["errors"][0]["field"] in change, r.json
    assert fpbx_db.fingerprint() == before


def test_numbers_are_claimed(client, tenants):
    client.post("/api/v1/extensions", json={"extension": "30"}, headers=tenants.a.headers)
    r = client.post("/api/v1/call-flows", json=GOLDEN_BODY, headers=tenants.a.headers)
    assert r.status_code == 409 and r.json["error"]["field"] == "call_flow_extension"
    r = client.post("/api/v1/call-flows", json={**GOLDEN_BODY, "call_flow_extension": "31"},
                    headers=tenants.a.headers)
    assert r.status_code == 201
    r = client.post("/api/v1/call-flows", json={**GOLDEN_BODY, "call_flow_extension": "*30",
                                                "call_flow_feature_code": "*39"},
                    headers=tenants.a.headers)
    assert r.status_code == 409 and r.json["error"]["field"] == "call_flow_extension"


def test_filters_search_and_order(client, tenants):
    for n, status in ((1, "true"), (2, "false"), (3, "false")):
        client.post("/api/v1/call-flows", json={
            "call_flow_name": f"Flow {n}", "call_flow_extension": f"3{n}",
            "call_flow_feature_code": f"*3{n}", "call_flow_status": status,
            "call_flow_app": "transfer", "call_flow_data": "1001"}, headers=tenants.a.headers)
    get = lambda query: client.get(f"/api/v1/call-flows?{query}",  # noqa: E731
                                   headers=tenants.a.headers).json["data"]
    assert [f["call_flow_extension"] for f in get("call_flow_status=false")] == ["32", "33"]
    assert [f["call_flow_extension"] for f in get("order=-call_flow_extension")] == [
        "33", "32", "31"]
    assert [f["call_flow_name"] for f in get("call_flow_feature_code=*31")] == ["Flow 1"]
    assert [f["call_flow_name"] for f in get("search=flow 2")] == ["Flow 2"]


def test_other_features_cannot_take_a_flows_numbers(client, tenants):
    client.post("/api/v1/call-flows", json=GOLDEN_BODY, headers=tenants.a.headers)
    for number, field in (("30", "call_flow_extension"), ("*30", "call_flow_feature_code")):
        r = client.post("/api/v1/ring-groups", json={"ring_group_name": "G",
                                                     "ring_group_extension": number},
                        headers=tenants.a.headers)
        assert r.status_code == 409 and "call flow" in r.json["error"]["message"], (field, r.json)
