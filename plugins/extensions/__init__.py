"""Extensions: SIP endpoints with their voicemail box and user link."""

from fpbx_api_plugins.extensions.resource import Extensions

from fpbx_api.envelope import Blueprint
from fpbx_api.plugins import Plugin
from fpbx_api.resource import register

blp = Blueprint("extensions", __name__, url_prefix="/extensions",
                description="Phone extensions (SIP endpoints), their voicemail and user link")
register(blp, Extensions())

plugin = Plugin(name="extensions", blueprint=blp, version="1.0.0",
                description="Phone extensions (SIP endpoints), their voicemail and user link")
