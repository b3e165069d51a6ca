"""User fields (the contract's); the password and api_key are write-only."""

from __future__ import annotations

import zoneinfo

import marshmallow as ma
from fpbx_api_plugins.users.passwords import fits_bcrypt

from fpbx_api.fusionpbx.models import User
from fpbx_api.http.fields import BoolString, Pattern, Text, output_schema

STATUSES = ["Available", "Available (On Demand)", "On Break", "Do Not Disturb", "Logged Out"]
USERNAME = Pattern(r"^[A-Za-z0-9@._+-]{1,64}$",
                   error="Use 1 to 64 of: letters, digits, @ . _ + -")
EMAIL = ma.validate.Email(error="Not a valid e-mail address.")
GROUP = Pattern(r"^[A-Za-z0-9 ._-]{1,64}$", error="Not a group name.")
LANGUAGE = Pattern(r"^[a-z]{2}(-[a-z]{2})?$", error="Use a code like en-us.")


def time_zone(name: str) -> None:
    """An IANA zone this machine knows (FusionPBX's list comes from PHP's, the same
    database); a name FusionPBX cannot load would fall back to the server's zone."""
    if name not in zoneinfo.available_timezones():
        raise ma.ValidationError("Use an IANA time zone such as America/New_York.")


LIST_COLUMNS = ["user_uuid", "username", "user_email", "user_enabled", "user_status"]
UserListItemSchema = output_schema("UserListItemSchema", User, LIST_COLUMNS)


class UserWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial)."""

    username = ma.fields.String(required=True, validate=USERNAME)
    password = ma.fields.String(required=True, load_only=True, validate=fits_bcrypt, metadata={
        "description": "Hashed with bcrypt ($2y$, as FusionPBX's PHP); never returned. "
                       "At most 72 bytes of UTF-8 (bcrypt's limit); the "
                       "users/password_* settings set the policy."})
    user_email = Text(validate=EMAIL)
    user_enabled = BoolString()
    user_status = Text(validate=ma.validate.OneOf(STATUSES))
    user_language = Text(validate=LANGUAGE, metadata={"description": "v_user_settings "
                         "domain/language/code"})
    user_time_zone = Text(max_length=64, validate=time_zone, metadata={
        "description": "v_user_settings domain/time_zone/name (an IANA zone)"})
    api_key = ma.fields.String(load_only=True, allow_none=True,
                               validate=Pattern(r"^[A-Za-z0-9]{31,128}$"),
                               metadata={"description": "FusionPBX's own API key for this "
                                         "user (v_users.api_key, over 30 letters and digits; "
                                         "FusionPBX accepts it as a ?key= login); "
                                         "write-only, needs the system scope"})
    groups = ma.fields.List(ma.fields.String(validate=GROUP),
                            validate=ma.validate.Length(max=20), metadata={
                                "description": "Group names (v_user_groups); replaces all "
                                               "when given"})
    contact_name_given = Text()
    contact_name_family = Text()
    contact_organization = Text()
    contact_email = Text(validate=EMAIL)
    contact_url = Text(validate=ma.validate.URL(error="Not a valid URL."))
    contact_nickname = Text()


UserSchema = output_schema(
    "UserSchema", User, [*LIST_COLUMNS, "user_type", "contact_uuid"],
    groups=ma.fields.List(ma.fields.String()),
    user_language=ma.fields.String(allow_none=True),
    user_time_zone=ma.fields.String(allow_none=True),
    **{f: ma.fields.String(allow_none=True) for f in (
        "contact_name_given", "contact_name_family", "contact_organization", "contact_email",
        "contact_url", "contact_nickname")})
