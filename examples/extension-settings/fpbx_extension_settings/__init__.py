"""Extension settings: variables FreeSWITCH sets on an extension's calls.

FusionPBX keeps them in v_extension_settings and reads them (enabled ones)
when it builds the extension's directory entry, so a change clears that
extension's directory cache keys.
"""

import marshmallow as ma

from fpbx_api import db
from fpbx_api.fusionpbx.directory import directory_keys
from fpbx_api.fusionpbx.models import Extension, ExtensionSetting
from fpbx_api.http.fields import BoolString, Pattern, Text, output_schema
from fpbx_api.http.fields import Uuid as UuidField
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.resource import Change, Resource, resource_plugin
from fpbx_api.kit.scoping import scoped

NAME = Pattern(r"^[A-Za-z0-9_]{1,64}$", error="Use letters, digits and _.")


SettingSchema = output_schema("SettingSchema", ExtensionSetting, [
    "extension_setting_uuid", "extension_uuid", "extension_setting_type",
    "extension_setting_name", "extension_setting_value", "extension_setting_enabled",
    "extension_setting_description"])


class SettingWriteSchema(ma.Schema):
    """What a client writes: the required fields on create, any of them on update."""

    extension_uuid = UuidField(required=True)
    extension_setting_type = ma.fields.String(
        required=True, validate=ma.validate.OneOf(["param", "variable"]))
    extension_setting_name = ma.fields.String(required=True, validate=NAME)
    extension_setting_value = Text()
    extension_setting_enabled = BoolString()
    extension_setting_description = Text()


class ExtensionSettings(Resource):
    noun = Noun("an extension setting")
    model = ExtensionSetting
    list_spec = ListSpec(ExtensionSetting,
                         filters=["extension_uuid", "extension_setting_type",
                                  "extension_setting_enabled"],
                         search=["extension_setting_name", "extension_setting_value"],
                         sort=["extension_setting_name", "extension_setting_type"])
    list_schema = detail_schema = SettingSchema
    schema = SettingWriteSchema
    references = {"extension_uuid": Extension}  # the caller's domain's, else 400

    def defaults(self, values):
        return {"extension_setting_enabled": True}

    def change(self, row, before):
        """The directory entry of the extension (old and new) is cached by FusionPBX."""
        uuids = {u for u in ((before or {}).get("extension_uuid"),
                             row and row.extension_uuid) if u}
        keys = []
        for uuid in uuids:
            ext = db.session().scalars(scoped(Extension).where(
                Extension.extension_uuid == uuid)).first()
            if ext is not None:
                keys += directory_keys(ext.extension, ext.number_alias, ext.user_context)
        return Change(keys, [])


plugin = resource_plugin("extension_settings", ExtensionSettings(),
                         url_prefix="/extension-settings", version="0.1.0",
                         description="Variables and params FreeSWITCH sets on an extension")
