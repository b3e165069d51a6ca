"""Conferences through HTTP against PostgreSQL, row by row against FusionPBX's own writes
(tests/golden/conferences.json), including the exact dialplan XML."""

from __future__ import annotations

import json
import uuid

from tests.helpers import golden, same_crud

GOLDEN = golden("conferences")
VOLATILE = {"conference_uuid", "dialplan_uuid", "domain_uuid"}
GOLDEN_BODY = {k: v for k, v in GOLDEN["input"].items() if not k.startswith("<")}
UPDATE = {"conference_pin_number": "135790",
          "conference_description": "Ops standup bridge (moved)", "conference_order": "000"}


def uuids_of(rows: dict) -> dict:
    conference = rows["v_conferences"][0]
    return {"conference": str(conference["conference_uuid"]),
            "dialplan": str(conference["dialplan_uuid"])}


def test_crud_writes_what_fusionpbx_writes(client, tenants, fpbx_db):
    same_crud(client, fpbx_db, "/api/v1/conferences", GOLDEN_BODY, UPDATE, tenants.a.headers,
              GOLDEN, VOLATILE, "conference_uuid", uuids=uuids_of,
              message="Conference created successfully")


def test_the_pin_is_redacted_in_the_audit_trail(client, tenants, fpbx_db):
    r = client.post("/api/v1/conferences", json=GOLDEN_BODY, headers=tenants.a.headers)
    client.put(f"/api/v1/conferences/{r.json['data']['conference_uuid']}", json=UPDATE,
               headers=tenants.a.headers)
    trail = json.dumps(fpbx_db.rows("v_database_transactions"), default=str)
    assert "246810" not in trail and "135790" not in trail
    assert "Weekly Standup" in trail


def test_flags_fields_map_to_conference_flags(client, tenants, fpbx_db):
    body = {**GOLDEN_BODY, "conference_flags": "deaf", "mute": True, "wait_mod": "true",
            "member_type": "moderator"}
    r = client.post("/api/v1/conferences", json=body, headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    uuid_ = r.json["data"]["conference_uuid"]
    (row,) = fpbx_db.rows("v_conferences")
    assert row["conference_flags"] == "deaf|mute|wait-mod|moderator"
    assert "flags{'deaf|mute|wait-mod|moderator'}" in fpbx_db.rows("v_dialplans")[0][
        "dialplan_xml"]
    got = client.get(f"/api/v1/conferences/{uuid_}", headers=tenants.a.headers).json["data"]
    assert (got["mute"], got["wait_mod"], got["member_type"]) == ("true", "true", "moderator")
    client.put(f"/api/v1/conferences/{uuid_}", json={"mute": False, "member_type":
                                                      "participant"},
               headers=tenants.a.headers)
    assert fpbx_db.rows("v_conferences")[0]["conference_flags"] == "deaf|wait-mod"
    got = client.get(f"/api/v1/conferences/{uuid_}", headers=tenants.a.headers).json["data"]
    assert (got["mute"], got["wait_mod"], got["member_type"]) == ("false", "true",
                                                                   "participant")


def test_moderator_pin_and_max_members_come_from_the_profile(client, tenants, fpbx_db):
    profile = str(uuid.uuid4())
    fpbx_db.execute("INSERT INTO v_conference_profiles (conference_profile_uuid, "
                    "profile_name, profile_enabled) VALUES (:u, 'wideband', true)", u=profile)
    for name, value in (("moderator-pin", "9999"), ("max-members", "50")):
        fpbx_db.execute("INSERT INTO v_conference_profile_params (conference_profile_param_uuid,"
                        " conference_profile_uuid, profile_param_name, profile_param_value, "
                        "profile_param_enabled) VALUES (gen_random_uuid(), :p, :n, :v, true)",
                        p=profile, n=name, v=value)
    r = client.post("/api/v1/conferences", json=GOLDEN_BODY, headers=tenants.a.headers)
    got = client.get(f"/api/v1/conferences/{r.json['data']['conference_uuid']}",
                     headers=tenants.a.headers).json["data"]
    assert (got["moderator_pin"], got["max_members"]) == ("9999", "50")
    r = client.post("/api/v1/conferences", json={**GOLDEN_BODY, "conference_extension": "3002",
                                                  "conference_profile": "default"},
                    headers=tenants.a.headers)
    got = client.get(f"/api/v1/conferences/{r.json['data']['conference_uuid']}",
                     headers=tenants.a.headers).json["data"]
    assert (got["moderator_pin"], got["max_members"]) == (None, None)


def test_name_is_cleaned_as_fusionpbx_does(client, tenants, fpbx_db):
    r = client.post("/api/v1/conferences",
                    json={**GOLDEN_BODY, "conference_name": 'R&D "Lab" <x> 7'},
                    headers=tenants.a.headers)
    assert r.status_code == 201
    assert fpbx_db.rows("v_conferences")[0]["conference_name"] == "RD Lab x 7"
    r = client.post("/api/v1/conferences", json={**GOLDEN_BODY, "conference_name": "&&",
                                                  "conference_extension": "3002"},
                    headers=tenants.a.headers)
    assert r.status_code == 400
    assert r.json["error"]["errors"][0]["field"] == "conference_name"


def test_values_that_would_break_the_application_data_are_400(client, tenants, fpbx_db):
    before = fpbx_db.fingerprint()
    for change in ({"conference_flags": "mute'}+flags{'moderator"},
                   {"conference_profile": "default+1234"}, {"conference_pin_number": "12+3"},
                   {"conference_extension": "30+1"}, {"conference_context": "other.example"},
                   {"conference_order": 1000}):
        r = client.post("/api/v1/conferences", json={**GOLDEN_BODY, **change},
                        headers=tenants.a.headers)
        assert r.status_code == 400, change
        assert r.json["error"]["errors"][0]["field"] in change
    assert fpbx_db.fingerprint() == before


def test_without_pin_or_flags(client, tenants, fpbx_db):
    body = {"conference_name": "Open", "conference_extension": "3100"}
    assert client.post("/api/v1/conferences", json=body,
                       headers=tenants.a.headers).status_code == 201
    (row,) = fpbx_db.rows("v_conferences")
    assert (row["conference_profile"], row["conference_enabled"],
            row["conference_context"]) == ("default", True, "example.com")
    assert 'data="3100@example.com@default+flags{\'\'}"' in fpbx_db.rows("v_dialplans")[0][
        "dialplan_xml"]


def test_number_used_by_an_extension_is_409(client, tenants):
    client.post("/api/v1/extensions", json={"extension": "3001"}, headers=tenants.a.headers)
    r = client.post("/api/v1/conferences", json=GOLDEN_BODY, headers=tenants.a.headers)
    assert r.status_code == 409 and "extension" in r.json["error"]["message"]


def test_delete_removes_its_conference_users(client, tenants, fpbx_db):
    r = client.post("/api/v1/conferences", json=GOLDEN_BODY, headers=tenants.a.headers)
    conference = r.json["data"]["conference_uuid"]
    fpbx_db.execute("INSERT INTO v_conference_users (conference_user_uuid, domain_uuid, "
                    "conference_uuid, user_uuid) VALUES (gen_random_uuid(), :d, :c, "
                    "gen_random_uuid())", d=tenants.a.domain_uuid, c=conference)
    client.delete(f"/api/v1/conferences/{conference}", headers=tenants.a.headers)
    assert fpbx_db.rows("v_conference_users") == []


def test_filters_and_order(client, tenants):
    for n, (name, enabled) in enumerate((("Bravo", True), ("Alpha", False), ("Charlie", True))):
        client.post("/api/v1/conferences", json={"conference_name": name,
                                                 "conference_extension": f"31{n}",
                                                 "conference_enabled": enabled},
                    headers=tenants.a.headers)
    get = lambda q: client.get(f"/api/v1/conferences?{q}",  # noqa: E731
                               headers=tenants.a.headers).json["data"]
    assert [c["conference_name"] for c in get("order=-conference_name")] == [
        "Charlie", "Bravo", "Alpha"]
    assert [c["conference_name"] for c in get("conference_enabled=false")] == ["Alpha"]
    assert [c["conference_name"] for c in get("conference_extension=312")] == ["Charlie"]
    assert [c["conference_name"] for c in get("search=brav")] == ["Bravo"]


def test_writes_clear_the_dialplan_cache(esl_client, tenants, switches):
    cleared = {"cache": {"state": "cleared", "keys": ["dialplan:example.com"]}}
    for step in ("post", "put", "delete"):
        for sim in switches:
            sim.cache_set("dialplan:example.com", "<context/>")
        if step == "post":
            r = esl_client.post("/api/v1/conferences", json=GOLDEN_BODY,
                                headers=tenants.a.headers)
            conference = r.json["data"]["conference_uuid"]
            assert r.json["applied"] == cleared
        elif step == "put":
            r = esl_client.put(f"/api/v1/conferences/{conference}", json=UPDATE,
                               headers=tenants.a.headers)
            assert r.json["applied"] == cleared
        else:
            r = esl_client.delete(f"/api/v1/conferences/{conference}",
                                  headers=tenants.a.headers)
            assert r.headers.get("X-Applied") == "cache=cleared"
            assert r.headers.get("X-Applied-Keys") == "dialplan:example.com"
        assert [sim.cache_get("dialplan:example.com") for sim in switches] == [None, None]


def test_the_name_cannot_be_cleared(client, tenants, fpbx_db):
    uuid_ = client.post("/api/v1/conferences", json=GOLDEN_BODY,
                        headers=tenants.a.headers).json["data"]["conference_uuid"]
    r = client.put(f"/api/v1/conferences/{uuid_}", json={"conference_name": None},
                   headers=tenants.a.headers)
    assert r.status_code == 400 and r.json["error"]["errors"][0]["field"] == "conference_name"
    assert fpbx_db.rows("v_conferences")[0]["conference_name"] == "Weekly Standup"


def test_the_list_shows_and_filters_the_fields_kept_elsewhere(client, tenants, fpbx_db):
    profile = str(uuid.uuid4())
    fpbx_db.execute("INSERT INTO v_conference_profiles (conference_profile_uuid, "
                    "profile_name, profile_enabled) VALUES (:u, 'wideband', true)", u=profile)
    fpbx_db.execute("INSERT INTO v_conference_profile_params (conference_profile_param_uuid, "
                    "conference_profile_uuid, profile_param_name, profile_param_value, "
                    "profile_param_enabled) VALUES (gen_random_uuid(), :p, 'moderator-pin', "
                    "'9999', true)", p=profile)
    client.post("/api/v1/conferences", json={**GOLDEN_BODY, "conference_flags": "moderator"},
                headers=tenants.a.headers)
    client.post("/api/v1/conferences", json={"conference_name": "Plain",
                                             "conference_extension": "3002"},
                headers=tenants.a.headers)
    listed = client.get("/api/v1/conferences?order=conference_extension",
                        headers=tenants.a.headers).json["data"]
    assert [(c["mute"], c["member_type"], c["moderator_pin"], c["wait_mod"])
            for c in listed] == [("false", "moderator", "9999", "false"),
                                 ("false", "participant", None, "false")]
    moderated = client.get("/api/v1/conferences?member_type=moderator",
                           headers=tenants.a.headers).json
    assert [c["conference_extension"] for c in moderated["data"]] == ["3001"]
    client.post("/api/v1/conferences", json={"conference_name": "Muted", "mute": True,
                                             "conference_extension": "3003"},
                headers=tenants.a.headers)
    muted = client.get("/api/v1/conferences?mute=true", headers=tenants.a.headers).json
    assert [c["conference_name"] for c in muted["data"]] == ["Muted"]
    assert client.get("/api/v1/conferences?mute=false",
                      headers=tenants.a.headers).json["pagination"]["total"] == 2


def test_numbers_are_claimed_across_features(client, tenants):
    client.post("/api/v1/conferences", json=GOLDEN_BODY, headers=tenants.a.headers)
    for path, body in (("/api/v1/extensions", {"extension": "3001"}),
                       ("/api/v1/fax/accounts", {"fax_name": "F", "fax_extension": "3001"}),
                       ("/api/v1/conference-centers/centers",
                        {"conference_center_name": "C", "conference_center_extension": "3001"}),
                       ("/api/v1/conferences", {**GOLDEN_BODY, "conference_name": "Other"})):
        r = client.post(path, json=body, headers=tenants.a.headers)
        assert r.status_code == 409 and "conference" in r.json["error"]["message"], path
    assert client.post("/api/v1/extensions", json={"extension": "3001"},
                       headers=tenants.b.headers).status_code == 201


def test_a_deleted_user_leaves_no_memberships(client, tenants, fpbx_db):
    from tests.helpers import add_user

    user = add_user(fpbx_db, tenants.a.domain_uuid, "leaving")
    conference = client.post("/api/v1/conferences", json=GOLDEN_BODY,
                             headers=tenants.a.headers).json["data"]["conference_uuid"]
    fax = client.post("/api/v1/fax/accounts", json={"fax_name": "F", "fax_extension": "9000"},
                      headers=tenants.a.headers).json["data"]["fax_uuid"]
    client.post("/api/v1/conference-centers/centers", json={
        "conference_center_name": "C", "conference_center_extension": "3500"},
        headers=tenants.a.headers)
    assert client.post("/api/v1/conference-centers/rooms", json={
        "conference_room_name": "R", "user_uuid": user},
        headers=tenants.a.headers).status_code == 201
    for table, column, value in (("v_conference_users", "conference_uuid", conference),
                                 ("v_fax_users", "fax_uuid", fax)):
        fpbx_db.execute(f"INSERT INTO {table} ({table[2:-1]}_uuid, domain_uuid, {column}, "
                        "user_uuid) VALUES (gen_random_uuid(), :d, :v, :u)",
                        d=tenants.a.domain_uuid, v=value, u=user)
    assert client.delete(f"/api/v1/users/{user}", headers=tenants.a.headers).status_code == 204
    for table in ("v_conference_users", "v_fax_users", "v_conference_room_users"):
        assert fpbx_db.rows(table) == [], table
