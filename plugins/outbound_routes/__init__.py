"""Outbound routes: calls to patterns of numbers bridged through gateways."""

from fpbx_api_plugins.outbound_routes.resource import OutboundRoutes

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("outbound_routes", OutboundRoutes(), url_prefix="",
                         description="Outbound routes: number patterns bridged through the "
                                     "domain's (or global) gateways, with failover")
