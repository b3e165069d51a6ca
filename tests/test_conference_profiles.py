"""Conference profiles and their params: system-wide, read by any key, written only with
the system scope."""

from __future__ import annotations

import json

PROFILES = "/api/v1/conference-centers/profiles"


def system(tenant) -> dict:
    return tenant.auth_modes()["system key"]


def test_any_key_reads_only_the_system_scope_writes(client, tenants, fpbx_db):
    before = fpbx_db.fingerprint()
    r = client.post(PROFILES, json={"profile_name": "wideband"}, headers=tenants.a.headers)
    assert r.status_code == 403 and r.json["error"]["code"] == "FORBIDDEN"
    assert fpbx_db.fingerprint() == before
    for mode, headers in tenants.a.auth_modes().items():
        if mode == "write key":
            continue
        r = client.post(PROFILES, json={"profile_name": f"p-{mode.split()[0]}"},
                        headers=headers)
        assert r.status_code == 201, (mode, r.json)
    profile = r.json["data"]["conference_profile_uuid"]
    for headers in (tenants.a.headers, tenants.b.headers, {"X-API-Key": tenants.b.read_key}):
        listed = client.get(PROFILES, headers=headers).json
        assert listed["pagination"]["total"] == 2
        assert client.get(f"{PROFILES}/{profile}", headers=headers).status_code == 200
    for method, body in (("put", {"profile_description": "x"}), ("delete", None)):
        r = client.open(f"{PROFILES}/{profile}", method=method.upper(), json=body,
                        headers=tenants.b.headers)
        assert r.status_code == 403, method
    assert client.put(f"{PROFILES}/{profile}", json={"profile_description": "x"},
                      headers=system(tenants.b)).status_code == 200


def test_params_are_written_with_the_profile(client, tenants, fpbx_db):
    params = [{"profile_param_name": "moderator-pin", "profile_param_value": "8642"},
              {"profile_param_name": "max-members", "profile_param_value": "40"}]
    r = client.post(PROFILES, json={"profile_name": "wideband", "params": params},
                    headers=system(tenants.a))
    assert r.status_code == 201, r.json
    profile = r.json["data"]["conference_profile_uuid"]
    got = client.get(f"{PROFILES}/{profile}", headers=tenants.b.headers).json["data"]
    assert [(p["profile_param_name"], p["profile_param_value"], p["profile_param_enabled"])
            for p in got["params"]] == [("max-members", "40", "true"),
                                        ("moderator-pin", "8642", "true")]

    # a conference on that profile shows what FusionPBX keeps there
    r = client.post("/api/v1/conferences", json={"conference_name": "Bridge",
                                                 "conference_extension": "3001",
                                                 "conference_profile": "wideband"},
                    headers=tenants.a.headers)
    conference = client.get(f"/api/v1/conferences/{r.json['data']['conference_uuid']}",
                            headers=tenants.a.headers).json["data"]
    assert (conference["moderator_pin"], conference["max_members"]) == ("8642", "40")

    r = client.put(f"{PROFILES}/{profile}", json={"params": [*params, params[0]]},
                   headers=system(tenants.a))
    assert r.status_code == 400
    assert client.put(f"{PROFILES}/{profile}", json={"params": params[1:]},
                      headers=tenants.a.headers).status_code == 403
    assert client.put(f"{PROFILES}/{profile}", json={"params": params[1:]},
                      headers=system(tenants.a)).status_code == 200
    assert [p["profile_param_name"] for p in fpbx_db.rows("v_conference_profile_params")] == [
        "max-members"]
    trail = json.dumps(fpbx_db.rows("v_database_transactions"), default=str)
    assert "8642" not in trail and "wideband" in trail

    assert client.delete(f"{PROFILES}/{profile}", headers=system(tenants.a)).status_code == 204
    assert fpbx_db.rows("v_conference_profile_params") == []


def test_bad_names_are_400(client, tenants, fpbx_db):
    before = fpbx_db.fingerprint()
    for body in ({"profile_name": "a b"}, {"profile_name": "x+1"}, {},
                 {"profile_name": "p", "params": [{"profile_param_name": "Max Members"}]},
                 {"profile_name": "p", "params": [{"profile_param_name": "x",
                                                   "profile_param_value": "${system(id)}"}]}):
        assert client.post(PROFILES, json=body, headers=system(tenants.a)).status_code == 400
    assert fpbx_db.fingerprint() == before
