"""SQLAlchemy models: FusionPBX's tables and the API's own."""

from fpbx_api.fusionpbx.models.api_keys import ApiKey
from fpbx_api.fusionpbx.models.base import Base
from fpbx_api.fusionpbx.models.call_flows import *  # noqa: F403
from fpbx_api.fusionpbx.models.destinations import Destination
from fpbx_api.fusionpbx.models.fusionpbx import *  # noqa: F403
from fpbx_api.fusionpbx.models.fusionpbx import __all__ as _fusionpbx
from fpbx_api.fusionpbx.models.ivr_menus import *  # noqa: F403

__all__ = ["ApiKey", "Base", "Destination", *_fusionpbx]
