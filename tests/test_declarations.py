"""The kit's declarations: dialable numbers, references, delete events and one write
schema per resource, through HTTP on the plugins that declare them."""

from __future__ import annotations

import json
from pathlib import Path

import marshmallow as ma
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
    ("User", ["password", "username"]), ("Gateway", ["gateway", "proxy"]),
    ("IVRMenuOption", ["ivr_menu_option_action", "ivr_menu_option_digits"]),
    ("OutboundRoute", ["gateway"]), ("CallCenterQueue", ["queue_extension", "queue_name"]),
    ("CallBlock", None)])
def test_the_documents_create_and_update_bodies_are_one_schema(noun, required):
    """Update's body is create's without its required list and its defaults (a partial
    load applies none: an absent field keeps the stored value)."""
    schemas = json.loads(SPEC.read_text())["components"]["schemas"]
    create, update = schemas[f"{noun}Create"], schemas[f"{noun}Update"]
    assert create.get("required") == required and "required" not in update
    without_defaults = {name: {k: v for k, v in field.items() if k != "default"}
                        for name, field in create["properties"].items()}
    assert without_defaults == update["properties"]


def test_every_resource_declares_one_schema():
    with pytest.raises(TypeError, match="declare one `schema`"):
        type("TwoSchemas", (Resource,), {"noun": Noun("a thing"), "create_schema": ma.Schema,
                                         "update_schema": ma.Schema})


def test_a_create_only_field_is_set_on_create_and_refused_on_update(client, tenants, fpbx_db):
    """A tier is its agent's place in the queue: the agent is given once (create_only)."""
    headers = tenants.a.headers
    agents = [client.post("/api/v1/call-centers/agents", headers=headers, json={
        "agent_name": name, "agent_contact": "user/1001@example.com"}).json["data"][
        "call_center_agent_uuid"] for name in ("first", "second")]
    queue = client.post("/api/v1/call-centers/queues", headers=headers, json={
        "queue_name": "Sales", "queue_extension": "8000"}).json["data"]["call_center_queue_uuid"]
    tiers = f"/api/v1/call-centers/queues/{queue}/tiers"
    r = client.post(tiers, json={"call_center_agent_uuid": agents[0]}, headers=headers)
    assert r.status_code == 201, r.json
    tier = r.json["data"]["call_center_tier_uuid"]
    before = fpbx_db.snapshot()
    r = client.put(f"{tiers}/{tier}", json={"call_center_agent_uuid": agents[1],
                                            "tier_level": 3}, headers=headers)
    assert r.status_code == 400
    assert r.json["error"]["errors"] == [{"field": "call_center_agent_uuid",
                                          "message": "Unknown field."}]
    assert fpbx_db.changes(before) == {}
    assert client.put(f"{tiers}/{tier}", json={"tier_level": 3},
                      headers=headers).status_code == 200
    (row,) = fpbx_db.rows("v_call_center_tiers")
    assert (str(row["call_center_agent_uuid"]), row["tier_level"]) == (agents[0], 3)
    schemas = json.loads(SPEC.read_text())["components"]["schemas"]
    assert "call_center_agent_uuid" in schemas["CallCenterTierCreate"]["properties"]
    assert "call_center_agent_uuid" not in schemas["CallCenterTierUpdate"]["properties"]


@pytest.mark.parametrize("path, body, field", [
    ("/api/v1/ivr-menus", {"ivr_menu_name": "M", "ivr_menu_extension": "5000"},
     "ivr_menu_pin_number"),
    ("/api/v1/call-flows", {"call_flow_name": "F", "call_flow_extension": "30",
                            "call_flow_app": "transfer", "call_flow_data": "1001"},
     "call_flow_pin_number"),
    ("/api/v1/conferences", {"conference_name": "C", "conference_extension": "3000"},
     "conference_pin_number"),
    ("/api/v1/fax/accounts", {"fax_name": "F", "fax_extension": "9000"}, "fax_pin_number"),
    ("/api/v1/call-centers/agents", {"agent_name": "A",
                                     "agent_contact": "user/1001@example.com"},
     "agent_password"),
])
def test_every_pin_is_keypad_digits(client, tenants, fpbx_db, path, body, field):
    """One Pin field: 1 to 32 ASCII digits; a letter, a space, a 33rd digit or digits of
    another script are a 400 naming the field, as no caller can key them in."""
    for pin in ("12a4", "12 34", "1" * 33, "١٢٣٤", "１２３４"):
        before = fpbx_db.snapshot()
        r = client.post(path, json={**body, field: pin}, headers=tenants.a.headers)
        assert r.status_code == 400, (pin, r.json)
        assert {e["field"] for e in r.json["error"]["errors"]} == {field}
        assert fpbx_db.changes(before) == {}
    r = client.post(path, json={**body, field: "0042"}, headers=tenants.a.headers)
    assert r.status_code == 201, r.json


def test_a_room_pin_keeps_its_digits_and_refuses_other_scripts(client, tenants, fpbx_db):
    headers = tenants.a.headers
    client.post("/api/v1/conference-centers/centers", headers=headers, json={
        "conference_center_name": "Rooms", "conference_center_extension": "3999",
        "conference_center_pin_length": 4})
    r = client.post("/api/v1/conference-centers/rooms", headers=headers, json={
        "conference_room_name": "R", "moderator_pin": "١٢٣٤٥"})
    assert r.status_code == 400 and r.json["error"]["errors"][0]["field"] == "moderator_pin"
    r = client.post("/api/v1/conference-centers/rooms", headers=headers, json={
        "conference_room_name": "R", "moderator_pin": "12-34 5"})
    assert r.status_code == 201, r.json
    assert fpbx_db.rows("v_conference_rooms")[0]["moderator_pin"] == "12345"


@pytest.mark.parametrize("value", ["${us-ring}", "$${hold_music}", "silence",
                                   "local_stream://default", "local_stream://example.com/jazz",
                                   "greeting.wav", "https://radio.example.net/live"])
def test_ivr_ringback_and_queue_music_take_the_same_values(client, tenants, fpbx_db, value):
    """FusionPBX's ringbacks selector serves both forms: one HoldMusic field."""
    headers = tenants.a.headers
    r = client.post("/api/v1/ivr-menus", headers=headers, json={
        "ivr_menu_name": "M", "ivr_menu_extension": "5000", "ivr_menu_ringback": value})
    assert r.status_code == 201, r.json
    r = client.post("/api/v1/call-centers/queues", headers=headers, json={
        "queue_name": "Q", "queue_extension": "8000", "queue_moh_sound": value})
    assert r.status_code == 201, r.json
    assert fpbx_db.rows("v_ivr_menus")[0]["ivr_menu_ringback"] == value
    assert fpbx_db.rows("v_call_center_queues")[0]["queue_moh_sound"] == value


@pytest.mark.parametrize("value", ["local_stream://other.example/jazz", "${system(id)}",
                                   "/var/lib/freeswitch/recordings/other.example/x.wav",
                                   "$${base_dir}", "silence2", 'x" data="y'])
def test_ivr_ringback_and_queue_music_refuse_the_same_values(client, tenants, fpbx_db, value):
    headers = tenants.a.headers
    before = fpbx_db.snapshot()
    for path, body, field in (
            ("/api/v1/ivr-menus", {"ivr_menu_name": "M", "ivr_menu_extension": "5000"},
             "ivr_menu_ringback"),
            ("/api/v1/call-centers/queues", {"queue_name": "Q", "queue_extension": "8000"},
             "queue_moh_sound")):
        r = client.post(path, json={**body, field: value}, headers=headers)
        assert r.status_code == 400, (field, r.json)
        assert r.json["error"]["errors"][0]["field"] == field
    assert fpbx_db.changes(before) == {}
