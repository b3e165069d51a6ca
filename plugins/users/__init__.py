"""FusionPBX user accounts, groups, contact, language, time zone; passwords never returned"""

from fpbx_api_plugins.users.resource import Users

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("users", Users(), url_prefix="/users", description=__doc__)
