"""Extensions: SIP endpoints with their voicemail box and user link."""

from fpbx_api_plugins.extensions.routes import blp

from fpbx_api.plugins import Plugin

plugin = Plugin(name="extensions", blueprint=blp, version="1.0.0",
                description="Phone extensions (SIP endpoints), their voicemail and user link")
