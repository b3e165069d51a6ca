"""The generic dialplan editor through HTTP against PostgreSQL: details in, the XML
FusionPBX's dialplan class builds out (tests/golden/outbound_routes.json holds a save
by app/dialplans/dialplan_edit.php), and what a tenant may make FreeSWITCH run."""

from __future__ import annotations

import pytest

from tests.helpers import golden, same_rows

PATH = "/api/v1/dialplans"
GOLDEN = golden("outbound_routes")
ROUTE = GOLDEN["update"]["rows_changed"]["v_dialplans"][0]["after"]
GOLDEN_DETAILS = [d for d in GOLDEN["create"]["rows_added"]["v_dialplan_details"]
                  if d["dialplan_uuid"] == ROUTE["dialplan_uuid"]]
DETAIL_FIELDS = ("dialplan_detail_tag", "dialplan_detail_type", "dialplan_detail_data",
                 "dialplan_detail_break", "dialplan_detail_inline", "dialplan_detail_group",
                 "dialplan_detail_order", "dialplan_detail_enabled")
GATEWAY = "7e3f096e-4e07-4227-b08a-9f075efd4d7d"


def detail(tag, kind, data="", **extra):
    return {"dialplan_detail_tag": tag, "dialplan_detail_type": kind,
            "dialplan_detail_data": data, **extra}


def simple(n: int = 0, *actions) -> dict:
    return {"dialplan_name": f"custom-{n}", "dialplan_number": f"55{n}",
            "dialplan_description": f"Custom {n}",
            "details": [detail("condition", "destination_number", f"^55{n}$"),
                        *(actions or [detail("action", "transfer", "1001 XML example.com")])]}


def test_golden_save_of_the_dialplan_editor(client, tenants, fpbx_db):
    """The outbound route as dialplan_edit.php saved it: same rows, XML byte-equal (its
    disabled account-code and PIN rows left out, continue written "false")."""
    body = {"dialplan_name": ROUTE["dialplan_name"], "dialplan_context": "example.com",
            "dialplan_continue": "false", "dialplan_order": 110, "dialplan_enabled": "true",
            "dialplan_description": ROUTE["dialplan_description"],
            "details": [{k: d[k] for k in DETAIL_FIELDS} for d in GOLDEN_DETAILS]}
    headers = tenants.a.auth_modes()["system key"]
    before = fpbx_db.snapshot()
    r = client.post(PATH, json=body, headers=headers)
    assert r.status_code == 201, r.json
    uuid = r.json["data"]["dialplan_uuid"]
    changes = fpbx_db.changes(before)
    assert set(changes) == {"v_dialplans", "v_dialplan_details", "v_database_transactions"}
    (row,) = changes["v_dialplans"]["added"]
    assert row["dialplan_xml"] == ROUTE["dialplan_xml"].replace(ROUTE["dialplan_uuid"], uuid)
    volatile = {"dialplan_uuid", "domain_uuid", "app_uuid", "dialplan_destination",
                "dialplan_detail_uuid"}
    same_rows([row], [ROUTE], volatile, {ROUTE["dialplan_uuid"]: uuid})
    # (snapshots key rows on their first column, domain_uuid here: read the table)
    details = fpbx_db.rows("v_dialplan_details")
    same_rows(details, GOLDEN_DETAILS, volatile)
    assert all(str(d["domain_uuid"]) == tenants.a.domain_uuid and str(d["dialplan_uuid"])
               == uuid for d in details)


def test_update_replaces_the_details_and_rebuilds_the_xml(client, tenants, fpbx_db):
    uuid = client.post(PATH, json=simple(1), headers=tenants.a.headers).json["data"][
        "dialplan_uuid"]
    old = {d["dialplan_detail_uuid"] for d in fpbx_db.rows("v_dialplan_details")}
    r = client.put(f"{PATH}/{uuid}", json={"details": [
        detail("condition", "destination_number", "^551$"),
        detail("condition", "wday", "2-6", dialplan_detail_break="never"),
        detail("action", "transfer", "1002 XML example.com"),
        detail("anti-action", "hangup", "USER_BUSY")]}, headers=tenants.a.headers)
    assert r.status_code == 200, r.json
    rows = fpbx_db.rows("v_dialplan_details")
    assert len(rows) == 4 and not old & {d["dialplan_detail_uuid"] for d in rows}
    (dialplan,) = fpbx_db.rows("v_dialplans")
    assert dialplan["dialplan_xml"] == (
        f'<extension name="custom-1" continue="false" uuid="{uuid}">\n'
        '\t<condition field="destination_number" expression="^551$"/>\n'
        '\t<condition wday="2-6"  break="never">\n'
        '\t\t<action application="transfer" data="1002 XML example.com"/>\n'
        '\t\t<anti-action application="hangup" data="USER_BUSY"/>\n'
        '\t</condition>\n'
        '</extension>')
    client.put(f"{PATH}/{uuid}", json={"dialplan_name": "renamed one"},
               headers=tenants.a.headers)
    (dialplan,) = fpbx_db.rows("v_dialplans")
    assert dialplan["dialplan_xml"].startswith('<extension name="renamed_one" continue="false"')
    assert len(fpbx_db.rows("v_dialplan_details")) == 4


def test_a_bad_detail_leaves_everything_as_it_was(client, tenants, fpbx_db):
    uuid = client.post(PATH, json=simple(1), headers=tenants.a.headers).json["data"][
        "dialplan_uuid"]
    before = fpbx_db.fingerprint()
    r = client.put(f"{PATH}/{uuid}", json={"dialplan_name": "changed", "details": [
        detail("condition", "destination_number", "^1$"),
        detail("action", "bgsystem", "curl http://evil")]}, headers=tenants.a.headers)
    assert r.status_code == 400 and r.json["error"]["field"].startswith("details.1")
    assert fpbx_db.fingerprint() == before


def test_get_shows_details_in_order_and_the_xml(client, tenants):
    body = simple(2)
    body["details"].reverse()
    body["details"][0]["dialplan_detail_order"] = 20
    body["details"][1]["dialplan_detail_order"] = 10
    uuid = client.post(PATH, json=body, headers=tenants.a.headers).json["data"][
        "dialplan_uuid"]
    data = client.get(f"{PATH}/{uuid}", headers=tenants.a.headers).json["data"]
    assert [d["dialplan_detail_tag"] for d in data["details"]] == ["condition", "action"]
    assert data["details"][0]["dialplan_detail_enabled"] == "true"
    assert data["dialplan_context"] == "example.com" and data["dialplan_continue"] == "false"
    assert data["dialplan_order"] == "200"  # a string, as the contract shows it
    assert 'expression="^552$"' in data["dialplan_xml"]


def test_feature_dialplans_are_readable_and_written_only_by_their_feature(
        client, tenants, fpbx_db):
    r = client.post("/api/v1/ring-groups", json={
        "ring_group_name": "Sales", "ring_group_extension": "2000",
        "destinations": [{"destination_number": "1001"}]}, headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    listed = client.get(PATH, headers=tenants.a.headers).json["data"]
    (row,) = [d for d in listed if d["dialplan_name"] == "Sales"]
    assert row["app_uuid"] == "1d61fb65-1eec-bc73-a6ee-a6203b4fe6f2"
    got = client.get(f"{PATH}/{row['dialplan_uuid']}", headers=tenants.a.headers).json["data"]
    assert "ring_groups" in got["dialplan_xml"] and got["details"] == []
    before = fpbx_db.fingerprint()
    for headers in tenants.a.auth_modes().values():
        for method, body in (("put", {"dialplan_description": "x"}), ("delete", None)):
            r = getattr(client, method)(f"{PATH}/{row['dialplan_uuid']}", json=body,
                                        headers=headers)
            assert r.status_code == 409, (method, r.json)
            assert "/api/v1/ring-groups" in r.json["error"]["message"]
    assert fpbx_db.fingerprint() == before


def test_every_feature_that_generates_dialplans_owns_them(client, tenants, fpbx_db):
    """The owners come from the features' own declarations: a local destination's
    dialplan (an app_uuid of its own) is the destinations resource's too."""
    r = client.post("/api/v1/destinations", headers=tenants.a.headers, json={
        "destination_type": "local", "destination_number": "3001", "destination_actions": [
            {"destination_app": "transfer", "destination_data": "1001 XML example.com"}]})
    assert r.status_code == 201, r.json
    (row,) = fpbx_db.rows("v_dialplans", app_uuid="b5242951-686f-448f-8b4e-5031ba0601a4")
    before = fpbx_db.fingerprint()
    r = client.put(f"{PATH}/{row['dialplan_uuid']}", json={"dialplan_description": "x"},
                   headers=tenants.a.headers)
    assert (r.status_code, r.json["error"]["field"]) == (409, "app_uuid"), r.json
    assert "/api/v1/destinations" in r.json["error"]["message"], r.json
    assert fpbx_db.fingerprint() == before


NEVER = [detail("action", "system", "rm -rf /"), detail("action", "bgsystem", "id"),
         detail("action", "bg_spawn", "id"), detail("action", "python", "evil"),
         detail("action", "lua", "~os.execute('id')"),
         detail("action", "set", "x=${system(id)}"),
         detail("action", "set", "x=${${a}(id)}"),
         detail("action", "no_such_app", ""),
         detail("condition", "${system(id)}", "^1$"),
         detail("condition", "destination_number", "^${bgapi(id)}$"),
         detail("condition", "wday", "1; rm"),
         detail("condition", "regex", "sometimes")]
SYSTEM_ONLY = [detail("action", "lua", "app.lua call_block"),
               detail("action", "bridge", f"sofia/gateway/{GATEWAY}/1$1"),
               detail("action", "bridge", "user/1001@other.example"),
               detail("action", "transfer", "1001 XML other.example"),
               detail("action", "set", "domain_name=other.example"),
               detail("action", "export", "api_on_answer=uuid_kill ${uuid}"),
               detail("action", "set", "record_path=${strftime(%Y)}"),
               detail("action", "record_session", "/tmp/x.wav"),
               detail("action", "playback", "/etc/passwd"),
               detail("action", "voicemail", "default other.example 1001")]
TENANT = [detail("action", "transfer", "$1 XML example.com"),
          detail("action", "transfer", "1001 XML ${domain_name}"),
          detail("action", "bridge", "user/1001@example.com"),
          detail("action", "set", "effective_caller_id_name=Main:#${caller_id_name}"),
          detail("action", "export", "hold_music=local_stream://default"),
          detail("action", "playback", "ivr/ivr-welcome.wav"),
          detail("action", "voicemail", "default ${domain_name} 1001"),
          detail("action", "limit", "hash ${domain_name} outbound 10 !USER_BUSY"),
          detail("action", "sleep", "1000"), detail("action", "answer", "")]


def detail_id(d: dict) -> str:
    return f"{d['dialplan_detail_type']}:{d['dialplan_detail_data']}"


@pytest.mark.parametrize("bad", NEVER, ids=detail_id)
def test_what_no_key_may_write(client, tenants, fpbx_db, bad):
    before = fpbx_db.fingerprint()
    for mode, headers in tenants.a.auth_modes().items():
        r = client.post(PATH, json=simple(3, bad), headers=headers)
        assert r.status_code == 400, (mode, r.json)
        assert r.json["error"]["errors"][0]["field"].startswith("details.1")
    assert fpbx_db.fingerprint() == before


@pytest.mark.parametrize("action", SYSTEM_ONLY, ids=detail_id)
def test_what_only_a_system_key_may_write(client, tenants, fpbx_db, action):
    before = fpbx_db.fingerprint()
    r = client.post(PATH, json=simple(4, action), headers=tenants.a.headers)
    assert r.status_code == 403 and r.json["error"]["field"] == "details", r.json
    assert fpbx_db.fingerprint() == before
    r = client.post(PATH, json=simple(4, action), headers=tenants.a.auth_modes()["system key"])
    assert r.status_code == 201, r.json


def test_what_a_tenant_may_write(client, tenants):
    r = client.post(PATH, json=simple(5, *TENANT), headers=tenants.a.headers)
    assert r.status_code == 201, r.json


@pytest.mark.parametrize("pattern", [
    "(a+)+$", r"^(\d{1,3})*$", "(a|ab)*c", "(x)\\1*", "a{256}", "[", "^1++$",
    "^(?>1)\\d+$", "x" * 256, "(a{255}){255}(b{255}){255}(c{255}){255}"])
def test_hostile_regexes_are_refused(client, tenants, fpbx_db, pattern):
    """Catastrophic shapes refused on sight, syntax PCRE or PostgreSQL refuses (possessive
    and atomic groups, a program too large to compile: PostgreSQL), over-long patterns:
    400 naming the expression."""
    before = fpbx_db.fingerprint()
    body = simple(6)
    body["details"][0]["dialplan_detail_data"] = pattern
    r = client.post(PATH, json=body, headers=tenants.a.auth_modes()["system key"])
    assert r.status_code == 400, r.json
    assert r.json["error"]["errors"][0]["field"] == "details.0.dialplan_detail_data"
    assert fpbx_db.fingerprint() == before


def test_regexes_freeswitch_and_postgresql_read_are_kept(client, tenants, fpbx_db):
    for n, pattern in enumerate([r"^\+?1?(2125550100)$", r"^(?:\+1|1)?([2-9]\d{2}\d{7})$",
                                 r"^\*99(\d+)$", "^(.*)$", r"^(011|00)(\d+)$"]):
        body = simple(10 + n)
        body["details"][0]["dialplan_detail_data"] = pattern
        assert client.post(PATH, json=body, headers=tenants.a.headers).status_code == 201
    assert len(fpbx_db.rows("v_dialplans")) == 5


def test_misplaced_regex_rows_are_400(client, tenants):
    body = simple(7, detail("regex", "caller_id_number", "^1"))
    r = client.post(PATH, json=body, headers=tenants.a.headers)
    assert r.status_code == 400 and r.json["error"]["field"] == "details"


def test_shared_contexts_need_the_system_scope(client, tenants, fpbx_db):
    for context in ("public", "other.example", "global", "${domain_name}"):
        r = client.post(PATH, json={**simple(8), "dialplan_context": context},
                        headers=tenants.a.headers)
        assert r.status_code == 403 and r.json["error"]["field"] == "dialplan_context"
    r = client.post(PATH, json={**simple(8), "dialplan_context": "public"},
                    headers=tenants.a.auth_modes()["system key"])
    assert r.status_code == 201
    (row,) = fpbx_db.rows("v_dialplans")
    assert (f'\t\t<action application="set" data="domain_uuid={tenants.a.domain_uuid}" '
            'inline="true"/>\n\t\t<action application="set" data="domain_name=example.com" '
            'inline="true"/>\n') in row["dialplan_xml"]


def test_a_save_clears_the_contexts_cached_dialplan(esl_client, tenants, switches):
    for sim in switches:
        sim.cache_set("dialplan:example.com", "<stale/>")
        sim.cache_set("dialplan:other.example", "<theirs/>")
    r = esl_client.post(PATH, json=simple(9), headers=tenants.a.headers)
    assert r.status_code == 201 and r.json["applied"] == {
        "cache": {"state": "cleared", "keys": ["dialplan:example.com"]}}
    for sim in switches:
        assert sim.cache_get("dialplan:example.com") is None
        assert sim.cache_get("dialplan:other.example") == "<theirs/>"


def test_filters_search_and_order(client, tenants):
    for n in range(3):
        client.post(PATH, json={**simple(n), "dialplan_order": 300 - n},
                    headers=tenants.a.headers)
    listed = client.get(f"{PATH}?order=dialplan_order", headers=tenants.a.headers).json
    assert [d["dialplan_name"] for d in listed["data"]] == ["custom-2", "custom-1",
                                                            "custom-0"]
    assert client.get(f"{PATH}?search=Custom 1", headers=tenants.a.headers).json[
        "pagination"]["total"] == 1
    assert client.get(f"{PATH}?dialplan_number=550", headers=tenants.a.headers).json[
        "pagination"]["total"] == 1
