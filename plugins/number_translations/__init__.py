"""Number translations: system-wide mod_translate rules, with their details."""

from fpbx_api_plugins.number_translations.resource import NumberTranslations

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("number_translations", NumberTranslations(),
                         url_prefix="/number-translations",
                         description="Number translation profiles (mod_translate), shared "
                                     "by every domain: any key reads them, a system-scope "
                                     "key writes them",
                         system_wide=True)
