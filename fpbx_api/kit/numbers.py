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

from fpbx_api import db
from fpbx_api.http.errors import Duplicate
from fpbx_api.kit.scoping import domain_uuid, visible

# (resource class, column) -> the resource: every column that holds a dialable number.
_declared: dict[tuple[type, str], object] = {}


def declare(resource) -> None:
    """Learn the number columns of ``resource`` (a ``Resource``; registering it twice,
    as a second app in one process does, changes nothing)."""
    for column in resource.numbers:
        _declared[type(resource), column] = resource


def claim_numbers(numbers: set[str | None], *, exclude=None, field: str) -> None:
    """409 DUPLICATE_ERROR naming ``field`` when one of ``numbers`` is in use in the
    domain by a row other than ``exclude``; otherwise hold them until the transaction
    ends."""
    wanted = sorted(n for n in numbers if n)
    if not wanted:
        return
    for number in wanted:
        db.lock(domain_uuid(), "number", number)
    session = db.session()
    for (_, column), resource in _declared.items():
        model = resource.model
        stmt = _rows_of(resource).with_only_columns(getattr(model, column)).where(
            getattr(model, column).in_(wanted))
        if isinstance(exclude, model):
            key = model.__mapper__.primary_key[0]
            stmt = stmt.where(key != getattr(exclude, key.name))
        taken = session.scalars(stmt).first()
        if taken is not None:
            raise Duplicate(f"{taken} is already in use in this domain "
                            f"({resource.noun.phrase})", field=field)


def _rows_of(resource):
    """The resource's rows the caller's domain sees, in its slice of a shared table (a
    nested resource's under any parent: a number is the domain's, not the parent's)."""
    return resource._sliced(visible(resource.model, resource.scope))
