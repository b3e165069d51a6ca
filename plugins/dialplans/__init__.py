"""Dialplans: FusionPBX's generic dialplan editor, details as a child collection."""

from fpbx_api_plugins.dialplans.resource import Dialplans

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("dialplans", Dialplans(), url_prefix="/dialplans",
                         description="Dialplans and their details; the XML FreeSWITCH "
                                     "reads is rebuilt from the details on every save")
