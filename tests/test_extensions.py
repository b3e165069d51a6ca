"""Extensions through HTTP against PostgreSQL, checked row by row against what
FusionPBX's own UI wrote (tests/golden/extensions.json)."""

from __future__ import annotations

import json

import pytest

from tests.helpers import add_user, comparable, golden

GOLDEN = golden("extensions")
GOLDEN_DOMAIN = "9030cb42-651c-409c-a840-295249fc4312"
ALICE = "b74c0a7b-7dce-4adf-9927-23cd62b97519"
# The UI's form fields that are extension settings (the rest are page furniture).
FORM_FIELDS = [
    "extension", "voicemail_password", "accountcode", "effective_caller_id_name",
    "effective_caller_id_number", "outbound_caller_id_name", "outbound_caller_id_number",
    "emergency_caller_id_name", "emergency_caller_id_number", "directory_first_name",
    "directory_last_name", "directory_visible", "directory_exten_visible", "max_registrations",
    "limit_max", "limit_destination", "voicemail_enabled", "voicemail_mail_to", "voicemail_file",
    "voicemail_local_after_email", "toll_allow", "call_timeout", "call_group",
    "call_screen_enabled", "user_record", "hold_music", "force_ping", "enabled", "description",
]
# Generated or per-install values: uuids, the generated SIP password, the domain.
VOLATILE = {"extension_uuid", "voicemail_uuid", "extension_user_uuid", "domain_uuid", "password"}


def golden_body() -> dict:
    form = GOLDEN["input"]
    body = {k: form[k] for k in FORM_FIELDS}
    body["call_timeout"] = int(body["call_timeout"])
    body["user_uuid"] = form["extension_users[0][user_uuid]"]
    return body


def golden_rows(step: str, kind: str) -> dict[str, list[dict]]:
    rows = GOLDEN[step][kind]
    return {t: [comparable(r, VOLATILE) for r in v] for t, v in rows.items()
            if t != "v_database_transactions"}


@pytest.fixture
def alice(fpbx_db, tenants):
    return add_user(fpbx_db, tenants.a.domain_uuid, "alice", ALICE, "Alice", "Anders")


def test_create_update_delete_write_what_fusionpbx_writes(client, tenants, fpbx_db, alice):
    headers = tenants.a.headers
    before = fpbx_db.snapshot()
    created = client.post("/api/v1/extensions", json=golden_body(), headers=headers)
    assert created.status_code == 201, created.json
    assert created.json["message"] == "Extension created successfully"
    uuid = created.json["data"]["extension_uuid"]
    changes = fpbx_db.changes(before)

    expected = golden_rows("create", "rows_added")
    assert set(changes) == set(expected) | {"v_database_transactions"}
    for table, rows in expected.items():
        assert [comparable(r, VOLATILE) for r in changes[table]["added"]] == rows, table
    ext = changes["v_extensions"]["added"][0]
    assert len(ext["password"]) == 20 and created.json["data"]["password"] == ext["password"]
    assert "voicemail_password" not in created.json["data"]  # given, so not echoed
    assert str(ext["domain_uuid"]) == tenants.a.domain_uuid

    before = fpbx_db.snapshot()
    update = {"effective_caller_id_name": "Alice A. Anders", "call_timeout": 45}
    assert update == {k: (int(v) if k == "call_timeout" else v)
                      for k, v in GOLDEN["update"]["fields_changed_in_form"].items()}
    updated = client.put(f"/api/v1/extensions/{uuid}", json=update, headers=headers)
    assert updated.status_code == 200, updated.json
    changes = fpbx_db.changes(before)
    for table, rows in GOLDEN["update"]["rows_changed"].items():
        assert len(changes[table]["changed"]) == len(rows)
        old, new = changes[table]["changed"][0]
        changed = {k for k in new if old[k] != new[k]}
        assert changed == set(rows[0]["changed_columns"]) - {"update_user"}, table
        assert comparable(new, VOLATILE) == comparable(rows[0]["after"], VOLATILE), table
    assert set(changes) == set(GOLDEN["update"]["rows_changed"]) | {"v_database_transactions"}

    before = fpbx_db.snapshot()
    assert client.delete(f"/api/v1/extensions/{uuid}", headers=headers).status_code == 204
    changes = fpbx_db.changes(before)
    removed = golden_rows("delete", "rows_removed")
    assert {t for t in changes if changes[t]["removed"]} == set(removed)
    for table, rows in removed.items():
        assert [comparable(r, VOLATILE) for r in changes[table]["removed"]] == rows, table


def test_audit_columns_differ_from_fusionpbx_deliberately(client, tenants, fpbx_db):
    """The API has no FusionPBX session user: insert_user/update_user stay NULL where the
    UI writes the acting admin; dates are set exactly as FusionPBX sets them."""
    r = client.post("/api/v1/extensions", json={"extension": "1011"}, headers=tenants.a.headers)
    row = fpbx_db.rows("v_extensions", extension="1011")[0]
    assert row["insert_user"] is None and row["insert_date"] is not None
    assert row["update_date"] is None
    client.put(f"/api/v1/extensions/{r.json['data']['extension_uuid']}",
               json={"description": "x"}, headers=tenants.a.headers)
    assert fpbx_db.rows("v_extensions", extension="1011")[0]["update_date"] is not None


def test_minimal_create_uses_fusionpbx_defaults_and_returns_generated_secrets(
        client, tenants, fpbx_db):
    r = client.post("/api/v1/extensions", json={"extension": "1001"}, headers=tenants.a.headers)
    assert r.status_code == 201
    data = r.json["data"]
    ext = fpbx_db.rows("v_extensions", extension="1001")[0]
    box = fpbx_db.rows("v_voicemails", voicemail_id="1001")[0]
    assert data["password"] == ext["password"] and len(ext["password"]) == 20
    assert data["voicemail_password"] == box["voicemail_password"]
    assert box["voicemail_password"].isdigit() and len(box["voicemail_password"]) == 8
    assert (ext["user_context"], ext["accountcode"]) == ("example.com", "example.com")
    assert (ext["limit_max"], ext["limit_destination"], int(ext["call_timeout"])) == (
        "5", "!USER_BUSY", 30)
    assert ext["enabled"] is True and ext["directory_visible"] is False
    assert ext["effective_caller_id_name"] is None  # unset stays NULL
    assert (box["voicemail_file"], box["voicemail_enabled"]) == ("attach", True)
    # GET never returns the SIP password; the PIN appears where the contract shows it.
    got = client.get(f"/api/v1/extensions/{data['extension_uuid']}", headers=tenants.a.headers)
    assert "password" not in got.json["data"]
    assert got.json["data"]["voicemail"]["voicemail_password"] == box["voicemail_password"]


def test_settings_drive_generated_values(client, tenants, fpbx_db):
    fpbx_db.execute(
        "INSERT INTO v_default_settings (default_setting_uuid, default_setting_category, "
        "default_setting_subcategory, default_setting_name, default_setting_value, "
        "default_setting_enabled) VALUES (gen_random_uuid(), 'extension', 'password_length', "
        "'numeric', '32', true), (gen_random_uuid(), 'voicemail', 'password_length', "
        "'numeric', '6', true)")
    fpbx_db.execute(
        "INSERT INTO v_domain_settings (domain_setting_uuid, domain_uuid, "
        "domain_setting_category, domain_setting_subcategory, domain_setting_name, "
        "domain_setting_value, domain_setting_enabled) VALUES (gen_random_uuid(), :d, "
        "'domain', 'accountcode', 'text', 'ACME', true)", d=tenants.a.domain_uuid)
    data = client.post("/api/v1/extensions", json={"extension": "1001"},
                       headers=tenants.a.headers).json["data"]
    assert len(data["password"]) == 32 and len(data["voicemail_password"]) == 6
    assert fpbx_db.rows("v_extensions", extension="1001")[0]["accountcode"] == "ACME"


def test_get_nests_voicemail_and_user(client, tenants, fpbx_db, alice):
    body = {"extension": "1001", "user_uuid": alice, "voicemail_mail_to": "a@example.com",
            "description": "Front desk"}
    uuid = client.post("/api/v1/extensions", json=body,
                       headers=tenants.a.headers).json["data"]["extension_uuid"]
    data = client.get(f"/api/v1/extensions/{uuid}", headers=tenants.a.headers).json["data"]
    assert data["user"] == {"user_uuid": alice, "username": "alice", "full_name": "Alice Anders"}
    assert data["voicemail"]["voicemail_mail_to"] == "a@example.com"
    assert data["voicemail"]["voicemail_description"] == "Front desk"
    assert data["enabled"] == "true" and data["do_not_disturb"] == "false"


def test_update_relinks_user_and_renames_mailbox(client, tenants, fpbx_db, alice):
    uuid = client.post("/api/v1/extensions", json={"extension": "1001", "user_uuid": alice},
                       headers=tenants.a.headers).json["data"]["extension_uuid"]
    r = client.put(f"/api/v1/extensions/{uuid}", json={"extension": "2001", "user_uuid": None},
                   headers=tenants.a.headers)
    assert r.status_code == 200
    assert fpbx_db.rows("v_extension_users") == []
    assert [b["voicemail_id"] for b in fpbx_db.rows("v_voicemails")] == ["2001"]


@pytest.mark.parametrize("second", [{"extension": "1001"}, {"extension": "1002",
                                                           "number_alias": "1001"}])
def test_duplicate_number_or_alias_is_409(client, tenants, fpbx_db, second):
    headers = tenants.a.headers
    assert client.post("/api/v1/extensions", json={"extension": "1001"},
                       headers=headers).status_code == 201
    r = client.post("/api/v1/extensions", json=second, headers=headers)
    assert r.status_code == 409
    assert r.json["error"]["code"] == "DUPLICATE_ERROR"
    assert len(fpbx_db.rows("v_extensions")) == 1 and len(fpbx_db.rows("v_voicemails")) == 1
    # The same number in another domain is fine.
    assert client.post("/api/v1/extensions", json={"extension": "1001"},
                       headers=tenants.b.headers).status_code == 201


def test_update_to_a_taken_number_is_409(client, tenants):
    headers = tenants.a.headers
    client.post("/api/v1/extensions", json={"extension": "1001"}, headers=headers)
    uuid = client.post("/api/v1/extensions", json={"extension": "1002"},
                       headers=headers).json["data"]["extension_uuid"]
    r = client.put(f"/api/v1/extensions/{uuid}", json={"number_alias": "1001"}, headers=headers)
    assert r.status_code == 409


def test_user_of_another_domain_is_400(client, tenants, fpbx_db):
    foreign = add_user(fpbx_db, tenants.b.domain_uuid, "bob")
    r = client.post("/api/v1/extensions", json={"extension": "1001", "user_uuid": foreign},
                    headers=tenants.a.headers)
    assert r.status_code == 400
    assert r.json["error"]["errors"] == [{"field": "user_uuid",
                                          "message": "No such user in this domain."}]
    assert fpbx_db.rows("v_extensions") == [] and fpbx_db.rows("v_voicemails") == []


@pytest.mark.parametrize("body, field", [
    ({}, "extension"),
    ({"extension": "10 01"}, "extension"),
    ({"extension": "1001\nsendevent"}, "extension"),
    ({"extension": 1001}, "extension"),
    ({"extension": "1001", "enabled": "yes"}, "enabled"),
    ({"extension": "1001", "call_timeout": "soon"}, "call_timeout"),
    ({"extension": "1001", "voicemail_password": "12ab"}, "voicemail_password"),
    ({"extension": "1001", "voicemail_mail_to": "not an address"}, "voicemail_mail_to"),
    ({"extension": "1001", "limit_max": "-1"}, "limit_max"),
    ({"extension": "1001", "user_uuid": "nope"}, "user_uuid"),
    ({"extension": "1001", "description": "x" * 1001}, "description"),
    ({"extension": "1001", "bogus": "x"}, "bogus"),
])
def test_invalid_input_is_400_with_field_errors(client, tenants, fpbx_db, body, field):
    r = client.post("/api/v1/extensions", json=body, headers=tenants.a.headers)
    assert r.status_code == 400
    assert r.json["success"] is False
    assert r.json["error"]["code"] == "VALIDATION_ERROR"
    assert field in [e["field"] for e in r.json["error"]["errors"]]
    assert fpbx_db.rows("v_extensions") == []


def test_another_domains_extension_is_404_on_every_verb(client, tenants, fpbx_db):
    uuid = client.post("/api/v1/extensions", json={"extension": "1001"},
                       headers=tenants.b.headers).json["data"]["extension_uuid"]
    before = fpbx_db.snapshot()
    for method, body in (("get", None), ("put", {"description": "mine"}), ("delete", None)):
        r = getattr(client, method)(f"/api/v1/extensions/{uuid}", json=body,
                                    headers=tenants.a.headers)
        assert r.status_code == 404, method
        assert r.json["error"]["code"] == "NOT_FOUND"
    assert fpbx_db.changes(before) == {}
    listed = client.get("/api/v1/extensions", headers=tenants.a.headers).json
    assert listed["data"] == [] and listed["pagination"]["total"] == 0


def test_malformed_and_unknown_uuids_are_404(client, tenants):
    for path in ("/api/v1/extensions/not-a-uuid",
                 "/api/v1/extensions/00000000-0000-4000-8000-000000000000"):
        r = client.get(path, headers=tenants.a.headers)
        assert r.status_code == 404 and r.json["error"]["code"] == "NOT_FOUND"


def test_a_failure_late_in_the_save_leaves_no_rows(client, tenants, fpbx_db):
    """The voicemail insert fails (its table is renamed away); the extension insert that
    came first in the same request must not survive."""
    fpbx_db.execute("ALTER TABLE v_voicemails RENAME TO v_voicemails_away")
    try:
        r = client.post("/api/v1/extensions", json={"extension": "1001"},
                        headers=tenants.a.headers)
        assert r.status_code == 500
        assert r.json["error"]["code"] == "INTERNAL_ERROR"
        assert r.headers["X-Request-ID"] in r.json["error"]["message"]
        assert "Traceback" not in r.get_data(as_text=True)
    finally:
        fpbx_db.execute("ALTER TABLE v_voicemails_away RENAME TO v_voicemails")
    assert fpbx_db.rows("v_extensions") == []
    assert fpbx_db.rows("v_database_transactions") == []


def test_delete_removes_what_fusionpbx_removes(client, tenants, fpbx_db, alice):
    headers = tenants.a.headers
    uuid = client.post("/api/v1/extensions", json={"extension": "1001", "number_alias": "501",
                                                   "user_uuid": alice},
                       headers=headers).json["data"]["extension_uuid"]
    box = fpbx_db.rows("v_voicemails")[0]["voicemail_uuid"]
    dom, other = tenants.a.domain_uuid, tenants.b.domain_uuid
    fpbx_db.execute("UPDATE v_extensions SET follow_me_uuid = gen_random_uuid()")
    follow_me = fpbx_db.rows("v_extensions")[0]["follow_me_uuid"]
    fpbx_db.execute("""
        INSERT INTO v_follow_me (follow_me_uuid, domain_uuid) VALUES (:fm, :d);
        INSERT INTO v_follow_me_destinations (follow_me_destination_uuid, follow_me_uuid,
            domain_uuid, follow_me_destination) VALUES (gen_random_uuid(), :fm, :d, '555');
        INSERT INTO v_ring_group_destinations (ring_group_destination_uuid, domain_uuid,
            destination_number) VALUES (gen_random_uuid(), :d, '1001'),
            (gen_random_uuid(), :d, '501'), (gen_random_uuid(), :d, '1002'),
            (gen_random_uuid(), :o, '1001');
        INSERT INTO v_extension_settings (extension_setting_uuid, domain_uuid, extension_uuid)
            VALUES (gen_random_uuid(), :d, :e);
        INSERT INTO v_voicemail_messages (voicemail_message_uuid, domain_uuid, voicemail_uuid)
            VALUES (gen_random_uuid(), :d, :b);
        INSERT INTO v_voicemail_greetings (voicemail_greeting_uuid, domain_uuid, voicemail_id)
            VALUES (gen_random_uuid(), :d, '501');
        INSERT INTO v_voicemails (voicemail_uuid, domain_uuid, voicemail_id) VALUES
            (gen_random_uuid(), :d, '1001'), (gen_random_uuid(), :o, '1001');
    """, fm=str(follow_me), d=dom, o=other, e=uuid, b=str(box))
    assert client.delete(f"/api/v1/extensions/{uuid}", headers=headers).status_code == 204
    # FusionPBX deletes the mailbox named after the number too, not only the alias's
    assert [str(r["domain_uuid"]) for r in fpbx_db.rows("v_voicemails")] == [other]
    for table in ("v_extensions", "v_extension_users", "v_follow_me",
                  "v_follow_me_destinations", "v_extension_settings", "v_voicemail_messages",
                  "v_voicemail_greetings"):
        assert fpbx_db.rows(table) == [], table
    left = sorted((str(r["domain_uuid"]), r["destination_number"])
                  for r in fpbx_db.rows("v_ring_group_destinations"))
    assert left == sorted([(dom, "1002"), (other, "1001")])


def test_audit_trail_redacts_secrets(client, tenants, fpbx_db):
    data = client.post("/api/v1/extensions", json={"extension": "1001",
                                                   "voicemail_password": "73914582"},
                       headers=tenants.a.headers).json["data"]
    (row,) = fpbx_db.rows("v_database_transactions")
    assert row["transaction_type"] == "add" and row["transaction_code"] == "200"
    assert data["password"] not in row["transaction_new"]
    assert "73914582" not in row["transaction_new"]
    saved = json.loads(row["transaction_new"])
    assert saved["extensions"][0]["password"] == "[redacted]"
    assert saved["voicemails"][0]["voicemail_password"] == "[redacted]"


def test_cache_report_without_a_switch(client, tenants):
    r = client.post("/api/v1/extensions", json={"extension": "1001"}, headers=tenants.a.headers)
    assert r.json["applied"] == {"cache": {"state": "not_configured",
                                           "keys": ["directory:1001@example.com"]}}
    uuid = r.json["data"]["extension_uuid"]
    r = client.delete(f"/api/v1/extensions/{uuid}", headers=tenants.a.headers)
    assert r.headers["X-Applied"] == "cache=not_configured"
    assert r.headers["X-Applied-Keys"] == "directory:1001@example.com"
    assert "X-Applied-Commands" not in r.headers


def test_write_commits_when_the_switch_is_down(make_app, tenants, fpbx_db):
    """A configured switch that refuses: the save stands, the report says it failed."""
    app = make_app(freeswitch={"switches": [{"name": "fs1", "host": "127.0.0.1", "port": 9,
                                             "password": "ClueCon", "cache_clear": "luarun"}],
                               "timeout": 1.0})
    r = app.test_client().post("/api/v1/extensions", json={"extension": "1001"},
                               headers=tenants.a.headers)
    assert r.status_code == 201 and r.json["applied"] == {
        "cache": {"state": "failed", "keys": ["directory:1001@example.com"]}}
    assert len(fpbx_db.rows("v_extensions")) == 1
