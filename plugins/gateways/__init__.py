"""Gateways: SIP trunks, applied to FreeSWITCH with killgw and rescan."""

from fpbx_api_plugins.gateways.resource import Gateways

from fpbx_api.envelope import Blueprint
from fpbx_api.plugins import Plugin
from fpbx_api.resource import register

blp = Blueprint("gateways", __name__, url_prefix="/gateways",
                description="SIP gateways (trunks); password write-only")
register(blp, Gateways())

plugin = Plugin(name="gateways", blueprint=blp, version="1.0.0",
                description="SIP gateways (trunks)")
