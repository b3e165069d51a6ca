"""The parts of the OpenAPI document that flask-smorest cannot infer: both auth
headers, the error responses every protected operation can give, the 429
body and the rate-limit headers."""

from __future__ import annotations

import json

import marshmallow as ma

from fpbx_api.plugins import LoadReport

ERROR_REF = {"$ref": "#/components/schemas/Error"}
RATE_HEADERS = {
    "X-RateLimit-Limit": "Requests allowed in the window closest to exhaustion",
    "X-RateLimit-Remaining": "Requests left in that window",
    "X-RateLimit-Reset": "Unix time at which that window resets",
}
ERRORS = {
    "400": ("VALIDATION_ERROR", "Invalid input: malformed JSON, wrong types, bad query "
                                "parameters or an unknown field; `errors` lists each field"),
    "401": ("UNAUTHORIZED", "Missing, unknown, revoked or expired API key"),
    "403": ("FORBIDDEN", "INVALID_DOMAIN (unknown or disabled), DOMAIN_MISMATCH (a per-domain "
                         "key with another domain in X-Domain), FORBIDDEN (read-only key, or a "
                         "system-wide write without the system scope), IP_DENIED, "
                         "HTTPS_REQUIRED"),
    "413": ("PAYLOAD_TOO_LARGE", "Body over security.max_request_size"),
    "429": ("RATE_LIMITED", "Rate limit exceeded (per key, or failed authentications per "
                            "client address)"),
    "500": ("INTERNAL_ERROR", "Unexpected error; the message and X-Request-ID carry the "
                              "request id to quote"),
    "503": ("SERVICE_UNAVAILABLE", "The database (DATABASE_UNAVAILABLE), FreeSWITCH "
                                   "(ESL_NOT_AVAILABLE, ESL_CONNECTION_FAILED) or the rate "
                                   "limiter's storage (RATE_LIMIT_UNAVAILABLE) is unavailable; "
                                   "nothing was saved, retry after Retry-After. "
                                   "COMMIT_OUTCOME_UNKNOWN: the connection failed during the "
                                   "commit, so the write may or may not be saved: GET the "
                                   "resource before retrying"),
}
NOT_FOUND = ("NOT_FOUND", "No such object in the authenticated domain (another domain's "
                          "objects and malformed uuids are 404 too)")
DUPLICATE = ("DUPLICATE_ERROR", "The object already exists in the domain")
SECURITY = [{"ApiKey": [], "Domain": []}]


class RateLimitedSchema(ma.Schema):
    """The contract's 429 body, plus ``success``."""

    success = ma.fields.Boolean()
    error = ma.fields.String(metadata={"example": "Rate limit exceeded"})
    message = ma.fields.String()
    limit_type = ma.fields.String(metadata={"enum": ["minute", "hour"]})
    retry_after = ma.fields.Integer(metadata={"description": "Seconds to wait"})
    reset = ma.fields.Integer(metadata={"description": "Unix time the limit resets"})


def document(api, report: LoadReport) -> None:
    spec = api.spec
    spec.components.security_scheme("ApiKey", {
        "type": "apiKey", "in": "header", "name": "X-API-Key",
        "description": "The global key or a per-domain key (`fpbx-api keys create`)"})
    spec.components.security_scheme("Domain", {
        "type": "apiKey", "in": "header", "name": "X-Domain",
        "description": "Domain name or uuid. Required with the global key; optional with a "
                       "per-domain key, and then it must name the key's domain"})
    spec.components.schema("RateLimited", schema=RateLimitedSchema)
    headers = {name: {"description": text, "schema": {"type": "integer"}}
               for name, text in RATE_HEADERS.items()}
    for status, (code, text) in {**ERRORS, "404": NOT_FOUND, "409": DUPLICATE}.items():
        schema = {"$ref": "#/components/schemas/RateLimited"} if status == "429" else ERROR_REF
        response = {"description": f"{code}: {text}",
                    "content": {"application/json": {"schema": schema}}, "headers": headers}
        if status == "429":
            response["headers"] = {**headers, "Retry-After": {
                "description": "Seconds to wait", "schema": {"type": "integer"}}}
        spec.components.response(code, response)
    for operations in spec._paths.values():
        for method, operation in operations.items():
            if method in ("parameters", "summary", "description"):
                continue
            _protect(operation, write=method in ("post", "put", "delete"))
    spec.options.setdefault("x-plugins", [
        {"name": p.name, "version": p.version} for p in report.loaded])


def _protect(operation: dict, *, write: bool) -> None:
    """Give an operation its security and every error response it can produce (404 too:
    an item, or an object a request names, may not exist in the caller's domain)."""
    operation["security"] = SECURITY
    responses = operation.setdefault("responses", {})
    responses.pop("default", None)
    wanted = ["400", "401", "403", "404", "429", "500", "503"]
    if write:
        wanted += ["409", "413"]
    for status in sorted(wanted):
        code = (ERRORS.get(status) or (NOT_FOUND if status == "404" else DUPLICATE))[0]
        responses[status] = {"$ref": f"#/components/responses/{code}"}
    for success in [s for s in responses if s.startswith("2") and s != "204"]:
        response = responses[success]
        if isinstance(response, dict) and "$ref" not in response:
            response.setdefault("headers", {}).update({
                name: {"description": text, "schema": {"type": "integer"}}
                for name, text in RATE_HEADERS.items()})


def write_spec(app, path: str) -> None:
    """Write the spec as stable, pretty JSON (what ``fpbx-api openapi write`` commits)."""
    with app.app_context():
        spec = app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(spec, fh, indent=2, sort_keys=True)
        fh.write("\n")
