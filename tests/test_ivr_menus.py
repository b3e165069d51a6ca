"""IVR menus through HTTP against PostgreSQL, row by row against FusionPBX's own writes
(tests/golden/ivr_menus.json), including the exact dialplan XML, and the ivr.conf cache
entries of a menu and the menus above it."""

from __future__ import annotations

import re

import pytest

from tests.helpers import golden, golden_step, same_rows

GOLDEN = golden("ivr_menus")
VOLATILE = {"ivr_menu_uuid", "dialplan_uuid", "ivr_menu_option_uuid", "domain_uuid"}
NOT_POSTED = {"domain_uuid", "ivr_menu_context", "ivr_menu_uuid", "dialplan_uuid"}
OPTION = re.compile(r"ivr_menu_options\[(\d+)\]\[(\w+)\]")


def body_of(form: dict) -> dict:
    """FusionPBX's form as an API body: the same fields, an empty field left out (it is
    stored as NULL), each 'app:data' selector split into its two columns, the option
    rows that have digits (FusionPBX skips the others)."""
    body, options = {}, {}
    for name, value in form.items():
        row = OPTION.fullmatch(name)
        if row:
            options.setdefault(int(row[1]), {})[row[2]] = value
        elif value != "" and name not in NOT_POSTED and not name.startswith(("<", "ivr_menu_o")):
            body[name] = value
    app, _, data = body.pop("ivr_menu_exit_action").partition(":")
    body.update(ivr_menu_exit_app=app, ivr_menu_exit_data=data)
    body["options"] = []
    for _, option in sorted(options.items()):
        if option["ivr_menu_option_digits"]:
            action, _, param = option.pop("ivr_menu_option_param").partition(":")
            option.pop("ivr_menu_option_uuid", None)
            body["options"].append({**option, "ivr_menu_option_action": action,
                                    "ivr_menu_option_param": param})
    return body


GOLDEN_BODY = body_of(GOLDEN["input"])
CONTRACT_OPTION = {"ivr_menu_option_digits": "1", "ivr_menu_option_action": "menu-exec-app",
                   "ivr_menu_option_param": "transfer 1001 XML example.com",
                   "ivr_menu_option_order": "10", "ivr_menu_option_enabled": "true",
                   "ivr_menu_option_description": "Sales"}


def uuids_of(step_rows: dict) -> dict:
    menu = step_rows["v_ivr_menus"][0]
    return {"menu": str(menu["ivr_menu_uuid"]), "dialplan": str(menu["dialplan_uuid"])}


def test_the_golden_form_becomes_the_api_body():
    assert GOLDEN_BODY["ivr_menu_exit_app"] == "transfer"
    assert [o["ivr_menu_option_param"] for o in GOLDEN_BODY["options"]] == [
        "transfer 1001 XML example.com", "transfer 1002 XML example.com"]


def test_crud_writes_what_fusionpbx_writes(client, tenants, fpbx_db):
    headers = tenants.a.headers
    before = fpbx_db.snapshot()
    r = client.post("/api/v1/ivr-menus", json=GOLDEN_BODY, headers=headers)
    assert r.status_code == 201, r.json
    assert r.json["message"] == "IVR menu created successfully"
    changes = fpbx_db.changes(before)
    expected = golden_step(GOLDEN, "create", "rows_added")
    assert set(changes) == set(expected) | {"v_database_transactions"}
    ours = uuids_of({t: c["added"] for t, c in changes.items()})
    theirs = uuids_of(expected)
    replace = {theirs[k]: ours[k] for k in theirs}
    for table, rows in expected.items():
        same_rows(changes[table]["added"], rows, VOLATILE, replace)
    xml = expected["v_dialplans"][0]["dialplan_xml"]
    for key in theirs:
        xml = xml.replace(theirs[key], ours[key])
    assert changes["v_dialplans"]["added"][0]["dialplan_xml"] == xml

    uuid = r.json["data"]["ivr_menu_uuid"]
    before = fpbx_db.snapshot()
    update = GOLDEN["update"]["fields_changed_in_form"]
    assert client.put(f"/api/v1/ivr-menus/{uuid}", json=update,
                      headers=headers).status_code == 200
    changes = fpbx_db.changes(before)
    for table, rows in GOLDEN["update"]["rows_changed"].items():
        (old, new), = changes[table]["changed"]
        assert {k for k in new if old[k] != new[k]} == set(rows[0]["changed_columns"]) - {
            "update_user"}, table
        same_rows([new], [rows[0]["after"]], VOLATILE, replace)
    assert set(changes) == set(GOLDEN["update"]["rows_changed"]) | {"v_database_transactions"}

    before = fpbx_db.snapshot()
    assert client.delete(f"/api/v1/ivr-menus/{uuid}", headers=headers).status_code == 204
    changes = fpbx_db.changes(before)
    removed = golden_step(GOLDEN, "delete", "rows_removed")
    assert {t for t in changes if changes[t]["removed"]} == set(removed)
    for table, rows in removed.items():
        same_rows(changes[table]["removed"], rows, VOLATILE, replace)


def test_the_audit_trail_redacts_the_pin(client, tenants, fpbx_db):
    client.post("/api/v1/ivr-menus", json={**GOLDEN_BODY, "ivr_menu_pin_number": "24680"},
                headers=tenants.a.headers)
    (entry,) = fpbx_db.rows("v_database_transactions")
    assert "24680" not in entry["transaction_new"] and "Main Menu" in entry["transaction_new"]
    (menu,) = fpbx_db.rows("v_ivr_menus")
    assert menu["ivr_menu_pin_number"] == "24680"
    data = client.get(f"/api/v1/ivr-menus/{menu['ivr_menu_uuid']}",
                      headers=tenants.a.headers).json["data"]
    assert "ivr_menu_pin_number" not in data


def test_get_returns_options_in_order_and_numbers_as_strings(client, tenants):
    uuid = client.post("/api/v1/ivr-menus", json=GOLDEN_BODY,
                       headers=tenants.a.headers).json["data"]["ivr_menu_uuid"]
    data = client.get(f"/api/v1/ivr-menus/{uuid}", headers=tenants.a.headers).json["data"]
    assert [(o["ivr_menu_option_digits"], o["ivr_menu_option_order"])
            for o in data["options"]] == [("1", "1"), ("2", "2")]
    assert data["ivr_menu_timeout"] == "5000" and data["ivr_menu_direct_dial"] == "true"
    assert data["ivr_menu_context"] == "example.com"
    listed = client.get("/api/v1/ivr-menus", headers=tenants.a.headers).json["data"]
    assert listed == [{k: data[k] for k in listed[0]}]


def test_language_as_the_form_posts_it(client, tenants, fpbx_db):
    client.post("/api/v1/ivr-menus", json={**GOLDEN_BODY, "ivr_menu_language": "fr/ca/june"},
                headers=tenants.a.headers)
    (menu,) = fpbx_db.rows("v_ivr_menus")
    assert (menu["ivr_menu_language"], menu["ivr_menu_dialect"], menu["ivr_menu_voice"]) == (
        "fr", "ca", "june")
    xml = fpbx_db.rows("v_dialplans")[0]["dialplan_xml"]
    assert ('<action application="set" data="sound_prefix=$${sounds_dir}/fr/ca/june" '
            'inline="true"/>') in xml


def test_answer_and_lua_follow_the_settings(client, tenants, fpbx_db):
    for name, value in (("answer", "false"), ("application", "lua")):
        fpbx_db.execute(
            "INSERT INTO v_default_settings (default_setting_uuid, default_setting_category, "
            "default_setting_subcategory, default_setting_name, default_setting_value, "
            "default_setting_enabled) VALUES (gen_random_uuid(), 'ivr_menu', :n, 'text', "
            ":v, true)", n=name, v=value)
    client.post("/api/v1/ivr-menus", json=GOLDEN_BODY, headers=tenants.a.headers)
    xml = fpbx_db.rows("v_dialplans")[0]["dialplan_xml"]
    assert '"answer"' not in xml and '<action application="lua" data="ivr_menu.lua"/>' in xml
    assert 'application="ivr"' not in xml


def submenu(client, tenant, parent: str, n: int) -> str:
    r = client.post("/api/v1/ivr-menus", json={
        "ivr_menu_name": f"Sub {n}", "ivr_menu_extension": f"51{n}",
        "ivr_menu_parent_uuid": parent}, headers=tenant.headers)
    assert r.status_code == 201, r.json
    return r.json["data"]["ivr_menu_uuid"]


def test_a_write_clears_the_menu_and_every_menu_above_it(esl_client, tenants, switches):
    top = esl_client.post("/api/v1/ivr-menus", json=GOLDEN_BODY,
                          headers=tenants.a.headers).json["data"]["ivr_menu_uuid"]
    middle = submenu(esl_client, tenants.a, top, 1)
    bottom = submenu(esl_client, tenants.a, middle, 2)
    other = submenu(esl_client, tenants.a, top, 3)
    keys = {m: f"configuration:ivr.conf:{m}" for m in (top, middle, bottom, other)}
    for sim in switches:
        for key in [*keys.values(), "dialplan:example.com"]:
            sim.cache_set(key, "<document/>")
    r = esl_client.put(f"/api/v1/ivr-menus/{bottom}", json={"ivr_menu_timeout": 4000},
                       headers=tenants.a.headers)
    assert r.json["applied"] == {"cache": "cleared"}
    for sim in switches:
        assert [m for m, key in keys.items() if sim.cache_get(key) is None] == [
            top, middle, bottom]
        assert sim.cache_get("dialplan:example.com") is None


def test_moving_a_menu_clears_its_old_and_new_parents(esl_client, tenants, switches):
    first = submenu(esl_client, tenants.a, None, 1)
    second = submenu(esl_client, tenants.a, None, 2)
    child = submenu(esl_client, tenants.a, first, 3)
    for sim in switches:
        sim.cache_set(f"configuration:ivr.conf:{first}", "x")
        sim.cache_set(f"configuration:ivr.conf:{second}", "x")
    esl_client.put(f"/api/v1/ivr-menus/{child}", json={"ivr_menu_parent_uuid": second},
                   headers=tenants.a.headers)
    for sim in switches:
        assert sim.cache_get(f"configuration:ivr.conf:{first}") is None
        assert sim.cache_get(f"configuration:ivr.conf:{second}") is None


def test_a_parent_must_be_a_menu_of_the_domain_and_not_below_the_menu(client, tenants,
                                                                     fpbx_db):
    top = submenu(client, tenants.a, None, 1)
    below = submenu(client, tenants.a, top, 2)
    theirs = submenu(client, tenants.b, None, 3)
    before = fpbx_db.fingerprint()
    for uuid, parent in ((top, below), (top, top), (top, theirs)):
        r = client.put(f"/api/v1/ivr-menus/{uuid}", json={"ivr_menu_parent_uuid": parent},
                       headers=tenants.a.headers)
        assert r.status_code == 400 and r.json["error"]["field"] == "ivr_menu_parent_uuid"
    assert fpbx_db.fingerprint() == before


def test_delete_also_removes_what_fusionpbx_leaves_pointing_at_the_menu(
        esl_client, tenants, fpbx_db, switches):
    """FusionPBX leaves submenus under a parent that is gone and menu-sub options that
    FreeSWITCH cannot follow; the API lifts the submenus to the top and deletes those
    options, clearing the menus that held them."""
    top = esl_client.post("/api/v1/ivr-menus", json=GOLDEN_BODY,
                          headers=tenants.a.headers).json["data"]["ivr_menu_uuid"]
    doomed = submenu(esl_client, tenants.a, top, 1)
    child = submenu(esl_client, tenants.a, doomed, 2)
    sub = {"ivr_menu_option_digits": "9", "ivr_menu_option_action": "menu-sub",
           "ivr_menu_option_param": doomed}
    r = esl_client.put(f"/api/v1/ivr-menus/{top}",
                       json={"options": [*GOLDEN_BODY["options"], sub]},
                       headers=tenants.a.headers)
    assert r.status_code == 200, r.json
    for sim in switches:
        sim.cache_set(f"configuration:ivr.conf:{top}", "x")
        sim.cache_set(f"configuration:ivr.conf:{doomed}", "x")
    assert esl_client.delete(f"/api/v1/ivr-menus/{doomed}",
                             headers=tenants.a.headers).status_code == 204
    assert fpbx_db.rows("v_ivr_menus", ivr_menu_uuid=child)[0]["ivr_menu_parent_uuid"] is None
    assert [o["ivr_menu_option_digits"] for o in fpbx_db.rows("v_ivr_menu_options")] \
        and "9" not in [o["ivr_menu_option_digits"] for o in fpbx_db.rows("v_ivr_menu_options")]
    for sim in switches:
        assert sim.cache_get(f"configuration:ivr.conf:{top}") is None
        assert sim.cache_get(f"configuration:ivr.conf:{doomed}") is None


@pytest.mark.parametrize("option", [
    {"ivr_menu_option_action": "menu-exec-app", "ivr_menu_option_param": "system rm -rf /"},
    {"ivr_menu_option_action": "menu-exec-app",
     "ivr_menu_option_param": "transfer 1001 XML other.example"},
    {"ivr_menu_option_action": "menu-exec-app", "ivr_menu_option_param": None},
    {"ivr_menu_option_action": "menu-play-sound", "ivr_menu_option_param": "x.wav"},
    {"ivr_menu_option_action": "menu-top", "ivr_menu_option_param": "1"},
    {"ivr_menu_option_action": "menu-sub",
     "ivr_menu_option_param": "00000000-0000-4000-8000-000000000000"},
    {"ivr_menu_option_digits": '1" param="x'},
])
def test_options_refuse_what_fusionpbx_does_not_offer(client, tenants, fpbx_db, option):
    before = fpbx_db.fingerprint()
    r = client.post("/api/v1/ivr-menus",
                    json={**GOLDEN_BODY, "options": [{**CONTRACT_OPTION, **option}]},
                    headers=tenants.a.headers)
    assert r.status_code == 400, r.json
    assert {e["field"] for e in r.json["error"]["errors"]} & {
        f"options.0.{k}" for k in option}, r.json
    assert fpbx_db.fingerprint() == before


def test_option_shapes_fusionpbx_offers(client, tenants, fpbx_db):
    other = submenu(client, tenants.a, None, 1)
    options = [{"ivr_menu_option_digits": d, "ivr_menu_option_action": a,
                "ivr_menu_option_param": p} for d, a, p in (
        ("1", "menu-exec-app", "transfer *991001 XML example.com"),
        ("2", "menu-exec-app", "bridge group/sales@example.com"),
        ("3", "menu-exec-app", "hangup"), ("4", "menu-sub", other),
        ("5", "menu-top", ""), ("6", "menu-back", None), ("*", "menu-exit", ""))]
    r = client.post("/api/v1/ivr-menus", json={**GOLDEN_BODY, "options": options},
                    headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    stored = {o["ivr_menu_option_digits"]: (o["ivr_menu_option_action"],
                                            o["ivr_menu_option_param"])
              for o in fpbx_db.rows("v_ivr_menu_options")}
    assert stored["3"] == ("menu-exec-app", "hangup") and stored["4"] == ("menu-sub", other)
    assert stored["5"] == ("menu-top", None) and stored["*"] == ("menu-exit", None)


def test_the_number_is_claimed(client, tenants):
    client.post("/api/v1/extensions", json={"extension": "5000"}, headers=tenants.a.headers)
    r = client.post("/api/v1/ivr-menus", json=GOLDEN_BODY, headers=tenants.a.headers)
    assert r.status_code == 409 and r.json["error"]["field"] == "ivr_menu_extension"



def test_the_demo_has_a_menu_to_explore(tmp_path):
    from fpbx_api.app import create_app
    from fpbx_api.demo import build_demo_database, demo_config, demo_switch
    path = str(tmp_path / "demo.sqlite")
    key = build_demo_database(path)
    switch = demo_switch(path)
    client = create_app(demo_config(path, switch)).test_client()
    headers = {"X-API-Key": key, "X-Domain": "example.com"}
    (menu,) = client.get("/api/v1/ivr-menus", headers=headers).json["data"]
    got = client.get(f"/api/v1/ivr-menus/{menu['ivr_menu_uuid']}", headers=headers).json
    assert [o["ivr_menu_option_param"] for o in got["data"]["options"]] == [
        "transfer 1001 XML example.com", "transfer 1002 XML example.com"]
    r = client.put(f"/api/v1/ivr-menus/{menu['ivr_menu_uuid']}",
                   json={"ivr_menu_description": "Explored"}, headers=headers)
    assert r.status_code == 200, r.json
    assert client.get(f"/api/v1/ivr-menus/{menu['ivr_menu_uuid']}",
                      headers=headers).json["data"]["dialplan_uuid"]
    switch.stop()


def test_filters_search_and_order(client, tenants):
    top = submenu(client, tenants.a, None, 1)
    submenu(client, tenants.a, top, 2)
    submenu(client, tenants.a, top, 3)
    get = lambda query: client.get(f"/api/v1/ivr-menus?{query}",  # noqa: E731
                                   headers=tenants.a.headers).json["data"]
    assert [m["ivr_menu_name"] for m in get(f"ivr_menu_parent_uuid={top}")] == [
        "Sub 2", "Sub 3"]
    assert [m["ivr_menu_extension"] for m in get("order=-ivr_menu_extension")] == [
        "513", "512", "511"]
    assert [m["ivr_menu_name"] for m in get("search=sub 3")] == ["Sub 3"]
