"""Gateways: SIP trunks, applied to FreeSWITCH with killgw and rescan."""

from fpbx_api_plugins.gateways.resource import Gateways

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("gateways", Gateways(), url_prefix="/gateways",
                         description="SIP gateways (trunks); password write-only")
