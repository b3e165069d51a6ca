"""Gateways through HTTP against PostgreSQL, row by row against FusionPBX's own writes
(tests/golden/gateways.json), and the sofia commands that apply them."""

from __future__ import annotations

from tests.helpers import golden, golden_step, same_create, same_rows

GOLDEN = golden("gateways")
VOLATILE = {"gateway_uuid", "domain_uuid"}
FORM_FIELDS = ["gateway", "username", "password", "from_user", "from_domain", "proxy", "realm",
               "expire_seconds", "register", "retry_seconds", "distinct_to", "auth_username",
               "extension", "register_transport", "contact_params", "register_proxy",
               "outbound_proxy", "caller_id_in_from", "supress_cng", "sip_cid_type",
               "codec_prefs", "ping", "ping_min", "ping_max", "contact_in_ping", "channels",
               "hostname", "context", "profile", "enabled", "description"]


def golden_body() -> dict:
    """The form as posted: strings, with '' for the fields left empty."""
    return {k: GOLDEN["input"][k] for k in FORM_FIELDS} | {
        k: int(GOLDEN["input"][k]) for k in ("expire_seconds", "retry_seconds", "channels")}


def test_crud_writes_what_fusionpbx_writes(client, tenants, fpbx_db):
    headers = tenants.a.headers
    r, _, _ = same_create(client, fpbx_db, "/api/v1/gateways", golden_body(), headers, GOLDEN,
                          VOLATILE, message="Gateway created successfully")

    uuid = r.json["data"]["gateway_uuid"]
    before = fpbx_db.snapshot()
    update = {"channels": 20, "description": "Primary SIP trunk (20 ch)"}
    assert client.put(f"/api/v1/gateways/{uuid}", json=update, headers=headers
                      ).status_code == 200
    (old, new), = fpbx_db.changes(before)["v_gateways"]["changed"]
    (golden_change,) = GOLDEN["update"]["rows_changed"]["v_gateways"]
    assert {k for k in new if old[k] != new[k]} == set(golden_change["changed_columns"]) - {
        "update_user"}
    same_rows([new], [golden_change["after"]], VOLATILE)

    before = fpbx_db.snapshot()
    assert client.delete(f"/api/v1/gateways/{uuid}", headers=headers).status_code == 204
    changes = fpbx_db.changes(before)
    same_rows(changes["v_gateways"]["removed"],
              golden_step(GOLDEN, "delete", "rows_removed")["v_gateways"], VOLATILE)


def test_password_is_write_only(client, tenants, fpbx_db):
    uuid = client.post("/api/v1/gateways", json=golden_body(),
                       headers=tenants.a.headers).json["data"]["gateway_uuid"]
    for response in (client.get(f"/api/v1/gateways/{uuid}", headers=tenants.a.headers),
                     client.get("/api/v1/gateways", headers=tenants.a.headers)):
        assert "Trunk-Secret-2024" not in response.get_data(as_text=True)
        assert response.status_code == 200
    client.put(f"/api/v1/gateways/{uuid}", json={"password": "New-Secret"},
               headers=tenants.a.headers)
    assert fpbx_db.rows("v_gateways")[0]["password"] == "New-Secret"


def test_changes_are_applied_with_the_commands_fusionpbx_sends(esl_client, tenants, switches):
    fs1, fs2 = switches
    for sim in (fs1, fs2):  # sofia.conf as FusionPBX's Lua caches it, in both key forms
        for key in (f"{sim.hostname}:configuration:sofia.conf", "configuration:sofia.conf"):
            sim.cache_set(key, "<configuration/>")
    r = esl_client.post("/api/v1/gateways", json=golden_body(), headers=tenants.a.headers)
    assert r.json["applied"] == {
        "cache": {"state": "cleared", "keys": ["{hostname}:configuration:sofia.conf",
                                               "configuration:sofia.conf"]},
        "reload": {"state": "applied", "commands": ["sofia profile external rescan"]}}
    uuid = r.json["data"]["gateway_uuid"]
    for sim in (fs1, fs2):
        assert sim.received("api sofia") == ["api sofia profile external rescan"]
        assert sim.cache_get(f"{sim.hostname}:configuration:sofia.conf") is None
        assert sim.cache_get("configuration:sofia.conf") is None

    system = {"X-API-Key": tenants.a.system_key}  # the internal profile needs it
    r = esl_client.put(f"/api/v1/gateways/{uuid}", json={"profile": "internal"},
                       headers=system)
    assert r.json["applied"]["reload"]["commands"] == [
        f"sofia profile external killgw {uuid}", "sofia profile external rescan",
        "sofia profile internal rescan"]
    assert fs1.received("api sofia")[1:] == [f"api sofia profile external killgw {uuid}",
                                             "api sofia profile external rescan",
                                             "api sofia profile internal rescan"]
    r = esl_client.delete(f"/api/v1/gateways/{uuid}", headers=system)
    assert r.headers["X-Applied"] == "cache=cleared,reload=applied"
    assert r.headers["X-Applied-Keys"] == ("{hostname}:configuration:sofia.conf,"
                                           "configuration:sofia.conf")
    assert r.headers["X-Applied-Commands"] == (f"sofia profile internal killgw {uuid},"
                                               "sofia profile internal rescan")
    assert fs2.received("api sofia")[-2:] == [f"api sofia profile internal killgw {uuid}",
                                              "api sofia profile internal rescan"]


def test_duplicate_name_is_409(client, tenants):
    assert client.post("/api/v1/gateways", json=golden_body(),
                       headers=tenants.a.headers).status_code == 201
    r = client.post("/api/v1/gateways", json=golden_body(), headers=tenants.a.headers)
    assert r.status_code == 409 and r.json["error"]["code"] == "DUPLICATE_ERROR"


def test_hostile_profile_never_reaches_the_switch(esl_client, tenants, switches):
    for profile in ("external rescan", "ext\nreloadxml", "a;b"):
        r = esl_client.post("/api/v1/gateways", json={**golden_body(), "profile": profile},
                            headers=tenants.a.headers)
        assert r.status_code == 400
    assert switches[0].received() == []
