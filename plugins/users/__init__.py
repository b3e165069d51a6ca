"""Users: FusionPBX web accounts with groups, contact, language and time zone."""

from fpbx_api_plugins.users.resource import Users

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin(
    "users", Users(), url_prefix="/users",
    description="FusionPBX user accounts; passwords bcrypt-hashed, never returned")
