"""fpbx-api: a REST API for FusionPBX."""

__version__ = "1.0.0"

from fpbx_api.app import create_app  # noqa: E402

__all__ = ["create_app", "__version__"]
