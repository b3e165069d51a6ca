"""Computed list fields (``Resource.list_extra``): a value per listed row taken from
other rows — a queue's agent count, a device's lines, a destination's target — as a
correlated subquery, so a page stays one query however many rows it shows (no query
per row).

Each helper relates rows of another table to the listed row by a key pair,
``child_key == parent_key``, within the listed row's domain (global and system rows
relate to rows of their own kind), plus any ``where`` clauses::

    list_extra = {"agent_count": count_of(CallCenterTier.call_center_queue_uuid,
                                          CallCenterQueue.call_center_queue_uuid)}
"""

from __future__ import annotations

from sqlalchemy import func, select, true


def count_of(child_key, parent_key, *where):
    """How many rows have ``child_key`` equal to the listed row's ``parent_key``."""
    return _related(select(func.count()), child_key, parent_key, where).scalar_subquery()


def value_of(column, child_key, parent_key, *where, order_by=None):
    """``column`` of the first related row (ordered by ``order_by``; None when there is
    none): a label looked up elsewhere, e.g. the extension a destination reaches."""
    stmt = _related(select(column), child_key, parent_key, where)
    return stmt.order_by(column if order_by is None else order_by).limit(1).scalar_subquery()


def _related(stmt, child_key, parent_key, where):
    """``stmt`` over ``child_key``'s table, narrowed to the rows related to the listed
    row (the enclosing query's ``parent_key`` table)."""
    child, parent = child_key.class_, parent_key.class_
    same_domain = true()
    if hasattr(child, "domain_uuid") and hasattr(parent, "domain_uuid"):
        same_domain = child.domain_uuid.is_not_distinct_from(parent.domain_uuid)
    return stmt.select_from(child).where(child_key == parent_key, same_domain, *where) \
        .correlate(parent)
