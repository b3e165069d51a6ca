"""Reusable acceptance scenarios for a CRUD resource.

Subclass ``CrudScenarios`` in a test module as ``TestSomething``, say where the
resource lives and how to make valid bodies, and pytest runs every scenario
against it through HTTP and PostgreSQL::

    class TestGatewayScenarios(CrudScenarios):
        path = "/api/v1/gateways"
        key = "gateway_uuid"
        required = ("gateway", "proxy")
        update = {"description": "changed"}

        def body(self, n):
            return {"gateway": f"gw{n}", "proxy": "sip.example.net"}

A nested collection names its parent's scenario; its ``path`` holds the parent's key
(``"/api/v1/ivr-menus/{ivr_menu_uuid}/options"``), filled in each test with a parent row
of the tenant (``collection()``), so every scenario runs under a real parent::

    class TestOptionScenarios(CrudScenarios):
        path, key = "/api/v1/ivr-menus/{ivr_menu_uuid}/options", "ivr_menu_option_uuid"
        parent = TestIvrMenuScenarios

The scenarios use the ``client``, ``tenants``, ``fpbx_db``, ``esl_client`` and
``switches`` fixtures of this package's pytest plugin.
"""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from fpbx_api.freeswitch.esl import event_label
from fpbx_api.freeswitch.switches import CLEAR_CACHE_SCRIPT, HOSTNAME
from fpbx_api.http import envelope
from fpbx_api.testing.destinations import (
    accepted_hostile_values,
    destination_fields,
    route,
    spec_of,
)

APPLY_STATES = set(envelope.APPLY_STATES)
DONE = {"cleared", "applied"}
STEPS = {"cache": "keys", "reload": "commands", "event": "events"}
STALE = "<cached before the write/>"
# Event-socket traffic of an apply that is not the change's own: the hostname asked for a
# ``{hostname}`` key, and a key cleared through the socket (luarun, memcache).
CLEARING = (f"luarun {CLEAR_CACHE_SCRIPT} ", "memcache delete ")
PARENTS = itertools.count(900)  # n of each parent row made: each gets its own numbers
SCENARIOS: dict[str, type] = {}  # resource path -> its scenarios, for cross-plugin checks


class CrudScenarios:
    path: str = ""
    key: str = ""
    required: tuple[str, ...] = ()
    update: dict = {}
    duplicate: bool = True          # posting body(0) twice is a 409
    search: str | None = None       # a ?search= term that matches body(0) and not body(1..)
    # Changes to body(n) that would route calls into another domain or run a command: 400
    # with every key, nothing written.
    refused: tuple[dict, ...] = ()
    # Changes to body(n) only the system scope may make: 403 FORBIDDEN naming the field
    # with a write key (nothing written), 201 with a system key and with the global key.
    system_only: tuple[dict, ...] = ()
    parent: type[CrudScenarios] | None = None  # a nested collection: the parent's scenarios
    # "system" for a system-wide resource (no domain_uuid): the scenarios write with a
    # system key, and what isolates domains elsewhere is here what every domain shares:
    # another domain's object is readable and only a system key writes it.
    scope: str = "domain"
    # Groups of fields a body gives one of (a destination's actions as a list, or as its
    # app/data pair): the destination-field scenario drops the other groups' fields.
    exclusive: tuple[tuple[str, ...], ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.path:
            SCENARIOS[cls.path] = cls

    def body(self, n: int) -> dict:
        """A valid create body; different ``n`` give objects that do not collide."""
        raise NotImplementedError

    def body_for(self, tenant, n: int) -> dict:
        """The body ``tenant`` posts; override when a body refers to the tenant's rows."""
        return self.body(n)

    # --- helpers -------------------------------------------------------------------------
    @pytest.fixture(autouse=True)
    def _under_a_parent(self, request):
        """A nested collection's scenarios run under a parent row of domain a, made by
        the test's own client: the one with switches where the test has them, so that a
        parent FreeSWITCH keeps state of (a call-center queue) is on its switches."""
        if self.parent is not None:
            client = "esl_client" if "esl_client" in request.fixturenames else "client"
            self.path = self.collection(request.getfixturevalue(client),
                                        request.getfixturevalue("tenants").a)

    def collection(self, client, tenant) -> str:
        """Where ``tenant`` creates: ``path``, under a parent row of the tenant (made once)
        for a nested collection."""
        if self.parent is None:
            return self.path
        made = self.__dict__.setdefault("_collections", {})
        if tenant.name not in made:
            made[tenant.name] = type(self).path.replace(
                "{" + self.parent.key + "}", self.make_parent(client, tenant, next(PARENTS)))
        return made[tenant.name]

    def make_parent(self, client, tenant, n: int) -> str:
        """A parent row of ``tenant`` (its key); override for a parent without children."""
        return self.parent().create(client, tenant, n)

    def create(self, client, tenant, n: int = 0) -> str:
        r = client.post(self.collection(client, tenant), json=self.body_for(tenant, n),
                        headers=self.writer(tenant))
        assert r.status_code == 201, r.get_data(as_text=True)
        return r.json["data"][self.key]

    def item(self, uuid: str) -> str:
        return f"{self.path}/{uuid}"

    def writer(self, tenant) -> dict:
        """The headers that write the resource for ``tenant``."""
        return tenant.auth_modes()["system key"] if self.scope == "system" else tenant.headers

    # --- scenarios ---------------------------------------------------------------------
    def test_create_get_update_delete(self, client, tenants):
        uuid = self.create(client, tenants.a)
        got = client.get(self.item(uuid), headers=self.writer(tenants.a))
        assert got.status_code == 200 and got.json["data"][self.key] == uuid
        r = client.put(self.item(uuid), json=self.update, headers=self.writer(tenants.a))
        assert r.status_code == 200 and r.json["data"] == {self.key: uuid}
        assert client.delete(self.item(uuid), headers=self.writer(tenants.a)).status_code == 204
        assert client.get(self.item(uuid), headers=self.writer(tenants.a)).status_code == 404

    def test_another_domains_object_is_404_on_every_verb(self, client, tenants, fpbx_db):
        uuid = self.create(client, tenants.b)
        before = fpbx_db.snapshot()
        if self.scope == "system":  # shared: readable by all, written by the system scope
            assert client.get(self.item(uuid), headers=tenants.a.headers).status_code == 200
            for method, body in (("put", self.update), ("delete", None)):
                r = getattr(client, method)(self.item(uuid), json=body,
                                            headers=tenants.a.headers)
                assert r.status_code == 403, f"{method.upper()} of a system-wide object"
            assert fpbx_db.changes(before) == {}
            return
        for method, body in (("get", None), ("put", self.update), ("delete", None)):
            r = getattr(client, method)(self.item(uuid), json=body, headers=self.writer(tenants.a))
            assert r.status_code == 404, f"{method.upper()} reached another domain's object"
            assert r.json["error"]["code"] == "NOT_FOUND"
        assert fpbx_db.changes(before) == {}, "a write by domain a changed domain b's rows"

    def test_lists_never_show_or_count_another_domains_objects(self, client, tenants):
        mine = self.create(client, tenants.a, 0)
        theirs = self.create(client, tenants.b, 1)
        r = client.get(self.path, headers=self.writer(tenants.a))
        assert r.status_code == 200
        listed = [row[self.key] for row in r.json["data"]]
        assert mine in listed and (theirs in listed) == (self.scope == "system")
        assert r.json["pagination"]["total"] == len(listed)

    def test_pagination(self, client, tenants):
        for n in range(3):
            self.create(client, tenants.a, n)
        first = client.get(f"{self.path}?per_page=2", headers=self.writer(tenants.a)).json
        assert first["pagination"] == {"page": 1, "per_page": 2, "total": 3, "total_pages": 2}
        second = client.get(f"{self.path}?per_page=2&page=2", headers=self.writer(tenants.a)).json
        assert len(second["data"]) == 1
        keys = {row[self.key] for row in first["data"] + second["data"]}
        assert len(keys) == 3
        past = client.get(f"{self.path}?per_page=2&page=3", headers=self.writer(tenants.a)).json
        assert past["data"] == [] and past["pagination"]["total"] == 3
        for bad in ("per_page=0", "per_page=101", "page=0", "page=x", "no_such_filter=1"):
            r = client.get(f"{self.path}?{bad}", headers=self.writer(tenants.a))
            assert r.status_code == 400 and r.json["error"]["code"] == "VALIDATION_ERROR", bad

    def test_search(self, client, tenants):
        if self.search is None:
            pytest.skip("search is None: no ?search= term is declared for this resource")
        for n in range(2):
            self.create(client, tenants.a, n)
        r = client.get(f"{self.path}?search={self.search}", headers=self.writer(tenants.a))
        assert r.status_code == 200 and r.json["pagination"]["total"] == 1

    def test_bogus_fields_are_400_and_write_nothing(self, client, tenants, fpbx_db):
        before = fpbx_db.snapshot()
        cases = [{**self.body(0), "no_such_field": "x"}]
        cases += [{k: v for k, v in self.body(0).items() if k != field} for field in self.required]
        cases += [{**self.body(0), field: {"nested": ["wrong", "type"]}} for field in self.body(0)]
        for body in cases:
            r = client.post(self.path, json=body, headers=self.writer(tenants.a))
            assert r.status_code == 400, body
            errors = r.json["error"]["errors"]
            assert errors and all({"field", "message"} <= set(e) for e in errors)
        for raw in (b"{not json", b"[]", b'"text"'):
            r = client.post(self.path, data=raw, content_type="application/json",
                            headers=self.writer(tenants.a))
            assert r.status_code == 400, raw
        assert fpbx_db.changes(before) == {}

    def test_unknown_and_malformed_uuids_are_404(self, client, tenants):
        for uuid in ("00000000-0000-4000-8000-000000000000", "not-a-uuid"):
            for method, body in (("get", None), ("put", self.update), ("delete", None)):
                r = getattr(client, method)(self.item(uuid), json=body,
                                            headers=self.writer(tenants.a))
                assert r.status_code == 404, (method, uuid)

    def test_duplicate_is_409(self, client, tenants, fpbx_db):
        if not self.duplicate:
            pytest.skip("duplicate = False: posting the same body twice is allowed")
        self.create(client, tenants.a)
        before = fpbx_db.snapshot()
        r = client.post(self.path, json=self.body(0), headers=self.writer(tenants.a))
        assert r.status_code == 409 and r.json["error"]["code"] == "DUPLICATE_ERROR"
        assert fpbx_db.changes(before) == {}

    def test_every_write_reports_what_was_applied(self, esl_client, tenants, switches):
        """POST, PUT and DELETE against two healthy switches: each write reports every
        step done, each switch ran exactly the commands the report lists, in order, and
        fired exactly its events, and no longer holds a stale copy of any key it lists
        (every key reported so far is cached as STALE on each switch before the next
        write)."""
        reported: set[str] = set()

        def write(method, path, body, status):
            for sim in switches:
                for key in reported:
                    sim.cache_set(cached_key(key, sim), STALE)
            marks = [len(sim.received()) for sim in switches]
            r = esl_client.open(path, method=method, json=body, headers=self.writer(tenants.a))
            assert r.status_code == status, \
                f"{method} answered {r.status_code}: {r.get_data(as_text=True)}"
            applied = applied_of(r)
            assert_applied(applied, switches, marks, method)
            reported.update(applied.get("cache", {}).get("keys", []))
            return r

        r = write("POST", self.path, self.body_for(tenants.a, 0), 201)
        uuid = r.json["data"][self.key]
        write("PUT", self.item(uuid), self.update, 200)
        write("DELETE", self.item(uuid), None, 204)

    def test_a_put_racing_a_delete_is_never_a_500(self, app, tenants):
        """PUT and DELETE of one row at once, 20 times: the first to lock the row wins, so
        the PUT is a 200 (before the DELETE) or a 404 (after it), and the row is gone."""
        client = app.test_client()
        for n in range(20):
            uuid = self.create(client, tenants.a, 100 + n)
            start = threading.Barrier(2)

            def send(method, body, uuid=uuid, start=start):
                racer = app.test_client()
                start.wait()
                return racer.open(self.item(uuid), method=method, json=body,
                                  headers=self.writer(tenants.a)).status_code

            with ThreadPoolExecutor(2) as pool:
                put = pool.submit(send, "PUT", self.update)
                delete = pool.submit(send, "DELETE", None)
                statuses = put.result(), delete.result()
            assert statuses[0] in (200, 404) and statuses[1] == 204, (n, statuses)
            assert client.get(self.item(uuid), headers=self.writer(tenants.a)).status_code == 404

    def test_routing_into_another_domain_is_refused(self, client, tenants, fpbx_db):
        if not self.refused:
            pytest.skip(f"{self.path} declares no refused changes")
        for change in self.refused:
            for mode, headers in tenants.a.auth_modes().items():
                before = fpbx_db.fingerprint()
                r = client.post(self.path, json={**self.body(0), **change}, headers=headers)
                assert r.status_code == 400, (mode, change, r.json)
                named = {e["field"].split(".")[0] for e in r.json["error"]["errors"]}
                assert named & set(change), (mode, change, r.json)
                assert fpbx_db.fingerprint() == before, (mode, change)

    def test_system_only_changes_need_the_system_scope(self, client, tenants, fpbx_db):
        if not self.system_only:
            pytest.skip(f"{self.path} declares no changes that need the system scope")
        for n, change in enumerate(self.system_only):
            modes = tenants.a.auth_modes()
            before = fpbx_db.fingerprint()
            r = client.post(self.path, json={**self.body(n), **change},
                            headers=modes.pop("write key"))
            assert r.status_code == 403 and r.json["error"]["code"] == "FORBIDDEN", change
            assert r.json["error"].get("field") in change, (change, r.json)
            assert fpbx_db.fingerprint() == before, change
            for offset, (mode, headers) in enumerate(modes.items(), start=1):
                body = {**self.body(n + offset * len(self.system_only)), **change}
                r = client.post(self.path, json=body, headers=headers)
                assert r.status_code == 201, (mode, change, r.json)

    def test_destination_fields_refuse_what_fusionpbx_does_not_offer(
            self, esl_client, tenants, fpbx_db, switches):
        """Every destination field of the spec: other applications, other domains'
        contexts, variables, quotes, line breaks, markup: all 400, nothing written or sent."""
        if not any(route(path).fullmatch(self.path) for _, path, _, _
                   in destination_fields(spec_of(esl_client.application))):
            pytest.skip(f"{self.path} has no destination fields")
        assert accepted_hostile_values(esl_client, tenants.a, fpbx_db, switches, self) == []


# --- the apply report, checked against the switches --------------------------------------
def applied_of(response) -> dict:
    """The apply report of a write: its ``applied``, or a 204's X-Applied headers read
    back into the same shape."""
    if response.status_code != 204:
        return response.json.get("applied", {})
    lists = {"cache": "X-Applied-Keys", "reload": "X-Applied-Commands",
             "event": "X-Applied-Events"}
    applied = {}
    for pair in filter(None, response.headers.get("X-Applied", "").split(",")):
        step, _, state = pair.partition("=")
        listed = response.headers.get(lists.get(step, ""), "")
        applied[step] = {"state": state, STEPS.get(step, "?"): [
            item.replace("%2C", ",") for item in filter(None, listed.split(","))]}
    return applied


def assert_applied(applied: dict, switches, marks: list[int], what: str) -> None:
    """Every step done; since ``marks`` (each switch's count of received commands), each
    switch received exactly the reported commands, in order, besides ``hostname`` and
    clearing traffic, and fired exactly the reported events; no reported key holds the
    STALE copy put there before (a command may have cached it afresh: reload mod_translate
    reads translate.conf)."""
    assert set(applied) <= set(STEPS), f"{what}: unknown steps in {applied}"
    for step, item in applied.items():
        assert item.get("state") in DONE, f"{what}: {step} is {item.get('state')}: {applied}"
        assert item[STEPS[step]], f"{what}: {step} lists nothing: {applied}"
    commands = applied.get("reload", {}).get("commands", [])
    events = applied.get("event", {}).get("events", [])
    for sim, mark in zip(switches, marks, strict=True):
        traffic = sim.received()[mark:]
        sent = [c.removeprefix("api ") for c in traffic if c.startswith("api ")
                and c != "api hostname" and not c.removeprefix("api ").startswith(CLEARING)]
        assert sent == commands, \
            f"{what}: {sim.hostname} received {sent}; the report lists {commands}"
        fired = [fired_event(c) for c in traffic if c.startswith("sendevent ")]
        fired = [e for e in fired if e is not None]
        assert fired == events, f"{what}: {sim.hostname} got {fired}; the report lists {events}"
        for key in applied.get("cache", {}).get("keys", []):
            assert sim.cache_get(cached_key(key, sim)) != STALE, \
                f"{what}: {sim.hostname} still holds {key} after reporting it cleared"


def fired_event(frame: str) -> str | None:
    """A ``sendevent`` frame as the apply report names its event; None for the event that
    clears a memcache key."""
    first, *lines = frame.split("\n")
    headers = dict(line.partition(": ")[::2] for line in lines)
    if headers.get("Event-Subclass") == "fusion::memcache":
        return None
    return event_label(first.removeprefix("sendevent "), headers)


def cached_key(key: str, sim) -> str:
    """A reported key as the switch ``sim`` caches it: its hostname in place of
    ``{hostname}``, and a trailing glob made one key it clears."""
    key = key.replace(HOSTNAME, sim.hostname)
    return key[:-1] + "seeded" if key.endswith("*") else key
