"""IVR menus through HTTP against PostgreSQL, row by row against FusionPBX's own writes
(tests/golden/ivr_menus.json), including the exact dialplan XML, and the ivr.conf cache
entries of a menu and the menus above it."""

from __future__ import annotations

import re

import pytest

from tests.helpers import golden, same_crud

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
    same_crud(client, fpbx_db, "/api/v1/ivr-menus", GOLDEN_BODY,
              GOLDEN["update"]["fields_changed_in_form"], tenants.a.headers, GOLDEN, VOLATILE,
              "ivr_menu_uuid", uuids=uuids_of, message="IVR menu created successfully")


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
    assert r.json["applied"] == {"cache": {"state": "cleared", "keys": [
        "dialplan:example.com", *sorted(keys[m] for m in (top, middle, bottom))]}}
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


# --- the nested collection /ivr-menus/<uuid>/options -------------------------------------

def options_of(client, tenant, body=None) -> str:
    r = client.post("/api/v1/ivr-menus", json=body or {
        "ivr_menu_name": "Main", "ivr_menu_extension": "5000",
        "options": [{**CONTRACT_OPTION, "ivr_menu_option_param":
                     f"transfer 1001 XML {tenant.name}"}]}, headers=tenant.headers)
    assert r.status_code == 201, r.json
    return f"/api/v1/ivr-menus/{r.json['data']['ivr_menu_uuid']}/options"


def test_options_one_by_one(esl_client, tenants, fpbx_db, switches):
    path = options_of(esl_client, tenants.a)
    menu = path.split("/")[-2]
    for sim in switches:
        sim.cache_set(f"configuration:ivr.conf:{menu}", "x")
    r = esl_client.post(path, json={**CONTRACT_OPTION, "ivr_menu_option_digits": "2",
                                    "ivr_menu_option_order": 20}, headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    assert r.json["applied"] == {"cache": {"state": "cleared",
                                           "keys": [f"configuration:ivr.conf:{menu}"]}}
    assert [sim.cache_get(f"configuration:ivr.conf:{menu}") for sim in switches] == [None] * 2
    option = r.json["data"]["ivr_menu_option_uuid"]
    (row,) = fpbx_db.rows("v_ivr_menu_options", ivr_menu_option_uuid=option)
    assert (str(row["ivr_menu_uuid"]), row["domain_uuid"] is not None) == (menu, True)
    listed = esl_client.get(f"{path}?order=-ivr_menu_option_order",
                            headers=tenants.a.headers).json
    assert [o["ivr_menu_option_digits"] for o in listed["data"]] == ["2", "1"]
    assert listed["pagination"]["total"] == 2
    r = esl_client.put(f"{path}/{option}", json={"ivr_menu_option_description": "Billing"},
                       headers=tenants.a.headers)
    assert r.status_code == 200, r.json
    got = esl_client.get(f"{path}/{option}", headers=tenants.a.headers).json["data"]
    assert got["ivr_menu_option_description"] == "Billing" and got["ivr_menu_option_order"] == "20"
    r = esl_client.post(path, json={**CONTRACT_OPTION, "ivr_menu_option_digits": "2"},
                        headers=tenants.a.headers)
    assert r.status_code == 409
    assert esl_client.delete(f"{path}/{option}", headers=tenants.a.headers).status_code == 204
    assert fpbx_db.rows("v_ivr_menu_options", ivr_menu_option_uuid=option) == []


def test_options_of_another_domains_menu_are_404(client, tenants, fpbx_db):
    theirs = options_of(client, tenants.b)
    mine = options_of(client, tenants.a, {"ivr_menu_name": "Mine", "ivr_menu_extension": "5001"})
    option = client.get(theirs, headers=tenants.b.headers).json["data"][0][
        "ivr_menu_option_uuid"]
    before = fpbx_db.fingerprint()
    calls = [("get", theirs), ("post", theirs)] + [
        (method, url) for url in (f"{theirs}/{option}", f"{mine}/{option}")
        for method in ("get", "put", "delete")]
    for method, url in calls:
        r = getattr(client, method)(url, json=CONTRACT_OPTION, headers=tenants.a.headers)
        assert r.status_code == 404, (method, url, r.json)
        assert r.json["error"]["code"] == "NOT_FOUND"
    r = client.get(theirs, headers=tenants.a.headers)
    assert r.json["error"]["message"] == "IVR menu not found"
    assert client.get(mine, headers=tenants.a.headers).json["data"] == []
    assert fpbx_db.fingerprint() == before


def test_nested_options_refuse_hostile_destinations(esl_client, tenants, fpbx_db, switches):
    from fpbx_api.testing.destinations import (
        accepted_hostile_values,
        destination_fields,
        route,
        spec_of,
    )

    class Nested:
        path = options_of(esl_client, tenants.a,
                          {"ivr_menu_name": "Main", "ivr_menu_extension": "5000"})
        key = "ivr_menu_option_uuid"

        def body_for(self, tenant, n):
            return {**CONTRACT_OPTION, "ivr_menu_option_digits": str(n),
                    "ivr_menu_option_param": f"transfer 1001 XML {tenant.name}"}

    sent_to = [(method, field) for method, path, field, _ in
               destination_fields(spec_of(esl_client.application))
               if route(path).fullmatch(Nested.path) or route(path).fullmatch(
                   f"{Nested.path}/x")]
    assert sorted(sent_to) == [(m, f"ivr_menu_option_{f}") for m in ("post", "put")
                               for f in ("action", "param")]
    assert accepted_hostile_values(esl_client, tenants.a, fpbx_db, switches, Nested()) == []


def test_a_nested_option_may_open_a_submenu_of_the_domain_only(client, tenants):
    path = options_of(client, tenants.a)
    sub = submenu(client, tenants.a, path.split("/")[-2], 1)
    theirs = submenu(client, tenants.b, None, 2)
    for target, status in ((theirs, 400), (sub, 201)):
        r = client.post(path, json={"ivr_menu_option_digits": "5",
                                    "ivr_menu_option_action": "menu-sub",
                                    "ivr_menu_option_param": target},
                        headers=tenants.a.headers)
        assert r.status_code == status, r.json


def test_duplicate_digits_in_a_menu_body_are_400(client, tenants):
    r = client.post("/api/v1/ivr-menus", json={**GOLDEN_BODY, "options": [
        CONTRACT_OPTION, {**CONTRACT_OPTION, "ivr_menu_option_order": "20"}]},
        headers=tenants.a.headers)
    assert r.status_code == 400 and r.json["error"]["field"] == "options.1.ivr_menu_option_digits"


@pytest.mark.parametrize("ringback", ["${us-ring}", "local_stream://default",
                                      "local_stream://example.com/jazz", "greeting.wav"])
def test_ringbacks_fusionpbx_offers(client, tenants, fpbx_db, ringback):
    r = client.post("/api/v1/ivr-menus", json={**GOLDEN_BODY, "ivr_menu_ringback": ringback},
                    headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    assert f'data="ringback={ringback}"' in fpbx_db.rows("v_dialplans")[0]["dialplan_xml"]


@pytest.mark.parametrize("ringback", ["${system(id)}", "local_stream://other.example/jazz",
                                      'x" data="y', "{x}"])
def test_other_ringbacks_are_400(client, tenants, ringback):
    r = client.post("/api/v1/ivr-menus", json={**GOLDEN_BODY, "ivr_menu_ringback": ringback},
                    headers=tenants.a.headers)
    assert r.status_code == 400, r.json
    assert r.json["error"]["errors"][0]["field"] == "ivr_menu_ringback"


def test_an_options_action_and_parameter_change_together(client, tenants, fpbx_db):
    menu = client.post("/api/v1/ivr-menus", json={
        "ivr_menu_name": "Pairs", "ivr_menu_extension": "5300", "options": [
            {"ivr_menu_option_digits": "1", "ivr_menu_option_action": "menu-exec-app",
             "ivr_menu_option_param": "transfer 1001 XML example.com"}]},
        headers=tenants.a.headers).json["data"]["ivr_menu_uuid"]
    options = f"/api/v1/ivr-menus/{menu}/options"
    (option,) = client.get(options, headers=tenants.a.headers).json["data"]
    item = f"{options}/{option['ivr_menu_option_uuid']}"
    r = client.put(item, json={"ivr_menu_option_param": "transfer 1003 XML example.com"},
                   headers=tenants.a.headers)
    assert r.status_code == 400
    assert r.json["error"]["errors"] == [{"field": "ivr_menu_option_param",
                                          "message": "Give ivr_menu_option_action with it."}]
    assert client.put(item, json={"ivr_menu_option_action": "menu-top"},
                      headers=tenants.a.headers).status_code == 200
    got = client.get(item, headers=tenants.a.headers).json["data"]
    assert (got["ivr_menu_option_action"], got["ivr_menu_option_param"]) == ("menu-top", None)


def test_a_submenu_may_lead_back_to_its_main_menu(client, tenants, fpbx_db):
    """'9: back to the main menu' as a menu-sub, as FusionPBX's selector offers every menu
    of the domain (app/ivr_menus/app_config.php, ivr_menus_sub): a menu the UI wrote so
    must save through the API too."""
    path = options_of(client, tenants.a)
    main = path.split("/")[-2]
    sub = submenu(client, tenants.a, main, 1)
    for target in (main, sub):
        r = client.post(f"/api/v1/ivr-menus/{sub}/options", json={
            "ivr_menu_option_digits": "9" if target == main else "8",
            "ivr_menu_option_action": "menu-sub", "ivr_menu_option_param": target},
            headers=tenants.a.headers)
        assert r.status_code == 201, r.json
    stored = {o["ivr_menu_option_param"] for o in fpbx_db.rows("v_ivr_menu_options")
              if str(o["ivr_menu_uuid"]) == sub}
    assert stored == {main, sub}
