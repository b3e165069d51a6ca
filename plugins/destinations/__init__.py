"""Destinations: the numbers a domain receives calls on, each with its dialplan, also
served as the contract's inbound routes."""

from fpbx_api_plugins.destinations.resource import Destinations, LocalNumbers
from fpbx_api_plugins.destinations.routes import InboundRoutes

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("destinations", [Destinations(), InboundRoutes(), LocalNumbers()],
                         url_prefix="",
                         description="Inbound and local destinations (DIDs) with the "
                                     "dialplan that routes each; inbound routes are the "
                                     "same rows seen as dialplans")
