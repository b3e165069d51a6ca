"""The error envelope, and the handlers that put every failure into it.

Every non-2xx answer has the contract's shape
``{"success": false, "error": {"code", "message", "field"?, "errors"?}}``;
the only exception is 429, whose body the contract fixes (see ratelimit.py).
"""

from __future__ import annotations

import logging

import marshmallow as ma
import psycopg2
from flask import Flask, g, jsonify
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

log = logging.getLogger("fpbx_api")

CODES = {
    400: "VALIDATION_ERROR",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "DUPLICATE_ERROR",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    500: "INTERNAL_ERROR",
    501: "NOT_IMPLEMENTED",
    503: "SERVICE_UNAVAILABLE",
}


class ApiError(Exception):
    """An error with an HTTP status, a contract code and a message for the client."""

    status = 400
    code = "VALIDATION_ERROR"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None,
                 field: str | None = None, errors: list[dict] | None = None,
                 headers: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.status = status or self.status
        self.field = field
        self.errors = errors
        self.headers = headers or {}

    def body(self) -> dict:
        error = {"code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        if self.errors is not None:
            error["errors"] = self.errors
        return {"success": False, "error": error}


class NotFound(ApiError):
    status, code = 404, "NOT_FOUND"


class Duplicate(ApiError):
    status, code = 409, "DUPLICATE_ERROR"


class Forbidden(ApiError):
    status, code = 403, "FORBIDDEN"


class Unauthorized(ApiError):
    status, code = 401, "UNAUTHORIZED"


class Unavailable(ApiError):
    status, code = 503, "SERVICE_UNAVAILABLE"


class CommitOutcomeUnknown(Unavailable):
    """The connection failed during the COMMIT: the write may or may not be saved."""

    code = "COMMIT_OUTCOME_UNKNOWN"

    def __init__(self):
        super().__init__("The database connection failed while saving; the change may or may "
                         "not have been saved. GET the resource before retrying.",
                         headers={"Retry-After": "5"})


def validation_error(field: str, message: str) -> ApiError:
    """A 400 for one bad field, in the same shape webargs errors take."""
    return ApiError("Validation failed", field=field,
                    errors=[{"field": field, "message": message}])


# marshmallow's message for a missing required field; the contract words it
# "extension is required", naming the field in the message itself.
MISSING = ma.fields.Field.default_error_messages["required"]


def flatten_messages(messages, prefix: str = "") -> list[dict]:
    """Turn webargs/marshmallow ``{"json": {"f": ["msg"]}}`` into ``[{field, message}]``."""
    if isinstance(messages, dict):
        out = []
        for key, value in messages.items():
            if key in ("json", "query", "querystring", "view_args", "_schema") and not prefix:
                out += flatten_messages(value, "")
            elif key == "_schema":
                out += flatten_messages(value, prefix)
            else:
                out += flatten_messages(value, f"{prefix}.{key}" if prefix else str(key))
        return out
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [{"field": prefix or "body",
                 "message": f"{prefix} is required" if m == MISSING and prefix else m}
                for m in messages]
    if isinstance(messages, list):
        return [e for m in messages for e in flatten_messages(m, prefix)]
    return [{"field": prefix or "body", "message": str(messages)}]


def http_error_response(error: HTTPException):
    """Envelope for werkzeug's HTTP errors, including webargs' validation aborts."""
    data = getattr(error, "data", None) or {}
    status = error.code or 500
    if "messages" in data or "errors" in data:
        errors = flatten_messages(data.get("errors") or data.get("messages"))
        api_error = ApiError("Validation failed", status=400, errors=errors,
                             headers=data.get("headers"))
    else:
        message = data.get("message") or error.description or error.name
        if status == 404:
            message = "Resource not found"
        api_error = ApiError(message, status=status, code=CODES.get(status, "ERROR"))
    response = api_error_response(api_error)
    if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def api_error_response(error: ApiError):
    response = jsonify(error.body())
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def unexpected_error_response(error: Exception):
    """A 500 that shows the client only a request id; the trace goes to the log."""
    # psycopg2's own errors arrive unwrapped from a connection's set-up (a write's
    # session sets its isolation level as it takes a pooled connection): a server gone
    # then is as unavailable as during a statement
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout
                  | psycopg2.OperationalError | psycopg2.InterfaceError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    ):
        log.error("database unavailable: %s", error.__class__.__name__,
                  extra={"request_id": g.get("request_id")})
        return api_error_response(Unavailable("Database unavailable, try again shortly",
                                              code="DATABASE_UNAVAILABLE",
                                              headers={"Retry-After": "5"}))
    log.error("unhandled error (request %s)", g.get("request_id"), exc_info=error)
    return api_error_response(ApiError(
        f"Internal server error (request id {g.get('request_id')})",
        status=500, code="INTERNAL_ERROR"))


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(ApiError, api_error_response)
    app.register_error_handler(HTTPException, http_error_response)
    app.register_error_handler(Exception, unexpected_error_response)
