"""SQLAlchemy models: FusionPBX's tables and the API's own."""

from fpbx_api.fusionpbx.models.api_keys import ApiKey
from fpbx_api.fusionpbx.models.base import Base
from fpbx_api.fusionpbx.models.conferences import *  # noqa: F403
from fpbx_api.fusionpbx.models.conferences import __all__ as _conferences
from fpbx_api.fusionpbx.models.fax import *  # noqa: F403
from fpbx_api.fusionpbx.models.fax import __all__ as _fax
from fpbx_api.fusionpbx.models.fusionpbx import *  # noqa: F403
from fpbx_api.fusionpbx.models.fusionpbx import __all__ as _fusionpbx

__all__ = ["ApiKey", "Base", *_conferences, *_fax, *_fusionpbx]
