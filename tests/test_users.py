"""Users through HTTP against PostgreSQL, row by row against FusionPBX's own writes
(tests/golden/users.json); the stored hash is one FusionPBX's login accepts."""

from __future__ import annotations

import pytest
from fpbx_api_plugins.users.passwords import verify_password

from tests.helpers import add_user, golden, golden_step, same_create, same_rows

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
    # Deliberate difference: FusionPBX also queues a "Password Changed" e-mail
    # (v_email_queue) from its UI; the API leaves notifying users to its caller.
    r, changes, _ = same_create(client, fpbx_db, "/api/v1/users", GOLDEN_BODY, headers, GOLDEN,
                                VOLATILE, message="User created successfully",
                                missing=("v_email_queue",))
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
    # As FusionPBX, the contact stays: it may be a record its Contacts app shares.
    assert {t for t in changes if changes[t]["removed"]} == set(removed)


def test_delete_keeps_a_shared_contact(client, tenants, fpbx_db):
    """A user linked to a customer record of the Contacts app: the record, its phones and
    e-mails survive the user; only the link goes."""
    uuid = add_user(fpbx_db, tenants.a.domain_uuid, "jdoe", given="Jane", family="Customer")
    (user,) = fpbx_db.rows("v_users")
    contact = user["contact_uuid"]
    fpbx_db.execute("INSERT INTO v_contact_phones (contact_phone_uuid, domain_uuid, "
                    "contact_uuid, phone_number) VALUES (gen_random_uuid(), :d, :c, "
                    "'2125550100')", d=tenants.a.domain_uuid, c=contact)
    fpbx_db.execute("INSERT INTO v_contact_emails (contact_email_uuid, domain_uuid, "
                    "contact_uuid, email_address) VALUES (gen_random_uuid(), :d, :c, "
                    "'jane@customer.example')", d=tenants.a.domain_uuid, c=contact)
    assert client.delete(f"/api/v1/users/{uuid}", headers=tenants.a.headers).status_code == 204
    assert fpbx_db.rows("v_users") == []
    assert [r["contact_name_given"] for r in fpbx_db.rows("v_contacts")] == ["Jane"]
    assert [r["phone_number"] for r in fpbx_db.rows("v_contact_phones", contact_uuid=contact)
            ] == ["2125550100"]
    assert [r["email_address"] for r in fpbx_db.rows("v_contact_emails", contact_uuid=contact)
            ] == ["jane@customer.example"]


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
                       headers={"X-API-Key": tenants.a.system_key}).json["data"]["user_uuid"]
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
    ("user_language", "English"), ("user_time_zone", "Mars/Phobos"),
])
def test_invalid_fields_are_400(client, tenants, fpbx_db, field, value):
    r = client.post("/api/v1/users", json={**GOLDEN_BODY, field: value},
                    headers=tenants.a.headers)
    assert r.status_code == 400 and r.json["error"]["errors"][0]["field"].startswith(field)
    assert fpbx_db.rows("v_users") == []


def remember_login(db, tenant, user_uuid: str) -> str:
    """A FusionPBX 5.6 "remember me" login: the token on the login's v_user_logs row."""
    selector = "0c5bd8e4-3f5d-4a4e-9b0c-3f1f7d8a9e21"
    db.execute("INSERT INTO v_user_logs (user_log_uuid, domain_uuid, user_uuid, username, "
               "type, result, timestamp, remember_selector, remember_validator) VALUES "
               "(gen_random_uuid(), :d, :u, 'jsmith', 'login', 'success', now(), :s, :v)",
               d=tenant.domain_uuid, u=user_uuid, s=selector,
               v="$2y$10$abcdefghijklmnopqrstuuJ6b5m0s9xvYl8c6Jq9tJYw4oV5q3xO2")
    return selector


def test_a_password_change_ends_remembered_logins(client, tenants, fpbx_db):
    uuid = client.post("/api/v1/users", json=GOLDEN_BODY,
                       headers=tenants.a.headers).json["data"]["user_uuid"]
    selector = remember_login(fpbx_db, tenants.a, uuid)
    assert client.put(f"/api/v1/users/{uuid}", json={"user_status": "On Break"},
                      headers=tenants.a.headers).status_code == 200
    assert fpbx_db.rows("v_user_logs", remember_selector=selector)  # no password given
    r = client.put(f"/api/v1/users/{uuid}", json={"password": "Brand-New-Pass1"},
                   headers={**tenants.a.headers, "User-Agent": "crm/2.1"})
    assert r.status_code == 200
    # remember_me::authenticate() looks the cookie's selector up: nothing answers now
    assert fpbx_db.rows("v_user_logs", remember_selector=selector) == []
    assert all(row["remember_validator"] is None for row in fpbx_db.rows("v_user_logs"))
    (logged,) = fpbx_db.rows("v_user_logs", type="Password Changed")
    assert (str(logged["user_uuid"]), logged["username"], logged["result"],
            str(logged["domain_uuid"]), logged["user_agent"]) == (
        uuid, "jsmith", "success", tenants.a.domain_uuid, "crm/2.1")
    assert logged["timestamp"] is not None and logged["remote_address"]


@pytest.mark.parametrize("method, body", [("put", {"user_enabled": "false"}),
                                          ("delete", None)])
def test_disabling_or_deleting_a_user_ends_remembered_logins(client, tenants, fpbx_db,
                                                              method, body):
    """FusionPBX's remember-me answers "authorized" even for a token whose user is disabled
    or gone; the API clears the tokens then too."""
    uuid = client.post("/api/v1/users", json=GOLDEN_BODY,
                       headers=tenants.a.headers).json["data"]["user_uuid"]
    selector = remember_login(fpbx_db, tenants.a, uuid)
    r = getattr(client, method)(f"/api/v1/users/{uuid}", json=body, headers=tenants.a.headers)
    assert r.status_code in (200, 204)
    assert fpbx_db.rows("v_user_logs", remember_selector=selector) == []
    assert fpbx_db.rows("v_user_logs", type="Password Changed") == []


def test_passwords_are_limited_in_bytes_for_bcrypt(client, tenants, fpbx_db):
    """bcrypt reads 72 bytes: 3 ASCII + 69 "é" is 72 characters but 141 bytes."""
    for password in ("Ab1" + "é" * 69, "Ab1-" + "x" * 69, "Abcdef-12345\x00x"):
        r = client.post("/api/v1/users", json={**GOLDEN_BODY, "password": password},
                        headers=tenants.a.headers)
        assert (r.status_code, r.json["error"]["errors"][0]["field"]) == (400, "password")
        assert "password" in r.json["error"]["errors"][0]["message"]
    assert fpbx_db.rows("v_users") == []
    fits = "Ab1-" + "é" * 34  # 72 bytes
    r = client.post("/api/v1/users", json={**GOLDEN_BODY, "password": fits},
                    headers=tenants.a.headers)
    assert r.status_code == 201
    assert verify_password(fits, fpbx_db.rows("v_users")[0]["password"])


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
    for sim in switches:  # mod_callcenter loaded the agent from callcenter.conf at start
        sim.api("callcenter_config agent add 11111111-2222-4333-8444-555555555555 callback")
        sim.commands.clear()
    r = esl_client.put(f"/api/v1/users/{uuid}", json={"user_status": "On Break"},
                       headers=tenants.a.headers)
    assert r.json["applied"] == {"reload": {"state": "applied", "commands": [
        "callcenter_config agent set status 11111111-2222-4333-8444-555555555555 'On Break'",
        "callcenter_config agent set state 11111111-2222-4333-8444-555555555555 Waiting"]}}
    assert switches[0].received("api callcenter_config") == [
        "api callcenter_config agent set status 11111111-2222-4333-8444-555555555555 "
        "'On Break'",
        "api callcenter_config agent set state 11111111-2222-4333-8444-555555555555 Waiting"]
    assert switches[0].callcenter.agents["11111111-2222-4333-8444-555555555555"][
        "status"] == "On Break"


# --- who may touch whom (issue: a write key took over the installer's superadmin) -------
@pytest.fixture(params=["global key", "write key", "system key"])
def mode(request, client, tenants):
    """A client, headers for domain a in one of the auth modes, and whether that key may
    reach a superadmin (only a key with the system scope may)."""
    return client, tenants.a.auth_modes()[request.param], request.param != "write key"


def add_member(db, tenant, username: str, group: str) -> str:
    """A user in ``group``, written directly as FusionPBX's installer writes its superadmin."""
    user_uuid = add_user(db, tenant.domain_uuid, username, given="Super", family="Admin")
    db.execute("INSERT INTO v_user_groups (user_group_uuid, domain_uuid, group_name, "
               "group_uuid, user_uuid) SELECT gen_random_uuid(), :d, group_name, group_uuid, "
               ":u FROM v_groups WHERE group_name = :g", d=tenant.domain_uuid, u=user_uuid,
               g=group)
    return user_uuid


TAKEOVERS = [  # what the pen test did to the superadmin with a tenant write key
    ("put", {"password": "Taken-Over-123", "api_key": "K" * 40}),
    ("put", {"password": "Taken-Over-123"}),
    ("put", {"groups": ["user"]}),
    ("put", {"user_enabled": "false"}),
    ("put", {"user_email": "attacker@example.net"}),
    ("delete", None),
]


@pytest.mark.parametrize("method, body", TAKEOVERS)
def test_a_superadmin_is_out_of_a_tenant_keys_reach(mode, tenants, fpbx_db, method, body):
    client, headers, reaches = mode
    uuid = add_member(fpbx_db, tenants.a, "admin", "superadmin")
    before = fpbx_db.fingerprint()
    r = getattr(client, method)(f"/api/v1/users/{uuid}", json=body, headers=headers)
    if reaches:
        assert r.status_code in (200, 204), r.json
    else:
        assert (r.status_code, r.json["error"]["code"]) == (403, "FORBIDDEN")
        assert "system scope" in r.json["error"]["message"]
        assert fpbx_db.fingerprint() == before
    assert client.get(f"/api/v1/users/{uuid}", headers=headers).status_code == (
        404 if reaches and method == "delete" else 200)


def test_a_null_level_counts_as_the_highest(mode, tenants, fpbx_db):
    """Older databases have a superadmin group without a level; so may a custom group."""
    client, headers, reaches = mode
    fpbx_db.execute("UPDATE v_groups SET group_level = NULL WHERE group_name = 'superadmin'")
    fpbx_db.execute("INSERT INTO v_groups (group_uuid, domain_uuid, group_name, group_level) "
                    "VALUES (gen_random_uuid(), :d, 'operators', NULL)",
                    d=tenants.a.domain_uuid)
    member = add_member(fpbx_db, tenants.a, "operator", "operators")
    before = fpbx_db.fingerprint()
    outcomes = [
        client.post("/api/v1/users", json={**GOLDEN_BODY, "groups": ["superadmin"]},
                    headers=headers),
        client.post("/api/v1/users", json={**GOLDEN_BODY, "username": "op2",
                                           "groups": ["operators"]}, headers=headers),
        client.put(f"/api/v1/users/{member}", json={"user_status": "On Break"},
                   headers=headers),
    ]
    if reaches:
        assert [r.status_code for r in outcomes] == [201, 201, 200]
    else:
        assert [r.status_code for r in outcomes] == [403, 403, 403]
        assert fpbx_db.fingerprint() == before


def test_a_tenant_key_still_manages_ordinary_users(mode, tenants, fpbx_db):
    client, headers, _ = mode
    uuid = add_member(fpbx_db, tenants.a, "clerk", "admin")
    assert client.put(f"/api/v1/users/{uuid}", json={"password": "Changed-Pass-123",
                                                     "groups": ["user"]},
                      headers=headers).status_code == 200
    assert client.delete(f"/api/v1/users/{uuid}", headers=headers).status_code == 204


def test_api_key_needs_the_system_scope(mode, tenants, fpbx_db):
    """FusionPBX logs a user in with ?key=<api_key>: never settable by a tenant key."""
    client, headers, reaches = mode
    uuid = add_user(fpbx_db, tenants.a.domain_uuid, "plain")
    before = fpbx_db.fingerprint()
    outcomes = [client.put(f"/api/v1/users/{uuid}", json={"api_key": "K" * 40},
                           headers=headers),
                client.post("/api/v1/users", json={**GOLDEN_BODY, "api_key": "K" * 40},
                            headers=headers)]
    if reaches:
        assert [r.status_code for r in outcomes] == [200, 201]
        assert {u["api_key"] for u in fpbx_db.rows("v_users")} == {"K" * 40}
    else:
        assert [(r.status_code, r.json["error"]["code"]) for r in outcomes] == [
            (403, "FORBIDDEN")] * 2
        assert fpbx_db.fingerprint() == before
