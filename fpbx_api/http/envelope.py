"""The success envelope ``{success, data, message, pagination}`` and its documentation.

A view decorated with ``@blp.envelope(...)`` returns its data (or a
:class:`Page`, or a :class:`Result` carrying a message and an apply report);
the decorator wraps it, and documents the wrapped schema in OpenAPI, so the
spec shows exactly what is sent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import wraps

import marshmallow as ma
from flask import Response, jsonify
from flask_smorest import Blueprint as SmorestBlueprint
from webargs.flaskparser import FlaskParser


class PaginationSchema(ma.Schema):
    page = ma.fields.Integer(metadata={"description": "Page number, from 1"})
    per_page = ma.fields.Integer(metadata={"description": "Items per page"})
    total = ma.fields.Integer(metadata={"description": "Items matching the filters"})
    total_pages = ma.fields.Integer(metadata={"description": "0 when total is 0"})
    next_cursor = ma.fields.String(metadata={
        "description": "Lists that support `after`: pass it to read the next page by key "
                       "(no OFFSET scan); absent on the last page"})


class ErrorItemSchema(ma.Schema):
    field = ma.fields.String()
    message = ma.fields.String()


class ErrorDetailSchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "Contract error code"})
    message = ma.fields.String(required=True)
    field = ma.fields.String(metadata={"description": "The offending field, when one"})
    errors = ma.fields.List(ma.fields.Nested(ErrorItemSchema),
                            metadata={"description": "Per-field validation errors"})


class ErrorSchema(ma.Schema):
    success = ma.fields.Boolean(required=True, metadata={"description": "Always false"})
    error = ma.fields.Nested(ErrorDetailSchema, required=True)


APPLY_STATES = ("cleared", "applied", "not_configured", "failed", "disabled")
APPLIED_DOC = (
    "What reached FreeSWITCH after the database commit, per step (a step the write does not "
    "need is absent): `cache` (FusionPBX cache keys cleared on every switch), `reload` (api "
    "commands run on every switch, in order) and `event` (events fired on every switch). "
    "Each step's `state`: `cleared`/`applied` (done), `not_configured` (no switch "
    "configured: saved, not applied), `failed` (a switch did not answer or refused: saved, "
    "not applied; retry the write, or apply what the step lists by hand), `disabled` "
    "(turned off in the configuration)."
)


def _state():
    return ma.fields.String(required=True, validate=ma.validate.OneOf(APPLY_STATES),
                            metadata={"description": "What became of the step"})


class CacheStepSchema(ma.Schema):
    state = _state()
    keys = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "The cache keys, as the write declares them: `{hostname}` stands for "
                       "each switch's own hostname (`{hostname}:configuration:sofia.conf`). "
                       "Empty when the change could not be worked out (`failed`)"})


class ReloadStepSchema(ma.Schema):
    state = _state()
    commands = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "Each command as sent after `api` on the event socket, in order "
                       "(`callcenter_config queue load 7000@example.com`)"})


class EventStepSchema(ma.Schema):
    state = _state()
    events = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "Each event as its name, then its `proto` and `from` headers joined "
                       "by '+' when it has them: the lamp a PRESENCE_IN sets "
                       "(`PRESENCE_IN flow+*30@example.com`)"})


class ApplyReportSchema(ma.Schema):
    cache = ma.fields.Nested(CacheStepSchema)
    reload = ma.fields.Nested(ReloadStepSchema)
    event = ma.fields.Nested(EventStepSchema)


@dataclass
class Page:
    """One page of a list, with the numbers for ``pagination``."""

    items: list
    page: int
    per_page: int
    total: int
    next_cursor: str | None = None

    @property
    def pagination(self) -> dict:
        pages = -(-self.total // self.per_page) if self.total else 0
        numbers = {"page": self.page, "per_page": self.per_page, "total": self.total,
                   "total_pages": pages}
        return {**numbers, "next_cursor": self.next_cursor} if self.next_cursor else numbers


@dataclass
class Result:
    """Data with an optional message and FreeSWITCH apply report."""

    data: object
    message: str | None = None
    applied: dict | None = field(default=None)


_envelopes: dict[tuple, type] = {}


def envelope_schema(schema: type[ma.Schema], *, many: bool = False,
                    paginated: bool = False) -> type[ma.Schema]:
    """The documented wrapper around ``schema``: one class per shape, reused."""
    key = (schema, many, paginated)
    if key not in _envelopes:
        name = schema.__name__.removesuffix("Schema")
        attrs = {
            "success": ma.fields.Boolean(required=True),
            "data": ma.fields.Nested(schema, many=many, required=True),
            "message": ma.fields.String(),
            "applied": ma.fields.Nested(ApplyReportSchema, metadata={"description": APPLIED_DOC}),
        }
        if paginated:
            attrs["pagination"] = ma.fields.Nested(PaginationSchema, required=True)
        suffix = "Page" if paginated else ("List" if many else "")
        _envelopes[key] = type(f"{name}{suffix}Envelope", (ma.Schema,), attrs)
    return _envelopes[key]


class Parser(FlaskParser):
    """webargs parser answering 400 (not 422), as the contract wants, and rejecting
    unknown query parameters: a misspelt filter must not silently list everything."""

    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
                                   "query": ma.RAISE, "querystring": ma.RAISE}

    def _raw_load_json(self, req):
        """Treat JSON nested past the decoder's recursion limit, or holding a lone
        surrogate (``"\\ud800"``: valid JSON, but no character, so no column or socket
        can take it), as malformed."""
        try:
            data = super()._raw_load_json(req)
        except RecursionError:
            raise json.JSONDecodeError("JSON nested too deeply", "nested", 0) from None
        if _holds_lone_surrogate(data):
            raise json.JSONDecodeError("Lone surrogate in a string", "surrogate", 0)
        return data

    def _get_schema(self, argmap, req):
        """One instance per schema class, built at the first request that needs it: webargs
        builds one per request (a deep copy of every field). Loading keeps no state on
        the instance, so threads share it."""
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            schema = _SCHEMAS.get(argmap)
            if schema is None:
                schema = _SCHEMAS.setdefault(argmap, argmap())
            return schema
        return super()._get_schema(argmap, req)


_SCHEMAS: dict[type[ma.Schema], ma.Schema] = {}


def _holds_lone_surrogate(data) -> bool:
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode()
                except UnicodeEncodeError:
                    return True
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class Blueprint(SmorestBlueprint):
    """A flask-smorest blueprint whose responses carry the envelope."""

    ARGUMENTS_PARSER = Parser()

    def envelope(self, status: int, schema: type[ma.Schema], *, many: bool = False,
                 paginated: bool = False, description: str | None = None):
        """Document the envelope around ``schema`` and build it from what the view returns.

        The wrapped schema documents the response; the body itself is serialised by a
        dumper compiled once from ``schema`` (marshmallow's generic dump cost a fifth of
        a list request).
        """
        wrapper_schema = envelope_schema(schema, many=many or paginated, paginated=paginated)
        dump = compile_dumper(schema)

        def decorator(func):
            @wraps(func)
            def view(*args, **kwargs):
                result = func(*args, **kwargs)
                if isinstance(result, Response):
                    return result
                body = {"success": True}
                for key, value in wrap(result).items():
                    if value is not None:
                        body[key] = _dump_data(dump, value) if key == "data" else value
                response = jsonify(body)
                response.status_code = status
                return response

            return self.response(status, wrapper_schema, description=description)(view)

        return decorator

    def no_content(self, description: str = "Done; no body"):
        """Document a 204; the view's return value is discarded."""

        def decorator(func):
            @wraps(func)
            def view(*args, **kwargs):
                result = func(*args, **kwargs)
                response = Response(status=204)
                response.headers.remove("Content-Type")
                if isinstance(result, Result) and result.applied:
                    response.headers.update(applied_headers(result.applied))
                return response

            headers = {name: {"description": text, "schema": {"type": "string"}}
                       for name, text in APPLIED_HEADERS.items()}
            return self.response(204, description=description, headers=headers)(view)

        return decorator


APPLIED_HEADERS = {
    "X-Applied": APPLIED_DOC + " As `step=state` pairs: `cache=cleared,reload=applied`.",
    "X-Applied-Keys": "The `cache` step's keys, comma-separated (a key holds no comma or "
                      "space); absent when there are none.",
    "X-Applied-Commands": "The `reload` step's commands, comma-separated, in order; a comma "
                          "inside a command (a dial string's variables) is sent as `%2C`, "
                          "the only escape. Absent when there are none.",
    "X-Applied-Events": "The `event` step's events, comma-separated; absent when there are "
                        "none.",
}


def applied_headers(applied: dict) -> dict[str, str]:
    """The apply report as the headers of a 204 (``APPLIED_HEADERS``)."""
    headers = {"X-Applied": ",".join(f"{step}={item['state']}"
                                     for step, item in applied.items())}
    for name, step, items in (("X-Applied-Keys", "cache", "keys"),
                              ("X-Applied-Commands", "reload", "commands"),
                              ("X-Applied-Events", "event", "events")):
        listed = applied.get(step, {}).get(items)
        if listed:
            headers[name] = ",".join(item.replace(",", "%2C") for item in listed)
    return headers


def _dump_data(dump, data):
    return [dump(item) for item in data] if isinstance(data, list | tuple) else dump(data)


def compile_dumper(schema_cls: type[ma.Schema]):
    """A function dumping one object as ``schema_cls`` would: the same keys (absent
    attributes left out, load-only fields never shown), with plain converters for the
    simple field types and the field's own serialisation for the rest."""
    schema = schema_cls()
    steps = []
    for name, declared in schema.dump_fields.items():
        steps.append((declared.data_key or name, declared.attribute or name,
                      _converter(declared), declared))

    def dump(obj) -> dict:
        out = {}
        mapping = isinstance(obj, Mapping)
        for key, attr, convert, declared in steps:
            if mapping:
                if attr not in obj:
                    continue
                value = obj[attr]
            else:
                value = getattr(obj, attr, _MISSING)
                if value is _MISSING:
                    continue
            out[key] = convert(value) if convert else declared.serialize(attr, {attr: value})
        return out

    return dump


_MISSING = object()


def _converter(field: ma.fields.Field):
    from fpbx_api.http.fields import BoolString, Number

    kind = type(field)
    if kind is BoolString:
        return lambda v: "true" if v else "false"
    if kind is Number:
        return lambda v: None if v is None else (int(v) if v == int(v) else float(v))
    if kind is ma.fields.Integer:
        return lambda v: None if v is None else int(v)
    if kind is ma.fields.String:
        return lambda v: None if v is None else str(v)
    if kind is ma.fields.Raw:
        return lambda v: v
    return None


def wrap(result) -> dict:
    """The envelope's fields (before dumping) for a view's return value."""
    if isinstance(result, Page):
        return {"data": result.items, "pagination": result.pagination}
    if isinstance(result, Result):
        return {"data": result.data, "message": result.message, "applied": result.applied}
    return {"data": result}
