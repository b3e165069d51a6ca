"""Hostile input against every operation of the spec: oversized, deeply nested and
invalid-UTF-8 bodies, 10k strings, SQL and event-socket metacharacters in every string
field and query parameter, bad uuids in paths. Never a 5xx, always the error envelope on
a 4xx, never a partial write, never an extra command on the event socket."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

import tests.test_scenarios  # noqa: F401  (registers the project's scenarios)
from fpbx_api.testing.destinations import resolve
from fpbx_api.testing.scenarios import SCENARIOS
from tests.figures import FIGURES

# FreeSWITCH runs ${name(args)} as an API command wherever it expands variables: each is
# a 400, or stored where it never reaches the switch (hashed): never verbatim in a row.
API_CALLS = ["${system(reboot)}<a>&amp;", "${system(id)}", "${${a}}"]
HOSTILE = ["x" * 10_000, "' OR '1'='1'; DROP TABLE v_extensions; --", "1001\napi reloadxml",
           "1001 XML default'\"", "\x00", "\x1b[2J\rINFO: x", *API_CALLS]
# Valid JSON that is no text: a lone surrogate (sent as the escape "\ud800").
SURROGATES = ["\ud800", "1001\udfff"]
# Raw query values: a surrogate and control characters as percent-escapes.
RAW_QUERY_VALUES = ["%ED%A0%80", "%0d%0aINFO:%20forged", "%1b%5b2J", "%00"]
BAD_UUIDS = ["not-a-uuid", "..%2F..%2Fetc%2Fpasswd", "' OR 1=1 --",
             "00000000-0000-0000-0000-00000000000g", "%0aINFO:%20forged", "%00", "%1b%5b2J",
             "%0d%0a00000000-0000-4000-8000-000000000000", "%ED%A0%80"]
# Cursors (`after`) no list wrote: every shape, and values of the wrong type for the order.
FORGED_CURSORS = [{}, [1, 2], True, None, "x", ["abc", "00000000-0000-4000-8000-000000000000"],
                  [1.5, "00000000-0000-4000-8000-000000000000"],
                  [True, "00000000-0000-4000-8000-000000000000"], [1, ["x"]],
                  [{"a": 1}, "00000000-0000-4000-8000-000000000000"], [1, 2, 3]]
# Operations that are not CRUD resources, with a valid body to start from.
ACTIONS = {
    "/api/v1/active-calls/hangup": lambda calls: {"call_uuid": calls["a"]},
    "/api/v1/active-calls/transfer": lambda calls: {"call_uuid": calls["a"],
                                                    "destination": "1002"},
    "/api/v1/active-calls/originate": lambda calls: {"extension": "1001",
                                                     "destination": "1002"},
    "/api/v1/call-centers/agents/{call_center_agent_uuid}/status":
        lambda calls: {"agent_status": "On Break"},
}


def string_fields(spec: dict, operation: dict) -> list[str]:
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    properties = resolve(spec, body).get("properties", {})
    return sorted(n for n, p in properties.items() if resolve(spec, p).get("type") == "string")


def forged_cursor_queries(operation: dict) -> list[dict]:
    """For a list read by cursor (an ``after`` parameter), each forged cursor in each
    order the list offers."""
    params = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}
    if "after" not in params:
        return []
    orders = params.get("order", {}).get("schema", {}).get("enum") or [None]
    return [{"after": base64.urlsafe_b64encode(json.dumps(forged).encode()).decode(),
             **({"order": order} if order else {})}
            for order in orders for forged in FORGED_CURSORS]


@pytest.fixture
def hostile_app(make_app, tenants, switches):
    return make_app(freeswitch={"switches": [s.switch() for s in switches], "timeout": 1.0},
                    security={"max_request_size": 65536})


class Tally:
    """Sends a request and checks the answer is a 4xx envelope or a success."""

    def __init__(self, client, tenant, db, headers=None):
        self.client, self.tenant, self.db, self.count = client, tenant, db, 0
        self.headers = headers or tenant.headers

    def send(self, method, path, **kwargs):
        before = self.db.fingerprint()
        r = self.client.open(path, method=method, headers=self.headers, **kwargs)
        self.count += 1
        assert r.status_code < 500, (method, path, kwargs.get("json"), r.get_data(as_text=True))
        if r.status_code >= 400:
            assert r.json["success"] is False and r.json["error"]["code"], (method, path)
            assert self.db.fingerprint() == before, f"partial write: {method} {path}"
        return r


# The paths of the committed spec (tests/test_openapi.py keeps it equal to the live one):
# one test each, so that the run spreads them over its workers.
SPEC_PATHS = sorted(json.loads(
    (Path(__file__).parents[1] / "openapi" / "openapi.json").read_text())["paths"])


@pytest.mark.parametrize("path", SPEC_PATHS)
def test_hostile_values_in_every_field_and_parameter(hostile_app, tenants, switches, fpbx_db,
                                                     path):
    client = hostile_app.test_client()
    spec = client.get("/api/v1/openapi.json").json
    tally = Tally(client, tenants.a, fpbx_db)
    client.post("/api/v1/extensions", json={"extension": "1001"}, headers=tenants.a.headers)
    switches[0].add_registration(user="1001", domain="example.com")
    calls = {"a": switches[0].add_call(caller="1001", destination="1002",
                                       domain="example.com")}
    serial = iter(range(10, 100_000))
    for method, operation in spec["paths"][path].items():
        if method not in ("post", "put", "get"):
            continue
        if method == "get":
            for param in operation.get("parameters", []):
                if param["in"] == "query":
                    for value in HOSTILE:
                        tally.send("GET", path, query_string={param["name"]: value})
                    for raw in RAW_QUERY_VALUES:
                        tally.send("GET", path, query_string=f"{param['name']}={raw}")
            for query in forged_cursor_queries(operation):
                r = tally.send("GET", path, query_string=query)
                assert r.status_code == 400, (path, query)
            continue
        if "requestBody" not in operation:  # an action without a body: no field
            continue
        collection = re.sub(r"/\{\w+\}$", "", path)
        scenario = SCENARIOS[collection]() if collection in SCENARIOS else None
        if scenario is None:
            assert path in ACTIONS, f"no base body for {method.upper()} {path}"
        else:  # under a parent row of a's for a nested collection
            where = scenario.collection(client, tenants.a)
        if scenario is not None and method == "put":
            uuid = scenario.create(client, tenants.a, next(serial))
            target = f"{where}/{uuid}"
        for field in string_fields(spec, operation):
            for value in HOSTILE + SURROGATES:
                if scenario is None:
                    body, target = ACTIONS[path](calls), path
                elif method == "post":
                    body, target = scenario.body_for(tenants.a, next(serial)), where
                else:
                    body = dict(scenario.update)
                tally.send(method.upper(), target, json={**body, field: value})
    for sim in switches:
        for command in sim.received():
            assert "reloadxml" not in command and "DROP" not in command, command
            assert not any(call in command for call in API_CALLS), command
    stored = repr(fpbx_db.snapshot())
    assert [call for call in API_CALLS if call in stored] == []
    FIGURES["hostile inputs tried"] = FIGURES.get("hostile inputs tried", 0) + tally.count


def test_hostile_bodies_and_paths(hostile_app, tenants, fpbx_db):
    client = hostile_app.test_client()
    spec = client.get("/api/v1/openapi.json").json
    # A system key: system-wide resources read the body too (a write key is refused first).
    tally = Tally(client, tenants.a, fpbx_db, headers=tenants.a.auth_modes()["system key"])
    bodies = [b"{" + b'"a":' * 0 + b"[" * 100_000 + b"]" * 100_000 + b"}",
              b'{"extension": "\xff\xfe\xfd"}', b'{"extension": "1001"' + b" " * 70_000 + b"}",
              b"\xef\xbb\xbf{}", b'{"a": 1e999999}', b"null"]
    for path, operations in spec["paths"].items():
        for method in set(operations) & {"post", "put"}:
            target = re.sub(r"\{\w+\}", "00000000-0000-4000-8000-000000000000", path)
            for raw in bodies:
                r = tally.send(method.upper(), target, data=raw, content_type="application/json")
                assert r.status_code in (400, 404, 413), (path, raw[:20], r.status_code)
        if "{" in path:
            for bad in BAD_UUIDS:
                for method in set(operations) & {"get", "put", "delete"}:
                    r = tally.send(method.upper(), re.sub(r"\{\w+\}", bad, path), json={})
                    assert r.status_code == 404, (path, bad)
    for bad in BAD_UUIDS:  # a path that names nothing, with the same characters
        r = tally.send("GET", f"/api/v1/x{bad}")
        assert r.status_code == 404, bad
    FIGURES["hostile bodies and paths tried"] = tally.count
