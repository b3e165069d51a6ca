"""Conference centers: centers (a number callers dial, then a PIN), their rooms, and the
system-wide conference profiles every conference names."""

from fpbx_api_plugins.conference_centers.centers import Centers
from fpbx_api_plugins.conference_centers.profiles import Profiles
from fpbx_api_plugins.conference_centers.rooms import Rooms

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("conference_centers", [Centers(), Rooms(), Profiles()],
                         url_prefix="/conference-centers",
                         description="Conference centers with their PIN-protected rooms, and "
                                     "the conference profiles")
