"""Users: FusionPBX web accounts with groups, contact, language and time zone."""

from fpbx_api_plugins.users.resource import Users

from fpbx_api.envelope import Blueprint
from fpbx_api.plugins import Plugin
from fpbx_api.resource import register

blp = Blueprint("users", __name__, url_prefix="/users",
                description="FusionPBX user accounts; passwords bcrypt-hashed, never returned")
register(blp, Users())

plugin = Plugin(name="users", blueprint=blp, version="1.0.0",
                description="FusionPBX user accounts")
