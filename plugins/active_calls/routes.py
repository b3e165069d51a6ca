"""HTTP routes for /api/v1/active-calls (live data: never cached)."""

from __future__ import annotations

from flask.views import MethodView
from fpbx_api_plugins.active_calls import service
from fpbx_api_plugins.active_calls.schemas import (
    ActiveCallSchema,
    CallResultSchema,
    HangupSchema,
    OriginateSchema,
    TransferSchema,
)

from fpbx_api.http.envelope import Blueprint, Result
from fpbx_api.http.listing import RowListSpec
from fpbx_api.http.openapi import operation

blp = Blueprint("active_calls", __name__, url_prefix="/active-calls",
                description="Live calls of the domain on every switch; hangup, transfer, "
                            "click-to-call")

LIST = RowListSpec(
    "ActiveCall",
    filters=["call_direction", "callstate", "caller_id_number", "destination_number", "switch"],
    search=["caller_id_name", "caller_id_number", "destination_number"],
    sort=["created_epoch", "duration", "caller_id_number", "destination_number"],
    default_order="created_epoch",
)


@blp.route("")
class ActiveCalls(MethodView):
    @operation("list", "active calls")
    @blp.arguments(LIST.schema(), location="query")
    @blp.envelope(200, ActiveCallSchema, paginated=True)
    def get(self, args):
        """List the domain's live calls on every switch"""
        return LIST.paginate(service.active_calls(), args)


@blp.route("/hangup")
class Hangup(MethodView):
    @operation("hangup", "active call")
    @blp.arguments(HangupSchema)
    @blp.envelope(200, CallResultSchema)
    def post(self, values):
        """Hang up one of the domain's calls (uuid_kill on the switch holding it)"""
        data = service.hangup(values["call_uuid"])
        return Result(data, "Call terminated successfully")


@blp.route("/transfer")
class Transfer(MethodView):
    @operation("transfer", "active call")
    @blp.arguments(TransferSchema)
    @blp.envelope(200, CallResultSchema)
    def post(self, values):
        """Transfer one of the domain's calls to a destination in the domain's context"""
        data = service.transfer(values["call_uuid"], values["destination"], values["leg"])
        return Result(data, "Call transferred successfully")


@blp.route("/originate")
class Originate(MethodView):
    @operation("originate", "call")
    @blp.arguments(OriginateSchema)
    @blp.envelope(201, CallResultSchema)
    def post(self, values):
        """Click-to-call: ring one of the domain's extensions, then a destination

        Answers with the new call's uuid at once (the call is placed in the background)."""
        return Result(service.originate(values), "Call started")
