"""Number translations through HTTP against PostgreSQL, row by row against FusionPBX's
own writes (tests/golden/number_translations.json); system-wide: every key reads, a
system-scope key writes; applied by clearing translate.conf and reloading mod_translate,
checked on the simulated switches' translations."""

from __future__ import annotations

import pytest

from tests.helpers import golden, golden_step, same_create, same_rows

PATH = "/api/v1/number-translations"
GOLDEN = golden("number_translations")
VOLATILE = {"number_translation_uuid", "number_translation_detail_uuid"}
RULE_1 = {"number_translation_detail_regex": r"^\+1(\d{10})$",
          "number_translation_detail_replace": "$1", "number_translation_detail_order": "010"}
RULE_2 = {"number_translation_detail_regex": r"^011(\d+)$",
          "number_translation_detail_replace": "+$1", "number_translation_detail_order": 20}
BODY = {"number_translation_name": "e164-us", "number_translation_enabled": "true",
        "number_translation_description": "Strip +1", "number_translation_details": [RULE_1]}


def system(tenant) -> dict:
    return tenant.auth_modes()["system key"]


def test_crud_writes_what_fusionpbx_writes(client, tenants, fpbx_db):
    r, _, _ = same_create(client, fpbx_db, PATH, BODY, system(tenants.a), GOLDEN, VOLATILE)

    uuid = r.json["data"]["number_translation_uuid"]
    r = client.put(f"{PATH}/{uuid}", json={
        "number_translation_description": "Strip +1, convert 011 to +",
        "number_translation_details": [RULE_1, RULE_2]}, headers=system(tenants.a))
    assert r.status_code == 200, r.json
    (row,) = fpbx_db.rows("v_number_translations")
    same_rows([row], [GOLDEN["update"]["rows_changed"]["v_number_translations"][0]["after"]],
              VOLATILE)
    # FusionPBX kept the first rule's row; the API replaces the rules as a whole
    same_rows(fpbx_db.rows("v_number_translation_details"),
              GOLDEN["delete"]["rows_removed"]["v_number_translation_details"], VOLATILE)

    before = fpbx_db.snapshot()
    assert client.delete(f"{PATH}/{uuid}", headers=system(tenants.a)).status_code == 204
    changes = fpbx_db.changes(before)
    for table, rows in golden_step(GOLDEN, "delete", "rows_removed").items():
        same_rows(changes[table]["removed"], rows, VOLATILE)


def test_every_domain_reads_only_the_system_scope_writes(client, tenants, fpbx_db):
    uuid = client.post(PATH, json=BODY, headers=system(tenants.a)).json["data"][
        "number_translation_uuid"]
    for headers in (tenants.b.headers, {"X-API-Key": tenants.b.read_key}):
        listed = client.get(PATH, headers=headers).json["data"]
        assert [t["number_translation_uuid"] for t in listed] == [uuid]
        got = client.get(f"{PATH}/{uuid}", headers=headers).json["data"]
        assert got["number_translation_details"][0]["number_translation_detail_order"] == "010"
    before = fpbx_db.fingerprint()
    for method, url, body in (("post", PATH, {**BODY, "number_translation_name": "x"}),
                              ("put", f"{PATH}/{uuid}", {"number_translation_enabled": False}),
                              ("delete", f"{PATH}/{uuid}", None)):
        r = getattr(client, method)(url, json=body, headers=tenants.a.headers)
        assert r.status_code == 403 and r.json["error"]["code"] == "FORBIDDEN", method
    assert fpbx_db.fingerprint() == before


@pytest.mark.parametrize("rule, field", [
    ({"number_translation_detail_regex": "(a+)+$"}, "number_translation_detail_regex"),
    ({"number_translation_detail_regex": "^1++$"}, "number_translation_detail_regex"),
    ({"number_translation_detail_regex": '^1"/><x'}, "number_translation_detail_regex"),
    ({"number_translation_detail_replace": "${system(id)}"},
     "number_translation_detail_replace"),
    ({"number_translation_detail_replace": '$1" x="'}, "number_translation_detail_replace"),
    ({"number_translation_detail_order": "1000"}, "number_translation_detail_order"),
])
def test_rules_translate_conf_could_not_carry_are_400(client, tenants, fpbx_db, rule, field):
    before = fpbx_db.fingerprint()
    r = client.post(PATH, json={**BODY, "number_translation_details": [{**RULE_1, **rule}]},
                    headers=system(tenants.a))
    assert r.status_code == 400, r.json
    assert any(e["field"].endswith(field) for e in r.json["error"]["errors"])
    assert fpbx_db.fingerprint() == before


def test_a_save_reaches_mod_translate_on_every_switch(esl_client, tenants, switches):
    for sim in switches:  # the switch runs with what its cached translate.conf said
        sim.cache_set("configuration:translate.conf", "<document/>")
        sim.api("reload mod_translate")
        assert sim.translate("+12125550100", "e164-us") == "+12125550100"
    r = esl_client.post(PATH, json=BODY, headers=system(tenants.a))
    assert r.status_code == 201 and r.json["applied"] == {
        "cache": {"state": "cleared", "keys": ["configuration:translate.conf"]},
        "reload": {"state": "applied", "commands": ["reload mod_translate"]}}
    assert [s.translate("+12125550100", "e164-us") for s in switches] == ["2125550100"] * 2
    uuid = r.json["data"]["number_translation_uuid"]
    esl_client.put(f"{PATH}/{uuid}", json={"number_translation_details": [RULE_1, RULE_2]},
                   headers=system(tenants.a))
    assert [s.translate("01144207", "e164-us") for s in switches] == ["+44207"] * 2
    esl_client.delete(f"{PATH}/{uuid}", headers=system(tenants.a))
    assert [s.translate("+12125550100", "e164-us") for s in switches] == ["+12125550100"] * 2


def test_filters_search_and_order(client, tenants):
    for name in ("zeta", "alpha", "mid"):
        client.post(PATH, json={**BODY, "number_translation_name": name,
                                "number_translation_description": f"{name} rules"},
                    headers=system(tenants.a))
    listed = client.get(f"{PATH}?order=number_translation_name",
                        headers=tenants.a.headers).json["data"]
    assert [t["number_translation_name"] for t in listed] == ["alpha", "mid", "zeta"]
    assert client.get(f"{PATH}?search=zeta", headers=tenants.a.headers).json[
        "pagination"]["total"] == 1
