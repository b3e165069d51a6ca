"""A resource's request bodies, derived from the one schema it declares.

A resource declares ``schema``, what a client writes: ``required=True`` marks what create
needs, and update loads the same schema partially. Create and update cannot drift apart
(a field added for one is there for the other, a validator judges both), which two
hand-kept schemas did. Where they must differ, the schema says so on the field or rule:

- ``create_only(field)``: a value a row keeps for life. A call-center tier *is* one
  agent's place in one queue (mod_callcenter knows a tier by its queue and agent, and
  FusionPBX's queue form only adds and removes agents); to change the agent, delete the
  tier and add another. Update's body leaves the field out, so a PUT sending it is a 400
  ("Unknown field.") and the OpenAPI update body does not list it.
- ``@validates_create``: a rule over several fields that a new row must meet and an update
  need not, because the row already holds a value (an outbound route needs a pattern,
  given as an expression or a preset; a PUT that sends neither keeps the stored one).

A field's ``load_default`` is create's default: update leaves an absent field as stored.
"""

from __future__ import annotations

import copy
import functools

import marshmallow as ma

from fpbx_api.http.openapi import Noun, operation_id

CREATE_ONLY = "create_only"  # the field metadata key ``create_only`` sets


def create_only(field: ma.fields.Field) -> ma.fields.Field:
    """Mark ``field`` as set on create and never changed (left out of update's body). The
    same schema nested in another's list (a queue's ``tiers``) is loaded whole, as
    before."""
    field.metadata[CREATE_ONLY] = True
    return field


def validates_create(rule):
    """A schema-level validator (``rule(self, data, **kwargs)``) run on create only.

    Update loads the schema with ``partial`` (the field names), which marshmallow passes to
    schema validators: the rule is skipped there, as the stored row already meets it."""
    @ma.validates_schema
    @functools.wraps(rule)
    def validator(self, data, *, partial=None, **kwargs):
        if not partial:
            rule(self, data, **kwargs)
    return validator


def write_schemas(schema: type[ma.Schema], noun: Noun) -> tuple[type[ma.Schema], ma.Schema]:
    """Create's and update's bodies from one schema: create loads it as declared, update
    partially (every top-level field optional and without its ``load_default``; items of
    a nested list are still whole) and without its ``create_only`` fields. Named for the
    docs ``<Noun>Create``/``<Noun>Update``: the create body lists the required fields, the
    update body none."""
    name = operation_id("", noun.singular)
    fields = schema._declared_fields
    fixed = tuple(n for n, f in fields.items() if f.metadata.get(CREATE_ONLY))
    create = type(f"{name}CreateSchema", (schema,), {"__doc__": schema.__doc__})
    update = type(f"{name}UpdateSchema", (schema,), {
        "__doc__": schema.__doc__,
        **{n: _without_default(f) for n, f in fields.items() if f.load_default is not ma.missing}})
    return create, update(partial=tuple(n for n in fields if n not in fixed), exclude=fixed)


def _without_default(field: ma.fields.Field) -> ma.fields.Field:
    """The field as update reads it: a partial load never applies ``load_default``, so the
    update body's documentation shows none either."""
    field = copy.copy(field)
    field.load_default = ma.missing
    return field
