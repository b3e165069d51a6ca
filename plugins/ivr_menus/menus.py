"""Menus of a domain as FreeSWITCH reads them: ``ivr.conf`` for a menu, built by
FusionPBX's Lua (``app/switch/resources/scripts/app/xml_handler/resources/scripts/
configuration/ivr.conf.lua``), holds the menu and every menu below it (rows whose
``ivr_menu_parent_uuid`` leads to it), and is cached under ``configuration:ivr.conf:
<uuid>``. A change to a menu is therefore stale in its own cache entry and in every
ancestor's."""

from __future__ import annotations

from sqlalchemy import select

from fpbx_api import db
from fpbx_api.fusionpbx.models import IvrMenu
from fpbx_api.http.errors import validation_error
from fpbx_api.kit.scoping import domain_uuid

MAX_DEPTH = 100  # no domain nests menus this deep; a longer chain is a loop


def parents() -> dict[str, str | None]:
    """Each menu of the domain and the menu it is under."""
    rows = db.session().execute(select(IvrMenu.ivr_menu_uuid, IvrMenu.ivr_menu_parent_uuid)
                                .where(IvrMenu.domain_uuid == domain_uuid())).all()
    return {str(menu): parent and str(parent) for menu, parent in rows}


def ancestors(menu_uuid: str | None, tree: dict[str, str | None] | None = None) -> list[str]:
    """``menu_uuid`` and the menus above it, nearest first (a loop stops the walk)."""
    tree = parents() if tree is None else tree
    chain = []
    while menu_uuid and menu_uuid not in chain and len(chain) < MAX_DEPTH:
        chain.append(menu_uuid)
        menu_uuid = tree.get(menu_uuid)
    return chain


def ivr_conf_keys(*menu_uuids: str | None) -> list[str]:
    """The cache keys of these menus and of every menu above them."""
    tree = parents()
    return sorted({f"configuration:ivr.conf:{uuid}"
                   for menu in menu_uuids for uuid in ancestors(menu, tree)})


def check_parent(parent_uuid: str | None, menu_uuid: str | None) -> None:
    """400 unless the parent is another menu of the domain that is not below this one:
    FusionPBX's Lua follows parents with a recursive query that a loop never ends."""
    if parent_uuid is None:
        return
    tree = parents()
    if parent_uuid not in tree:
        raise validation_error("ivr_menu_parent_uuid", "No such IVR menu in this domain.")
    if menu_uuid is not None and menu_uuid in ancestors(parent_uuid, tree):
        raise validation_error("ivr_menu_parent_uuid",
                               "A menu cannot be under itself or under a menu below it.")


def check_submenu(option: dict, field: str) -> None:
    """400 naming ``field`` when the option's ``menu-sub`` names no menu of the domain."""
    if option.get("ivr_menu_option_action") == "menu-sub" and \
            option.get("ivr_menu_option_param") not in parents():
        raise validation_error(field, "No such IVR menu in this domain.")
