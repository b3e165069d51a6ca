"""Destinations through HTTP against PostgreSQL, row by row against FusionPBX's own writes
(tests/golden/destinations.json): the v_destinations row, its dialplan with the exact XML
and the 14 detail rows, re-inserted on update."""

from __future__ import annotations

from tests.helpers import add_user, golden, golden_step, same_rows

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


def replacements(tenant, changes) -> dict:
    """The golden file's dialplan and domain uuids (inside the XML) mapped to ours."""
    theirs = golden_step(GOLDEN, "create", "rows_added")["v_destinations"][0]
    ours = changes["v_destinations"]["added"][0]
    return {theirs["dialplan_uuid"]: str(ours["dialplan_uuid"]),
            theirs["domain_uuid"]: tenant.domain_uuid}


def test_crud_writes_what_fusionpbx_writes(client, tenants, fpbx_db):
    tenant = tenants.a
    add_user(fpbx_db, tenant.domain_uuid, "admin", user_uuid=ADMIN)
    before = fpbx_db.snapshot()
    r = client.post("/api/v1/destinations", json=GOLDEN_BODY, headers=tenant.headers)
    assert r.status_code == 201, r.json
    changes = fpbx_db.changes(before)
    expected = golden_step(GOLDEN, "create", "rows_added")
    assert set(changes) == set(expected) | {"v_database_transactions"}
    replace = replacements(tenant, changes)
    for table, rows in expected.items():
        same_rows(changes[table]["added"], rows, VOLATILE, replace)
    ours = changes["v_dialplans"]["added"][0]["dialplan_xml"]
    theirs = expected["v_dialplans"][0]["dialplan_xml"]
    for old, new in replace.items():
        theirs = theirs.replace(old, new)
    assert ours == theirs

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
            theirs = rows[0]["after"]["dialplan_xml"]
            for old_uuid, new_uuid in replace.items():
                theirs = theirs.replace(old_uuid, new_uuid)
            assert new["dialplan_xml"] == theirs
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
