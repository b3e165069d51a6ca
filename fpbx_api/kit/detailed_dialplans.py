"""Resources that are ``v_dialplans`` rows stored as ``v_dialplan_details`` with the XML
built from them: one FusionPBX app's (time conditions, outbound routes: FusionPBX keeps
no table of its own for these, only the dialplan), or any app's (the dialplan editor).

A subclass declares its ``slice`` (``{"app_uuid": …}``) and turns the request into detail
rows (``details``); the base writes them as FusionPBX's forms do (all deleted and
re-inserted on every save, then ``dialplan->xml()``), deletes them with the row, clears
``dialplan:<context>`` (every context's for a shared one) and records both tables in the
audit trail.
"""

from __future__ import annotations

import marshmallow as ma
from sqlalchemy import delete, select

from fpbx_api import db
from fpbx_api.fusionpbx.dialplan_builder import DETAIL_COLUMNS, dialplan_xml, replace_details
from fpbx_api.fusionpbx.dialplans import dialplan_keys
from fpbx_api.fusionpbx.models import Dialplan, DialplanDetail
from fpbx_api.http.fields import output_schema
from fpbx_api.kit.resource import Change, Resource, columns
from fpbx_api.kit.scoping import domain_name, domain_uuid

# The contract's shape of a dialplan in a list ("List Inbound Routes", "List Outbound
# Routes"); it shows the order as a string.
LIST_COLUMNS = ["dialplan_uuid", "dialplan_name", "dialplan_number", "dialplan_context",
                "dialplan_order", "dialplan_enabled", "dialplan_description"]


class ORDER(ma.fields.Function):
    """``dialplan_order`` as the contract shows it: a string ("100")."""

    def __init__(self, **kwargs):
        super().__init__(lambda row: None if row["dialplan_order"] is None
                         else str(int(row["dialplan_order"])),
                         metadata={"type": "string", "example": "100"}, **kwargs)


class DialplanListItemSchema(output_schema("DialplanListBase", Dialplan, LIST_COLUMNS)):
    dialplan_order = ORDER()


def list_item_schema(name: str) -> type[ma.Schema]:
    """The contract's list shape under a resource's own component name."""
    return type(name, (DialplanListItemSchema,), {})


def stored_details(dialplan_uuid) -> list[DialplanDetail]:
    """A dialplan's detail rows, in the builder's order."""
    return list(db.session().scalars(select(DialplanDetail).where(
        DialplanDetail.domain_uuid == domain_uuid(),
        DialplanDetail.dialplan_uuid == str(dialplan_uuid)).order_by(
        DialplanDetail.dialplan_detail_group, DialplanDetail.dialplan_detail_order)))


def detail_rows(dialplan_uuid) -> list[dict]:
    """A dialplan's details as dicts of ``DETAIL_COLUMNS``, in the builder's order."""
    return [{c: getattr(r, c) for c in DETAIL_COLUMNS} for r in stored_details(dialplan_uuid)]


def cache_context(context: str | None) -> str | None:
    """dialplan_edit.php clears ``dialplan:*`` for the contexts every domain shares."""
    return "*" if context in ("${domain_name}", "global") else context


def detail(tag: str, kind: str, data, order: int, group: int = 0, *, inline=None,
           brk=None, enabled=True) -> dict:
    """One detail row as FusionPBX's forms build it."""
    return {"dialplan_detail_tag": tag, "dialplan_detail_type": kind,
            "dialplan_detail_data": data, "dialplan_detail_break": brk,
            "dialplan_detail_inline": inline, "dialplan_detail_group": group,
            "dialplan_detail_order": order, "dialplan_detail_enabled": enabled}


class DetailedDialplans(Resource):
    model = Dialplan
    # How the XML writes a dialplan_continue that is false: the class reads the boolean
    # (""), the dialplan editor that FusionPBX updates these with posts "false". A true
    # one is "true" (the editor's form; features never set it).
    continue_on_create, continue_on_update = "", "false"

    def details(self, row, values: dict, before: dict | None) -> list[dict] | None:
        """The detail rows for this save, or None to keep the stored ones."""
        raise NotImplementedError

    def defaults(self, values):
        return {"dialplan_context": domain_name(), "dialplan_continue": False,
                "dialplan_enabled": True}

    def written(self, row, values, before):
        db.session().flush()
        details = self.details(row, values, before)
        if details is None:
            details = detail_rows(row.dialplan_uuid)
        else:
            replace_details(row, details)
        row.dialplan_xml = dialplan_xml(row, details, "true" if row.dialplan_continue else
                                        self.continue_on_update if before
                                        else self.continue_on_create)
        return {}

    def removing(self, row):
        db.session().execute(delete(DialplanDetail).where(
            DialplanDetail.domain_uuid == domain_uuid(),
            DialplanDetail.dialplan_uuid == row.dialplan_uuid))

    def change(self, row, before):
        contexts = [(before or {}).get("dialplan_context"), row and row.dialplan_context]
        return Change(dialplan_keys(*map(cache_context, contexts)), [])

    def audit(self, row):
        """Both tables, each detail whole (its uuid too), as FusionPBX's save array holds
        them."""
        return {"dialplans": [columns(row)],
                "dialplan_details": [columns(d) for d in stored_details(row.dialplan_uuid)]}
