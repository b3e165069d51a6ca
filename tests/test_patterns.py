"""Every field the spec gives a ``pattern`` is matched whole: a valid value followed by
one newline is a 400 naming that field, in request bodies and query parameters alike.

The fields are enumerated from the generated OpenAPI document, so a field added later is
checked too. Each valid value comes from the resource's scenario body when it has the
field, else the smallest string the pattern accepts; the same request with the valid
value must not name the field, so the 400 is the newline's.
"""

from __future__ import annotations

import copy
import re
import string

import pytest
from flask import g
from hypothesis import find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

import tests.test_scenarios  # noqa: F401  (registers the project's scenarios)
from fpbx_api.http.security import assign_request_id
from fpbx_api.testing.destinations import resolve
from fpbx_api.testing.scenarios import SCENARIOS
from tests.test_hostile_input import ACTIONS


def patterned(spec: dict, schema: dict, path: tuple = ()):
    """(path, pattern) of every string with a pattern inside ``schema``; a path step is
    a property name, or 0 for an array's first item."""
    schema = resolve(spec, schema)
    if "pattern" in schema:
        yield path, schema["pattern"]
    for name, prop in schema.get("properties", {}).items():
        yield from patterned(spec, prop, (*path, name))
    if "items" in schema:
        yield from patterned(spec, schema["items"], (*path, 0))


def operations(spec: dict):
    """(method, path, location, field path, pattern) for every patterned field."""
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            if method == "parameters":
                continue
            for param in operation.get("parameters", []):
                if param["in"] == "query" and "pattern" in param.get("schema", {}):
                    yield method, path, "query", (param["name"],), param["schema"]["pattern"]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                for field, pattern in patterned(spec, body["schema"]):
                    yield method, path, "json", field, pattern


def at(value, path: tuple):
    """The value at ``path`` inside ``value``, or None."""
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def placed(base: dict, path: tuple, value) -> dict:
    """A copy of ``base`` with ``value`` at ``path`` (creating the objects and arrays on
    the way; an array's first item keeps the base's other keys)."""
    body = copy.deepcopy(base)
    node = body
    for step, following in zip(path, path[1:], strict=False):
        empty = [] if following == 0 else {}
        if step == 0:
            node[:1] = node[:1] or [empty]
        else:
            node.setdefault(step, empty)
        node = node[step]
    if path[-1] == 0:
        node[:1] = [value]
    else:
        node[path[-1]] = value
    return body


def smallest_match(pattern: str) -> str:
    """The simplest string ``pattern`` accepts as a whole, without any newline. Where it
    can, a long one is not all hex digits: "00000000" sent as a password is found inside
    every logged "00000000-…" uuid by the run's scan for leaked secrets."""
    def matches(s: str) -> bool:
        return "\n" not in s and re.fullmatch(pattern, s) is not None

    def distinct(s: str) -> bool:
        return matches(s) and (len(s) < 8 or not set(s) <= set(string.hexdigits + "-"))

    strategy = st.from_regex(pattern, fullmatch=True)
    quick = settings(database=None, max_examples=2000)
    try:
        return find(strategy, distinct, settings=quick)
    except NoSuchExample:
        return find(strategy, matches, settings=quick)


@pytest.fixture
def pattern_app(make_app, tenants, switches):
    return make_app(freeswitch={"switches": [s.switch() for s in switches], "timeout": 1.0})


def test_every_patterned_field_refuses_a_trailing_newline(pattern_app, tenants, switches):
    client = pattern_app.test_client()
    headers = tenants.a.headers
    spec = client.get("/api/v1/openapi.json").json
    client.post("/api/v1/extensions", json={"extension": "1001"}, headers=headers)
    switches[0].add_registration(user="1001", domain="example.com")
    calls = {"a": switches[0].add_call(caller="1001", destination="1002",
                                       domain="example.com")}
    serial = iter(range(10, 100_000))
    fields, failures = 0, []
    for method, path, location, field, pattern in operations(spec):
        collection = re.sub(r"/\{\w+\}$", "", path)
        scenario = SCENARIOS[collection]() if collection in SCENARIOS else None
        headers = scenario.writer(tenants.a) if scenario else tenants.a.headers
        target, base = path, {}
        if scenario is not None:  # under a parent row of a's for a nested collection
            target = scenario.collection(client, tenants.a)
        if location == "json" and scenario is None:
            base = ACTIONS[path](calls)
        elif location == "json" and method == "post":
            base = scenario.body_for(tenants.a, next(serial))
        elif method == "put":
            target = f"{target}/{scenario.create(client, tenants.a, next(serial))}"
        # the valid value: the scenario's own where it has one (a room's PINs have the
        # center's length at least, which no pattern can say)
        valid = at(base or (scenario.body_for(tenants.a, next(serial)) if scenario else {}),
                   field)
        if not isinstance(valid, str) or not re.fullmatch(pattern, valid):
            valid = smallest_match(pattern)
        name = ".".join(map(str, field))
        for value in (valid + "\n", valid):
            kwargs = ({"query_string": {name: value}} if location == "query"
                      else {"json": placed(base, field, value)})
            r = client.open(target, method=method.upper(), headers=headers, **kwargs)
            assert r.status_code < 500, (method, path, name, r.json)
            errors = {e["field"] for e in r.json["error"].get("errors", [])} \
                if r.status_code >= 400 else set()
            if value == valid:
                assert name not in errors, f"{method.upper()} {path} {name}={valid!r} invalid"
            elif r.status_code != 400 or name not in errors:
                failures.append(f"{method.upper()} {path} {name}={valid!r}+newline: "
                                f"{r.status_code} {sorted(errors)}")
        fields += 1
    assert not failures, "\n".join(failures)
    assert fields >= 60
    for sim in switches:
        commands = sim.received("api ") + sim.received("bgapi ")
        assert not [c for c in commands if "\n" in c], "a newline reached a switch command"


def test_a_request_id_with_a_trailing_newline_is_replaced(app):
    """Servers refuse such a header line, but a WSGI environ may still carry one."""
    with app.test_request_context(environ_base={"HTTP_X_REQUEST_ID": "abc\n"}):
        assign_request_id()
        assert g.request_id != "abc\n" and len(g.request_id) == 32
