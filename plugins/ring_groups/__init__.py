"""Ring groups: hunt groups with their destinations and generated dialplan."""

from fpbx_api_plugins.ring_groups.resource import RingGroups

from fpbx_api.envelope import Blueprint
from fpbx_api.plugins import Plugin
from fpbx_api.resource import register

blp = Blueprint("ring_groups", __name__, url_prefix="/ring-groups",
                description="Ring groups, their destinations and their dialplan")
register(blp, RingGroups())

plugin = Plugin(name="ring_groups", blueprint=blp, version="1.0.0",
                description="Ring groups, their destinations and their dialplan")
