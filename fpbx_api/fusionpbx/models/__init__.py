"""SQLAlchemy models: FusionPBX's tables and the API's own."""

from fpbx_api.fusionpbx.models.api_keys import ApiKey
from fpbx_api.fusionpbx.models.base import Base
from fpbx_api.fusionpbx.models.call_centers import *  # noqa: F403
from fpbx_api.fusionpbx.models.call_centers import __all__ as _call_centers
from fpbx_api.fusionpbx.models.fusionpbx import *  # noqa: F403
from fpbx_api.fusionpbx.models.fusionpbx import __all__ as _fusionpbx

__all__ = ["ApiKey", "Base", *_call_centers, *_fusionpbx]
