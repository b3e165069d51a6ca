"""Conferences: FusionPBX's simple conference bridges and their generated dialplan."""

from fpbx_api_plugins.conferences.resource import Conferences

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("conferences", Conferences(), url_prefix="/conferences",
                         description="Conference bridges (a number, an optional PIN, a "
                                     "profile and member flags) and their dialplan")
