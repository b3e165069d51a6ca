"""HTTP routes for /api/v1/registrations (live data: never cached)."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from fpbx_api.freeswitch.switches import registrations
from fpbx_api.http.envelope import Blueprint
from fpbx_api.http.listing import RowListSpec
from fpbx_api.http.openapi import operation
from fpbx_api.kit.scoping import domain_name

blp = Blueprint("registrations", __name__, url_prefix="/registrations",
                description="Live SIP registrations of the domain on every switch")

LIST = RowListSpec("Registration", filters=["user", "profile", "network_ip", "switch"],
                   search=["user", "agent", "contact", "network_ip"],
                   sort=["user", "agent", "network_ip", "profile"], default_order="user")


class RegistrationSchema(ma.Schema):
    user = ma.fields.String(metadata={"example": "1001"})
    sip_realm = ma.fields.String()
    contact = ma.fields.String()
    agent = ma.fields.String()
    status = ma.fields.String(metadata={"example": "Registered"})
    status_detail = ma.fields.String(metadata={
        "example": "Registered(UDP)(unknown) exp(2026-11-27 21:26:18) expsecs(3657)"})
    ping_status = ma.fields.String()
    ping_time = ma.fields.String()
    network_ip = ma.fields.String()
    network_port = ma.fields.String()
    profile = ma.fields.String()
    switch = ma.fields.String()


def _row(reg: dict) -> dict:
    """A sofia registration in the contract's field names."""
    return {
        "user": reg.get("sip-auth-user") or reg.get("user", "").partition("@")[0],
        "sip_realm": reg.get("sip-auth-realm", ""), "contact": reg.get("contact", ""),
        "agent": reg.get("agent", ""), "status": reg.get("status", "").partition("(")[0],
        "status_detail": reg.get("status", ""), "ping_status": reg.get("ping-status", ""),
        "ping_time": reg.get("ping-time", ""), "network_ip": reg.get("network-ip", ""),
        "network_port": reg.get("network-port", ""), "profile": reg["profile"],
        "switch": reg["switch"],
    }


@blp.route("")
class Registrations(MethodView):
    @operation("list", "registrations")
    @blp.arguments(LIST.schema(), location="query")
    @blp.envelope(200, RegistrationSchema, paginated=True)
    def get(self, args):
        """List the domain's registrations on every enabled SIP profile and switch"""
        return LIST.paginate([_row(r) for r in registrations(domain_name())], args)
