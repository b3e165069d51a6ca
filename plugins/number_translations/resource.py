"""How FusionPBX writes a number translation (``app/number_translations/
number_translation_edit.php``): the profile and its rules, shared by every domain.
FreeSWITCH reads them through the translate.conf Lua (``app/switch/resources/scripts/
app/xml_handler/resources/scripts/configuration/translate.conf.lua``), which caches the
whole configuration under one key; the API clears it and reloads mod_translate, which
FusionPBX's form leaves to an administrator."""

from __future__ import annotations

from fpbx_api_plugins.number_translations import schemas

from fpbx_api.fusionpbx.models import NumberTranslation, NumberTranslationDetail
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.resource import Change, Child, Command, Resource, children_of, columns

TRANSLATE_CONF = "configuration:translate.conf"


class NumberTranslations(Resource):
    noun = Noun("a number translation")
    model = NumberTranslation
    app_name, app_uuid = "number_translations", "6ad54de6-4909-11e7-a919-92ebcb67fe33"
    scope = "system"
    list_spec = ListSpec(
        NumberTranslation, filters=["number_translation_name", "number_translation_enabled"],
        search=["number_translation_name", "number_translation_description"],
        sort=["number_translation_name"])
    list_schema = schemas.NumberTranslationListItemSchema
    detail_schema = schemas.NumberTranslationSchema
    schema = schemas.NumberTranslationWriteSchema
    children = (Child("number_translation_details", NumberTranslationDetail,
                      "number_translation_uuid", schemas.DetailOutSchema,
                      order_by=("number_translation_detail_order",)),)
    # translate.conf has one profile per name: a second would shadow the first.
    unique = ("number_translation_name",)

    def defaults(self, values):
        return {"number_translation_enabled": True}

    def change(self, row, before):
        return Change([TRANSLATE_CONF], [Command("reload", ("mod_translate",))])

    def audit(self, row):
        details = [columns(d) for d in children_of(self.children[0], row)]
        return {"number_translations": [columns(row)], "number_translation_details": details}
