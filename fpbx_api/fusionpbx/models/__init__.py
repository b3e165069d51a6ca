"""SQLAlchemy models: FusionPBX's tables (one module per feature) and the API's own."""

from fpbx_api.fusionpbx.models import (
    call_block,
    call_centers,
    call_flows,
    conferences,
    destinations,
    fax,
    fusionpbx,
    ivr_menus,
    number_translations,
)
from fpbx_api.fusionpbx.models.api_keys import ApiKey
from fpbx_api.fusionpbx.models.base import Base
from fpbx_api.fusionpbx.models.call_block import *  # noqa: F403
from fpbx_api.fusionpbx.models.call_centers import *  # noqa: F403
from fpbx_api.fusionpbx.models.call_flows import *  # noqa: F403
from fpbx_api.fusionpbx.models.conferences import *  # noqa: F403
from fpbx_api.fusionpbx.models.destinations import *  # noqa: F403
from fpbx_api.fusionpbx.models.fax import *  # noqa: F403
from fpbx_api.fusionpbx.models.fusionpbx import *  # noqa: F403
from fpbx_api.fusionpbx.models.ivr_menus import *  # noqa: F403
from fpbx_api.fusionpbx.models.number_translations import *  # noqa: F403

__all__ = ["ApiKey", "Base"] + [name for module in (
    call_block, call_centers, call_flows, conferences, destinations, fax, fusionpbx,
    ivr_menus, number_translations) for name in module.__all__]
