"""Ring groups, their destinations and their dialplan"""

from fpbx_api_plugins.ring_groups.resource import RingGroups

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("ring_groups", RingGroups(), url_prefix="/ring-groups",
                         description=__doc__)
