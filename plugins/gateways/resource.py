"""How FusionPBX writes a gateway (``app/gateways/gateway_edit.php`` and its ``gateways``
class), and the sofia commands that make FreeSWITCH pick the change up."""

from __future__ import annotations

import ipaddress
import socket

from flask import current_app
from fpbx_api_plugins.gateways import schemas

from fpbx_api.freeswitch.switches import SOFIA_CONF
from fpbx_api.fusionpbx.models import Gateway
from fpbx_api.http.auth import has_system_scope
from fpbx_api.http.errors import Forbidden
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.resource import Change, Command, Resource, columns
from fpbx_api.kit.scoping import domain_name

# Where sofia sends the gateway's REGISTER and INVITEs.
ADDRESSES = ("proxy", "register_proxy", "outbound_proxy")


def internal_address(host: str | None) -> bool:
    """Whether ``host`` (``name``, ``name:port``, ``1.2.3.4:5060``, ``[::1]:5080``) is the
    switch itself or a network that is not the internet's, written as an address or as
    ``localhost``: a tenant's gateway there would have the switch send SIP to the
    provider's own hosts (its metadata service, its databases). An address is read as the
    switch's resolver reads it (``inet_aton`` takes ``2130706433`` and ``127.1`` too).
    A host name that resolves to such an address is not caught here: the README asks
    for the switch's outbound traffic to be filtered."""
    if not host:
        return False
    name = host.strip().lower()
    if name.startswith("["):
        name = name[1:].partition("]")[0]
    elif name.count(":") == 1:
        name = name.partition(":")[0]
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(name))
        except OSError:
            return False
    return not address.is_global


class Gateways(Resource):
    noun = Noun("a gateway")
    model = Gateway
    # A gateway with no domain is global (app/gateways/gateways.php lists the domain's and,
    # with gateway_domain, the global ones): every domain routes calls over it, so only a
    # key with the system scope changes it.
    scope = "global"
    app_name, app_uuid = "gateways", "297ab33e-2c2f-8196-552c-f3567d2caaf8"
    secrets = ("password",)  # the trunk's SIP password
    list_spec = ListSpec(
        Gateway, filters=["gateway", "profile", "enabled", "register", "hostname"],
        search=["gateway", "username", "proxy", "realm", "description"],
        sort=["gateway", "proxy", "profile", "enabled"],
    )
    list_schema = schemas.GatewayListItemSchema
    detail_schema = schemas.GatewaySchema
    schema = schemas.GatewayWriteSchema
    # One gateway per name among those a domain sees (its own and the global ones): the UI
    # and the outbound-route picker show gateways by name, so two with one name cannot be
    # told apart.
    unique = ("gateway",)

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

    def authorize(self, values, row=None):
        """FusionPBX gives gateways to superadmins only (``app/gateways/app_config.php``):
        a gateway's context is where its inbound calls land and its profile is shared by
        every tenant. Without the system scope a key manages only its own domain's gateways
        (global ones are refused by the kit's scope), and only those that deliver into its
        own domain's context or ``public`` over a profile of
        ``security.tenant_gateway_profiles`` and towards a public address, before and
        after the change."""
        if has_system_scope():
            return
        stored = columns(row) if row is not None else self.defaults(values)
        for gateway in (stored, {**stored, **values}):
            if gateway["context"] not in (domain_name(), "public"):
                raise Forbidden(f"A gateway's context is {domain_name()} or public unless "
                                "the key has the system scope", field="context")
            profiles = current_app.config["FPBX"]["security"]["tenant_gateway_profiles"]
            if gateway["profile"] not in profiles:
                raise Forbidden("Without the system scope a gateway's profile is one of: "
                                f"{', '.join(profiles)}", field="profile")
            for field in ADDRESSES:
                if internal_address(gateway.get(field)):
                    raise Forbidden("Without the system scope a gateway reaches a public "
                                    "address: not the switch itself nor a private, "
                                    "link-local or reserved network", field=field)

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
