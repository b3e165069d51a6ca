"""Call flows: day/night switches with a feature code, a PIN and two destinations."""

from fpbx_api_plugins.call_flows.resource import CallFlows

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("call_flows", CallFlows(), url_prefix="/call-flows",
                         description="Call flows (day/night switches), their dialplan and "
                                     "their feature code's BLF lamp")
