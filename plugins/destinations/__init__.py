"""Destinations: the numbers a domain receives calls on, each with its dialplan."""

from fpbx_api_plugins.destinations.resource import Destinations

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("destinations", Destinations(), url_prefix="/destinations",
                         description="Inbound and local destinations (DIDs) and the "
                                     "dialplan that routes each")
