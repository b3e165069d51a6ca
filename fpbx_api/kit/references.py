"""Checks of references that a schema cannot make: they need the domain's rows."""

from __future__ import annotations

from fpbx_api import db
from fpbx_api.fusionpbx.models import User
from fpbx_api.http.errors import validation_error
from fpbx_api.kit.scoping import scoped


def user_in_domain(user_uuid: str, field: str = "user_uuid") -> None:
    """400 unless ``user_uuid`` is a user of the authenticated domain."""
    if db.session().scalars(scoped(User).where(User.user_uuid == user_uuid)).first() is None:
        raise validation_error(field, "No such user in this domain.")
