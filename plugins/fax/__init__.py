"""Fax: FusionPBX's fax server accounts and the dialplan that receives their faxes."""

from fpbx_api_plugins.fax.resource import FaxAccounts

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("fax", FaxAccounts(), url_prefix="/fax/accounts",
                         description="Fax server accounts (a number, a DID, the e-mail "
                                     "addresses faxes go to) and their dialplan")
