"""Allowed addresses, trusted proxies, HTTPS, CORS and the request id."""

from __future__ import annotations


def get(client, tenants, remote="127.0.0.1", **headers):
    return client.get("/api/v1/domains", headers={**tenants.a.headers, **headers},
                      environ_base={"REMOTE_ADDR": remote})


def test_allowed_ips_and_ranges(make_app, tenants):
    client = make_app(security={"allowed_ips": ["10.1.2.3", "192.0.2.0/24"]}).test_client()
    assert get(client, tenants, "10.1.2.3").status_code == 200
    assert get(client, tenants, "192.0.2.77").status_code == 200
    denied = get(client, tenants, "10.1.2.4")
    assert (denied.status_code, denied.json["error"]["code"]) == (403, "IP_DENIED")


def test_forwarded_for_counts_only_from_trusted_proxies(make_app, tenants):
    client = make_app(security={"allowed_ips": ["192.0.2.10"],
                                "trusted_proxies": ["127.0.0.1"]}).test_client()
    assert get(client, tenants, "127.0.0.1",
               **{"X-Forwarded-For": "198.51.100.1, 192.0.2.10"}).status_code == 200
    assert get(client, tenants, "127.0.0.1",
               **{"X-Forwarded-For": "192.0.2.10, 198.51.100.1"}).status_code == 403
    # a client that is not a trusted proxy cannot claim an address
    assert get(client, tenants, "198.51.100.9",
               **{"X-Forwarded-For": "192.0.2.10"}).status_code == 403


def test_https_required(make_app, tenants):
    client = make_app(security={"require_https": True,
                                "trusted_proxies": ["127.0.0.1"]}).test_client()
    plain = get(client, tenants, "198.51.100.9", **{"X-Forwarded-Proto": "https"})
    assert (plain.status_code, plain.json["error"]["code"]) == (403, "HTTPS_REQUIRED")
    assert get(client, tenants, "127.0.0.1", **{"X-Forwarded-Proto": "https"}).status_code == 200
    secure = client.get("/api/v1/domains", headers=tenants.a.headers,
                        base_url="https://localhost")
    assert secure.status_code == 200


def test_a_scheme_a_server_took_from_an_untrusted_callers_header_is_not_https(make_app,
                                                                            tenants):
    """A server that believes scheme headers (gunicorn's default, from 127.0.0.1) hands the
    app wsgi.url_scheme https for a plain request; only a trusted proxy's word counts."""
    client = make_app(security={"require_https": True}).test_client()
    for forged in ({"X-Forwarded-Proto": "https"}, {"X-Forwarded-Ssl": "on"},
                   {"X-Forwarded-Protocol": "ssl"}):
        r = client.get("/api/v1/domains", headers={**tenants.a.headers, **forged},
                       base_url="https://localhost")
        assert (r.status_code, r.json["error"]["code"]) == (403, "HTTPS_REQUIRED"), forged
    proxied = make_app(security={"require_https": True,
                                 "trusted_proxies": ["127.0.0.1"]}).test_client()
    downgraded = proxied.get("/api/v1/domains", base_url="https://localhost",
                             headers={**tenants.a.headers, "X-Forwarded-Proto": "http"})
    assert downgraded.status_code == 403


def test_an_overlong_request_target_is_a_414_envelope(client, tenants):
    r = client.get("/api/v1/extensions?search=" + "1" * 9_000, headers=tenants.a.headers)
    assert (r.status_code, r.json["error"]["code"]) == (414, "URI_TOO_LONG")


def test_cors_for_allowed_origins_only(make_app, tenants):
    client = make_app(security={"allowed_origins": ["https://portal.example"]}).test_client()
    r = get(client, tenants, Origin="https://portal.example")
    assert r.headers["Access-Control-Allow-Origin"] == "https://portal.example"
    assert "X-RateLimit-Remaining" in r.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Origin" not in get(client, tenants,
                                                    Origin="https://evil.example").headers
    pre = client.options("/api/v1/extensions", headers={
        "Origin": "https://portal.example", "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 200
    assert "X-API-Key" in pre.headers["Access-Control-Allow-Headers"]


def test_request_id_is_echoed_or_made(client, tenants):
    assert get(client, tenants, **{"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    made = get(client, tenants, **{"X-Request-ID": "bad id;\"x"}).headers["X-Request-ID"]
    assert len(made) == 32 and made.isalnum()


def test_keys_and_passwords_never_reach_the_log(client, tenants, caplog):
    caplog.set_level("DEBUG")
    body = {"extension": "1001", "password": "Sup3rSecret!pass"}
    assert client.post("/api/v1/extensions", json=body,
                       headers=tenants.a.headers).status_code == 201
    assert client.post("/api/v1/extensions", json=body,
                       headers=tenants.a.headers).status_code == 409
    assert client.get(f"/api/v1/extensions?key={tenants.a.key}",
                      headers=tenants.a.headers).status_code == 400
    text = caplog.text
    assert "POST /api/v1/extensions -> 201" in text and "-> 409" in text
    assert tenants.a.key not in text and "Sup3rSecret" not in text


def test_the_log_scan_catches_a_logged_secret(client, tenants, caplog):
    from tests.conftest import LOG_LINES, SECRETS, leaked

    client.post("/api/v1/extensions", json={"extension": "1001"}, headers=tenants.a.headers)
    assert tenants.a.key in SECRETS
    assert leaked(SECRETS, LOG_LINES) == []
    assert leaked(SECRETS, LOG_LINES + [f"oops {tenants.a.key}"]) == [tenants.a.key[:4] + "…"]
