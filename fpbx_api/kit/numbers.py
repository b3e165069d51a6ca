"""Dialable numbers of a domain: an extension, its alias, a ring group's number…

FusionPBX enforces none of this in the database (no unique constraints) and
only partly in its pages; two features answering the same number route
unpredictably. Every resource that owns a number claims it here: under a
transaction-scoped lock, against every table that holds numbers.
"""

from __future__ import annotations

from sqlalchemy import select

from fpbx_api import db
from fpbx_api.fusionpbx.models import Extension, RingGroup
from fpbx_api.http.errors import Duplicate
from fpbx_api.kit.scoping import domain_uuid

NUMBER_COLUMNS = [
    (Extension, "extension", "extension"),
    (Extension, "number_alias", "extension alias"),
    (RingGroup, "ring_group_extension", "ring group"),
]


def claim_numbers(numbers: set[str | None], *, exclude=None, field: str) -> None:
    """409 DUPLICATE_ERROR when one of ``numbers`` is in use in the domain by a row
    other than ``exclude``; otherwise hold them until the transaction ends."""
    wanted = sorted(n for n in numbers if n)
    for number in wanted:
        db.lock(domain_uuid(), "number", number)
    session = db.session()
    for model, column, what in NUMBER_COLUMNS:
        stmt = select(getattr(model, column)).where(model.domain_uuid == domain_uuid(),
                                                    getattr(model, column).in_(wanted))
        if exclude is not None and isinstance(exclude, model):
            key = model.__mapper__.primary_key[0]
            stmt = stmt.where(key != getattr(exclude, key.name))
        taken = session.scalars(stmt).first()
        if taken is not None:
            raise Duplicate(f"{taken} is already in use in this domain (an {what})"
                            if what[0] in "aeiou" else
                            f"{taken} is already in use in this domain (a {what})", field=field)
