"""The committed OpenAPI document is valid, current, and the docs page works offline."""

from __future__ import annotations

import json
from pathlib import Path

from openapi_spec_validator import validate

from fpbx_api.app import create_app
from fpbx_api.config import load_config
from fpbx_api.openapi import write_spec

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
    fields = spec["components"]["schemas"]["ExtensionWrite"]["properties"]
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
