"""How FusionPBX writes a call block (``app/call_block/call_block_edit.php``): the row,
and the domain's global call_block dialplan enabled if it was not (its Lua,
``app/switch/resources/scripts/app/call_block/index.lua``, reads the rows on every
call that dialplan hands it)."""

from __future__ import annotations

import re
import time

from flask import g
from fpbx_api_plugins.call_block import schemas
from sqlalchemy import delete, select, text

from fpbx_api import db
from fpbx_api.fusionpbx.audit import record_transaction
from fpbx_api.fusionpbx.dialplans import dialplan_keys
from fpbx_api.fusionpbx.models import CallBlock, Dialplan, Extension
from fpbx_api.fusionpbx.rows import now
from fpbx_api.http.errors import validation_error
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.events import on
from fpbx_api.kit.resource import Change, Resource
from fpbx_api.kit.scoping import domain_name, domain_uuid

# The global call_block dialplan (app/dialplans/resources/switch/conf/dialplan/
# 040_call_block.xml), installed disabled in every domain.
CALL_BLOCK_DIALPLAN = "b1b31930-d0ee-4395-a891-04df94599f1f"
# Where each action's number must exist (the form offers only these).
TARGETS = {
    "extension": "SELECT 1 FROM v_extensions WHERE domain_uuid = :d AND "
                 "(extension = :n OR number_alias = :n)",
    "ivr": "SELECT 1 FROM v_ivr_menus WHERE domain_uuid = :d AND ivr_menu_extension = :n",
    "ring_group": "SELECT 1 FROM v_ring_groups WHERE domain_uuid = :d AND "
                  "ring_group_extension = :n",
    "voicemail": "SELECT 1 FROM v_voicemails WHERE domain_uuid = :d AND voicemail_id = :n",
}


class CallBlocks(Resource):
    noun = Noun("a call block", "call blocks")
    label = "Call block"
    model = CallBlock
    app_name, app_uuid = "call_block", "9ed63276-e085-4897-839c-4f2e36d92d6c"
    list_spec = ListSpec(
        CallBlock,
        filters=["call_block_direction", "call_block_enabled", "extension_uuid",
                 "call_block_app", "call_block_number"],
        search=["call_block_name", "call_block_number", "call_block_description"],
        sort=["call_block_number", "call_block_name", "call_block_count", "date_added"],
    )
    list_schema = schemas.CallBlockSchema
    detail_schema = schemas.CallBlockSchema
    schema = schemas.CallBlockWriteSchema
    references = {"extension_uuid": Extension}

    def prepare(self, values):
        """The form's clean-ups: the number and country code as digits, the action
        split into app and data."""
        if values.get("call_block_number") is not None:
            values["call_block_number"] = re.sub(r"[^0-9./]", "",
                                                 values["call_block_number"]) or None
        if "call_block_action" in values:
            action = values.pop("call_block_action")
            if action is None:
                raise validation_error("call_block_action", "Give what happens to a blocked "
                                       "call (reject, busy, hold, or a number).")
            values["call_block_app"], values["call_block_data"] = action
        return values

    def defaults(self, values):
        return {"call_block_direction": "inbound", "call_block_count": 0,
                "call_block_app": "reject", "call_block_enabled": True}

    def check(self, values, row=None):
        app, number = values.get("call_block_app"), values.get("call_block_data")
        if app in TARGETS and db.session().execute(
                text(TARGETS[app]), {"d": domain_uuid(), "n": number}).first() is None:
            raise validation_error("call_block_action",
                                   f"No {app.replace('_', ' ')} {number} in your domain.")

    def written(self, row, values, before):
        """The save's time stamp (epoch seconds, as text), and the domain's call_block
        dialplan enabled, audited as FusionPBX's save of it is."""
        row.date_added = str(int(time.time()))
        disabled = db.session().scalars(select(Dialplan).where(
            Dialplan.domain_uuid == domain_uuid(), Dialplan.app_uuid == CALL_BLOCK_DIALPLAN,
            Dialplan.dialplan_enabled.is_(False))).all()
        for dialplan in disabled:
            dialplan.dialplan_enabled = True
            dialplan.update_date = now()
            record_transaction(
                "update", {"dialplans": [{"dialplan_uuid": str(dialplan.dialplan_uuid),
                                          "dialplan_enabled": True}]},
                old={"dialplans": [{"dialplan_uuid": str(dialplan.dialplan_uuid),
                                    "dialplan_enabled": False}]})
        g.call_block_dialplan_enabled = bool(disabled)
        return {}

    def change(self, row, before):
        """The Lua's cache keys of the numbers before and after (FusionPBX clears them on
        update and delete), and the domain's dialplan once call_block is enabled in it
        (FusionPBX leaves the cached dialplan without it)."""
        keys = set()
        for values in (before or {}, {} if row is None else {
                "call_block_country_code": row.call_block_country_code,
                "call_block_number": row.call_block_number}):
            number = values.get("call_block_number")
            if number:
                code = values.get("call_block_country_code")
                prefix = "" if code is None else str(int(code))
                keys |= {f"app:call_block:{domain_name()}:{prefix}{number}",
                         f"app:call_block:{domain_name()}:{number}"}
        if g.pop("call_block_dialplan_enabled", False):
            keys |= set(dialplan_keys(domain_name()))
        return Change(sorted(keys), [])


@on("extension.deleted")
def forget_extension(extension) -> None:
    """An extension's own blocks go with it. FusionPBX leaves them (``app/extensions/
    resources/classes/extension.php``), naming an extension that no longer exists: they
    block nothing, and no longer pass the API's reference check when edited."""
    db.session().execute(delete(CallBlock).where(
        CallBlock.domain_uuid == extension.domain_uuid,
        CallBlock.extension_uuid == extension.extension_uuid))
