"""Users through HTTP against PostgreSQL, row by row against FusionPBX's own writes
(tests/golden/users.json); the stored hash is one FusionPBX's login accepts."""

from __future__ import annotations

import pytest
from fpbx_api_plugins.users.passwords import verify_password

from tests.helpers import add_user, golden, golden_step, same_rows

GOLDEN = golden("users")
VOLATILE = {"user_uuid", "domain_uuid", "contact_uuid", "contact_email_uuid", "user_group_uuid",
            "user_setting_uuid", "group_uuid", "password", "add_date",
            "add_user"}  # FusionPBX writes the acting admin's name; the API writes "fpbx-api"
GOLDEN_BODY = {
    "username": "jsmith", "password": "Golden-Pass1!", "user_email": "john.smith@example.com",
    "user_language": "en-us", "user_time_zone": "America/New_York", "user_status": "Available",
    "contact_name_given": "John", "contact_name_family": "Smith",
    "contact_organization": "Acme Corp", "groups": ["user"], "user_enabled": "true",
}


def test_crud_writes_what_fusionpbx_writes(client, tenants, fpbx_db):
    headers = tenants.a.headers
    before = fpbx_db.snapshot()
    r = client.post("/api/v1/users", json=GOLDEN_BODY, headers=headers)
    assert r.status_code == 201, r.json
    assert r.json["message"] == "User created successfully"
    changes = fpbx_db.changes(before)
    expected = golden_step(GOLDEN, "create", "rows_added")
    # Deliberate difference: FusionPBX also queues a "Password Changed" e-mail
    # (v_email_queue) from its UI; the API leaves notifying users to its caller.
    expected.pop("v_email_queue")
    assert set(changes) == set(expected) | {"v_database_transactions"}
    for table, rows in expected.items():
        same_rows(changes[table]["added"], rows, VOLATILE)
    (user,) = changes["v_users"]["added"]
    (membership,) = changes["v_user_groups"]["added"]
    assert membership["group_uuid"] == fpbx_db.rows("v_groups", group_name="user")[0][
        "group_uuid"]
    assert changes["v_contacts"]["added"][0]["contact_uuid"] == user["contact_uuid"]
    assert user["password"].startswith("$2y$10$") and user["salt"] is None

    uuid = r.json["data"]["user_uuid"]
    before = fpbx_db.snapshot()
    update = {"user_email": "j.smith@example.com", "user_status": "On Break"}
    assert update == GOLDEN["update"]["fields_changed_in_form"]
    assert client.put(f"/api/v1/users/{uuid}", json=update, headers=headers
                      ).status_code == 200
    changes = fpbx_db.changes(before)
    assert set(changes) == set(GOLDEN["update"]["rows_changed"]) | {"v_database_transactions"}
    for table, rows in GOLDEN["update"]["rows_changed"].items():
        assert len(changes[table]["changed"]) == len(rows), table
        for old, new in changes[table]["changed"]:
            assert {k for k in new if old[k] != new[k]} == set(rows[0]["changed_columns"]) - {
                "update_user"}, table

    before = fpbx_db.snapshot()
    assert client.delete(f"/api/v1/users/{uuid}", headers=headers).status_code == 204
    changes = fpbx_db.changes(before)
    removed = golden_step(GOLDEN, "delete", "rows_removed")
    for table, rows in removed.items():
        same_rows(changes[table]["removed"], rows, VOLATILE | {"update_date"})
    # Deliberate difference (a FusionPBX bug): its delete leaves the user's contact and
    # contact e-mail behind as orphans; the API removes them too.
    assert {t for t in changes if changes[t]["removed"]} == set(removed) | {
        "v_contacts", "v_contact_emails"}


def test_the_stored_hash_passes_fusionpbx_login_check(client, tenants, fpbx_db):
    client.post("/api/v1/users", json=GOLDEN_BODY, headers=tenants.a.headers)
    (user,) = fpbx_db.rows("v_users")
    # FusionPBX (PHP password_verify) checks $2y$ bcrypt; the same check here, and the
    # same check accepts the hash FusionPBX itself wrote for this password.
    assert user["password"].startswith("$2y$10$") and len(user["password"]) == 60
    assert verify_password("Golden-Pass1!", user["password"])
    assert not verify_password("golden-pass1!", user["password"])
    golden_hash = GOLDEN["create"]["rows_added"]["v_users"][0]["password"]
    assert verify_password("Golden-Pass1!", golden_hash)


def test_password_and_api_key_are_never_returned(client, tenants, fpbx_db):
    key = "A" * 32
    uuid = client.post("/api/v1/users", json={**GOLDEN_BODY, "api_key": key},
                       headers=tenants.a.headers).json["data"]["user_uuid"]
    assert fpbx_db.rows("v_users")[0]["api_key"] == key
    for path in (f"/api/v1/users/{uuid}", "/api/v1/users"):
        text = client.get(path, headers=tenants.a.headers).get_data(as_text=True)
        assert key not in text and "$2y$" not in text and "Golden-Pass1!" not in text


def test_get_shows_groups_settings_and_contact(client, tenants):
    uuid = client.post("/api/v1/users", json=GOLDEN_BODY,
                       headers=tenants.a.headers).json["data"]["user_uuid"]
    data = client.get(f"/api/v1/users/{uuid}", headers=tenants.a.headers).json["data"]
    assert data["groups"] == ["user"]
    assert (data["user_language"], data["user_time_zone"]) == ("en-us", "America/New_York")
    assert (data["contact_name_given"], data["contact_email"]) == ("John",
                                                                   "john.smith@example.com")
    assert data["user_enabled"] == "true" and data["user_type"] == "default"


@pytest.mark.parametrize("password, missing", [
    ("Short1!", "12 characters"), ("alllowercase123", "uppercase"),
    ("ALLUPPERCASE123", "lowercase"), ("NoNumbersHereAtAll", "number"),
])
def test_password_policy(client, tenants, fpbx_db, password, missing):
    r = client.post("/api/v1/users", json={**GOLDEN_BODY, "password": password},
                    headers=tenants.a.headers)
    assert r.status_code == 400 and missing in r.json["error"]["errors"][0]["message"]
    assert fpbx_db.rows("v_users") == []


def test_policy_follows_the_settings(client, tenants, fpbx_db):
    fpbx_db.execute(
        "INSERT INTO v_default_settings (default_setting_uuid, default_setting_category, "
        "default_setting_subcategory, default_setting_name, default_setting_value, "
        "default_setting_enabled) VALUES (gen_random_uuid(), 'users', 'password_special', "
        "'boolean', 'true', true)")
    r = client.post("/api/v1/users", json={**GOLDEN_BODY, "password": "Golden-Pass1"},
                    headers=tenants.a.headers)
    assert r.status_code == 201  # '-' is special
    r = client.post("/api/v1/users", json={**GOLDEN_BODY, "username": "x",
                                           "password": "GoldenPass12"},
                    headers=tenants.a.headers)
    assert r.status_code == 400 and "special" in r.json["error"]["errors"][0]["message"]


def test_username_unique_per_domain_or_globally(make_app, tenants, fpbx_db):
    client = make_app(cache={"ttl": 0}).test_client()  # the setting changes mid-test
    assert client.post("/api/v1/users", json=GOLDEN_BODY,
                       headers=tenants.a.headers).status_code == 201
    r = client.post("/api/v1/users", json={**GOLDEN_BODY, "username": "JSmith"},
                    headers=tenants.a.headers)
    assert r.status_code == 409
    assert client.post("/api/v1/users", json=GOLDEN_BODY,
                       headers=tenants.b.headers).status_code == 201
    fpbx_db.execute(
        "INSERT INTO v_default_settings (default_setting_uuid, default_setting_category, "
        "default_setting_subcategory, default_setting_name, default_setting_value, "
        "default_setting_enabled) VALUES (gen_random_uuid(), 'users', 'unique', 'text', "
        "'global', true)")
    add_user(fpbx_db, tenants.b.domain_uuid, "alice")
    r = client.post("/api/v1/users", json={**GOLDEN_BODY, "username": "alice"},
                    headers=tenants.a.headers)
    assert r.status_code == 409


@pytest.mark.parametrize("field, value", [
    ("user_status", "Busy"), ("user_email", "not-an-email"), ("groups", ["nope"]),
    ("username", "bad name"), ("password", "x" * 73), ("api_key", "short"),
    ("user_language", "English"),
])
def test_invalid_fields_are_400(client, tenants, fpbx_db, field, value):
    r = client.post("/api/v1/users", json={**GOLDEN_BODY, field: value},
                    headers=tenants.a.headers)
    assert r.status_code == 400 and r.json["error"]["errors"][0]["field"].startswith(field)
    assert fpbx_db.rows("v_users") == []


def test_superadmin_membership_needs_the_system_scope(client, tenants, fpbx_db):
    body = {**GOLDEN_BODY, "groups": ["superadmin"]}
    r = client.post("/api/v1/users", json=body, headers=tenants.a.headers)
    assert (r.status_code, r.json["error"]["code"]) == (403, "FORBIDDEN")
    assert fpbx_db.rows("v_users") == []
    assert client.post("/api/v1/users", json=body,
                       headers={"X-API-Key": tenants.a.system_key}).status_code == 201


def test_groups_are_replaced_on_update(client, tenants, fpbx_db):
    uuid = client.post("/api/v1/users", json=GOLDEN_BODY,
                       headers=tenants.a.headers).json["data"]["user_uuid"]
    client.put(f"/api/v1/users/{uuid}", json={"groups": ["admin", "agent"]},
               headers=tenants.a.headers)
    assert sorted(r["group_name"] for r in fpbx_db.rows("v_user_groups")) == ["admin", "agent"]


def test_status_change_updates_a_linked_agent(esl_client, tenants, switches, fpbx_db):
    uuid = esl_client.post("/api/v1/users", json=GOLDEN_BODY,
                           headers=tenants.a.headers).json["data"]["user_uuid"]
    fpbx_db.execute("INSERT INTO v_call_center_agents (call_center_agent_uuid, domain_uuid, "
                    "user_uuid) VALUES ('11111111-2222-4333-8444-555555555555', :d, :u)",
                    d=tenants.a.domain_uuid, u=uuid)
    r = esl_client.put(f"/api/v1/users/{uuid}", json={"user_status": "On Break"},
                       headers=tenants.a.headers)
    assert r.json["applied"] == {"reload": "applied"}
    assert switches[0].received("api callcenter_config") == [
        "api callcenter_config agent set status 11111111-2222-4333-8444-555555555555 "
        "'On Break'",
        "api callcenter_config agent set state 11111111-2222-4333-8444-555555555555 Waiting"]
