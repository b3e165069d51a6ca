"""The kit's route shapes, through the test plugin tests/sample_plugins/shapes.py: several
resources in one plugin at their own sub-paths, a nested collection, a chosen set of
verbs, and an action."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from fpbx_api.fusionpbx.models import Contact, RingGroup, RingGroupDestination
from fpbx_api.fusionpbx.rows import new_uuid

GROUPS = "/api/v1/kit/groups"


@pytest.fixture
def client(make_app, tenants, sample_plugins):
    return make_app().test_client()


def make_group(client, tenant, name="Sales"):
    r = client.post(GROUPS, json={"ring_group_name": name}, headers=tenant.headers)
    assert r.status_code == 201, r.json
    return r.json["data"]["ring_group_uuid"]


def test_each_resource_serves_at_its_path_with_named_operations(client):
    spec = client.get("/api/v1/openapi.json").json
    operations = {(path, verb): op["operationId"] for path, item in spec["paths"].items()
                  for verb, op in item.items()
                  if path.startswith("/api/v1/kit") and verb != "parameters"}
    assert operations == {
        ("/api/v1/kit/groups", "get"): "listGroups",
        ("/api/v1/kit/groups", "post"): "createGroup",
        ("/api/v1/kit/groups/{ring_group_uuid}", "get"): "getGroup",
        ("/api/v1/kit/groups/{ring_group_uuid}", "put"): "updateGroup",
        ("/api/v1/kit/groups/{ring_group_uuid}", "delete"): "deleteGroup",
        ("/api/v1/kit/groups/{ring_group_uuid}/toggle", "post"): "toggleGroup",
        ("/api/v1/kit/groups/{ring_group_uuid}/members", "get"): "listMembers",
        ("/api/v1/kit/groups/{ring_group_uuid}/members", "post"): "createMember",
        ("/api/v1/kit/groups/{ring_group_uuid}/members/{ring_group_destination_uuid}",
         "get"): "getMember",
        ("/api/v1/kit/groups/{ring_group_uuid}/members/{ring_group_destination_uuid}",
         "put"): "updateMember",
        ("/api/v1/kit/groups/{ring_group_uuid}/members/{ring_group_destination_uuid}",
         "delete"): "deleteMember",
        ("/api/v1/kit/people", "get"): "listPeople",
        ("/api/v1/kit/people/{contact_uuid}", "get"): "getPerson",
    }


def test_a_read_only_resource_refuses_writes(client, tenants, fpbx_db):
    with Session(fpbx_db.engine) as db:
        db.add(Contact(contact_uuid=new_uuid(), domain_uuid=tenants.a.domain_uuid,
                       contact_name_given="Ann"))
        db.commit()
    r = client.get("/api/v1/kit/people", headers=tenants.a.headers)
    assert [p["contact_name_given"] for p in r.json["data"]] == ["Ann"]
    person = r.json["data"][0]["contact_uuid"]
    assert client.post("/api/v1/kit/people", json={"contact_name_given": "Bob"},
                       headers=tenants.a.headers).status_code == 405
    r = client.delete(f"/api/v1/kit/people/{person}", headers=tenants.a.headers)
    assert (r.status_code, r.json["error"]["code"]) == (405, "METHOD_NOT_ALLOWED")
    with Session(fpbx_db.engine) as db:
        assert db.scalars(select(Contact.contact_name_given)).all() == ["Ann"]


def test_a_nested_collection_lives_under_its_parent(client, tenants, fpbx_db):
    sales, support = make_group(client, tenants.a), make_group(client, tenants.a, "Support")
    members = f"{GROUPS}/{sales}/members"
    r = client.post(members, json={"destination_number": "1001"}, headers=tenants.a.headers)
    assert r.status_code == 201
    member = r.json["data"]["ring_group_destination_uuid"]
    client.post(f"{GROUPS}/{support}/members", json={"destination_number": "1002"},
                headers=tenants.a.headers)
    listed = client.get(members, headers=tenants.a.headers).json
    assert [(m["destination_number"], m["ring_group_uuid"]) for m in listed["data"]] == \
        [("1001", sales)]
    assert listed["pagination"]["total"] == 1
    r = client.put(f"{members}/{member}", json={"destination_delay": 5},
                   headers=tenants.a.headers)
    assert r.status_code == 200
    # a member is reached only through its own parent
    assert client.get(f"{GROUPS}/{support}/members/{member}",
                      headers=tenants.a.headers).status_code == 404
    # unique within the parent: the same number under another parent is fine
    assert client.post(members, json={"destination_number": "1001"},
                       headers=tenants.a.headers).status_code == 409
    assert client.post(f"{GROUPS}/{support}/members", json={"destination_number": "1001"},
                       headers=tenants.a.headers).status_code == 201
    assert client.delete(f"{members}/{member}", headers=tenants.a.headers).status_code == 204
    with Session(fpbx_db.engine) as db:
        rows = db.scalars(select(RingGroupDestination)).all()
        assert sorted((r.ring_group_uuid, r.destination_number) for r in rows) == \
            sorted([(support, "1002"), (support, "1001")])


def test_another_domains_parent_is_a_404_on_every_route(client, tenants, fpbx_db):
    theirs = make_group(client, tenants.b)
    r = client.post(f"{GROUPS}/{theirs}/members", json={"destination_number": "1001"},
                    headers=tenants.b.headers)
    member = r.json["data"]["ring_group_destination_uuid"]
    base = f"{GROUPS}/{theirs}/members"
    for method, url, body in [("get", base, None), ("post", base, {"destination_number": "7"}),
                              ("get", f"{base}/{member}", None),
                              ("put", f"{base}/{member}", {"destination_delay": 9}),
                              ("delete", f"{base}/{member}", None)]:
        r = getattr(client, method)(url, json=body, headers=tenants.a.headers)
        assert (r.status_code, r.json["error"]["message"]) == (404, "Group not found"), url
    with Session(fpbx_db.engine) as db:
        rows = db.scalars(select(RingGroupDestination)).all()
        assert [(r.destination_number, r.destination_delay) for r in rows] == [("1001", None)]


def test_an_action_changes_the_row_and_applies_its_change(make_app, tenants, switches,
                                                          sample_plugins, fpbx_db):
    client = make_app(freeswitch={"switches": [s.switch() for s in switches],
                                  "timeout": 1.0}).test_client()
    group = make_group(client, tenants.a)
    for sim in switches:
        sim.cache_set(f"dialplan:{tenants.a.name}", "<context/>")
    r = client.post(f"{GROUPS}/{group}/toggle", json={"ring_group_enabled": True},
                    headers=tenants.a.headers)  # an action without arguments takes no body
    assert (r.status_code, r.json["error"]["code"]) == (400, "VALIDATION_ERROR")
    r = client.post(f"{GROUPS}/{group}/toggle", headers=tenants.a.headers)
    assert (r.status_code, r.json["data"]["ring_group_enabled"]) == (200, "false")
    assert r.json["applied"] == {"cache": {"state": "cleared",
                                           "keys": [f"dialplan:{tenants.a.name}"]}}
    assert [sim.cache_get(f"dialplan:{tenants.a.name}") for sim in switches] == [None, None]
    with Session(fpbx_db.engine) as db:
        assert db.get(RingGroup, group).ring_group_enabled is False
    # the kit records the audit row of an action, as of a PUT
    assert sorted(r["transaction_type"] for r in fpbx_db.rows("v_database_transactions")) \
        == ["add", "update"]
    assert client.post(f"{GROUPS}/{group}/toggle", headers=tenants.b.headers).status_code \
        == 404
    r = client.post(f"{GROUPS}/{group}/toggle", headers={"X-API-Key": tenants.a.read_key})
    assert r.status_code == 403
    with Session(fpbx_db.engine) as db:
        assert db.get(RingGroup, group).ring_group_enabled is False


def test_an_action_is_authorized_as_a_put(client, tenants, fpbx_db):
    """The resource's ``authorize`` judges an action's write as it judges a PUT's: the
    field the toggle changes is refused on a locked group without the system scope."""
    group = make_group(client, tenants.a, "Locked lobby")
    for body in (None, {"ring_group_name": "Locked lobby", "ring_group_enabled": False}):
        r = client.post(f"{GROUPS}/{group}/toggle", headers=tenants.a.headers) \
            if body is None else client.put(f"{GROUPS}/{group}", json=body,
                                            headers=tenants.a.headers)
        assert (r.status_code, r.json["error"]["field"]) == (403, "ring_group_enabled")
        with Session(fpbx_db.engine) as db:
            assert db.get(RingGroup, group).ring_group_enabled is True
    r = client.post(f"{GROUPS}/{group}/toggle",
                    headers={"X-API-Key": tenants.a.system_key})
    assert (r.status_code, r.json["data"]["ring_group_enabled"]) == (200, "false")
    with Session(fpbx_db.engine) as db:
        assert db.get(RingGroup, group).ring_group_enabled is False
