"""How FusionPBX writes a gateway (SIDE_EFFECTS.md §7, golden/gateways.json), and the
sofia commands that make FreeSWITCH pick the change up."""

from __future__ import annotations

from fpbx_api_plugins.gateways import schemas

from fpbx_api import db
from fpbx_api.errors import Duplicate
from fpbx_api.freeswitch import SOFIA_CONF
from fpbx_api.listing import ListSpec
from fpbx_api.models import Gateway
from fpbx_api.openapi import Noun
from fpbx_api.resource import Change, Command, Resource
from fpbx_api.scoping import scoped


class Gateways(Resource):
    noun = Noun("a gateway")
    model = Gateway
    app_name = "Gateways"
    secrets = ("password",)  # the trunk's SIP password
    list_spec = ListSpec(
        Gateway, filters=["gateway", "profile", "enabled", "register", "hostname"],
        search=["gateway", "username", "proxy", "realm", "description"],
        sort=["gateway", "proxy", "profile", "enabled"],
    )
    list_schema = schemas.GatewayListItemSchema
    detail_schema = schemas.GatewaySchema
    create_schema = schemas.GatewayCreateSchema
    update_schema = schemas.GatewayWriteSchema

    def prepare(self, values):
        """FusionPBX stores an empty text as NULL (extension_in_contact is text)."""
        if "extension_in_contact" in values:
            values["extension_in_contact"] = "true" if values["extension_in_contact"] else None
        return {k: (None if v == "" else v) for k, v in values.items()}

    def defaults(self, values):
        """The add form's defaults."""
        return {"expire_seconds": 800, "register": False, "retry_seconds": 30,
                "distinct_to": False, "contact_in_ping": False, "caller_id_in_from": False,
                "supress_cng": False, "context": "public", "profile": "external",
                "enabled": True}

    def check(self, values, row=None):
        """One gateway per name in a domain: the UI and the outbound-route picker show
        gateways by name, so two with one name cannot be told apart."""
        name = values.get("gateway")
        if name is None:
            return
        stmt = scoped(Gateway).where(Gateway.gateway == name)
        if row is not None:
            stmt = stmt.where(Gateway.gateway_uuid != row.gateway_uuid)
        if db.session().scalars(stmt).first() is not None:
            raise Duplicate(f"Gateway {name} already exists in this domain", field="gateway")

    def change(self, row, before):
        """Stop the running gateway (FreeSWITCH names it by its uuid), clear sofia.conf,
        rescan each affected profile so an enabled gateway starts with its new settings."""
        commands = []
        if before:
            commands.append(Command("sofia", ("profile", before["profile"], "killgw",
                                              before["gateway_uuid"])))
        profiles = {p for p in ((before or {}).get("profile"), row and row.profile) if p}
        commands += [Command("sofia", ("profile", p, "rescan")) for p in sorted(profiles)]
        return Change(SOFIA_CONF, commands)
