"""Ring groups through HTTP against PostgreSQL, row by row against FusionPBX's own writes
(tests/golden/ring_groups.json), including the exact dialplan XML."""

from __future__ import annotations

import re

import pytest

from tests.helpers import golden, same_crud

GOLDEN = golden("ring_groups")
VOLATILE = {"ring_group_uuid", "dialplan_uuid", "ring_group_destination_uuid", "domain_uuid"}
GOLDEN_BODY = {
    "ring_group_name": "Sales", "ring_group_extension": "2000",
    "ring_group_strategy": "sequence", "ring_group_timeout_app": "transfer",
    "ring_group_timeout_data": "*991001 XML example.com", "ring_group_call_timeout": 60,
    "ring_group_caller_id_name": "Sales", "ring_group_caller_id_number": "2000",
    "ring_group_ringback": "${us-ring}", "ring_group_enabled": "true",
    "ring_group_description": "Sales hunt group",
    "destinations": [
        {"destination_number": "1001", "destination_delay": 0, "destination_timeout": 20,
         "destination_description": "Front desk", "destination_enabled": "true"},
        {"destination_number": "1002", "destination_delay": 0, "destination_timeout": 25,
         "destination_prompt": 1, "destination_description": "Back office",
         "destination_enabled": "true"},
    ],
}


def uuids_of(step_rows: dict) -> dict:
    """The golden file's ring group and dialplan uuids (they appear inside the XML)."""
    group = step_rows["v_ring_groups"][0]
    return {"ring_group": str(group["ring_group_uuid"]), "dialplan": str(group["dialplan_uuid"])}


def test_crud_writes_what_fusionpbx_writes(client, tenants, fpbx_db):
    update = {"ring_group_name": "Sales Team", "ring_group_call_timeout": 45}
    same_crud(client, fpbx_db, "/api/v1/ring-groups", GOLDEN_BODY, update, tenants.a.headers,
              GOLDEN, VOLATILE, "ring_group_uuid", uuids=uuids_of,
              message="Ring group created successfully")


def test_get_returns_destinations_in_order(client, tenants):
    uuid = client.post("/api/v1/ring-groups", json=GOLDEN_BODY,
                       headers=tenants.a.headers).json["data"]["ring_group_uuid"]
    data = client.get(f"/api/v1/ring-groups/{uuid}", headers=tenants.a.headers).json["data"]
    assert [d["destination_number"] for d in data["destinations"]] == ["1001", "1002"]
    assert data["destinations"][1]["destination_prompt"] == 1
    assert data["ring_group_strategy"] == "sequence" and data["ring_group_enabled"] == "true"
    assert data["ring_group_context"] == "example.com"


def test_update_replaces_destinations_atomically(client, tenants, fpbx_db):
    uuid = client.post("/api/v1/ring-groups", json=GOLDEN_BODY,
                       headers=tenants.a.headers).json["data"]["ring_group_uuid"]
    r = client.put(f"/api/v1/ring-groups/{uuid}",
                   json={"destinations": [{"destination_number": "1003"}]},
                   headers=tenants.a.headers)
    assert r.status_code == 200
    rows = fpbx_db.rows("v_ring_group_destinations")
    assert [(x["destination_number"], int(x["destination_timeout"]), x["destination_enabled"])
            for x in rows] == [("1003", 30, True)]
    bad = client.put(f"/api/v1/ring-groups/{uuid}",
                     json={"destinations": [{"destination_number": "1004"},
                                            {"destination_number": "bad number"}]},
                     headers=tenants.a.headers)
    assert bad.status_code == 400
    assert [x["destination_number"] for x in fpbx_db.rows("v_ring_group_destinations")] == [
        "1003"]


def test_changing_the_number_rewrites_the_dialplan(client, tenants, fpbx_db):
    uuid = client.post("/api/v1/ring-groups", json=GOLDEN_BODY,
                       headers=tenants.a.headers).json["data"]["ring_group_uuid"]
    client.put(f"/api/v1/ring-groups/{uuid}",
               json={"ring_group_extension": "2001", "ring_group_enabled": False},
               headers=tenants.a.headers)
    (dialplan,) = fpbx_db.rows("v_dialplans")
    assert 'expression="^2001$"' in dialplan["dialplan_xml"]
    assert dialplan["dialplan_number"] == "2001" and dialplan["dialplan_enabled"] is False


def test_ring_ready_follows_the_setting(client, tenants, fpbx_db):
    fpbx_db.execute(
        "INSERT INTO v_default_settings (default_setting_uuid, default_setting_category, "
        "default_setting_subcategory, default_setting_name, default_setting_value, "
        "default_setting_enabled) VALUES (gen_random_uuid(), 'ring_group', 'ring_ready', "
        "'boolean', 'false', true)")
    client.post("/api/v1/ring-groups", json=GOLDEN_BODY, headers=tenants.a.headers)
    assert "ring_ready" not in fpbx_db.rows("v_dialplans")[0]["dialplan_xml"]


def test_names_are_sanitised_in_the_xml(client, tenants, fpbx_db):
    body = {**GOLDEN_BODY, "ring_group_name": 'R&D "Lab" <x> ${evil}'}
    client.post("/api/v1/ring-groups", json=body, headers=tenants.a.headers)
    xml = fpbx_db.rows("v_dialplans")[0]["dialplan_xml"]
    assert xml.startswith('<extension name="R&amp;D &quot;Lab&quot; &lt;x&gt; " continue=""')


@pytest.mark.parametrize("strategy", ["hunt", "", "SIMULTANEOUS"])
def test_unknown_strategy_is_400(client, tenants, strategy):
    r = client.post("/api/v1/ring-groups", json={**GOLDEN_BODY, "ring_group_strategy": strategy},
                    headers=tenants.a.headers)
    assert r.status_code == 400
    assert r.json["error"]["errors"][0]["field"] == "ring_group_strategy"


def test_number_used_by_an_extension_is_409(client, tenants):
    client.post("/api/v1/extensions", json={"extension": "2000"}, headers=tenants.a.headers)
    r = client.post("/api/v1/ring-groups", json=GOLDEN_BODY, headers=tenants.a.headers)
    assert r.status_code == 409 and "extension" in r.json["error"]["message"]
    r = client.post("/api/v1/extensions", json={"extension": "2001"}, headers=tenants.a.headers)
    uuid = client.post("/api/v1/ring-groups",
                       json={**GOLDEN_BODY, "ring_group_extension": "2002"},
                       headers=tenants.a.headers).json["data"]["ring_group_uuid"]
    r = client.post("/api/v1/extensions", json={"extension": "2002"}, headers=tenants.a.headers)
    assert r.status_code == 409 and "ring group" in r.json["error"]["message"]
    assert client.put(f"/api/v1/ring-groups/{uuid}", json={"ring_group_extension": "2002"},
                      headers=tenants.a.headers).status_code == 200  # its own number


def test_writes_clear_the_dialplan_cache(esl_client, tenants, switches):
    for sim in switches:  # the domain's dialplan as FusionPBX's Lua caches it
        sim.cache_set("dialplan:example.com", "<context/>")
    r = esl_client.post("/api/v1/ring-groups", json=GOLDEN_BODY, headers=tenants.a.headers)
    assert r.json["applied"] == {"cache": {"state": "cleared", "keys": ["dialplan:example.com"]}}
    assert [sim.cache_get("dialplan:example.com") for sim in switches] == [None, None]


def test_the_dialplan_matches_the_number_itself_not_a_pattern(client, tenants, fpbx_db):
    """A number may hold '*', '+' and '.': as a regular expression '.*' would catch every
    call of the domain (emergency numbers too), '1.1' would catch 101 and 111."""
    for number in (".*", "1.1", "*98"):
        r = client.post("/api/v1/ring-groups", json={"ring_group_name": number,
                                                     "ring_group_extension": number},
                        headers=tenants.a.headers)
        assert r.status_code == 201, r.json
    expressions = sorted(re.search(r'expression="([^"]*)"', row["dialplan_xml"]).group(1)
                         for row in fpbx_db.rows("v_dialplans"))
    assert expressions == sorted([r"^\*98$", r"^\.\*$", r"^1\.1$"])
    for expression, number, other in ((r"^\.\*$", ".*", "911"), (r"^1\.1$", "1.1", "101")):
        assert re.fullmatch(expression, number) and not re.fullmatch(expression, other)
