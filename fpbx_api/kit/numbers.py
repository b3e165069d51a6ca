"""Dialable numbers of a domain: an extension, its alias, a ring group's number…

FusionPBX enforces none of this in the database (no unique constraints) and
only partly in its pages; two features answering the same number route
unpredictably. A resource declares the columns holding its numbers
(``numbers = ("ring_group_extension",)``); the kit learns them when the resource is
registered and claims a request's numbers here, under a transaction-scoped lock,
against every column any registered resource declared. The core keeps no list of
tables: a plugin that is not installed holds no numbers.
"""

from __future__ import annotations

from sqlalchemy import Select, String, bindparam, cast, literal, or_, select, union_all

from fpbx_api import db
from fpbx_api.http.errors import Duplicate
from fpbx_api.kit.scoping import domain_uuid

# (resource class, column) -> the resource: every column that holds a dialable number.
_declared: dict[tuple[type, str], object] = {}
# The claim's one statement, built once per model excluded (a write's own row) and kept
# until another column is declared: the domain, the numbers and the excluded key are its
# parameters, so a claim builds nothing and costs one round trip, not one per column.
_statements: dict[type | None, Select] = {}


def declare(resource) -> None:
    """Learn the number columns of ``resource`` (a ``Resource``; registering it twice,
    as a second app in one process does, changes nothing)."""
    for column in resource.numbers:
        if (type(resource), column) not in _declared:
            _statements.clear()
        _declared[type(resource), column] = resource


def claim_numbers(numbers: set[str | None], *, exclude=None, field: str) -> None:
    """409 DUPLICATE_ERROR naming ``field`` when one of ``numbers`` is in use in the
    domain by a row other than ``exclude``; otherwise hold them until the transaction
    ends."""
    wanted = sorted(n for n in numbers if n)
    if not wanted or not _declared:
        return
    for number in wanted:
        db.lock(domain_uuid(), "number", number)
    model = type(exclude) if exclude is not None else None
    stmt = _statements.get(model)
    if stmt is None:
        stmt = _statements[model] = _claim_statement(model)
    params = {"domain": domain_uuid(), "wanted": wanted}
    if model is not None:
        key = model.__mapper__.primary_key[0]
        params["exclude"] = getattr(exclude, key.name)
    taken = db.session().execute(stmt, params).first()
    if taken is not None:
        resource = list(_declared.values())[taken.source]
        raise Duplicate(f"{taken.number} is already in use in this domain "
                        f"({resource.noun.phrase})", field=field)


def _claim_statement(excluded: type | None) -> Select:
    """``SELECT number, source`` over every declared column, the first column's rows first
    (the one a 409 names), at most one row."""
    parts = []
    for source, ((_, column), resource) in enumerate(_declared.items()):
        model = resource.model
        number = getattr(model, column)
        stmt = resource._sliced(select(cast(number, String).label("number"),
                                       literal(source).label("source")))
        stmt = stmt.where(number.in_(bindparam("wanted", expanding=True)),
                          *_seen_by_domain(model, resource.scope))
        if excluded is model:
            key = model.__mapper__.primary_key[0]
            stmt = stmt.where(key != bindparam("exclude"))
        parts.append(stmt)
    union = union_all(*parts).subquery()
    return select(union.c.number, union.c.source).order_by(union.c.source).limit(1)


def _seen_by_domain(model, scope: str) -> list:
    """``kit.scoping.visible``'s WHERE clause, with the domain as a parameter: a number is
    the domain's, in its own rows and in global ones."""
    if scope == "system":
        return []
    mine = model.domain_uuid == bindparam("domain")
    return [mine if scope == "domain" else or_(mine, model.domain_uuid.is_(None))]
