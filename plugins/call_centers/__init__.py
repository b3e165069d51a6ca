"""Call centers: queues with their tiers and dialplan, the agents who answer them, and the
agents' status."""

from fpbx_api_plugins.call_centers.agents import Agents
from fpbx_api_plugins.call_centers.queues import Queues
from fpbx_api_plugins.call_centers.tiers import QueueTiers

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("call_centers", [Queues(), QueueTiers(), Agents()],
                         url_prefix="/call-centers",
                         description="Call-center queues with their agents (tiers) and "
                                     "dialplan, agents, and an agent's status")
