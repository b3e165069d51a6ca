"""One list grammar for every resource: filters, search, order, direction, pages.

A plugin declares which columns may be filtered, searched and sorted; this
module builds the documented query-string schema from that declaration and
turns the parsed arguments into SQL. No plugin parses a query string.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import marshmallow as ma
from flask import current_app
from sqlalchemy import Boolean, Numeric, Select, func, or_, select
from sqlalchemy import Integer as Integer_
from sqlalchemy.orm import Session

from fpbx_api.fusionpbx.models.base import Uuid as UuidType
from fpbx_api.http.envelope import Page
from fpbx_api.http.errors import validation_error
from fpbx_api.http.fields import BoolString, Integer, Query, Uuid

LIKE_ESCAPE = "\\"


def grammar_schema(name: str, search: list[str], sort: list[str], default_order: str,
                   filters: dict[str, ma.fields.Field],
                   direction: bool = True) -> type[ma.Schema]:
    """The documented query-string schema every list shares. ``order`` takes a column, or
    ``-column`` for descending; ``direction`` (asc/desc) says the same where the resource
    has no field of that name (CDR's ``direction`` is the call's)."""
    attrs = {
        "page": Integer(load_default=1, metadata={
            "description": "Page number, from 1", "minimum": 1}),
        "per_page": Integer(metadata={
            "description": "Items per page (pagination.* settings)", "default": 50,
            "minimum": 1, "maximum": 100}),
    }
    if search:
        attrs["search"] = Query(max_length=100, metadata={
            "description": "Case-insensitive partial match on " + ", ".join(search)})
    if sort:
        attrs["order"] = Query(validate=ma.validate.OneOf([*sort, *(f"-{s}" for s in sort)]),
                               metadata={"description": f"Sort field, '-' first for "
                                         f"descending (default {default_order})"})
        if direction:
            attrs["direction"] = ma.fields.String(validate=ma.validate.OneOf(["asc", "desc"]))
    return type(name, (ma.Schema,), {**attrs, **filters})


@dataclass
class ListSpec:
    """What a resource's list accepts: column names of ``model``, or names of ``extra``.

    ``extra`` maps a name to an SQL expression correlated to ``model`` (a count of child
    rows, a joined label): it is selected with each row, in the page's one query, and may
    be filtered, searched and sorted on like a column (``fpbx_api.kit.resource``'s
    ``Resource.list_extra`` hands it over).
    """

    model: type
    filters: list[str] = field(default_factory=list)
    search: list[str] = field(default_factory=list)
    sort: list[str] = field(default_factory=list)
    default_order: str = ""
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        columns = self.model.__table__.columns
        for name in [*self.filters, *self.search, *self.sort, self.default_order]:
            if name and name not in columns and name not in self.extra:
                raise ValueError(f"{self.model.__tablename__} has no column {name!r}")
        self.default_order = self.default_order or (self.sort[0] if self.sort else
                                                    self.model.__mapper__.primary_key[0].name)

    def column(self, name: str):
        """The column, or the ``extra`` expression, called ``name``."""
        if name in self.extra:
            return self.extra[name]
        return self.model.__table__.columns[name]

    def selected(self, name: str):
        """``column(name)`` as a SELECT lists it (an expression labelled with its name)."""
        return self.extra[name].label(name) if name in self.extra else self.column(name)

    def schema(self) -> type[ma.Schema]:
        """The query-string schema: pages, search, order, direction and each filter."""
        filters = {n: _filter_field(n, self.column(n).type) for n in self.filters}
        return grammar_schema(f"{self.model.__name__}ListArgs", self.search, self.sort,
                              self.default_order, filters)

    def apply(self, stmt: Select, args: dict) -> Select:
        """Add the filters and search of ``args`` to ``stmt``."""
        for name in self.filters:
            if name in args:
                column = self.column(name)
                value = args[name]
                if isinstance(column.type, Boolean) and value is False:
                    stmt = stmt.where(or_(column.is_(False), column.is_(None)))
                else:
                    stmt = stmt.where(column == value)
        term = args.get("search")
        if term:
            pattern = "%" + "".join(LIKE_ESCAPE + c if c in "%_\\" else c for c in term) + "%"
            stmt = stmt.where(or_(*(self.column(c).ilike(pattern, escape=LIKE_ESCAPE)
                                    for c in self.search)))
        return stmt

    def order(self, stmt: Select, args: dict) -> Select:
        name, descending = sort_order(args, self.default_order)
        column = self.column(name)
        primary = self.model.__mapper__.primary_key[0]
        if descending:
            return stmt.order_by(column.desc().nulls_last(), primary.desc())
        return stmt.order_by(column.asc().nulls_last(), primary)


def sort_order(args: dict, default: str) -> tuple[str, bool]:
    """(column, descending) from ``order`` (``-column`` descends) and ``direction``."""
    order = args.get("order") or default
    descending = order.startswith("-") or args.get("direction") == "desc"
    return order.removeprefix("-"), descending


def _filter_field(name: str, kind) -> ma.fields.Field:
    description = {"metadata": {"description": f"Only rows whose {name} equals this"}}
    if isinstance(kind, Boolean):
        return BoolString(**description)
    if isinstance(kind, UuidType):
        return Uuid(**description)
    if isinstance(kind, Numeric | Integer_):
        return Integer(**description)
    return Query(**description)


def page_bounds(args: dict) -> tuple[int, int]:
    """Check ``page``/``per_page`` against the configured bounds (400, no clamping)."""
    pages = current_app.config["FPBX"]["pagination"]
    per_page = args.get("per_page")
    if per_page is None:
        per_page = pages["default_per_page"]
    if not pages["min_per_page"] <= per_page <= pages["max_per_page"]:
        raise validation_error("per_page", f"Must be between {pages['min_per_page']} "
                                           f"and {pages['max_per_page']}.")
    page = args.get("page", 1)
    if page < 1:
        raise validation_error("page", "Must be 1 or more.")
    if page > 1_000_000:
        raise validation_error("page", "Must be at most 1000000.")
    return page, per_page


def paginate(session: Session, spec: ListSpec, stmt: Select, args: dict,
             columns: list[str]) -> Page:
    """One page of ``stmt`` (``SELECT model`` scoped to the domain), filtered and counted,
    as plain rows of ``columns`` (the spec's ``extra`` expressions among them): one query
    (the total rides along as a window count), no ORM objects built."""
    page, per_page = page_bounds(args)
    stmt = spec.apply(stmt, args)
    paged = spec.order(stmt.with_only_columns(*(spec.selected(c) for c in columns),
                                              func.count().over().label("_total")), args)
    # columns only, so the Core connection runs it: no ORM execution or row loading
    connection = session.connection()
    result = connection.execute(paged.limit(per_page).offset((page - 1) * per_page))
    keys = list(result.keys())
    rows = result.all()
    if rows:
        total = rows[0]._total
    else:  # past the end (or nothing at all): the window had no row to ride on
        total = connection.scalar(select(func.count()).select_from(
            stmt.with_only_columns(spec.model.__mapper__.primary_key[0]).order_by(None)
            .subquery()))
    # plain dicts: the dumper's lookups in a Row's mapping cost a tenth of the request
    return Page(items=[dict(zip(keys, r, strict=True)) for r in rows], page=page,
                per_page=per_page, total=total)


@dataclass
class RowListSpec:
    """The same grammar over rows that live outside the database (live calls,
    registrations): dicts filtered, searched, sorted and paged in memory."""

    name: str
    filters: list[str] = field(default_factory=list)
    search: list[str] = field(default_factory=list)
    sort: list[str] = field(default_factory=list)
    default_order: str = ""

    def schema(self) -> type[ma.Schema]:
        filters = {n: Query(metadata={
            "description": f"Only rows whose {n} equals this"}) for n in self.filters}
        return grammar_schema(f"{self.name}ListArgs", self.search, self.sort,
                              self.default_order or (self.sort[0] if self.sort else ""),
                              filters)

    def paginate(self, rows: list[dict], args: dict) -> Page:
        page, per_page = page_bounds(args)
        for name in self.filters:
            if name in args:
                rows = [r for r in rows if str(r.get(name)) == args[name]]
        term = (args.get("search") or "").lower()
        if term:
            rows = [r for r in rows
                    if any(term in str(r.get(c) or "").lower() for c in self.search)]
        order, descending = sort_order(args, self.default_order)
        if order:
            rows = sorted(rows, key=lambda r: _sort_key(r.get(order)), reverse=descending)
        start = (page - 1) * per_page
        return Page(items=rows[start:start + per_page], page=page, per_page=per_page,
                    total=len(rows))


def _sort_key(value):
    """Numbers by value, everything else as text, missing values last."""
    if isinstance(value, int | float):
        return (0, value, "")
    return (0 if value is not None else 1, 0, str(value or ""))
