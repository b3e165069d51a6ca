"""CRUD resources as declarations.

A plugin describes its resource — table, schemas, list grammar, child
collections, defaults — and overrides the hooks for its own rules (the rows
FusionPBX writes alongside, the FreeSWITCH changes to apply). ``register``
turns that into the five routes, each one transaction, scoped to the caller's
domain, audited in ``v_database_transactions`` and followed by the apply step.

What a resource serves is its ``query()``: the rows its ``scope`` lets the caller see
(``fpbx_api.kit.scoping``), narrowed to its ``slice`` of the table (and to its parent
row when nested). Every read, lock and uniqueness check starts there, and every write
is checked against the scope (``authorize_scope``) before the resource's own
``authorize``.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from dataclasses import dataclass

import marshmallow as ma
from flask import g, request
from flask.views import MethodView
from sqlalchemy import Select, delete, select

from fpbx_api import db
from fpbx_api.freeswitch.esl import Command, Quoted
from fpbx_api.freeswitch.switches import Change, apply_change
from fpbx_api.fusionpbx.audit import record_transaction
from fpbx_api.fusionpbx.dialplans import delete_dialplan, dialplan_keys, with_dialplan
from fpbx_api.fusionpbx.rows import new_uuid, now
from fpbx_api.http.auth import has_system_scope
from fpbx_api.http.envelope import Blueprint, Result
from fpbx_api.http.errors import ApiError, Duplicate, Forbidden, NotFound, validation_error
from fpbx_api.http.listing import ListSpec, paginate
from fpbx_api.http.openapi import Noun, operation_id
from fpbx_api.kit import dialplan_owners, events, numbers
from fpbx_api.kit.bodies import write_schemas
from fpbx_api.kit.computed import values_of_row
from fpbx_api.kit.references import check_references
from fpbx_api.kit.scoping import SCOPES, domain_name, domain_uuid, same_owner, visible
from fpbx_api.plugins import Plugin

# What a plugin needs to declare a resource, its actions and its FreeSWITCH change.
__all__ = ["CRUD", "READ_ONLY", "Change", "Child", "Command", "Quoted", "Resource", "action",
           "register", "resource_plugin"]
log = logging.getLogger("fpbx_api.kit.resource")


CRUD = frozenset({"list", "create", "get", "update", "delete"})
READ_ONLY = frozenset({"list", "get"})


@dataclass(frozen=True)
class Action:
    """A POST on one row that is not CRUD (an agent's status, a call flow's toggle)."""

    name: str                                  # the path segment: ``<item>/<name>``
    method: str                                # the Resource method that does it
    summary: str
    arguments: type[ma.Schema] | None = None   # the request body, if any
    response: type[ma.Schema] | None = None    # the data answered; default: the key
    verb: str | None = None                    # the operationId's verb; default: name
    message: str | None = None


def action(name: str, *, summary: str, arguments: type[ma.Schema] | None = None,
           response: type[ma.Schema] | None = None, verb: str | None = None,
           message: str | None = None):
    """Declare a Resource method ``(self, row, values) -> (data, Change | None)`` as the
    action ``POST <item>/<name>``: it changes ``row`` (``values``: the loaded
    ``arguments``) and returns the data answered and the FreeSWITCH change (None: the
    resource's ``change``, as for a PUT). The kit does the rest, as for a PUT (see
    ``Resource.run_action``): the row loaded locked in the caller's scope, the write
    authorized, ``update_date`` stamped, the audit row recorded, the commit, the apply."""
    def decorator(method):
        method.action = Action(name, method.__name__, summary, arguments, response, verb,
                               message)
        return method
    return decorator


@dataclass(frozen=True)
class Child:
    """Rows that belong to one parent row (e.g. a ring group's destinations): written
    with it, replaced as a whole when the field is given, deleted with it."""

    field: str
    model: type
    parent_key: str
    schema: type[ma.Schema]
    order_by: tuple[str, ...] = ()


class Resource:
    """Override the class attributes and the hooks you need."""

    noun: Noun = None             # Noun("a ring group"): summaries and operationIds
    path: str = ""                # under the plugin's url_prefix, e.g. "/queues"
    verbs: frozenset = CRUD       # the routes served, e.g. READ_ONLY
    # A nested collection (``/ivr-menus/<ivr_menu_uuid>/options``): the parent's Resource
    # class and the column naming the parent row. Every route loads the parent first.
    parent: type[Resource] | None = None
    parent_key: str | None = None
    label: str = ""               # "Ring group": messages and 404s; default: from noun
    model: type = None
    # FusionPBX's app in the audit trail (v_database_transactions): the folder name its
    # class sets (``$this->app_name = 'call_flows'``) and its app_config.php uuid
    app_name: str | None = None
    app_uuid: str | None = None
    list_spec: ListSpec = None
    list_schema: type[ma.Schema] = None
    detail_schema: type[ma.Schema] = None
    # The one schema of what a client writes: ``required=True`` marks what create needs;
    # update loads it partially (fpbx_api.kit.bodies: ``create_only``, ``validates_create``).
    schema: type[ma.Schema] = None
    created_schema: type[ma.Schema] | None = None
    children: tuple[Child, ...] = ()
    # Other tables whose rows of this row FusionPBX deletes with it (rows it does not
    # write with it, unlike ``children``: a ring group's users), each with a column named
    # as the row's primary key.
    deletes_with: tuple[type, ...] = ()
    virtual_fields: frozenset = frozenset()  # request fields that are not columns
    # Fields (of any table in ``audit()``) holding credentials: the core redacts them in
    # v_database_transactions and logs. ``password`` and ``api_key`` always are.
    secrets: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()  # columns whose values are unique in a domain (409)
    # Columns holding numbers dialable in the domain: claimed against every resource's (409).
    numbers: tuple[str, ...] = ()
    # Fields naming a row of the caller's domain: {"user_uuid": User} (400 otherwise);
    # see fpbx_api.kit.references.
    references: dict = {}
    # Whose rows these are (fpbx_api.kit.scoping): "domain" (the caller's domain's),
    # "system" (no domain_uuid: every key reads, a key with the system scope writes) or
    # "global" (domain_uuid NULL is a global row: read by every domain, written with the
    # system scope; a body's "domain_uuid": null creates or moves a row there). A nested
    # resource takes its parent's unless it declares one.
    scope: str = "domain"
    # The resource's part of a shared table, {column: value} (v_dialplans by app_uuid):
    # every query is narrowed to it and every new row gets it.
    slice: dict = {}
    # The app_uuids of the v_dialplans rows this resource generates (its app_config.php's
    # and any other its FusionPBX page writes); default: its slice's. The generic
    # dialplan editor leaves them to it (fpbx_api.kit.dialplan_owners).
    dialplan_apps: tuple[str, ...] = ()
    # Computed list fields, {name: SQL expression correlated to ``model``}: selected with
    # each row in the page's one query (fpbx_api.kit.computed: ``count_of``, ``value_of``;
    # declare the field in ``list_schema``). To filter, search or sort on them, give the
    # list spec the same mapping: ``ListSpec(..., sort=["agent_count"], extra=list_extra)``.
    # GET shows them too (``detail``).
    list_extra: dict = {}
    # The column holding the uuid of the row's own v_dialplans row, for a feature that
    # FusionPBX routes calls to by a dialplan it writes (ring groups, IVR menus, fax, …;
    # the plugin writes that row in ``written``). FusionPBX's pages delete it (with its
    # details) with the feature, clear the domain's dialplan cache after every write, and
    # save it in the feature's save array, so the audit row carries it: declared, the
    # kit's ``delete``, ``change`` and ``audit`` do the same.
    dialplan: str | None = None

    def __init_subclass__(cls, **kwargs):
        """Each of ``noun`` and ``label`` follows from the other (one is declared); a
        nested resource takes its parent's scope; the list grammar learns the computed
        fields."""
        super().__init_subclass__(**kwargs)
        if cls.noun is None and cls.label:
            cls.noun = Noun.guess(cls.label)
        if cls.noun is not None and not cls.label:
            cls.label = cls.noun.singular.capitalize()
        if cls.parent is not None and "scope" not in cls.__dict__:
            cls.scope = cls.parent.scope
        if cls.scope not in SCOPES:
            raise ValueError(f"{cls.__name__}.scope is {cls.scope!r}, not one of {SCOPES}")
        if cls.list_spec is not None and set(cls.list_extra) - set(cls.list_spec.extra):
            cls.list_spec = dataclasses.replace(
                cls.list_spec, extra={**cls.list_spec.extra, **cls.list_extra})
        if {"create_schema", "update_schema"} & set(cls.__dict__):
            raise TypeError(f"{cls.__name__}: declare one `schema`; create's and update's "
                            "bodies are derived from it (fpbx_api.kit.bodies)")
        if "schema" in cls.__dict__:
            cls._create_body, cls._update_body = write_schemas(cls.schema, cls.noun)

    # --- hooks ---------------------------------------------------------------------------
    def prepare(self, values: dict) -> dict:
        """FusionPBX's clean-ups of the request values before anything is checked."""
        return values

    def defaults(self, values: dict) -> dict:
        """Column values a new row gets unless the request sets them."""
        return {}

    def authorize(self, values: dict, row=None) -> None:
        """Raise 403 when the caller's key may not write this row (``values`` as given,
        ``row`` as stored; on delete ``values`` is empty)."""

    def check(self, values: dict, row=None) -> None:
        """Raise a 4xx for input neither the schema nor a declaration (``unique``,
        ``numbers``, ``references``) can judge."""

    def written(self, row, values: dict, before: dict | None) -> dict:
        """Write the rows FusionPBX writes alongside; return data for the response
        (e.g. generated secrets, shown once)."""
        return {}

    def removing(self, row) -> None:
        """Delete what FusionPBX deletes with the row, besides its children, its
        ``deletes_with`` tables' rows and its ``dialplan``, of this plugin's tables; other
        plugins remove theirs on ``<noun>.deleted`` (fpbx_api.kit.events)."""

    def change(self, row, before: dict | None) -> Change:
        """FreeSWITCH cache keys and api commands (``Command``) for this write; ``row``
        is None on delete, ``before`` None on create. Called before the commit. With a
        ``dialplan``: the domain's dialplan cache key."""
        return Change(dialplan_keys(domain_name()) if self.dialplan else ())

    def detail(self, row) -> dict:
        """The row as GET returns it: with the computed fields the list shows
        (``list_extra``) and its children."""
        data = columns(row)
        if self.list_extra:
            data.update(values_of_row(row, self.list_extra))
        for child in self.children:
            data[child.field] = children_of(child, row)
        return data

    # --- the work ------------------------------------------------------------------------
    def planned_change(self, row, before: dict | None) -> Change | None:
        """The change, built in the write's transaction before the commit: a value that
        cannot be sent to FreeSWITCH is a 4xx while nothing is written. Any other
        failure of the hook must not undo a valid write: it is logged with the request
        id and the write goes on, reported as ``failed`` (None)."""
        try:
            return self.change(row, before)
        except ApiError:
            raise
        except Exception:
            log.exception("%s change could not be built (request_id=%s)", self.label,
                          g.get("request_id"))
            return None

    @property
    def key(self) -> str:
        return self.model.__mapper__.primary_key[0].name

    def query(self) -> Select:
        """The rows this resource serves: the base of every list, get and unique check
        (those its scope shows the caller, in its slice; under a nested resource's parent,
        the parent's rows)."""
        stmt = self._sliced(visible(self.model, self.scope))
        if self.parent is not None:
            stmt = stmt.where(getattr(self.model, self.parent_key) == self._parent_uuid())
        return stmt

    def _sliced(self, stmt: Select) -> Select:
        for column, value in self.slice.items():
            stmt = stmt.where(getattr(self.model, column) == value)
        return stmt

    def authorize_scope(self, values: dict, row=None) -> dict:
        """403 for a write the scope forbids the caller's key: any write to a system
        table, or to a global row (as stored, or as ``values`` would leave it), needs the
        system scope; ``domain_uuid`` names no other domain. A global row is readable,
        so a write to it is a 403, never a 404. Returns ``values`` with ``domain_uuid``
        as it will be stored."""
        if self.scope == "system":
            if not has_system_scope():
                raise Forbidden(f"Changing {self.noun.many} (system-wide) needs a key with "
                                "the system scope")
            return values
        if "domain_uuid" not in values and (row is None or row.domain_uuid is not None):
            return values  # the caller's own domain's row, staying there
        owner = values.get("domain_uuid", None if row is None else row.domain_uuid)
        if owner is not None and str(owner) != domain_uuid():
            raise Forbidden("domain_uuid is your domain's"
                            + (" or null" if self.scope == "global" else ""),
                            field="domain_uuid")
        if owner is None and self.scope != "global":
            raise validation_error("domain_uuid", "Field may not be null.")
        if (owner is None or row is not None and row.domain_uuid is None) \
                and not has_system_scope():
            raise Forbidden(f"A global {self.noun.singular} is read-only without the system "
                            "scope", field="domain_uuid")
        return {**values, "domain_uuid": None if owner is None else domain_uuid()}

    def get(self, uuid, *, for_update: bool = False) -> object:
        """The row, or 404 (for other domains' rows too); locked for a write.

        ``for_update`` locks the row until the transaction ends, for a write that loaded
        it: a concurrent PUT and DELETE then run one after the other, and the later one
        sees what the first left (a deleted row is a 404).
        """
        stmt = self.query().where(self.model.__mapper__.primary_key[0] == str(uuid))
        if for_update:
            stmt = stmt.with_for_update(of=self.model)
        row = db.session().scalars(stmt).first()
        if row is None:
            raise NotFound(f"{self.label} not found")
        return row

    def load_parent(self, path: dict, *, for_update: bool = False) -> None:
        """For a nested resource, the parent row named in the path (404 when it is not
        the caller's), kept for the request: locked on writes, so a child is never
        written under a parent being deleted."""
        if self.parent is not None:
            parent = self.parent()
            row = parent.get(path[self.parent_key], for_update=for_update)
            if for_update:  # a global (or system) parent's rows are written as it is
                parent.authorize_scope({}, row)
            g.setdefault("parent_rows", {})[type(self)] = row

    def parent_row(self):
        """The parent row of this request's nested route (see ``load_parent``)."""
        return g.parent_rows[type(self)]

    def _parent_uuid(self) -> str:
        return getattr(self.parent_row(), self.parent_key)

    def collection_rule(self) -> str:
        if self.parent is None:
            return self.path
        parent = self.parent()
        return f"{parent.item_rule()}{self.path}".replace(
            f"<uuid:{parent.key}>", f"<uuid:{self.parent_key}>")

    def item_rule(self) -> str:
        return f"{self.collection_rule()}/<uuid:{self.key}>"

    def endpoint_name(self, blp: Blueprint) -> str:
        """``<blueprint>`` for the plugin's main resource, ``<blueprint>_<path>`` for
        the others (Flask endpoints must be unique)."""
        return f"{blp.name}_{self.path.strip('/').replace('/', '_').replace('-', '_')}" \
            if self.path else blp.name

    def actions(self) -> list[Action]:
        return [m.action for m in (getattr(self, n) for n in dir(type(self)))
                if isinstance(getattr(m, "action", None), Action)]

    def create(self, values: dict) -> tuple[object, dict]:
        values = self.authorize_scope(self.prepare(dict(values)))
        self.authorize(values)
        self._check_slice(values)
        self._check_declared(values)
        self.check(values)
        row = self.model(**{self.key: new_uuid(), "insert_date": now()})
        if self.scope != "system":
            row.domain_uuid = domain_uuid()
        if self.parent is not None:
            setattr(row, self.parent_key, self._parent_uuid())
            if self.scope != "system":  # a global parent's rows are global
                row.domain_uuid = owner_of(self.parent_row())
        assign(row, {**self.defaults(values), **self._columns(values), **self.slice})
        db.session().add(row)
        self._write_children(row, values)
        extra = self.written(row, values, None)
        self._record("add", self.audit(row))
        return row, extra

    def update(self, row, values: dict) -> dict:
        values = self.authorize_scope(self.prepare(dict(values)), row)
        before = columns(row)
        self.authorize(values, row)
        self._check_slice(values)
        self._check_declared(values, row)
        self.check(values, row)
        assign(row, self._columns(values))
        row.update_date = now()
        self._write_children(row, values)
        self.written(row, values, before)
        self._record("update", self.audit(row), {self.table: [before]})
        return before

    def run_action(self, spec: Action, row, values: dict) -> tuple[object, Change | None]:
        """Run the action ``spec`` on ``row`` as an update: the columns it changes are
        authorized as a PUT's body would be (the scope, then ``authorize`` with the row as
        stored, so a field or row the key may not write is a 403 and nothing is written),
        then stamped and recorded in the audit trail as FusionPBX's own toggles do
        (e.g. app/call_flows/call_flows.php)."""
        self.authorize_scope({}, row)
        before = columns(row)
        data, change = getattr(self, spec.method)(row, values)
        changed = {k: v for k, v in columns(row).items() if before[k] != v}
        # ``authorize`` judges a write against the row as stored: a detached copy of it,
        # since the handler has changed the row itself
        self.authorize(changed, type(row)(**before))
        row.update_date = now()
        self._record("update", self.audit(row), {self.table: [before]})
        if change is None:
            change = self.planned_change(row, before)
        return data, change

    def delete(self, row) -> None:
        self.authorize_scope({}, row)
        self.authorize({}, row)
        session = db.session()
        for child in self.children:
            session.execute(self._child_rows(child, row, delete(child.model)))
        for model in self.deletes_with:
            session.execute(delete(model).where(same_owner(model, owner_of(row)),
                                                getattr(model, self.key) == getattr(row, self.key)))
        if self.dialplan:
            delete_dialplan(getattr(row, self.dialplan))
        self.removing(row)
        events.emit(events.deleted(self.noun.singular), row)
        session.delete(row)
        self._record("delete", None, self.audit(row))

    def _record(self, kind: str, new: dict | None, old: dict | None = None) -> None:
        record_transaction(kind, new, old, app_name=self.app_name, app_uuid=self.app_uuid,
                           secrets=self.secrets)

    def audit(self, row) -> dict:
        """The rows of the audit trail's entry: the row (and its ``dialplan``)."""
        rows = {self.table: [columns(row)]}
        return with_dialplan(rows, getattr(row, self.dialplan)) if self.dialplan else rows

    @property
    def table(self) -> str:
        return self.model.__tablename__.removeprefix("v_")

    def _columns(self, values: dict) -> dict:
        skip = {c.field for c in self.children} | set(self.virtual_fields)
        return {k: v for k, v in values.items() if k not in skip}

    def _check_slice(self, values: dict) -> None:
        """A row cannot be moved out of the resource's slice of the table (400)."""
        for column, value in self.slice.items():
            if column in values and str(values[column]) != str(value):
                raise validation_error(column, f"Is {value} for {self.noun.many}.")

    def _check_declared(self, values: dict, row=None) -> None:
        """The declared rules: references (400), then unique values and numbers (409)."""
        check_references(self.references, values)
        self._claim_unique(values, row)
        for column in self.numbers:
            if values.get(column):
                numbers.claim_numbers({values[column]}, exclude=row, field=column)

    def _claim_unique(self, values: dict, row=None) -> None:
        """409 when a ``unique`` value is taken by another row the resource serves the
        caller (``query()``: the domain's, and global ones where there are); otherwise
        hold it until the transaction ends, so concurrent creates cannot both pass.
        (FusionPBX's tables have no unique constraints to do this.) A global row is seen
        by every domain, so its value is compared with every domain's rows; rows shared
        between domains are claimed under one lock for every domain."""
        owner = domain_uuid() if self.scope == "domain" else "*"
        becomes_global = self.scope == "global" and values.get(
            "domain_uuid", domain_uuid() if row is None else row.domain_uuid) is None
        base = self._sliced(select(self.model)) if becomes_global else self.query()
        for column in self.unique:
            value = values.get(column)
            if value is None:
                continue
            db.lock(owner, self.table, column, str(value))
            stmt = base.where(getattr(self.model, column) == value)
            if row is not None:
                key = getattr(self.model, self.key)
                stmt = stmt.where(key != getattr(row, self.key))
            if db.session().scalars(stmt).first() is not None:
                where = (f" in this {self.parent.noun.singular}" if self.parent is not None
                         else " in this domain" if self.scope == "domain" else "")
                raise Duplicate(f"{self.label} {value} already exists{where}", field=column)

    def _child_rows(self, child: Child, row, stmt):
        return stmt.where(same_owner(child.model, owner_of(row)),
                          getattr(child.model, child.parent_key) == getattr(row, self.key))

    def _write_children(self, row, values: dict) -> None:
        """Replace a child collection given in ``values`` (atomically: same transaction)."""
        session = db.session()
        for child in self.children:
            if child.field not in values:
                continue
            session.execute(self._child_rows(child, row, delete(child.model)))
            child_key = child.model.__mapper__.primary_key[0].name
            owner = {"domain_uuid": owner_of(row)} if hasattr(child.model, "domain_uuid") \
                else {}
            for item in values[child.field]:
                session.add(child.model(**{child_key: new_uuid(), **owner,
                                           child.parent_key: getattr(row, self.key),
                                           "insert_date": now(), **item}))
        session.flush()


def columns(row) -> dict:
    """A row's loaded columns (deferred 5.6-only columns left out) as a dict."""
    return {c.key: getattr(row, c.key) for c in type(row).__mapper__.column_attrs
            if not c.deferred}


def assign(row, values: dict) -> None:
    for key, value in values.items():
        setattr(row, key, value)


def owner_of(row) -> str | None:
    """The domain a row belongs to (None: a global row, or a table without domains)."""
    return getattr(row, "domain_uuid", None)


def children_of(child: Child, row) -> list:
    parent = row.__mapper__.primary_key[0].name
    stmt = select(child.model).where(same_owner(child.model, owner_of(row)),
                                     getattr(child.model, child.parent_key)
                                     == getattr(row, parent))
    stmt = stmt.order_by(*[getattr(child.model, c) for c in child.order_by])
    return list(db.session().scalars(stmt))


def register(blp: Blueprint, resource: Resource) -> None:
    """The routes of ``resource`` on ``blp``: those of its ``verbs`` among list, create,
    get, update and delete, and its actions, at its ``path`` (under its parent's item
    when nested)."""
    label, key, verbs = resource.label, resource.key, resource.verbs
    collection, item = resource.collection_rule(), resource.item_rule()
    numbers.declare(resource)
    created_schema = resource.created_schema or _key_schema(resource)
    noun, views = resource.noun, {}

    if "list" in verbs:
        @blp.arguments(resource.list_spec.schema(), location="query")
        @blp.envelope(200, resource.list_schema, paginated=True)
        def list_rows(self, args, **path):
            resource.load_parent(path)
            return paginate(db.session(), resource.list_spec, resource.query(), args,
                            list(resource.list_schema._declared_fields))
        whose = {"domain": "the domain's ", "global": "the domain's and the global ",
                 "system": "the "}[resource.scope]
        views["collection", "get"] = _document(
            list_rows, f"List {whose}{noun.many}", "list", noun.many)

    if "create" in verbs:
        @blp.arguments(resource._create_body)
        @blp.envelope(201, created_schema)
        def create(self, values, **path):
            resource.load_parent(path, for_update=True)
            row, extra = resource.create(values)
            change = resource.planned_change(row, None)
            db.commit()
            return Result({key: getattr(row, key), **extra},
                          f"{label} created successfully", apply_change(change))
        views["collection", "post"] = _document(
            create, f"Create {noun.phrase}", "create", noun.singular)

    if "get" in verbs:
        @blp.envelope(200, resource.detail_schema)
        def get(self, **path):
            resource.load_parent(path)
            return resource.detail(resource.get(path[key]))
        views["item", "get"] = _document(get, f"Get one {noun.singular}", "get",
                                         noun.singular)

    if "update" in verbs:
        @blp.arguments(resource._update_body)
        @blp.envelope(200, _key_schema(resource))
        def put(self, values, **path):
            resource.load_parent(path, for_update=True)
            row = resource.get(path[key], for_update=True)
            before = resource.update(row, values)
            change = resource.planned_change(row, before)
            db.commit()
            return Result({key: getattr(row, key)}, f"{label} updated successfully",
                          apply_change(change))
        views["item", "put"] = _document(
            put, f"Update {noun.phrase} (only the fields given)", "update", noun.singular)

    if "delete" in verbs:
        @blp.no_content()
        def delete(self, **path):
            resource.load_parent(path, for_update=True)
            row = resource.get(path[key], for_update=True)
            before = columns(row)
            resource.delete(row)
            change = resource.planned_change(None, before)
            db.commit()
            return Result(None, applied=apply_change(change))
        views["item", "delete"] = _document(
            delete, f"Delete {noun.phrase} and what FusionPBX deletes with it", "delete",
            noun.singular)

    name = resource.endpoint_name(blp)
    dialplan_owners.declare(resource, f"{blp.name}.{name}_collection")
    if resource.scope == "system":
        views = {(where, verb): view if verb == "get" else _system_scope_first(view)
                 for (where, verb), view in views.items()}
    for rule, kind in ((collection, "collection"), (item, "item")):
        methods = {verb: _parent_first(resource, view)
                   for (where, verb), view in views.items() if where == kind}
        if methods:
            view_class = type(f"{type(resource).__name__}{kind.title()}", (MethodView,),
                              methods)
            blp.route(rule, endpoint=f"{name}_{kind}")(view_class)
    for spec in resource.actions():
        _register_action(blp, resource, spec, f"{name}_{spec.name}", item)


def _parent_first(resource: Resource, view):
    """A nested route answers 404 for a parent that is not the caller's before it reads
    the body or the query: what another domain holds is not probed by validation errors."""
    if resource.parent is None:
        return view

    @functools.wraps(view)
    def checked(self, *args, **path):
        resource.load_parent(path)
        return view(self, *args, **path)
    return checked


def _register_action(blp: Blueprint, resource: Resource, spec: Action, endpoint: str,
                     item: str) -> None:
    """POST ``<item>/<name>``: the row locked, the action run (``Resource.run_action``),
    committed, then applied."""
    key = resource.key
    decorators = [blp.arguments(spec.arguments)] if spec.arguments else []
    decorators.append(blp.envelope(200, spec.response or _key_schema(resource)))

    def run(self, values=None, **path):
        resource.load_parent(path, for_update=True)
        row = resource.get(path[key], for_update=True)
        if spec.arguments is None and request.get_json(silent=True):
            # a body it would ignore is refused (a client setting a state with
            # {"status": ...} must not see it flipped instead), after the row is found
            raise validation_error("body", f"{spec.name} takes no body")
        data, change = resource.run_action(spec, row, values or {})
        db.commit()
        return Result(data, spec.message or f"{resource.label} {spec.name} done",
                      apply_change(change))

    for decorator in reversed(decorators):
        run = decorator(run)
    _document(run, spec.summary, spec.verb or spec.name, resource.noun.singular)
    if resource.scope == "system":
        run = _system_scope_first(run)
    view_class = type(f"{type(resource).__name__}{spec.name.title()}", (MethodView,),
                      {"post": _parent_first(resource, run)})
    blp.route(f"{item}/{spec.name}", endpoint=endpoint)(view_class)


def _system_scope_first(view):
    """A write to a system table is refused without the system scope before its body is
    read: the key may not write it whatever it sends."""
    @functools.wraps(view)
    def guarded(self, *args, **kwargs):
        if not has_system_scope():
            raise Forbidden("Changing a system-wide resource needs a key with the system "
                            "scope")
        return view(self, *args, **kwargs)
    return guarded


def _document(view, summary: str, verb: str, noun: str):
    """The summary, and the operationId a generated client names its method after
    (``createExtension``: ``create_extension``)."""
    view.__doc__ = summary
    view._apidoc.setdefault("manual_doc", {})["operationId"] = operation_id(verb, noun)
    return view


def resource_plugin(name: str, resources: Resource | list[Resource], *, url_prefix: str,
                    description: str, **about) -> Plugin:
    """A plugin serving one resource or several (each at its ``path`` under
    ``url_prefix``): its blueprint, the routes, and the plugin that announces them
    (``about``: ``version``, ``title``, ``system_wide``, ``indexes``)."""
    resources = resources if isinstance(resources, list) else [resources]
    blp = Blueprint(name, type(resources[0]).__module__, url_prefix=url_prefix,
                    description=description)
    for resource in resources:
        register(blp, resource)
    return Plugin(name=name, blueprint=blp, **about)


_key_schemas: dict[str, type[ma.Schema]] = {}


def _key_schema(resource: Resource) -> type[ma.Schema]:
    """``{<pk>: uuid}``, what create and update answer with (one class per resource)."""
    name = f"{resource.model.__name__}Key"
    if name not in _key_schemas:
        _key_schemas[name] = type(name, (ma.Schema,), {resource.key: ma.fields.String()})
    return _key_schemas[name]
