"""Tenant isolation for every loaded plugin, found by enumerating the app's routes: an
object of domain b is 404 for domain a on every verb of its item route, never appears in
a's lists, never moves a's totals, and nothing a does changes b's rows."""

from __future__ import annotations

import re

import tests.test_scenarios  # noqa: F401  (registers the project's scenarios)
from fpbx_api.testing.scenarios import SCENARIOS
from tests.figures import FIGURES


def seed_cdr(db, tenant) -> str:
    from tests.test_cdr import START, add_cdr

    return add_cdr(db, tenant.domain_uuid, at=START)


# Read-only resources cannot be created through the API: a seeder writes b's object.
SEEDERS = {"/api/v1/cdr": ("xml_cdr_uuid", seed_cdr)}

ITEM = re.compile(r"^(?P<collection>/api/v1/[^<]+)/<uuid:(?P<key>\w+)>(?P<action>/.*)?$")


def item_routes(app) -> dict[str, list[tuple[str, str]]]:
    """collection path -> [(method, rule)] for every route that takes an object's uuid.
    System-wide resources are left out: their rows have no domain to isolate (every key
    reads them, and a write needs the system scope: tests/test_plugins.py)."""
    routes: dict[str, list[tuple[str, str]]] = {}
    system_wide = app.extensions["fpbx_system_wide"]
    for rule in app.url_map.iter_rules():
        match = ITEM.match(rule.rule)
        if match and rule.endpoint.split(".")[0] not in system_wide:
            methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
            routes.setdefault(match["collection"], []).extend((m, rule.rule) for m in methods)
    return routes


def test_every_item_route_of_every_plugin_is_isolated(app, tenants, fpbx_db):
    client = app.test_client()
    routes = item_routes(app)
    uncovered = sorted(set(routes) - set(SCENARIOS) - set(SEEDERS))
    assert not uncovered, f"item routes without CrudScenarios or a seeder: {uncovered}"
    checks = 0
    for collection, verbs in routes.items():
        totals = client.get(collection, headers=tenants.a.headers).json["pagination"]["total"]
        if collection in SCENARIOS:
            scenario = SCENARIOS[collection]()
            if scenario.scope == "system":  # shared by every domain: its own scenarios
                continue
            key, update = scenario.key, scenario.update
            theirs = scenario.create(client, tenants.b, 7)
        else:
            key, seed = SEEDERS[collection]
            update, theirs = {}, seed(fpbx_db, tenants.b)
        before = fpbx_db.fingerprint()
        for method, rule in verbs:
            path = re.sub(r"<uuid:\w+>", theirs, rule)
            body = update if method in ("PUT", "POST") else None
            nested = SCENARIOS.get(re.sub(r"/\{\w+\}$", "", re.sub(
                r"<uuid:(\w+)>", r"{\1}", rule)))
            if nested is not None and nested.parent is not None:  # under b's row: a valid
                body = nested().body_for(tenants.a, 7) if method == "POST" else nested.update
            r = client.open(path, method=method, json=body, headers=tenants.a.headers)
            assert r.status_code == 404, f"{method} {rule} reached another domain's object"
            checks += 1
        listed = client.get(f"{collection}?per_page=100", headers=tenants.a.headers).json
        assert theirs not in [row[key] for row in listed["data"]], collection
        assert listed["pagination"]["total"] == totals, f"{collection}: b's object counted"
        assert fpbx_db.fingerprint() == before, f"{collection}: a changed b's rows"
        checks += 2
    FIGURES["isolation matrix"] = (f"{len(routes)} resources x verbs = {checks} checks "
                                   f"({', '.join(sorted(routes))})")
    assert len(routes) >= 5
