"""Fax accounts through HTTP against PostgreSQL, row by row against FusionPBX's own
writes (tests/golden/fax.json), including the exact dialplan XML."""

from __future__ import annotations

import json

from tests.helpers import golden, golden_step, same_create, same_rows

GOLDEN = golden("fax")
VOLATILE = {"fax_uuid", "dialplan_uuid", "domain_uuid"}
SWITCH_DIR = "/var/lib/freeswitch"  # a standard install's; the golden file's <switch_dir>
GOLDEN_BODY = {
    "fax_name": "Main Fax", "fax_extension": "9000", "accountcode": "example.com",
    "fax_destination_number": "2125550199", "fax_prefix": "9",
    "fax_email": ["fax@example.com", "office@example.com"], "fax_file": "attach",
    "fax_email_confirmation": ["sent@example.com", ""], "fax_caller_id_name": "Acme Corp",
    "fax_caller_id_number": "2125550199", "fax_forward_number": "",
    "fax_toll_allow": "domestic", "fax_description": "Main office fax",
}
UPDATE = {"fax_caller_id_name": "Acme Corporation", "fax_description": "Main office fax (HQ)"}


def uuids_of(rows: dict) -> dict:
    fax = rows["v_fax"][0]
    return {"fax": str(fax["fax_uuid"]), "dialplan": str(fax["dialplan_uuid"])}


def test_crud_writes_what_fusionpbx_writes(client, tenants, fpbx_db):
    headers = tenants.a.headers
    r, _, replace = same_create(
        client, fpbx_db, "/api/v1/fax/accounts", GOLDEN_BODY, headers, GOLDEN, VOLATILE,
        uuids=uuids_of, replace={"<switch_dir>": SWITCH_DIR},
        message="Fax account created successfully")

    fax = r.json["data"]["fax_uuid"]
    before = fpbx_db.snapshot()
    assert client.put(f"/api/v1/fax/accounts/{fax}", json=UPDATE,
                      headers=headers).status_code == 200
    changes = fpbx_db.changes(before)
    (golden_fax,) = GOLDEN["update"]["rows_changed"]["v_fax"]
    (old, new), = changes["v_fax"]["changed"]
    assert {k for k in new if old[k] != new[k]} == set(golden_fax["changed_columns"]) - {
        "update_user"}
    same_rows([new], [golden_fax["after"]], VOLATILE, replace)
    # FusionPBX's update leaves its dialplan as it was (its rebuilt row is never saved):
    # here the dialplan follows the account, so only the description changed in it.
    (old, new), = changes["v_dialplans"]["changed"]
    assert {k for k in new if old[k] != new[k]} == {"dialplan_description", "update_date"}
    assert new["dialplan_description"] == "Main office fax (HQ)"
    assert set(changes) == {"v_fax", "v_dialplans", "v_database_transactions"}

    before = fpbx_db.snapshot()
    assert client.delete(f"/api/v1/fax/accounts/{fax}", headers=headers).status_code == 204
    changes = fpbx_db.changes(before)
    removed = golden_step(GOLDEN, "delete", "rows_removed")
    removed["v_dialplans"] = [{**removed["v_dialplans"][0],
                               "dialplan_description": "Main office fax (HQ)"}]
    assert {t for t in changes if changes[t]["removed"]} == set(removed)
    for table, rows in removed.items():
        same_rows(changes[table]["removed"], rows, VOLATILE, replace)


def test_values_are_normalised_as_fusionpbx_does(client, tenants, fpbx_db):
    body = {**GOLDEN_BODY, "fax_name": "Front Desk Fax",
            "fax_email": " a@example.com , b@example.com,, ", "fax_forward_number": "212-555 0100",
            "fax_destination_number": None}
    uuid = client.post("/api/v1/fax/accounts", json=body,
                       headers=tenants.a.headers).json["data"]["fax_uuid"]
    (row,) = fpbx_db.rows("v_fax")
    assert (row["fax_name"], row["fax_email"], row["fax_forward_number"],
            row["fax_destination_number"]) == ("Front-Desk-Fax", "a@example.com,b@example.com",
                                               "2125550100", "9000")
    assert 'expression="^9000$"' in fpbx_db.rows("v_dialplans")[0]["dialplan_xml"]
    got = client.get(f"/api/v1/fax/accounts/{uuid}", headers=tenants.a.headers).json["data"]
    assert got["fax_email"] == "a@example.com,b@example.com"
    assert got["fax_name"] == "Front-Desk-Fax"


def test_bad_values_are_400_and_write_nothing(client, tenants, fpbx_db):
    before = fpbx_db.fingerprint()
    for change in ({"fax_email": ["not-an-address"]}, {"fax_email": "a@example.com,b"},
                   {"fax_name": "x" * 31}, {"fax_extension": "90a0"},
                   {"fax_file": "fax"}, {"fax_forward_number": "${system(id)}"},
                   {"fax_toll_allow": "domestic,x=y"}, {"fax_send_channels": 0}):
        r = client.post("/api/v1/fax/accounts", json={**GOLDEN_BODY, **change},
                        headers=tenants.a.headers)
        assert r.status_code == 400, change
        assert r.json["error"]["errors"][0]["field"].split(".")[0] in change
    assert fpbx_db.fingerprint() == before


def test_the_dialplan_follows_the_settings(client, tenants, fpbx_db):
    def default(subcategory, value, enabled=True, order=None):
        fpbx_db.execute(
            "INSERT INTO v_default_settings (default_setting_uuid, default_setting_category, "
            "default_setting_subcategory, default_setting_name, default_setting_value, "
            "default_setting_enabled, default_setting_order) VALUES (gen_random_uuid(), 'fax', "
            ":s, 'array', :v, :e, :o)", s=subcategory, v=value, e=enabled, o=order)
    default("variable", "fax_use_ecm=false", order=2)
    default("variable", "inbound:t38_passthru=true", order=1)
    default("variable", "outbound:fax_ident=x", order=3)
    default("variable", "fax_enable_t38=true", enabled=False)
    fpbx_db.execute(
        "INSERT INTO v_default_settings (default_setting_uuid, default_setting_category, "
        "default_setting_subcategory, default_setting_name, default_setting_value, "
        "default_setting_enabled) VALUES (gen_random_uuid(), 'switch', 'storage', 'dir', "
        "'/srv/fs/storage', true)")
    client.post("/api/v1/fax/accounts", json=GOLDEN_BODY, headers=tenants.a.headers)
    xml = fpbx_db.rows("v_dialplans")[0]["dialplan_xml"]
    sets = [line.split('data="')[1].split('"')[0] for line in xml.splitlines()
            if 'application="set"' in line]
    assert sets[2:4] == ["t38_passthru=true", "fax_use_ecm=false"]
    assert "fax_ident" not in xml and "fax_enable_t38" not in xml
    assert 'data="/srv/fs/storage/fax/example.com/9000/inbox/${last_fax}.tif"' in xml


def test_secrets_are_redacted_in_the_audit_trail(client, tenants, fpbx_db):
    client.post("/api/v1/fax/accounts", json={**GOLDEN_BODY, "fax_pin_number": "97531"},
                headers=tenants.a.headers)
    trail = json.dumps(fpbx_db.rows("v_database_transactions"), default=str)
    assert "97531" not in trail and "Main-Fax" in trail


def test_delete_removes_the_orphans_fusionpbx_leaves(client, tenants, fpbx_db):
    fax = client.post("/api/v1/fax/accounts", json=GOLDEN_BODY,
                      headers=tenants.a.headers).json["data"]["fax_uuid"]
    for table, key in (("v_fax_users", "fax_user_uuid"), ("v_fax_files", "fax_file_uuid"),
                       ("v_fax_logs", "fax_log_uuid"), ("v_fax_queue", "fax_queue_uuid")):
        fpbx_db.execute(f"INSERT INTO {table} ({key}, domain_uuid, fax_uuid) VALUES "
                        "(gen_random_uuid(), :d, :f)", d=tenants.a.domain_uuid, f=fax)
    assert client.delete(f"/api/v1/fax/accounts/{fax}",
                         headers=tenants.a.headers).status_code == 204
    for table in ("v_fax_users", "v_fax_files", "v_fax_logs", "v_fax_queue", "v_fax",
                  "v_dialplans"):
        assert fpbx_db.rows(table) == [], table


def test_numbers_are_claimed(client, tenants):
    client.post("/api/v1/extensions", json={"extension": "9000"}, headers=tenants.a.headers)
    r = client.post("/api/v1/fax/accounts", json=GOLDEN_BODY, headers=tenants.a.headers)
    assert r.status_code == 409 and r.json["error"]["field"] == "fax_extension"


def test_contract_list_fields_and_filters(client, tenants):
    client.post("/api/v1/fax/accounts", json={**GOLDEN_BODY, "fax_send_channels": 1},
                headers=tenants.a.headers)
    client.post("/api/v1/fax/accounts", json={"fax_name": "Other", "fax_extension": "9001"},
                headers=tenants.a.headers)
    data = client.get("/api/v1/fax/accounts?fax_extension=9000",
                      headers=tenants.a.headers).json["data"]
    assert len(data) == 1 and data[0]["fax_send_channels"] == "1"
    assert set(data[0]) == {"fax_uuid", "fax_extension", "fax_name", "fax_email",
                            "fax_pin_number", "fax_caller_id_name", "fax_caller_id_number",
                            "fax_forward_number", "fax_description", "fax_send_channels",
                            "fax_enabled"}
    assert data[0]["fax_enabled"] == "true"
    names = [f["fax_name"] for f in client.get("/api/v1/fax/accounts?order=-fax_name",
                                               headers=tenants.a.headers).json["data"]]
    assert names == ["Other", "Main-Fax"]
    assert client.get("/api/v1/fax/accounts?fax_name=Main-Fax",
                      headers=tenants.a.headers).json["pagination"]["total"] == 1


def test_writes_clear_the_dialplan_cache(esl_client, tenants, switches):
    for sim in switches:
        sim.cache_set("dialplan:example.com", "<context/>")
    r = esl_client.post("/api/v1/fax/accounts", json=GOLDEN_BODY, headers=tenants.a.headers)
    assert r.json["applied"] == {"cache": {"state": "cleared", "keys": ["dialplan:example.com"]}}
    assert [sim.cache_get("dialplan:example.com") for sim in switches] == [None, None]
    for sim in switches:
        sim.cache_set("dialplan:example.com", "<context/>")
    r = esl_client.delete(f"/api/v1/fax/accounts/{r.json['data']['fax_uuid']}",
                          headers=tenants.a.headers)
    assert r.headers.get("X-Applied") == "cache=cleared"
    assert r.headers.get("X-Applied-Keys") == "dialplan:example.com"
    assert [sim.cache_get("dialplan:example.com") for sim in switches] == [None, None]


def test_the_name_cannot_be_cleared(client, tenants, fpbx_db):
    fax = client.post("/api/v1/fax/accounts", json=GOLDEN_BODY,
                      headers=tenants.a.headers).json["data"]["fax_uuid"]
    for name in (None, " "):
        r = client.put(f"/api/v1/fax/accounts/{fax}", json={"fax_name": name},
                       headers=tenants.a.headers)
        assert r.status_code == 400 and r.json["error"]["errors"][0]["field"] == "fax_name"
    assert fpbx_db.rows("v_fax")[0]["fax_name"] == "Main-Fax"


def test_fax_enabled_is_the_dialplan_s_enabled(client, tenants, fpbx_db):
    fax = client.post("/api/v1/fax/accounts", json=GOLDEN_BODY,
                      headers=tenants.a.headers).json["data"]["fax_uuid"]
    client.post("/api/v1/fax/accounts", json={"fax_name": "Other", "fax_extension": "9001"},
                headers=tenants.a.headers)
    fpbx_db.execute("UPDATE v_dialplans SET dialplan_enabled = false WHERE dialplan_number "
                    "= '9001'")
    listed = client.get("/api/v1/fax/accounts?fax_enabled=true", headers=tenants.a.headers)
    assert [f["fax_uuid"] for f in listed.json["data"]] == [fax]
    listed = client.get("/api/v1/fax/accounts?fax_enabled=false", headers=tenants.a.headers)
    assert [f["fax_name"] for f in listed.json["data"]] == ["Other"]
    got = client.get(f"/api/v1/fax/accounts/{fax}", headers=tenants.a.headers).json["data"]
    assert got["fax_enabled"] == "true"
