"""Pagination bounds and the list grammar (filters, search, order, direction)."""

from __future__ import annotations

import pytest


@pytest.fixture
def extensions(client, tenants):
    """Twelve extensions in domain a, one in domain b."""
    names = ["Alice", "bob", "Carol", "dave", "Eve", "frank", "Grace", "heidi", "Ivan",
             "judy", "Mallory", "100%_sure"]
    for i, name in enumerate(names):
        body = {"extension": f"{1001 + i}", "effective_caller_id_name": name,
                "enabled": i % 3 != 0, "call_group": "sales" if i < 4 else None}
        assert client.post("/api/v1/extensions", json=body,
                           headers=tenants.a.headers).status_code == 201
    client.post("/api/v1/extensions", json={"extension": "1001"}, headers=tenants.b.headers)


def listing(client, tenants, query=""):
    r = client.get(f"/api/v1/extensions{query}", headers=tenants.a.headers)
    assert r.status_code == 200, r.json
    return r.json


def test_pages(client, tenants, extensions):
    first = listing(client, tenants, "?per_page=5")
    assert first["pagination"] == {"page": 1, "per_page": 5, "total": 12, "total_pages": 3}
    assert [e["extension"] for e in first["data"]] == ["1001", "1002", "1003", "1004", "1005"]
    last = listing(client, tenants, "?per_page=5&page=3")
    assert [e["extension"] for e in last["data"]] == ["1011", "1012"]
    past = listing(client, tenants, "?per_page=5&page=4")
    assert past["data"] == [] and past["pagination"]["total"] == 12
    assert listing(client, tenants)["pagination"]["per_page"] == 50


def test_empty_list_has_zero_pages(client, tenants):
    assert listing(client, tenants)["pagination"] == {"page": 1, "per_page": 50, "total": 0,
                                                       "total_pages": 0}


@pytest.mark.parametrize("query, field", [
    ("?per_page=0", "per_page"), ("?per_page=101", "per_page"), ("?page=0", "page"),
    ("?page=-1", "page"), ("?page=abc", "page"), ("?per_page=1.5", "per_page"),
    ("?page=99999999999999999999", "page"), ("?order=password", "order"),
    ("?direction=sideways", "direction"), ("?enabled=maybe", "enabled"),
    ("?search=" + "x" * 101, "search"), ("?unknown=1", "unknown"),
])
def test_bad_list_parameters_are_400(client, tenants, query, field):
    r = client.get(f"/api/v1/extensions{query}", headers=tenants.a.headers)
    assert r.status_code == 400
    assert r.json["error"]["code"] == "VALIDATION_ERROR"
    assert field in [e["field"] for e in r.json["error"]["errors"]]


def test_filters(client, tenants, extensions):
    enabled = listing(client, tenants, "?enabled=false")
    assert [e["extension"] for e in enabled["data"]] == ["1001", "1004", "1007", "1010"]
    sales = listing(client, tenants, "?call_group=sales&enabled=true")
    assert [e["extension"] for e in sales["data"]] == ["1002", "1003"]
    assert listing(client, tenants, "?extension=1005")["pagination"]["total"] == 1


def test_search_is_partial_case_insensitive_and_literal(client, tenants, extensions):
    found = listing(client, tenants, "?search=AL")
    assert [e["effective_caller_id_name"] for e in found["data"]] == ["Alice", "Mallory"]
    literal = listing(client, tenants, "?search=%25_")  # "%_" must match literally
    assert [e["effective_caller_id_name"] for e in literal["data"]] == ["100%_sure"]
    assert listing(client, tenants, "?search=1001")["pagination"]["total"] == 1


def test_order_and_direction(client, tenants, extensions):
    desc = listing(client, tenants, "?order=extension&direction=desc&per_page=2")
    assert [e["extension"] for e in desc["data"]] == ["1012", "1011"]
    names = listing(client, tenants, "?order=effective_caller_id_name&per_page=3")
    assert [e["effective_caller_id_name"] for e in names["data"]] == ["100%_sure", "Alice",
                                                                      "Carol"]


def test_conditional_get_with_etag(client, tenants, extensions):
    first = client.get("/api/v1/extensions", headers=tenants.a.headers)
    etag = first.headers["ETag"]
    again = client.get("/api/v1/extensions", headers={**tenants.a.headers,
                                                      "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    uuid = first.json["data"][0]["extension_uuid"]
    client.put(f"/api/v1/extensions/{uuid}", json={"description": "changed"},
               headers=tenants.a.headers)
    fresh = client.get("/api/v1/extensions", headers={**tenants.a.headers,
                                                      "If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag


def test_no_etag_when_caching_is_off(make_app, tenants):
    client = make_app(cache={"enabled": False}).test_client()
    assert "ETag" not in client.get("/api/v1/extensions", headers=tenants.a.headers).headers
