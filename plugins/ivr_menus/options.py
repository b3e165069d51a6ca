"""A menu's options one by one: ``/ivr-menus/<ivr_menu_uuid>/options``. FusionPBX edits
them in the menu's form (``app/ivr_menus/ivr_menu_edit.php``) and deletes them with
``ivr_menu::delete_options``; the rows are the same."""

from __future__ import annotations

from fpbx_api_plugins.ivr_menus import schemas
from fpbx_api_plugins.ivr_menus.menus import check_submenu, ivr_conf_keys
from fpbx_api_plugins.ivr_menus.resource import IvrMenus

from fpbx_api.fusionpbx.models import IvrMenuOption
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.resource import Change, Resource


class IvrMenuOptions(Resource):
    noun = Noun("an IVR menu option")
    label = "IVR menu option"
    path = "/options"
    parent = IvrMenus
    parent_key = "ivr_menu_uuid"
    model = IvrMenuOption
    app_name, app_uuid = "ivr_menus", "a5788e9b-58bc-bd1b-df59-fff5d51253ab"
    unique = ("ivr_menu_option_digits",)  # mod_ivr would only ever run the first
    list_spec = ListSpec(
        IvrMenuOption,
        filters=["ivr_menu_option_digits", "ivr_menu_option_action",
                 "ivr_menu_option_enabled"],
        search=["ivr_menu_option_digits", "ivr_menu_option_param",
                "ivr_menu_option_description"],
        sort=["ivr_menu_option_order", "ivr_menu_option_digits"],
    )
    list_schema = detail_schema = schemas.OptionOutSchema
    schema = schemas.OptionSchema

    def prepare(self, values):
        """An action given alone replaces the pair: its parameter goes with the old action
        (``menu-top`` keeps no ``transfer …``; ``menu-exec-app`` alone is refused by the
        schema, which wants its parameter)."""
        if "ivr_menu_option_action" in values:
            values.setdefault("ivr_menu_option_param", None)
        return values

    def check(self, values, row=None):
        check_submenu(values, "ivr_menu_option_param")

    def change(self, row, before):
        """The options live in the menu's ivr.conf, held in its cache entry and its
        ancestors'. (FusionPBX's delete_options clears only the dialplan key, which does
        not hold them: a deleted option stays callable until the cache expires.)"""
        return Change(ivr_conf_keys(str(self.parent_row().ivr_menu_uuid)), [])
