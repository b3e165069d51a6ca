"""SQLAlchemy models: FusionPBX's tables and the API's own."""

from fpbx_api.fusionpbx.models.api_keys import ApiKey
from fpbx_api.fusionpbx.models.base import Base
from fpbx_api.fusionpbx.models.fusionpbx import *  # noqa: F403
from fpbx_api.fusionpbx.models.fusionpbx import __all__ as _fusionpbx

__all__ = ["ApiKey", "Base", *_fusionpbx]
from fpbx_api.fusionpbx.models.call_block import CallBlock  # noqa: E402, F401
from fpbx_api.fusionpbx.models.number_translations import *  # noqa: E402, F401, F403
