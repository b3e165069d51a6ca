"""The parts of the OpenAPI document that flask-smorest cannot infer: what the API is
and how to call it, both auth headers, the error responses every protected operation can
give, the 429 body, the rate-limit headers, tag titles, and the names (operationIds) a
generated client gives its methods."""

from __future__ import annotations

import json
from dataclasses import dataclass

import marshmallow as ma
from flask_smorest import Blueprint

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

DESCRIPTION = """\
Provision and operate [FusionPBX](https://www.fusionpbx.com) from portals, CRMs and billing:
extensions, users, ring groups and gateways in FusionPBX's database, and live calls,
registrations and call detail records from every FreeSWITCH switch. Every request acts on one
domain (tenant); another domain's objects are invisible (404). Writes answer with `applied`:
what reached FreeSWITCH after the commit.

## Authentication

Send two headers with every request (the index and these docs are public):

- `X-API-Key`: the global key, or a per-domain key from `fpbx-api keys create` (scopes `read`,
  `write`, and `system` for objects without a domain).
- `X-Domain`: the domain's name or uuid. Required with the global key; optional with a
  per-domain key, and then it must name the key's domain.

```sh
curl -H 'X-API-Key: fpbx_…' -H 'X-Domain: example.com' \\
     https://pbx.example.com/api/v1/extensions
```

## Responses and errors

Success: `{"success": true, "data": …, "message": …, "pagination": …}`. Failure:
`{"success": false, "error": {"code", "message", "field", "errors"}}` with one of these codes;
each operation lists the ones it can answer, and `components/responses` describes them.
Quote the `X-Request-ID` response header when reporting a problem.

| Status | Code | When |
|---|---|---|
"""


class RateLimitedSchema(ma.Schema):
    """The contract's 429 body, plus ``success``."""

    success = ma.fields.Boolean()
    error = ma.fields.String(metadata={"example": "Rate limit exceeded"})
    message = ma.fields.String()
    limit_type = ma.fields.String(metadata={"enum": ["minute", "hour"]})
    retry_after = ma.fields.Integer(metadata={"description": "Seconds to wait"})
    reset = ma.fields.Integer(metadata={"description": "Unix time the limit resets"})


@dataclass(frozen=True)
class Noun:
    """What an object is called in the docs, declared once with its article (written, not
    guessed: "a user", "an extension") and its plural where adding "s" is wrong."""

    phrase: str        # "an extension", "a ring group"
    plural: str = ""   # "call detail records"; default: the noun plus "s"

    def __post_init__(self):
        if self.phrase.split(" ", 1)[0] not in ("a", "an") or " " not in self.phrase:
            raise ValueError(f"Noun({self.phrase!r}): start with its article, 'a' or 'an'")

    @property
    def singular(self) -> str:
        return self.phrase.split(" ", 1)[1]

    @property
    def many(self) -> str:
        return self.plural or f"{self.singular}s"

    @classmethod
    def guess(cls, label: str) -> Noun:
        """For resources declaring only a ``label`` (before ``noun`` existed); "u" is left
        out as it so often sounds like "you" ("a user")."""
        return cls(f"{'an' if label[:1].lower() in 'aeio' else 'a'} {label.lower()}")


def operation_id(verb: str, noun: str) -> str:
    """``listRingGroups`` for ("list", "ring groups"): a generated client's
    ``list_ring_groups``."""
    return verb + "".join(word[:1].upper() + word[1:] for word in noun.split())


def operation(verb: str, noun: str):
    """Name a hand-written route's operation as the kit names CRUD ones:
    ``@operation("hangup", "active call")`` is ``hangupActiveCall``."""
    return Blueprint.doc(operationId=operation_id(verb, noun))


def document(api, report: LoadReport) -> None:
    spec = api.spec
    rows = [f"| {s} | `{code}` | {text} |" for s, (code, text)
            in sorted({**ERRORS, "404": NOT_FOUND, "409": DUPLICATE}.items())]
    spec.options.setdefault("info", {})["description"] = DESCRIPTION + "\n".join(rows)
    _title_tags(spec, {p.blueprint.name: p.title for p in report.loaded})
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


def _title_tags(spec, titles: dict[str, str]) -> None:
    """Tags read "Active calls", not the blueprint's name ``active_calls``."""
    for tag in spec._tags:
        tag["name"] = titles.get(tag["name"], tag["name"])
    for operations in spec._paths.values():
        for operation in operations.values():
            if isinstance(operation, dict) and "tags" in operation:
                operation["tags"] = [titles.get(t, t) for t in operation["tags"]]


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
