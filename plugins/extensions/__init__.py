"""Phone extensions (SIP endpoints), their voicemail and user link"""

from fpbx_api_plugins.extensions.resource import Extensions

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("extensions", Extensions(), url_prefix="/extensions", description=__doc__)
