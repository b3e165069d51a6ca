"""Time conditions: business hours and holidays deciding where a number's calls go."""

from fpbx_api_plugins.time_conditions.resource import TimeConditions

from fpbx_api.kit.resource import resource_plugin

plugin = resource_plugin("time_conditions", TimeConditions(), url_prefix="",
                         description="Time conditions: weekday, time-of-day, date and "
                                     "holiday rules, each with its destination, and one "
                                     "for when none holds")
