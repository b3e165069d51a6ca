"""Call centers: queues with their tiers and dialplan, and the agents who answer them."""

from fpbx_api_plugins.call_centers.agents import Agents
from fpbx_api_plugins.call_centers.queues import Queues

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("call_centers", Queues(), url_prefix="/call-centers/queues",
                         description="Call-center queues, their agents (tiers) and dialplan")
agents_plugin = resource_plugin("call_center_agents", Agents(),
                                url_prefix="/call-centers/agents",
                                description="Call-center agents")
