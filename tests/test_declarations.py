"""The kit's declarations: dialable numbers, references, delete events and one write
schema per resource, through HTTP on the plugins that declare them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import g

from fpbx_api.fusionpbx.models import Gateway, User
from fpbx_api.http.auth import Principal
from fpbx_api.http.errors import ApiError
from fpbx_api.http.openapi import Noun
from fpbx_api.kit import events, numbers
from fpbx_api.kit.references import Reference, check_references
from fpbx_api.kit.resource import Resource
from tests.helpers import add_user

SPEC = Path(__file__).parent.parent / "openapi" / "openapi.json"
GROUP = {"ring_group_name": "Sales", "ring_group_extension": "2000"}


def test_a_number_is_claimed_against_every_declaring_resource(client, tenants):
    headers = tenants.a.headers
    client.post("/api/v1/extensions", json={"extension": "1001", "number_alias": "501"},
                headers=headers)
    for number in ("1001", "501"):
        r = client.post("/api/v1/ring-groups", json={**GROUP, "ring_group_extension": number},
                        headers=headers)
        assert r.status_code == 409
        assert r.json["error"]["message"] == \
            f"{number} is already in use in this domain (an extension)"
        assert r.json["error"]["field"] == "ring_group_extension"
    client.post("/api/v1/ring-groups", json=GROUP, headers=headers)
    r = client.post("/api/v1/extensions", json={"extension": "1002", "number_alias": "2000"},
                    headers=headers)
    assert r.status_code == 409 and r.json["error"]["field"] == "number_alias"
    assert r.json["error"]["message"] == "2000 is already in use in this domain (a ring group)"


def test_a_plugin_declaring_numbers_is_claimed_against_with_no_core_list(
        client, tenants, fpbx_db, monkeypatch):
    """A resource the core has never heard of holds numbers once it declares them."""
    class Trunks(Resource):
        noun = Noun("a test trunk")
        model = Gateway
        numbers = ("extension",)

    monkeypatch.setattr(numbers, "_declared", dict(numbers._declared))
    fpbx_db.execute("INSERT INTO v_gateways (gateway_uuid, domain_uuid, extension) "
                    "VALUES (gen_random_uuid(), :d, '3000')", d=tenants.a.domain_uuid)
    headers = tenants.a.headers
    r = client.post("/api/v1/extensions", json={"extension": "3000"}, headers=headers)
    assert r.status_code == 201  # not declared yet: not a number
    client.delete(f"/api/v1/extensions/{r.json['data']['extension_uuid']}", headers=headers)
    numbers.declare(Trunks())
    r = client.post("/api/v1/extensions", json={"extension": "3000"}, headers=headers)
    assert r.status_code == 409
    assert r.json["error"]["message"] == "3000 is already in use in this domain (a test trunk)"


def test_a_reference_names_a_row_of_the_callers_domain(client, tenants, fpbx_db):
    mine = add_user(fpbx_db, tenants.a.domain_uuid, "alice")
    foreign = add_user(fpbx_db, tenants.b.domain_uuid, "bob")
    uuid = client.post("/api/v1/extensions", json={"extension": "1001", "user_uuid": mine},
                       headers=tenants.a.headers).json["data"]["extension_uuid"]
    r = client.put(f"/api/v1/extensions/{uuid}", json={"user_uuid": foreign},
                   headers=tenants.a.headers)
    assert r.status_code == 400
    assert r.json["error"]["errors"] == [{"field": "user_uuid",
                                          "message": "No such user in this domain."}]
    assert [str(r["user_uuid"]) for r in fpbx_db.rows("v_extension_users")] == [mine]
    assert client.put(f"/api/v1/extensions/{uuid}", json={"user_uuid": None},
                      headers=tenants.a.headers).status_code == 200
    assert fpbx_db.rows("v_extension_users") == []


def test_references_in_list_items_name_the_item(app, tenants, fpbx_db):
    mine = add_user(fpbx_db, tenants.a.domain_uuid, "alice")
    foreign = add_user(fpbx_db, tenants.b.domain_uuid, "bob")
    with app.app_context():
        g.principal = Principal(tenants.a.domain_uuid, "example.com", frozenset())
        declared = {"users.user_uuid": User}
        check_references(declared, {"users": [{"user_uuid": mine}]})
        with pytest.raises(ApiError) as raised:
            check_references(declared, {"users": [{"user_uuid": mine}, {"user_uuid": foreign}]})
        assert raised.value.errors == [{"field": "users.1.user_uuid",
                                        "message": "No such user in this domain."}]
    assert Reference.of(User).label == "user"
    assert Reference.of(Gateway).label == "gateway"
    assert Reference.of(Reference(Gateway, "trunk")).label == "trunk"


def test_a_reference_may_name_a_global_row(app, tenants, fpbx_db):
    for name, owner in (("global", None), ("mine", tenants.a.domain_uuid),
                        ("foreign", tenants.b.domain_uuid)):
        fpbx_db.execute("INSERT INTO v_gateways (gateway_uuid, domain_uuid, gateway) VALUES "
                        "(gen_random_uuid(), :d, :n)", d=owner, n=name)
    uuids = {r["gateway"]: str(r["gateway_uuid"]) for r in fpbx_db.rows("v_gateways")}
    with app.app_context():
        g.principal = Principal(tenants.a.domain_uuid, "example.com", frozenset())
        wide, own = Reference(Gateway, scope="global"), Reference.of(Gateway)
        assert [wide.exists(uuids[n]) for n in ("global", "mine", "foreign")] == \
            [True, True, False]
        assert [own.exists(uuids[n]) for n in ("global", "mine", "foreign")] == \
            [False, True, False]


def test_deleting_an_extension_tells_the_owners_of_rows_about_it(client, tenants, fpbx_db):
    """Ring groups remove their destinations dialling it (the extension plugin does not
    know ring groups); another domain's destination with the same number stays."""
    headers = tenants.a.headers
    uuid = client.post("/api/v1/extensions", json={"extension": "1001", "number_alias": "501"},
                       headers=headers).json["data"]["extension_uuid"]
    destinations = [{"destination_number": n} for n in ("1001", "501", "1002")]
    client.post("/api/v1/ring-groups", json={**GROUP, "destinations": destinations},
                headers=headers)
    client.post("/api/v1/ring-groups", json={**GROUP, "destinations": destinations[:1]},
                headers=tenants.b.headers)
    assert client.delete(f"/api/v1/extensions/{uuid}", headers=headers).status_code == 204
    left = sorted((str(r["domain_uuid"]), r["destination_number"])
                  for r in fpbx_db.rows("v_ring_group_destinations"))
    assert left == sorted([(tenants.a.domain_uuid, "1002"), (tenants.b.domain_uuid, "1001")])


def test_a_failing_subscriber_rolls_the_whole_delete_back(client, tenants, fpbx_db,
                                                          monkeypatch):
    headers = tenants.a.headers
    uuid = client.post("/api/v1/extensions", json={"extension": "1001"},
                       headers=headers).json["data"]["extension_uuid"]
    client.post("/api/v1/ring-groups",
                json={**GROUP, "destinations": [{"destination_number": "1001"}]},
                headers=headers)
    monkeypatch.setattr(events, "_subscribers", {k: dict(v) for k, v in
                                                 events._subscribers.items()})

    @events.on("extension.deleted")
    def refuse(row):
        raise ApiError("Still in use", status=409, code="DUPLICATE_ERROR")

    r = client.delete(f"/api/v1/extensions/{uuid}", headers=headers)
    assert r.status_code == 409
    assert len(fpbx_db.rows("v_extensions")) == 1 and len(fpbx_db.rows("v_voicemails")) == 1
    assert len(fpbx_db.rows("v_ring_group_destinations")) == 1
    assert all(r["transaction_type"] != "delete"
               for r in fpbx_db.rows("v_database_transactions"))


def test_deleting_a_user_unlinks_its_extensions(client, tenants, fpbx_db):
    user = add_user(fpbx_db, tenants.a.domain_uuid, "alice")
    client.post("/api/v1/extensions", json={"extension": "1001", "user_uuid": user},
                headers=tenants.a.headers)
    assert len(fpbx_db.rows("v_extension_users")) == 1
    assert client.delete(f"/api/v1/users/{user}",
                         headers=tenants.a.headers).status_code == 204
    assert fpbx_db.rows("v_extension_users") == []


def test_an_update_is_the_create_schema_loaded_partially(client, tenants):
    headers = tenants.a.headers
    r = client.post("/api/v1/ring-groups", json={"ring_group_name": "Sales"}, headers=headers)
    assert r.status_code == 400
    assert r.json["error"]["errors"] == [{"field": "ring_group_extension",
                                          "message": "ring_group_extension is required"}]
    uuid = client.post("/api/v1/ring-groups", json=GROUP,
                       headers=headers).json["data"]["ring_group_uuid"]
    assert client.put(f"/api/v1/ring-groups/{uuid}", json={"ring_group_strategy": "sequence"},
                      headers=headers).status_code == 200
    # The same field rules on update: a required field is never emptied.
    r = client.put(f"/api/v1/ring-groups/{uuid}", json={"ring_group_name": " "},
                   headers=headers)
    assert r.status_code == 400 and r.json["error"]["errors"][0]["field"] == "ring_group_name"
    # Items of a nested list are still whole: a destination needs its number.
    r = client.put(f"/api/v1/ring-groups/{uuid}", json={"destinations": [{}]},
                   headers=headers)
    assert r.status_code == 400
    assert r.json["error"]["errors"][0]["field"] == "destinations.0.destination_number"


@pytest.mark.parametrize("noun, required", [
    ("Extension", ["extension"]), ("RingGroup", ["ring_group_extension", "ring_group_name"]),
    ("User", ["password", "username"]), ("Gateway", ["gateway", "proxy"])])
def test_the_documents_create_and_update_bodies_are_one_schema(noun, required):
    schemas = json.loads(SPEC.read_text())["components"]["schemas"]
    create, update = schemas[f"{noun}Create"], schemas[f"{noun}Update"]
    assert create["required"] == required and "required" not in update
    assert create["properties"] == update["properties"]
