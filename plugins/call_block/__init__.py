"""Call block: numbers refused for one extension or the whole domain."""

from fpbx_api_plugins.call_block.resource import CallBlocks

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("call_block", CallBlocks(), url_prefix="/call-block",
                         description="Blocked numbers, per extension or domain-wide, and "
                                     "what happens to their calls")
