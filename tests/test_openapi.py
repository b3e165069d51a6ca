"""The committed OpenAPI document is valid, current, and the docs page works offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from fpbx_api.app import create_app
from fpbx_api.config import load_config
from fpbx_api.http.openapi import Noun, operation_id, write_spec

COMMITTED = Path(__file__).parent.parent / "openapi" / "openapi.json"


def test_committed_spec_is_what_the_code_generates(tmp_path):
    app = create_app(load_config(env={}, overrides={"database": {"url": "sqlite://"}}))
    write_spec(app, str(tmp_path / "openapi.json"))
    generated = (tmp_path / "openapi.json").read_text()
    assert generated == COMMITTED.read_text(), (
        "openapi/openapi.json is stale: run `fpbx-api openapi write` and commit it")


def test_committed_spec_is_valid_and_documents_the_contract():
    spec = json.loads(COMMITTED.read_text())
    validate(spec)
    schemes = spec["components"]["securitySchemes"]
    assert {schemes["ApiKey"]["name"], schemes["Domain"]["name"]} == {"X-API-Key", "X-Domain"}
    listing = spec["paths"]["/api/v1/extensions"]["get"]
    page = spec["components"]["schemas"]["ExtensionListItemPageEnvelope"]
    assert set(page["properties"]) >= {"success", "data", "pagination", "message"}
    assert {p["name"] for p in listing["parameters"]} >= {"page", "per_page", "search", "order",
                                                          "direction", "enabled"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation["security"], (path, method)
            assert {"400", "401", "403", "429", "500"} <= set(operation["responses"])
    error = spec["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"success", "error"}
    fields = spec["components"]["schemas"]["ExtensionUpdate"]["properties"]
    assert all(f.get("description") or f.get("enum") or f.get("type") for f in fields.values())


def test_docs_render_from_packaged_assets(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'src="/api/v1/docs/assets/swagger-ui-bundle.js"' in html
    assert "https://" not in html and "http://" not in html  # nothing from a CDN
    bundle = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.data) > 100_000
    assert client.get("/api/v1/docs/assets/swagger-ui.css").status_code == 200
    assert client.get("/api/v1/openapi.json").json["openapi"].startswith("3.")


def _operations(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method != "parameters":
                yield path, method, operation


def test_every_operation_has_a_unique_readable_operation_id():
    spec = json.loads(COMMITTED.read_text())
    ids = [op.get("operationId") for _, _, op in _operations(spec)]
    assert None not in ids, [(p, m) for p, m, op in _operations(spec) if "operationId" not in op]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    ops = {(m, p): op["operationId"] for p, m, op in _operations(spec)}
    assert ops["get", "/api/v1/extensions"] == "listExtensions"
    assert ops["post", "/api/v1/extensions"] == "createExtension"
    assert ops["get", "/api/v1/extensions/{extension_uuid}"] == "getExtension"
    assert ops["put", "/api/v1/extensions/{extension_uuid}"] == "updateExtension"
    assert ops["delete", "/api/v1/extensions/{extension_uuid}"] == "deleteExtension"
    assert ops["get", "/api/v1/ring-groups"] == "listRingGroups"
    assert ops["post", "/api/v1/active-calls/hangup"] == "hangupActiveCall"


def test_tags_are_titles_and_summaries_read_as_english():
    spec = json.loads(COMMITTED.read_text())
    tags = [t["name"] for t in spec["tags"]]
    assert "Active calls" in tags and "Ring groups" in tags
    assert all("_" not in t and t[0].isupper() and t in tags
               for _, _, op in _operations(spec) for t in op["tags"])
    summaries = {op["operationId"]: op["summary"] for _, _, op in _operations(spec)}
    assert summaries["createExtension"] == "Create an extension"
    assert summaries["createUser"] == "Create a user"
    assert summaries["listRingGroups"] == "List the domain's ring groups"
    assert all("\n" not in s for s in summaries.values())


def test_the_description_says_how_to_call_the_api():
    info = json.loads(COMMITTED.read_text())["info"]["description"]
    assert "X-API-Key" in info and "X-Domain" in info
    assert "curl -H 'X-API-Key: " in info
    for code in ("VALIDATION_ERROR", "UNAUTHORIZED", "NOT_FOUND", "RATE_LIMITED"):
        assert f"`{code}`" in info  # the error table


def test_a_noun_is_declared_with_its_article():
    assert Noun("an extension").phrase == "an extension"
    assert Noun("a ring group").many == "ring groups"
    assert Noun("a call detail record", "call detail records").many == "call detail records"
    assert operation_id("list", "ring groups") == "listRingGroups"
    with pytest.raises(ValueError, match="article"):
        Noun("extension")
