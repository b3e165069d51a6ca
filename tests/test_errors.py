"""Every error status in the contract's envelope."""

from __future__ import annotations

import pytest


def error(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == "application/json"
    body = response.json
    assert body["success"] is False and body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_unknown_path_is_404(client, tenants):
    error(client.get("/api/v1/nothing-here", headers=tenants.a.headers), 404, "NOT_FOUND")
    error(client.get("/elsewhere"), 404, "NOT_FOUND")


def test_wrong_method_is_405_with_allow(client, tenants):
    r = client.patch("/api/v1/extensions", headers=tenants.a.headers)
    error(r, 405, "METHOD_NOT_ALLOWED")
    assert set(r.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_body_over_the_limit_is_413(make_app, tenants, fpbx_db):
    client = make_app(security={"max_request_size": 1024}).test_client()
    body = '{"extension": "1001", "description": "' + "x" * 2000 + '"}'
    r = client.post("/api/v1/extensions", data=body, content_type="application/json",
                    headers=tenants.a.headers)
    error(r, 413, "PAYLOAD_TOO_LARGE")
    assert fpbx_db.rows("v_extensions") == []


@pytest.mark.parametrize("raw", ['{"extension": ', "[1, 2]", '"1001"', "null", "\xff\xfe",
                                 "[" * 5000 + "]" * 5000])
def test_malformed_or_non_object_json_is_400(client, tenants, fpbx_db, raw):
    r = client.post("/api/v1/extensions", data=raw.encode("latin-1"),
                    content_type="application/json", headers=tenants.a.headers)
    err = error(r, 400, "VALIDATION_ERROR")
    assert err["errors"] and all({"field", "message"} <= set(e) for e in err["errors"])
    assert fpbx_db.rows("v_extensions") == []


def test_no_content_has_no_body_or_type(client, tenants):
    uuid = client.post("/api/v1/extensions", json={"extension": "1001"},
                       headers=tenants.a.headers).json["data"]["extension_uuid"]
    r = client.delete(f"/api/v1/extensions/{uuid}", headers=tenants.a.headers)
    assert r.status_code == 204 and r.data == b"" and "Content-Type" not in r.headers


def test_database_outage_is_503(make_app, tenants):
    client = make_app(database={"url": "postgresql+psycopg2://postgres@127.0.0.1:1/none"}
                      ).test_client()
    r = client.get("/api/v1/extensions", headers=tenants.a.headers)
    err = error(r, 503, "DATABASE_UNAVAILABLE")
    assert "psycopg2" not in err["message"]


def test_sql_errors_name_no_parameter_values(app):
    """A failed statement's message reaches the log; the values bound to it must not."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from fpbx_api import db

    with db.engine(app).connect() as connection, pytest.raises(DBAPIError) as failed:
        connection.execute(text("SELECT CAST(:password AS text), 1 / 0"),
                           {"password": "hunter2-secret"})
    assert "hunter2-secret" not in str(failed.value)
