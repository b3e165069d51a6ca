"""How FusionPBX writes an IVR menu (``app/ivr_menus/ivr_menu_edit.php`` and its class
``app/ivr_menus/resources/classes/ivr_menu.php``): the menu, its options, and a
v_dialplans row whose XML runs mod_ivr with it."""

from __future__ import annotations

from flask import g
from fpbx_api_plugins.ivr_menus import schemas
from fpbx_api_plugins.ivr_menus.dialplan import dialplan_xml
from fpbx_api_plugins.ivr_menus.menus import (
    check_parent,
    check_submenu,
    ivr_conf_keys,
)
from sqlalchemy import delete, update

from fpbx_api import db
from fpbx_api.fusionpbx.dialplans import (
    dialplan_keys,
    save_dialplan,
)
from fpbx_api.fusionpbx.models import IvrMenu, IvrMenuOption
from fpbx_api.fusionpbx.settings import setting
from fpbx_api.http.errors import validation_error
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.resource import Change, Child, Resource, children_of, columns
from fpbx_api.kit.scoping import domain_name, domain_uuid

APP_UUID = "a5788e9b-58bc-bd1b-df59-fff5d51253ab"
DIALPLAN_ORDER = 101
OPTIONS = Child("options", IvrMenuOption, "ivr_menu_uuid", schemas.OptionOutSchema,
                order_by=("ivr_menu_option_order", "ivr_menu_option_digits"))


class IvrMenus(Resource):
    noun = Noun("an IVR menu")
    label = "IVR menu"
    model = IvrMenu
    dialplan_apps = (APP_UUID,)
    app_name, app_uuid = "ivr_menus", "a5788e9b-58bc-bd1b-df59-fff5d51253ab"
    dialplan = "dialplan_uuid"
    secrets = ("ivr_menu_pin_number",)
    numbers = ("ivr_menu_extension",)
    list_spec = ListSpec(
        IvrMenu,
        filters=["ivr_menu_extension", "ivr_menu_language", "ivr_menu_exit_app",
                 "ivr_menu_enabled", "ivr_menu_parent_uuid"],
        search=["ivr_menu_name", "ivr_menu_extension", "ivr_menu_description"],
        sort=["ivr_menu_name", "ivr_menu_extension", "ivr_menu_enabled"],
    )
    list_schema = schemas.IvrMenuListItemSchema
    detail_schema = schemas.IvrMenuSchema
    schema = schemas.IvrMenuWriteSchema
    children = (OPTIONS,)

    def prepare(self, values):
        """FusionPBX's form posts the language as language/dialect/voice and splits it."""
        language = values.get("ivr_menu_language")
        if language and "/" in language:
            parts = language.split("/")
            values.update(zip(("ivr_menu_language", "ivr_menu_dialect", "ivr_menu_voice"),
                              parts, strict=False))
        return values

    def defaults(self, values):
        """What FusionPBX's add form starts with (ivr_menu_edit.php and the ivr_menu
        default settings)."""
        return {"ivr_menu_context": domain_name(), "ivr_menu_dialect": "us",
                "ivr_menu_voice": "callie", "ivr_menu_tts_engine": "flite",
                "ivr_menu_tts_voice": "rms",
                "ivr_menu_confirm_attempts": int(setting("ivr_menu", "confirm_attempts", "1")),
                "ivr_menu_timeout": 3000,
                "ivr_menu_inter_digit_timeout":
                    int(setting("ivr_menu", "inter_digit_timeout", "2000")),
                "ivr_menu_max_failures": int(setting("ivr_menu", "max_failures", "1")),
                "ivr_menu_max_timeouts": int(setting("ivr_menu", "max_timeouts", "1")),
                "ivr_menu_digit_len": 5, "ivr_menu_direct_dial": False,
                "ivr_menu_ringback": setting("ivr_menu", "default_ringback",
                                             "local_stream://default"),
                "ivr_menu_enabled": True}

    def check(self, values, row=None):
        if "ivr_menu_parent_uuid" in values:
            check_parent(values["ivr_menu_parent_uuid"], row and str(row.ivr_menu_uuid))
        digits = set()
        for n, option in enumerate(values.get("options", ())):
            check_submenu(option, f"options.{n}.ivr_menu_option_param")
            if option["ivr_menu_option_digits"] in digits:  # mod_ivr runs the first only
                raise validation_error(f"options.{n}.ivr_menu_option_digits",
                                       "Another option has these digits.")
            digits.add(option["ivr_menu_option_digits"])

    def written(self, row, values, before):
        """The dialplan row, rebuilt on every save as FusionPBX does."""
        answer = setting("ivr_menu", "answer", "true") not in ("false", "")
        lua = setting("ivr_menu", "application") == "lua"
        dialplan = save_dialplan(
            row.dialplan_uuid, app_uuid=APP_UUID, name=row.ivr_menu_name,
            number=row.ivr_menu_extension, context=row.ivr_menu_context,
            order=DIALPLAN_ORDER, enabled=row.ivr_menu_enabled,
            description=row.ivr_menu_description,
            xml=lambda uuid: dialplan_xml(row, uuid, answer=answer, lua=lua))
        row.dialplan_uuid = dialplan.dialplan_uuid
        return {}

    def removing(self, row):
        """FusionPBX deletes the menu, its options and its dialplan. It leaves behind
        what pointed at the menu: submenus keep a parent that is gone, and other menus'
        ``menu-sub`` options a menu FreeSWITCH cannot find. Those submenus become top
        menus, those options are deleted, and the menus that held them are cleared from
        the cache with their ancestors."""
        session = db.session()
        menu = str(row.ivr_menu_uuid)
        session.execute(update(IvrMenu).where(
            IvrMenu.domain_uuid == domain_uuid(), IvrMenu.ivr_menu_parent_uuid == menu)
            .values(ivr_menu_parent_uuid=None))
        holders = session.scalars(delete(IvrMenuOption).where(
            IvrMenuOption.domain_uuid == domain_uuid(),
            IvrMenuOption.ivr_menu_option_action == "menu-sub",
            IvrMenuOption.ivr_menu_option_param == menu)
            .returning(IvrMenuOption.ivr_menu_uuid)).all()
        g.ivr_menus_touched = [str(h) for h in holders]

    def change(self, row, before):
        """FusionPBX's keys (ivr_menu_edit.php: the dialplan, the menu's ivr.conf and its
        parents'). On delete FusionPBX clears only the dialplan; the menu's and its
        ancestors' ivr.conf entries still hold it, so they are cleared too."""
        before = before or {}
        menus = [before.get("ivr_menu_uuid"), before.get("ivr_menu_parent_uuid")]
        if row is not None:
            menus += [row.ivr_menu_uuid, row.ivr_menu_parent_uuid]
        else:
            menus += g.pop("ivr_menus_touched", [])
        contexts = [before.get("ivr_menu_context"), row and row.ivr_menu_context]
        return Change([*dialplan_keys(*contexts),
                       *ivr_conf_keys(*(m and str(m) for m in menus))], [])

    def audit(self, row):
        """As FusionPBX's save array: the menu with its options, and its dialplan."""
        menu = {**columns(row),
                "ivr_menu_options": [columns(o) for o in children_of(OPTIONS, row)]}
        return {**super().audit(row), self.table: [menu]}
