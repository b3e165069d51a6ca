"""Gateway fields, named as FusionPBX's columns; the password is write-only."""

from __future__ import annotations

import marshmallow as ma

from fpbx_api.fusionpbx.models import Gateway
from fpbx_api.http.fields import BoolString, Integer, NumberString, Pattern, Text, output_schema
from fpbx_api.kit.destinations import DestinationNumber
from fpbx_api.kit.scoping import owner_field

NAME = Pattern(r"^[A-Za-z0-9._-]{1,64}$",
               error="Use 1 to 64 of: letters, digits, . _ -")
HOST = Pattern(r"^[A-Za-z0-9.:\[\]_-]{1,255}$", error="Use a host name or address.")
SECRET = Pattern(r"^[\x21-\x7e]{1,128}$",
                 error="Use 1 to 128 printable characters without spaces.")
CODECS = Pattern(r"^[A-Za-z0-9@.,_-]{1,255}$", error="Use codec names and commas.")


LIST_COLUMNS = ["gateway_uuid", "gateway", "username", "proxy", "register", "profile",
                "enabled", "description", "domain_uuid"]  # domain_uuid null: a global one
DETAIL_COLUMNS = LIST_COLUMNS + [
    "auth_username", "realm", "from_user", "from_domain", "register_proxy", "outbound_proxy",
    "expire_seconds", "register_transport", "retry_seconds", "extension", "ping", "ping_min",
    "ping_max", "contact_in_ping", "context", "hostname", "distinct_to", "contact_params",
    "caller_id_in_from", "supress_cng", "sip_cid_type", "codec_prefs", "channels",
    "extension_in_contact"]
OWNER = {"domain_uuid": owner_field("gateway", output=True)}
GatewayListItemSchema = output_schema("GatewayListItemSchema", Gateway, LIST_COLUMNS, **OWNER)
GatewaySchema = output_schema("GatewaySchema", Gateway, DETAIL_COLUMNS, **OWNER)


class GatewayWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial)."""

    gateway = ma.fields.String(required=True, validate=NAME, metadata={
        "description": "Gateway name (a label: inside FreeSWITCH the gateway is its uuid)"})
    username = Text(max_length=128)
    password = ma.fields.String(validate=SECRET, load_only=True, allow_none=True, metadata={
        "description": "Write-only: never returned"})
    auth_username = Text(max_length=128)
    realm = Text(validate=HOST)
    from_user = Text(max_length=128)
    from_domain = Text(validate=HOST)
    proxy = Text(required=True, validate=HOST)
    register_proxy = Text(validate=HOST)
    outbound_proxy = Text(validate=HOST)
    expire_seconds = Integer(validate=ma.validate.Range(1, 65535), allow_none=True)
    register = BoolString()
    register_transport = Text(validate=ma.validate.OneOf(["udp", "tcp", "tls"]))
    retry_seconds = Integer(validate=ma.validate.Range(1, 65535), allow_none=True)
    extension = DestinationNumber("The number inbound calls on this gateway are sent to "
                                  "(in its context).")
    ping = NumberString(maximum=86400)
    ping_min = NumberString(maximum=86400)
    ping_max = NumberString(maximum=86400)
    contact_in_ping = BoolString()
    context = ma.fields.String(validate=NAME, metadata={
        "description": "Dialplan context of inbound calls: your domain's name or public "
                       "(any other needs a key with the system scope)"})
    profile = ma.fields.String(validate=NAME, metadata={
        "description": "SIP profile: one of security.tenant_gateway_profiles (default "
                       "external) unless the key has the system scope"})
    enabled = BoolString()
    description = Text(max_length=1000)
    hostname = Text(validate=HOST, metadata={
        "description": "Only this switch loads the gateway (empty: every switch)"})
    distinct_to = BoolString()
    contact_params = Text()
    caller_id_in_from = BoolString()
    supress_cng = BoolString()
    sip_cid_type = Text(validate=ma.validate.OneOf(["none", "pid", "rpid"]))
    codec_prefs = Text(validate=CODECS)
    channels = Integer(validate=ma.validate.Range(0, 100000), allow_none=True,
                       metadata={"description": "Concurrent call limit (0: none)"})
    extension_in_contact = BoolString()
    # gateway_edit.php's Domain select: '' (Global) for superadmins with gateway_domain
    domain_uuid = owner_field("gateway")
