"""Transport checks that run before authentication: client address, allowed
IPs, HTTPS, request size, CORS, and the request id every response carries."""

from __future__ import annotations

import ipaddress
import re
import uuid

from flask import Flask, current_app, g, request

from fpbx_api.http.errors import ApiError, Forbidden

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
CORS_HEADERS = "X-API-Key, X-Domain, Content-Type, X-Request-ID"
# Headers that servers and frameworks take as "the client used HTTPS" (gunicorn's
# secure_scheme_headers, werkzeug's ProxyFix, Rack, Microsoft's Front-End-Https).
SCHEME_HEADERS = ("X-Forwarded-Proto", "X-Forwarded-Protocol", "X-Forwarded-Ssl",
                  "X-Forwarded-Scheme", "X-Url-Scheme", "Front-End-Https")
# The longest request target (path and query) answered; anything longer is a 414 here,
# in the envelope, rather than gunicorn's HTML page (gunicorn lets it through: server.py).
URI_LIMIT = 8192
EXPOSED_HEADERS = ("X-Request-ID, X-RateLimit-Limit, X-RateLimit-Remaining, "
                   "X-RateLimit-Reset, Retry-After, X-Applied, X-Applied-Keys, "
                   "X-Applied-Commands, X-Applied-Events")


def _networks(values: list[str]):
    return [ipaddress.ip_network(v, strict=False) for v in values]


def _in(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address() -> str:
    """The caller's address; X-Forwarded-For counts only when a trusted proxy sent it."""
    if "client_address" in g:
        return g.client_address
    proxies = current_app.extensions["fpbx_security"]["proxies"]
    address = request.remote_addr or ""
    if _in(address, proxies):
        hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",")
                if h.strip()]
        for hop in reversed(hops):
            address = hop
            if not _in(hop, proxies):
                break
    g.client_address = address
    return address


def is_https() -> bool:
    """Whether the request came over HTTPS. A trusted proxy says so in X-Forwarded-Proto.
    Anyone else's connection counts only as the server saw it, and not when the caller
    sent a scheme header: a server that believes such headers (gunicorn does, by default,
    from 127.0.0.1) may have set the WSGI scheme from it."""
    proxies = current_app.extensions["fpbx_security"]["proxies"]
    if _in(request.remote_addr or "", proxies) and "X-Forwarded-Proto" in request.headers:
        return request.headers["X-Forwarded-Proto"].lower() == "https"
    return request.is_secure and not any(h in request.headers for h in SCHEME_HEADERS)


def check_transport() -> None:
    """IP allow-list, HTTPS, URI and body size; raised before any key is looked at."""
    options = current_app.config["FPBX"]["security"]
    target = request.environ.get("RAW_URI") or request.full_path
    if len(target) > URI_LIMIT:
        raise ApiError(f"Request URI over {URI_LIMIT} bytes", status=414, code="URI_TOO_LONG")
    allowed = current_app.extensions["fpbx_security"]["allowed"]
    if allowed and not _in(client_address(), allowed):
        raise Forbidden("IP address not allowed", code="IP_DENIED")
    if options["require_https"] and not is_https():
        raise Forbidden("HTTPS required", code="HTTPS_REQUIRED")
    length = request.content_length
    if length is not None and length > options["max_request_size"]:
        raise ApiError(f"Request body over {options['max_request_size']} bytes",
                       status=413, code="PAYLOAD_TOO_LARGE")


def assign_request_id() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def add_response_headers(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    origins = current_app.config["FPBX"]["security"]["allowed_origins"]
    origin = request.headers.get("Origin")
    if origin and (origin in origins or "*" in origins):
        response.headers["Access-Control-Allow-Origin"] = "*" if "*" in origins else origin
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        response.headers.add("Vary", "Origin")
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, DELETE"
            response.headers["Access-Control-Max-Age"] = "600"
    return response


def init_app(app: Flask) -> None:
    options = app.config["FPBX"]["security"]
    app.extensions["fpbx_security"] = {
        "allowed": _networks(options["allowed_ips"]),
        "proxies": _networks(options["trusted_proxies"]),
    }
    app.config["MAX_CONTENT_LENGTH"] = options["max_request_size"]
    app.after_request(add_response_headers)
