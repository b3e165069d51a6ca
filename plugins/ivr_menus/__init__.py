"""IVR menus: auto attendants with their options and generated dialplan."""

from fpbx_api_plugins.ivr_menus.options import IvrMenuOptions
from fpbx_api_plugins.ivr_menus.resource import IvrMenus

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("ivr_menus", [IvrMenus(), IvrMenuOptions()], url_prefix="/ivr-menus",
                         description="IVR menus (auto attendants), their options and "
                                     "their dialplan", title="IVR menus")
