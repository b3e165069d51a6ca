"""Plugin discovery through entry points: a test-only plugin appears in routes and
the spec; a broken one stops start-up, naming it, unless configured otherwise."""

from __future__ import annotations

import pytest

from fpbx_api.plugins import PluginError
from fpbx_api.testing.tenants import GLOBAL_KEY


def test_plugin_appears_in_routes_spec_and_index(make_app, tenants, broken_plugin):
    app = make_app(plugins={"fail_on_error": False})
    client = app.test_client()
    r = client.get("/api/v1/notes", headers=tenants.a.headers)
    assert r.status_code == 200 and r.json == {"success": True, "data": [{"text": "hello"}]}
    spec = client.get("/api/v1/openapi.json").json
    assert "/api/v1/notes" in spec["paths"]
    assert "NoteList" + "Envelope" in spec["components"]["schemas"]
    index = client.get("/api/v1/").json["data"]
    # the description is written once, on the blueprint (the tag's), and the tag has a title
    assert {"name": "notes", "version": "0.1.0", "description": "Test-only notes"} \
        in index["plugins"]
    assert {"name": "Notes", "description": "Test-only notes"} in spec["tags"]
    assert index["failed_plugins"] == ["zz_broken"]
    # the rest of the API still serves
    assert client.get("/api/v1/extensions", headers=tenants.a.headers).status_code == 200


def test_broken_plugin_stops_start_up_by_default(make_app, broken_plugin):
    with pytest.raises(PluginError, match="plugin zz_broken failed to load"):
        make_app()


def test_disabled_plugins_are_not_loaded(make_app, tenants, broken_plugin):
    client = make_app(plugins={"disabled": ["notes", "zz_broken"]}).test_client()
    assert client.get("/api/v1/notes", headers=tenants.a.headers).status_code == 404
    assert client.get("/api/v1/").json["data"]["failed_plugins"] == []
    health = client.get("/api/v1/health").json["data"]
    assert "notes" not in health["plugins"] and "extensions" in health["plugins"]


def test_system_wide_writes_need_the_system_scope(make_app, tenants, sample_plugins):
    client = make_app().test_client()
    note = {"text": "x"}
    r = client.post("/api/v1/notes", json=note, headers=tenants.a.headers)
    assert (r.status_code, r.json["error"]["code"]) == (403, "FORBIDDEN")
    assert client.get("/api/v1/notes", headers=tenants.a.headers).status_code == 200
    assert client.post("/api/v1/notes", json=note,
                       headers={"X-API-Key": tenants.a.system_key}).status_code == 201
    assert client.post("/api/v1/notes", json=note, headers={
        "X-API-Key": GLOBAL_KEY, "X-Domain": "example.com"}).status_code == 201


def test_unexpected_error_is_500_with_request_id_and_no_trace(make_app, tenants,
                                                                sample_plugins, caplog):
    client = make_app().test_client()
    r = client.get("/api/v1/notes/boom", headers={**tenants.a.headers,
                                                  "X-Request-ID": "req-12345"})
    assert r.status_code == 500
    assert r.headers["X-Request-ID"] == "req-12345"
    assert r.json == {"success": False, "error": {
        "code": "INTERNAL_ERROR", "message": "Internal server error (request id req-12345)"}}
    assert "secret internals" not in r.get_data(as_text=True)
    logged = [rec for rec in caplog.records if "req-12345" in rec.getMessage()
              and rec.exc_info]
    assert logged and "secret internals" in str(logged[0].exc_info[1])
