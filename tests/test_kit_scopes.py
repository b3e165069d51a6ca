"""The kit's scopes, slices and computed list fields, proven through small test resources
(tests/sample_plugins/scopes.py) over real FusionPBX tables: scope (domain / system /
global rows), slices of a shared table, and computed list fields in one query per page."""

from __future__ import annotations

import uuid

import pytest

from tests.sample_plugins.scopes import INBOUND_ROUTES, TIME_CONDITIONS

TRUNKS, PROFILES = "/api/v1/scopes/trunks", "/api/v1/scopes/profiles"
TIMES, INBOUND = "/api/v1/scopes/time-conditions", "/api/v1/scopes/inbound-routes"


@pytest.fixture
def client(make_app, tenants, sample_plugins):
    return make_app().test_client()


def system(tenant) -> dict:
    return {"X-API-Key": tenant.system_key}


def add_trunk(db, owner: str | None, name: str, description: str = "seeded") -> str:
    key = str(uuid.uuid4())
    db.execute("INSERT INTO v_gateways (gateway_uuid, domain_uuid, gateway, description) "
               "VALUES (:key, :owner, :name, :description)", key=key, owner=owner, name=name,
               description=description)
    return key


def add_profile(db, name: str) -> str:
    key = str(uuid.uuid4())
    db.execute("INSERT INTO v_sip_profiles (sip_profile_uuid, sip_profile_name, "
               "sip_profile_description) VALUES (:key, :name, 'seeded')", key=key, name=name)
    return key


def trunk(db, key: str) -> dict | None:
    rows = db.rows("v_gateways", gateway_uuid=key)
    return rows[0] if rows else None


# --- scope: tenant key vs system key x domain row / global row / system table x read/write --
# (path, table, primary key, field written) of each kind of row
TARGETS = {"domain row": (TRUNKS, "v_gateways", "gateway_uuid", "description"),
           "global row": (TRUNKS, "v_gateways", "gateway_uuid", "description"),
           "system table": (PROFILES, "v_sip_profiles", "sip_profile_uuid",
                            "sip_profile_description")}


@pytest.mark.parametrize("key, target, verb, status", [
    ("tenant", "domain row", "read", 200), ("tenant", "domain row", "write", 200),
    ("tenant", "global row", "read", 200), ("tenant", "global row", "write", 403),
    ("tenant", "system table", "read", 200), ("tenant", "system table", "write", 403),
    ("system", "domain row", "read", 200), ("system", "domain row", "write", 200),
    ("system", "global row", "read", 200), ("system", "global row", "write", 200),
    ("system", "system table", "read", 200), ("system", "system table", "write", 200),
])
def test_scope_matrix(client, tenants, fpbx_db, key, target, verb, status):
    rows = {"domain row": add_trunk(fpbx_db, tenants.a.domain_uuid, "mine"),
            "global row": add_trunk(fpbx_db, None, "everyones"),
            "system table": add_profile(fpbx_db, "external")}
    path, table, primary, field = TARGETS[target]
    row = rows[target]
    headers = tenants.a.headers if key == "tenant" else system(tenants.a)
    before = fpbx_db.snapshot()
    if verb == "read":
        r = client.get(f"{path}/{row}", headers=headers)
        assert (r.status_code, r.json["data"][primary]) == (status, row)
        listed = client.get(path, headers=headers).json["data"]
        assert row in [item[primary] for item in listed]
        assert fpbx_db.changes(before) == {}
        return
    r = client.put(f"{path}/{row}", json={field: "written"}, headers=headers)
    assert r.status_code == status, r.json
    changes = fpbx_db.changes(before)
    if status == 403:
        assert r.json["success"] is False and r.json["error"]["code"] == "FORBIDDEN"
        assert changes == {}
    else:
        (old, new), = changes[table]["changed"]
        assert (old[primary], old[field], new[field]) == (uuid.UUID(row), "seeded", "written")
        assert set(changes) == {table, "v_database_transactions"}


# --- global rows ---------------------------------------------------------------------------
def test_a_domain_reads_its_own_and_the_global_rows_never_anothers(client, tenants, fpbx_db):
    theirs = add_trunk(fpbx_db, tenants.b.domain_uuid, "theirs")
    shared = add_trunk(fpbx_db, None, "shared")
    mine = add_trunk(fpbx_db, tenants.a.domain_uuid, "mine")
    for headers in (tenants.a.headers, system(tenants.a)):
        listed = client.get(TRUNKS, headers=headers).json
        assert {(t["gateway_uuid"], t["domain_uuid"]) for t in listed["data"]} == {
            (mine, tenants.a.domain_uuid), (shared, None)}
        assert listed["pagination"]["total"] == 2
        for verb in ("get", "put", "delete"):  # not 403: b's row does not exist for a
            r = client.open(f"{TRUNKS}/{theirs}", method=verb.upper(), headers=headers,
                            json={"description": "x"} if verb == "put" else None)
            assert r.status_code == 404, (verb, r.json)
    assert trunk(fpbx_db, theirs)["description"] == "seeded"


def test_only_the_system_scope_creates_a_global_row(client, tenants, fpbx_db):
    for body in ({"gateway": "g1", "domain_uuid": None}, {"gateway": "g1", "domain_uuid": ""}):
        r = client.post(TRUNKS, json=body, headers=tenants.a.headers)
        assert (r.status_code, r.json["error"]["field"]) == (403, "domain_uuid")
    assert fpbx_db.rows("v_gateways") == []
    r = client.post(TRUNKS, json={"gateway": "g1", "domain_uuid": None},
                    headers=system(tenants.a))
    assert r.status_code == 201, r.json
    assert trunk(fpbx_db, r.json["data"]["gateway_uuid"])["domain_uuid"] is None
    # and it is every domain's to read
    listed = client.get(TRUNKS, headers=tenants.b.headers).json["data"]
    assert [t["gateway"] for t in listed] == ["g1"]


def test_without_domain_uuid_a_row_is_the_callers_and_no_other_domain_is_named(
        client, tenants, fpbx_db):
    for n, headers in enumerate((tenants.a.headers, system(tenants.a))):
        r = client.post(TRUNKS, json={"gateway": f"own{n}"}, headers=headers)
        assert trunk(fpbx_db, r.json["data"]["gateway_uuid"])["domain_uuid"] == uuid.UUID(
            tenants.a.domain_uuid)
        r = client.post(TRUNKS, json={"gateway": "x", "domain_uuid": tenants.b.domain_uuid},
                        headers=headers)
        assert (r.status_code, r.json["error"]["field"]) == (403, "domain_uuid")
    r = client.post(TRUNKS, json={"gateway": "named", "domain_uuid": tenants.a.domain_uuid},
                    headers=tenants.a.headers)
    assert r.status_code == 201
    assert len(fpbx_db.rows("v_gateways", domain_uuid=tenants.b.domain_uuid)) == 0


def test_moving_a_row_to_or_from_global_needs_the_system_scope(client, tenants, fpbx_db):
    mine = add_trunk(fpbx_db, tenants.a.domain_uuid, "mine")
    shared = add_trunk(fpbx_db, None, "shared")
    r = client.put(f"{TRUNKS}/{mine}", json={"domain_uuid": None}, headers=tenants.a.headers)
    assert r.status_code == 403
    r = client.put(f"{TRUNKS}/{shared}", json={"domain_uuid": tenants.a.domain_uuid},
                   headers=tenants.a.headers)
    assert r.status_code == 403
    assert trunk(fpbx_db, mine)["domain_uuid"] is not None
    assert trunk(fpbx_db, shared)["domain_uuid"] is None
    r = client.put(f"{TRUNKS}/{mine}", json={"domain_uuid": None}, headers=system(tenants.a))
    assert r.status_code == 200
    r = client.put(f"{TRUNKS}/{shared}", json={"domain_uuid": tenants.a.domain_uuid},
                   headers=system(tenants.a))
    assert r.status_code == 200
    assert trunk(fpbx_db, mine)["domain_uuid"] is None
    assert trunk(fpbx_db, shared)["domain_uuid"] == uuid.UUID(tenants.a.domain_uuid)


def test_a_global_row_is_deleted_only_with_the_system_scope(client, tenants, fpbx_db):
    shared = add_trunk(fpbx_db, None, "shared")
    r = client.delete(f"{TRUNKS}/{shared}", headers=tenants.a.headers)
    assert (r.status_code, r.json["error"]["code"]) == (403, "FORBIDDEN")
    assert trunk(fpbx_db, shared) is not None
    assert client.delete(f"{TRUNKS}/{shared}", headers=system(tenants.a)).status_code == 204
    assert trunk(fpbx_db, shared) is None


def test_an_action_on_a_global_row_needs_the_system_scope(client, tenants, fpbx_db):
    shared = add_trunk(fpbx_db, None, "shared")
    mine = add_trunk(fpbx_db, tenants.a.domain_uuid, "mine")
    r = client.post(f"{TRUNKS}/{shared}/disable", headers=tenants.a.headers)
    assert (r.status_code, r.json["error"]["code"]) == (403, "FORBIDDEN")
    assert trunk(fpbx_db, shared)["enabled"] is None
    assert client.post(f"{TRUNKS}/{mine}/disable", headers=tenants.a.headers).status_code == 200
    assert client.post(f"{TRUNKS}/{shared}/disable",
                       headers=system(tenants.a)).status_code == 200
    assert (trunk(fpbx_db, shared)["enabled"], trunk(fpbx_db, mine)["enabled"]) == (False, False)


def test_unique_names_count_the_global_rows_a_domain_sees(client, tenants, fpbx_db):
    add_trunk(fpbx_db, None, "shared")
    add_trunk(fpbx_db, tenants.b.domain_uuid, "bs")
    r = client.post(TRUNKS, json={"gateway": "shared"}, headers=tenants.a.headers)
    assert r.status_code == 409  # a's list would show two "shared"
    # b's own name is free in a, for a's own row and not for a global one (b would see
    # two "bs")
    r = client.post(TRUNKS, json={"gateway": "bs", "domain_uuid": None},
                    headers=system(tenants.a))
    assert r.status_code == 409
    assert client.post(TRUNKS, json={"gateway": "bs"},
                       headers=system(tenants.a)).status_code == 201
    assert len(fpbx_db.rows("v_gateways", gateway="bs")) == 2


def test_rows_nested_under_a_global_row_are_written_with_the_system_scope(
        client, tenants, fpbx_db):
    plans = "/api/v1/scopes/dialplans"
    shared = client.post(plans, json={"dialplan_name": "global", "domain_uuid": None},
                         headers=system(tenants.a)).json["data"]["dialplan_uuid"]
    mine = client.post(plans, json={"dialplan_name": "mine"},
                       headers=tenants.a.headers).json["data"]["dialplan_uuid"]
    detail = {"dialplan_detail_tag": "action", "dialplan_detail_type": "set",
              "dialplan_detail_data": "x=1"}
    r = client.post(f"{plans}/{shared}/details", json=detail, headers=tenants.a.headers)
    assert (r.status_code, r.json["error"]["code"]) == (403, "FORBIDDEN")
    assert fpbx_db.rows("v_dialplan_details") == []
    assert client.post(f"{plans}/{mine}/details", json=detail,
                       headers=tenants.a.headers).status_code == 201
    assert client.post(f"{plans}/{shared}/details", json=detail,
                       headers=system(tenants.a)).status_code == 201
    owners = {(str(d["dialplan_uuid"]), d["domain_uuid"] and str(d["domain_uuid"]))
              for d in fpbx_db.rows("v_dialplan_details")}
    assert owners == {(mine, tenants.a.domain_uuid), (shared, None)}
    # every domain reads a global row's nested rows
    listed = client.get(f"{plans}/{shared}/details", headers=tenants.b.headers).json["data"]
    assert [(d["dialplan_detail_data"], d["domain_uuid"]) for d in listed] == [("x=1", None)]


# --- system tables -------------------------------------------------------------------------
def test_a_system_table_is_refused_to_a_tenant_before_its_body_is_read(
        client, tenants, fpbx_db):
    profile = add_profile(fpbx_db, "internal")
    for verb, path, body in (("POST", PROFILES, {"sip_profile_name": ""}),
                             ("POST", PROFILES, {"sip_profile_name": "new"}),
                             ("DELETE", f"{PROFILES}/{profile}", None)):
        r = client.open(path, method=verb, json=body, headers=tenants.a.headers)
        assert (r.status_code, r.json["error"]["code"]) == (403, "FORBIDDEN"), (verb, body)
    assert [p["sip_profile_name"] for p in fpbx_db.rows("v_sip_profiles")] == ["internal"]
    # every domain reads it; the system scope writes it, and it has no domain
    assert client.get(f"{PROFILES}/{profile}", headers=tenants.b.headers).status_code == 200
    r = client.post(PROFILES, json={"sip_profile_name": "new"}, headers=system(tenants.b))
    assert r.status_code == 201
    assert client.post(PROFILES, json={"sip_profile_name": "new"},
                       headers=system(tenants.a)).status_code == 409  # one name system-wide
    assert client.delete(f"{PROFILES}/{profile}", headers=system(tenants.a)).status_code == 204
    assert [p["sip_profile_name"] for p in fpbx_db.rows("v_sip_profiles")] == ["new"]


# --- slices --------------------------------------------------------------------------------
def add_dialplan(db, tenant, app_uuid: str | None, name: str) -> str:
    key = str(uuid.uuid4())
    db.execute("INSERT INTO v_dialplans (dialplan_uuid, domain_uuid, app_uuid, dialplan_name) "
               "VALUES (:key, :domain, :app, :name)", key=key, domain=tenant.domain_uuid,
               app=app_uuid, name=name)
    return key


def test_a_slice_is_its_own_resource_on_every_verb(client, tenants, fpbx_db):
    headers = tenants.a.headers
    r = client.post(TIMES, json={"dialplan_name": "office hours"}, headers=headers)
    assert r.status_code == 201
    created = r.json["data"]["dialplan_uuid"]
    assert fpbx_db.rows("v_dialplans", dialplan_uuid=created)[0]["app_uuid"] == uuid.UUID(
        TIME_CONDITIONS)
    route = add_dialplan(fpbx_db, tenants.a, INBOUND_ROUTES, "did 1")
    add_dialplan(fpbx_db, tenants.a, None, "plain dialplan")
    listed = client.get(TIMES, headers=headers).json
    assert [d["dialplan_uuid"] for d in listed["data"]] == [created]
    assert listed["pagination"]["total"] == 1
    assert [d["dialplan_uuid"] for d in client.get(INBOUND, headers=headers).json["data"]] \
        == [route]
    before = fpbx_db.snapshot()
    for verb in ("GET", "PUT", "DELETE"):
        r = client.open(f"{INBOUND}/{created}", method=verb, headers=headers,
                        json={"dialplan_description": "moved"} if verb == "PUT" else None)
        assert r.status_code == 404, verb
        r = client.open(f"{TIMES}/{route}", method=verb, headers=headers,
                        json={"dialplan_description": "moved"} if verb == "PUT" else None)
        assert r.status_code == 404, verb
    assert fpbx_db.changes(before) == {}


def test_unique_values_are_unique_within_the_slice(client, tenants):
    headers = tenants.a.headers
    assert client.post(TIMES, json={"dialplan_name": "same"}, headers=headers).status_code == 201
    assert client.post(INBOUND, json={"dialplan_name": "same"},
                       headers=headers).status_code == 201
    assert client.post(TIMES, json={"dialplan_name": "same"}, headers=headers).status_code == 409


# --- computed list fields ------------------------------------------------------------------
def details(*actions: str) -> list[dict]:
    rows = [{"dialplan_detail_tag": "condition", "dialplan_detail_type": "wday",
             "dialplan_detail_data": "2-6", "dialplan_detail_order": 5}]
    return rows + [{"dialplan_detail_tag": "action", "dialplan_detail_type": "transfer",
                    "dialplan_detail_data": data, "dialplan_detail_order": 10 * (n + 1)}
                   for n, data in enumerate(actions)]


@pytest.fixture
def counted(client, tenants):
    """Four time conditions of a with 0, 2, 3 and 4 details; one of b with 3."""
    bodies = [{"dialplan_name": "empty"},
              {"dialplan_name": "one", "details": details("100 XML example.com")},
              {"dialplan_name": "two", "details": details("201 XML example.com",
                                                          "200 XML example.com")},
              {"dialplan_name": "three", "details": details("300 XML example.com", "x", "y")}]
    for body in bodies:
        assert client.post(TIMES, json=body, headers=tenants.a.headers).status_code == 201
    client.post(TIMES, json={"dialplan_name": "theirs", "details": details("9", "9")},
                headers=tenants.b.headers)
    # the details were written with the row's domain
    return {"empty": (0, None), "one": (2, "100 XML example.com"),
            "two": (3, "201 XML example.com"), "three": (4, "300 XML example.com")}


def test_computed_fields_come_in_one_query_per_page(client, tenants, counted, statements):
    r = client.get(TIMES, headers=tenants.a.headers)
    listed = {d["dialplan_name"]: (d["detail_count"], d["first_action"]) for d in r.json["data"]}
    assert listed == counted
    reads = [s for s in statements if "v_dialplan" in s]
    assert len(reads) == 1, reads  # not one more per row


def test_computed_fields_sort_filter_and_search(client, tenants, counted):
    def names(query):
        r = client.get(f"{TIMES}?{query}", headers=tenants.a.headers)
        assert r.status_code == 200, r.json
        return [d["dialplan_name"] for d in r.json["data"]]

    assert names("order=-detail_count") == ["three", "two", "one", "empty"]
    assert names("order=detail_count&per_page=2") == ["empty", "one"]
    assert names("detail_count=3") == ["two"]
    assert names("search=201 XML") == ["two"]
    # InboundRoutes selects them but did not hand them to its list grammar: not sortable
    r = client.get(f"{INBOUND}?order=detail_count", headers=tenants.a.headers)
    assert r.status_code == 400


def test_computed_fields_count_only_the_rows_own_domain(client, tenants, fpbx_db, counted):
    (theirs,) = [d for d in fpbx_db.rows("v_dialplans", dialplan_name="theirs")]
    # a detail of a's domain pointing at b's dialplan does not count for b
    fpbx_db.execute("INSERT INTO v_dialplan_details (dialplan_detail_uuid, domain_uuid, "
                    "dialplan_uuid, dialplan_detail_tag) VALUES (gen_random_uuid(), :a, "
                    ":plan, 'action')", a=tenants.a.domain_uuid, plan=theirs["dialplan_uuid"])
    listed = client.get(TIMES, headers=tenants.b.headers).json["data"]
    assert [(d["dialplan_name"], d["detail_count"]) for d in listed] == [("theirs", 3)]
