"""Time conditions through HTTP against PostgreSQL, row by row against FusionPBX's own
writes (tests/golden/time_conditions.json): one dialplan, its 8 details (re-inserted on
every update) and the XML built from them byte for byte."""

from __future__ import annotations

import pytest

from tests.helpers import golden, golden_step, same_create, same_delete, same_rows, substituted

GOLDEN = golden("time_conditions")
VOLATILE = {"dialplan_uuid", "dialplan_detail_uuid", "domain_uuid"}
GOLDEN_BODY = {
    "dialplan_name": "Business Hours", "dialplan_number": "7000",
    "conditions": [{"conditions": [{"variable": "wday", "start": "2", "stop": "6"},
                                   {"variable": "time-of-day", "start": "08:00",
                                    "stop": "17:00"}],
                    "dialplan_action": "transfer:1001 XML example.com"}],
    "dialplan_anti_action": "transfer:*991001 XML example.com",
    "dialplan_time_zone": "America/New_York", "dialplan_order": 300,
    "dialplan_enabled": "true",
    "dialplan_description": "Mon-Fri 08:00-17:00 to extension 1001, else voicemail 1001",
}
PATH = "/api/v1/time-conditions"


def uuids_of(rows: dict) -> dict:
    return {"dialplan": rows["v_dialplans"][0]["dialplan_uuid"]}


def test_crud_writes_what_fusionpbx_writes(client, tenants, fpbx_db):
    headers = tenants.a.headers
    r, _, replace = same_create(client, fpbx_db, PATH, GOLDEN_BODY, headers, GOLDEN, VOLATILE,
                                uuids=uuids_of)
    uuid = r.json["data"]["dialplan_uuid"]
    assert replace == {uuids_of(golden_step(GOLDEN, "create", "rows_added"))["dialplan"]: uuid}

    before = fpbx_db.snapshot()
    update = {"dialplan_name": "Office Hours",
              "dialplan_anti_action": "transfer:*991002 XML example.com"}
    assert client.put(f"{PATH}/{uuid}", json=update, headers=headers).status_code == 200
    changes = fpbx_db.changes(before)
    (golden_row,) = GOLDEN["update"]["rows_changed"]["v_dialplans"]
    (old, new), = changes["v_dialplans"]["changed"]
    assert {k for k in new if old[k] != new[k]} == set(golden_row["changed_columns"]) - {
        "update_user"}
    same_rows([new], [golden_row["after"]], VOLATILE, replace)
    assert new["dialplan_xml"] == substituted(golden_row["after"]["dialplan_xml"], replace)
    for kind in ("rows_added", "rows_removed"):
        same_rows(changes["v_dialplan_details"][kind.split("_")[1]],
                  golden_step(GOLDEN, "update", kind)["v_dialplan_details"], VOLATILE)

    before = fpbx_db.snapshot()
    assert client.delete(f"{PATH}/{uuid}", headers=headers).status_code == 204
    same_delete(fpbx_db.changes(before), GOLDEN, VOLATILE, replace)


def test_get_reads_the_rules_back_as_given(client, tenants):
    uuid = client.post(PATH, json=GOLDEN_BODY,
                       headers=tenants.a.headers).json["data"]["dialplan_uuid"]
    got = client.get(f"{PATH}/{uuid}", headers=tenants.a.headers).json["data"]
    assert got["conditions"] == [{
        "conditions": [{"variable": "wday", "start": "2", "stop": "6"},
                       {"variable": "time-of-day", "start": "08:00", "stop": "17:00"}],
        "dialplan_action": "transfer:1001 XML example.com"}]
    assert got["dialplan_time_zone"] == "America/New_York"
    assert got["dialplan_anti_action"] == "transfer:*991001 XML example.com"
    assert got["dialplan_order"] == "300" and got["dialplan_context"] == "example.com"


def test_holiday_presets_and_date_ranges(client, tenants, fpbx_db):
    body = {**GOLDEN_BODY, "presets": [{"preset": "christmas_day"},
                                       {"preset": "thanksgiving_day",
                                        "dialplan_action": "transfer:1002 XML example.com"}],
            "conditions": [*GOLDEN_BODY["conditions"], {
                "conditions": [{"variable": "date-time", "start": "2026-12-24 12:00",
                                "stop": "2026-12-26 08:00"}],
                "dialplan_action": "hangup:"}]}
    r = client.post(PATH, json=body, headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    rows = {(int(d["dialplan_detail_group"]), d["dialplan_detail_type"]):
            d["dialplan_detail_data"] for d in fpbx_db.rows("v_dialplan_details")}
    # christmas_day is the 12th USA preset: group 100 + 5 * 11; thanksgiving the 9th
    assert rows[155, "mday"] == "25" and rows[155, "mon"] == "12"
    assert rows[155, "set"] == "preset=christmas_day"
    assert rows[155, "transfer"] == "*991001 XML example.com"   # falls back to the else
    assert rows[140, "mday"] == "22-28" and rows[140, "transfer"] == "1002 XML example.com"
    assert rows[505, "date-time"] == "2026-12-24 12:00~2026-12-26 08:00"
    got = client.get(f"{PATH}/{r.json['data']['dialplan_uuid']}",
                     headers=tenants.a.headers).json["data"]
    assert [p["preset"] for p in got["presets"]] == ["thanksgiving_day", "christmas_day"]
    assert got["conditions"][1]["conditions"] == [
        {"variable": "date-time", "start": "2026-12-24 12:00", "stop": "2026-12-26 08:00"}]


def test_the_domains_time_zone_is_the_default(client, tenants, fpbx_db):
    fpbx_db.execute("INSERT INTO v_domain_settings (domain_setting_uuid, domain_uuid, "
                    "domain_setting_category, domain_setting_subcategory, "
                    "domain_setting_name, domain_setting_value, domain_setting_enabled) "
                    "VALUES (gen_random_uuid(), :d, 'domain', 'time_zone', 'name', "
                    "'Europe/London', true)", d=tenants.a.domain_uuid)
    body = {k: v for k, v in GOLDEN_BODY.items() if k != "dialplan_time_zone"}
    assert client.post(PATH, json=body, headers=tenants.a.headers).status_code == 201
    assert 'data="timezone=Europe/London"' in fpbx_db.rows("v_dialplans")[0]["dialplan_xml"]


@pytest.mark.parametrize("change", [
    {"dialplan_time_zone": "Mars/Phobos"},
    {"dialplan_time_zone": "America/New_York\" break=\"x"},
    {"presets": [{"preset": "no_such_day"}]},
    {"conditions": [{"conditions": [{"variable": "wday", "start": "8"}],
                     "dialplan_action": "transfer:1001 XML example.com"}]},
    {"conditions": [{"conditions": [{"variable": "time-of-day", "start": "25:00"}],
                     "dialplan_action": "transfer:1001 XML example.com"}]},
    {"conditions": [{"conditions": [{"variable": "wday", "start": "2\" expression=\"x"}],
                     "dialplan_action": "transfer:1001 XML example.com"}]},
    {"conditions": [{"conditions": [{"variable": "${system(id)}", "start": "1"}],
                     "dialplan_action": "transfer:1001 XML example.com"}]},
    {"conditions": [{"conditions": [{"variable": "wday", "start": "2"}],
                     "dialplan_action": "system:id"}]},
    {"conditions": [{"conditions": [], "dialplan_action": "transfer:1001 XML example.com"}]},
    {"dialplan_anti_action": "transfer:1001 XML other.example"},
    {"dialplan_number": "7000 XML other.example"},
    {"dialplan_order": 299},
])
def test_hostile_rules_are_400(client, tenants, fpbx_db, change):
    before = fpbx_db.snapshot()
    r = client.post(PATH, json={**GOLDEN_BODY, **change}, headers=tenants.a.headers)
    assert r.status_code == 400, r.json
    assert fpbx_db.changes(before) == {}


def test_the_number_is_claimed_in_the_domain(client, tenants):
    client.post("/api/v1/extensions", json={"extension": "7000"}, headers=tenants.a.headers)
    r = client.post(PATH, json=GOLDEN_BODY, headers=tenants.a.headers)
    assert r.status_code == 409 and "extension" in r.json["error"]["message"]
    body = {**GOLDEN_BODY, "dialplan_number": "7001"}
    assert client.post(PATH, json=body, headers=tenants.a.headers).status_code == 201
    r = client.post(PATH, json={**body, "dialplan_name": "Again"}, headers=tenants.a.headers)
    assert r.status_code == 409


def test_writes_clear_the_domains_dialplan(esl_client, tenants, switches):
    for sim in switches:
        sim.cache_set("dialplan:example.com", "<context/>")
    r = esl_client.post(PATH, json=GOLDEN_BODY, headers=tenants.a.headers)
    assert r.json["applied"] == {"cache": {"state": "cleared", "keys": ["dialplan:example.com"]}}
    assert [sim.cache_get("dialplan:example.com") for sim in switches] == [None, None]


def test_an_extension_cannot_take_a_time_conditions_number(client, tenants):
    assert client.post(PATH, json=GOLDEN_BODY, headers=tenants.a.headers).status_code == 201
    r = client.post("/api/v1/extensions", json={"extension": "7000"}, headers=tenants.a.headers)
    assert r.status_code == 409 and "time condition" in r.json["error"]["message"]
