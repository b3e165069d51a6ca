"""Call block through HTTP against PostgreSQL, row by row against FusionPBX's own writes
(tests/golden/call_block.json), the global call_block dialplan it enables included."""

from __future__ import annotations

import uuid

import pytest

from tests.helpers import golden, golden_step, same_rows

PATH = "/api/v1/call-block"
GOLDEN = golden("call_block")
EXTENSION = GOLDEN["input"]["extension_uuid"]
DIALPLAN = GOLDEN["create"]["rows_changed"]["v_dialplans"][0]
BODY = {k: GOLDEN["input"][k] for k in (
    "call_block_direction", "extension_uuid", "call_block_name", "call_block_country_code",
    "call_block_number", "call_block_action", "call_block_enabled", "call_block_description")}
VOLATILE = {"call_block_uuid", "domain_uuid", "date_added"}


def add_numbers(fpbx_db, domain_uuid: str, extension_uuid: str | None = None,
                number: str = "1001") -> str:
    """An extension with its mailbox, as FusionPBX's fixtures had (1001, alice)."""
    extension_uuid = extension_uuid or str(uuid.uuid4())
    fpbx_db.execute("INSERT INTO v_extensions (extension_uuid, domain_uuid, extension, "
                    "enabled) VALUES (:e, :d, :n, true)", e=extension_uuid, d=domain_uuid,
                    n=number)
    fpbx_db.execute("INSERT INTO v_voicemails (voicemail_uuid, domain_uuid, voicemail_id, "
                    "voicemail_enabled) VALUES (gen_random_uuid(), :d, :n, true)",
                    d=domain_uuid, n=number)
    return extension_uuid


def add_call_block_dialplan(fpbx_db, domain_uuid: str, dialplan_uuid: str | None = None):
    """The global call_block dialplan FusionPBX installs, disabled, in every domain."""
    before = DIALPLAN["before"]
    fpbx_db.execute(
        "INSERT INTO v_dialplans (dialplan_uuid, domain_uuid, app_uuid, dialplan_context, "
        "dialplan_name, dialplan_continue, dialplan_xml, dialplan_order, dialplan_enabled) "
        "VALUES (:u, :d, :a, :c, 'call_block', true, :x, 40, false)",
        u=dialplan_uuid or str(uuid.uuid4()), d=domain_uuid, a=before["app_uuid"],
        c=before["dialplan_context"], x=before["dialplan_xml"])


@pytest.fixture
def numbers(fpbx_db, tenants):
    add_numbers(fpbx_db, tenants.a.domain_uuid, EXTENSION)
    add_call_block_dialplan(fpbx_db, tenants.a.domain_uuid, DIALPLAN["before"]["dialplan_uuid"])


def test_crud_writes_what_fusionpbx_writes(client, tenants, fpbx_db, numbers):
    headers = tenants.a.headers
    before = fpbx_db.snapshot()
    r = client.post(PATH, json=BODY, headers=headers)
    assert r.status_code == 201, r.json
    changes = fpbx_db.changes(before)
    expected = golden_step(GOLDEN, "create", "rows_added")
    assert set(changes) == {"v_call_block", "v_dialplans", "v_database_transactions"}
    same_rows(changes["v_call_block"]["added"], expected["v_call_block"], VOLATILE)
    (old, new), = changes["v_dialplans"]["changed"]
    assert {k for k in new if old[k] != new[k]} == {"dialplan_enabled", "update_date"}
    same_rows([new], [DIALPLAN["after"]], {"domain_uuid", "update_date"})
    kinds = sorted(t["transaction_type"] for t in fpbx_db.rows("v_database_transactions"))
    assert kinds == ["add", "update"]  # the dialplan's save, then the call block's

    uuid_ = r.json["data"]["call_block_uuid"]
    before = fpbx_db.snapshot()
    update = {"call_block_name": "Spam Caller (reject)", "call_block_action": "reject"}
    assert client.put(f"{PATH}/{uuid_}", json=update, headers=headers).status_code == 200
    changes = fpbx_db.changes(before)
    assert set(changes) == {"v_call_block", "v_database_transactions"}
    (old, new), = changes["v_call_block"]["changed"]
    golden_row = GOLDEN["update"]["rows_changed"]["v_call_block"][0]
    assert {k for k in new if old[k] != new[k]} == set(golden_row["changed_columns"]) - {
        "update_user", "date_added"} | ({"date_added"} if old["date_added"]
                                         != new["date_added"] else set())
    same_rows([new], [golden_row["after"]], VOLATILE)

    before = fpbx_db.snapshot()
    assert client.delete(f"{PATH}/{uuid_}", headers=headers).status_code == 204
    changes = fpbx_db.changes(before)
    same_rows(changes["v_call_block"]["removed"], GOLDEN["delete"]["rows_removed"][
        "v_call_block"], VOLATILE)
    assert set(changes) == {"v_call_block", "v_database_transactions"}


def test_domain_wide_block_and_an_enabled_dialplan_stays_as_it_is(
        client, tenants, fpbx_db, numbers):
    fpbx_db.execute("UPDATE v_dialplans SET dialplan_enabled = true")
    before = fpbx_db.snapshot()
    r = client.post(PATH, json={"call_block_number": "+1 (800) 555-0000"},
                    headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    assert set(fpbx_db.changes(before)) == {"v_call_block", "v_database_transactions"}
    data = client.get(f"{PATH}/{r.json['data']['call_block_uuid']}",
                      headers=tenants.a.headers).json["data"]
    assert data["extension_uuid"] is None and data["call_block_number"] == "18005550000"
    assert (data["call_block_app"], data["call_block_data"]) == ("reject", None)
    assert data["call_block_direction"] == "inbound" and data["call_block_count"] == 0


@pytest.mark.parametrize("change, field", [
    ({"call_block_action": "voicemail:9999"}, "call_block_action"),
    ({"call_block_action": "transfer:1001 XML example.com"}, "call_block_action"),
    ({"call_block_action": "extension:1001 XML other.example"}, "call_block_action"),
    ({"call_block_action": "reject:now"}, "call_block_action"),
    ({"call_block_action": None}, "call_block_action"),
    ({"extension_uuid": str(uuid.uuid4())}, "extension_uuid"),
    ({"call_block_number": "800-CALL-NOW"}, "call_block_number"),
    ({"call_block_direction": "both"}, "call_block_direction"),
])
def test_bad_values_are_400_and_write_nothing(client, tenants, fpbx_db, numbers, change,
                                              field):
    before = fpbx_db.fingerprint()
    r = client.post(PATH, json={**BODY, **change}, headers=tenants.a.headers)
    assert r.status_code == 400, r.json
    assert field in {e["field"] for e in r.json["error"]["errors"]}
    assert fpbx_db.fingerprint() == before


def test_another_domains_extension_is_refused(client, tenants, fpbx_db, numbers):
    theirs = add_numbers(fpbx_db, tenants.b.domain_uuid, number="1001")
    r = client.post(PATH, json={**BODY, "extension_uuid": theirs}, headers=tenants.a.headers)
    assert r.status_code == 400 and r.json["error"]["field"] == "extension_uuid"


def test_a_block_reaches_calls_the_cached_dialplan_had_missed(esl_client, tenants, fpbx_db,
                                                               switches, numbers):
    """Enabling call_block in the domain's dialplan is an effect on the switch: the
    cached dialplan of the context (without call_block) is gone."""
    for sim in switches:
        sim.cache_set("dialplan:example.com", "<cached without call_block/>")
        sim.cache_set("app:call_block:example.com:18005551234", "stale")
    r = esl_client.post(PATH, json=BODY, headers=tenants.a.headers)
    assert r.status_code == 201 and r.json["applied"] == {"cache": {"state": "cleared", "keys": [
        "app:call_block:example.com:18005551234", "app:call_block:example.com:8005551234",
        "dialplan:example.com"]}}
    for sim in switches:
        assert sim.cache_get("dialplan:example.com") is None
        assert sim.cache_get("app:call_block:example.com:18005551234") is None


def test_filters_search_and_order(client, tenants, fpbx_db, numbers):
    for n, direction in enumerate(["inbound", "outbound", "inbound"]):
        client.post(PATH, json={"call_block_number": f"80055500{n}",
                                "call_block_direction": direction,
                                "call_block_name": f"Caller {n}"}, headers=tenants.a.headers)
    listed = client.get(f"{PATH}?call_block_direction=inbound&order=-call_block_number",
                        headers=tenants.a.headers).json["data"]
    assert [d["call_block_number"] for d in listed] == ["800555002", "800555000"]
    found = client.get(f"{PATH}?search=Caller 1", headers=tenants.a.headers).json
    assert found["pagination"]["total"] == 1


def test_an_extensions_blocks_go_with_it(client, tenants, fpbx_db, numbers):
    mine = client.post(PATH, json=BODY, headers=tenants.a.headers).json["data"]
    domain_wide = client.post(PATH, json={**BODY, "extension_uuid": None},
                              headers=tenants.a.headers).json["data"]
    r = client.delete(f"/api/v1/extensions/{EXTENSION}", headers=tenants.a.headers)
    assert r.status_code == 204, r.get_data(as_text=True)
    left = [str(row["call_block_uuid"]) for row in fpbx_db.rows("v_call_block")]
    assert left == [domain_wide["call_block_uuid"]] and mine["call_block_uuid"] not in left
