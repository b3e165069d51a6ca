"""SIP gateways (trunks), applied with killgw and rescan; password write-only"""

from fpbx_api_plugins.gateways.resource import Gateways

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("gateways", Gateways(), url_prefix="/gateways", description=__doc__)
