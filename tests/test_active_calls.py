"""Active calls, hangup, transfer and originate against two simulated switches over TCP."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

HOSTILE_UUIDS = ["not-a-uuid", "de91b8d2-4a2a-4bfa-b252-89ea081c019a\napi reloadxml",
                 "de91b8d2-4a2a-4bfa-b252-89ea081c019a 1002", "'; DROP TABLE v_extensions;--",
                 ""]
HOSTILE_DESTINATIONS = ["1002 XML default", "1002\napi reloadxml", "1002'", "10 02", "abc",
                        "1" * 51, "", "1002&bridge(sofia/gateway/x)", "${uuid}"]


@pytest.fixture
def calls(switches):
    """Two calls of example.com on fs1 and fs2, one of other.example on fs1."""
    fs1, fs2 = switches
    return {
        "a1": fs1.add_call(caller="1001", destination="5551234567", domain="example.com",
                           caller_name="John Doe", age=125),
        "a2": fs2.add_call(caller="1002", destination="1003", domain="example.com",
                           context="default"),
        "b1": fs1.add_call(caller="1001", destination="1002", domain="other.example"),
    }


def test_lists_only_the_domains_calls_from_every_switch(esl_client, tenants, calls):
    r = esl_client.get("/api/v1/active-calls", headers=tenants.a.headers)
    assert r.status_code == 200
    rows = {c["call_uuid"]: c for c in r.json["data"]}
    assert set(rows) == {calls["a1"], calls["a2"]}
    first = rows[calls["a1"]]
    assert first["switch"] == "fs1" and rows[calls["a2"]]["switch"] == "fs2"
    assert (first["caller_id_name"], first["caller_id_number"], first["destination_number"],
            first["call_direction"], first["call_state"]) == (
        "John Doe", "1001", "5551234567", "inbound", "CS_EXECUTE")
    assert 124 <= first["duration"] <= 130
    assert abs(first["created_epoch"] - (time.time() - 125)) < 5
    assert len(first["created_time"]) == 19
    assert r.json["pagination"]["total"] == 2
    other = esl_client.get("/api/v1/active-calls", headers=tenants.b.headers).json["data"]
    assert [c["call_uuid"] for c in other] == [calls["b1"]]


def test_list_grammar_applies_to_live_calls(esl_client, tenants, calls):
    r = esl_client.get("/api/v1/active-calls?switch=fs2", headers=tenants.a.headers)
    assert [c["call_uuid"] for c in r.json["data"]] == [calls["a2"]]
    r = esl_client.get("/api/v1/active-calls?search=john", headers=tenants.a.headers)
    assert [c["call_uuid"] for c in r.json["data"]] == [calls["a1"]]
    r = esl_client.get("/api/v1/active-calls?order=duration&direction=desc&per_page=1",
                       headers=tenants.a.headers)
    assert r.json["data"][0]["call_uuid"] == calls["a1"]
    assert r.json["pagination"]["total_pages"] == 2


def test_hangup_goes_to_the_switch_holding_the_call(esl_client, tenants, switches, calls):
    fs1, fs2 = switches
    r = esl_client.post("/api/v1/active-calls/hangup", json={"call_uuid": calls["a2"]},
                        headers=tenants.a.headers)
    assert r.status_code == 200
    assert r.json["data"] == {"call_uuid": calls["a2"], "result": "+OK", "switch": "fs2"}
    assert r.json["message"] == "Call terminated successfully"
    assert fs2.received("api uuid_kill") == [f"api uuid_kill {calls['a2']}"]
    assert fs1.received("api uuid_kill") == []
    assert calls["a2"] not in fs2.channels


def test_transfer_uses_the_domain_as_context(esl_client, tenants, switches, calls):
    fs1, _ = switches
    r = esl_client.post("/api/v1/active-calls/transfer",
                        json={"call_uuid": calls["a1"], "destination": "*98"},
                        headers=tenants.a.headers)
    assert r.status_code == 200
    assert r.json["data"]["result"] == "+OK" and r.json["data"]["destination"] == "*98"
    assert fs1.received("api uuid_transfer") == [
        f"api uuid_transfer {calls['a1']} *98 XML example.com"]
    r = esl_client.post("/api/v1/active-calls/transfer",
                        json={"call_uuid": calls["a1"], "destination": "+15551234", "leg": "b"},
                        headers=tenants.a.headers)
    assert fs1.received("api uuid_transfer")[-1].endswith("-bleg +15551234 XML example.com")


@pytest.mark.parametrize("action", ["hangup", "transfer"])
def test_another_domains_call_is_404_and_untouched(esl_client, tenants, switches, calls,
                                                   action):
    fs1, _ = switches
    body = {"call_uuid": calls["b1"], "destination": "1002"}
    if action == "hangup":
        body.pop("destination")
    r = esl_client.post(f"/api/v1/active-calls/{action}", json=body, headers=tenants.a.headers)
    assert (r.status_code, r.json["error"]["code"]) == (404, "NOT_FOUND")
    assert fs1.received("api uuid_") == [] and calls["b1"] in fs1.channels


def test_unknown_call_is_404(esl_client, tenants, calls):
    r = esl_client.post("/api/v1/active-calls/hangup",
                        json={"call_uuid": "00000000-0000-4000-8000-000000000000"},
                        headers=tenants.a.headers)
    assert r.status_code == 404


@pytest.mark.parametrize("value", HOSTILE_UUIDS)
def test_hostile_uuids_are_400_and_never_sent(esl_client, tenants, switches, calls, value):
    r = esl_client.post("/api/v1/active-calls/hangup", json={"call_uuid": value},
                        headers=tenants.a.headers)
    assert r.status_code == 400 and r.json["error"]["errors"][0]["field"] == "call_uuid"
    assert all(s.received() == [] for s in switches)


@pytest.mark.parametrize("value", HOSTILE_DESTINATIONS)
def test_hostile_destinations_are_400_and_never_sent(esl_client, tenants, switches, calls,
                                                     value):
    for path, body in (("transfer", {"call_uuid": calls["a1"], "destination": value}),
                       ("originate", {"extension": "1001", "destination": value})):
        r = esl_client.post(f"/api/v1/active-calls/{path}", json=body,
                            headers=tenants.a.headers)
        assert r.status_code == 400, path
    assert all(s.received() == [] for s in switches)


def test_originate_rings_the_extension_then_the_destination(esl_client, tenants, switches,
                                                            fpbx_db):
    fs1, fs2 = switches
    fpbx_db.execute("INSERT INTO v_sip_profiles (sip_profile_uuid, sip_profile_name, "
                    "sip_profile_enabled) VALUES (gen_random_uuid(), 'internal', true)")
    esl_client.post("/api/v1/extensions", json={"extension": "1001"}, headers=tenants.a.headers)
    fs2.add_registration(user="1001", domain="example.com")
    r = esl_client.post("/api/v1/active-calls/originate",
                        json={"extension": "1001", "destination": "+15551234567",
                              "caller_id_name": "Sales Desk", "caller_id_number": "2125550100"},
                        headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    call_uuid = r.json["data"]["call_uuid"]
    assert r.json["data"]["switch"] == "fs2"
    (sent,) = fs2.received("bgapi originate")
    assert sent == (
        f"bgapi originate {{origination_uuid={call_uuid},call_timeout=30,"
        "domain_name=example.com,ignore_early_media=true,"
        "origination_caller_id_name='Sales Desk',origination_caller_id_number=2125550100}"
        "user/1001@example.com +15551234567 XML example.com")
    listed = esl_client.get("/api/v1/active-calls", headers=tenants.a.headers).json["data"]
    assert call_uuid in [c["call_uuid"] for c in listed]


def test_originate_from_another_domains_extension_is_404(esl_client, tenants, switches):
    esl_client.post("/api/v1/extensions", json={"extension": "1001"}, headers=tenants.b.headers)
    r = esl_client.post("/api/v1/active-calls/originate",
                        json={"extension": "1001", "destination": "1002"},
                        headers=tenants.a.headers)
    assert r.status_code == 404
    assert all(s.received("bgapi") == [] for s in switches)


@pytest.mark.parametrize("name", ["Bob's", "a,b", "x}y", "new\nline", "x" * 51])
def test_hostile_caller_id_names_are_400(esl_client, tenants, name):
    r = esl_client.post("/api/v1/active-calls/originate",
                        json={"extension": "1001", "destination": "1002",
                              "caller_id_name": name}, headers=tenants.a.headers)
    assert r.status_code == 400


def test_no_switch_configured_is_503_esl_not_available(client, tenants):
    for method, path, body in (("get", "/api/v1/active-calls", None),
                               ("get", "/api/v1/registrations", None),
                               ("post", "/api/v1/active-calls/hangup",
                                {"call_uuid": "00000000-0000-4000-8000-000000000000"})):
        r = getattr(client, method)(path, json=body, headers=tenants.a.headers)
        assert (r.status_code, r.json["error"]["code"]) == (503, "ESL_NOT_AVAILABLE"), path


def test_both_legs_of_a_captured_bridged_call_name_each_other(esl_client, tenants, switches):
    """FreeSWITCH 1.11.2's own rows: the a-leg's call_uuid is its own uuid, so its partner
    is known only from the b-leg, whose call_uuid names the a-leg."""
    captured = Path(__file__).parent / "fixtures/freeswitch/call"
    rows = json.loads((captured / "16_api_show_channels_as_json_bridged.body.json")
                      .read_text())["rows"]
    a_leg, b_leg = (r["uuid"] for r in rows)
    assert rows[0]["call_uuid"] == a_leg and rows[1]["call_uuid"] == a_leg
    for row in rows:  # the capture's domain is 127.0.0.1; this tenant is example.com
        switches[0].channels[row["uuid"]] = {
            **row, "presence_id": row["presence_id"].replace("127.0.0.1", "example.com")}
    r = esl_client.get("/api/v1/active-calls", headers=tenants.a.headers)
    bridged = {c["call_uuid"]: c["bridged_uuid"] for c in r.json["data"]}
    assert bridged == {a_leg: b_leg, b_leg: a_leg}


def test_a_simulated_bridge_is_listed_as_the_capture_is(esl_client, tenants, switches):
    fs1, _ = switches
    a_leg = fs1.add_call(caller="1001", destination="1002", domain="example.com")
    alone = fs1.add_call(caller="1003", destination="9999", domain="example.com")
    b_leg = fs1.add_call(caller="1002", destination="1002", domain="example.com",
                         direction="outbound", bridged_with=a_leg)
    r = esl_client.get("/api/v1/active-calls", headers=tenants.a.headers)
    bridged = {c["call_uuid"]: c["bridged_uuid"] for c in r.json["data"]}
    assert bridged == {a_leg: b_leg, b_leg: a_leg, alone: None}
