"""Who may grant, change or delete which user (``Users.authorize``).

FusionPBX gives every group a level; the built-in superadmin group (level 80) administers
every domain of the switch, so only a key with the system scope may reach it. A tenant
key may grant groups below that level and manage users whose groups all stay below it.

A NULL level counts as the highest: older FusionPBX databases have a superadmin group
without a level, and treating that as 0 would hand out every domain. A membership of
the group named ``superadmin`` counts as that level whatever its group row says, because
FusionPBX itself finds superadmins by that name (``superadmin_list()`` in
``resources/functions.php``).
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select

from fpbx_api import db
from fpbx_api.fusionpbx.models import Group, User, UserGroup
from fpbx_api.http.auth import has_system_scope
from fpbx_api.http.errors import Forbidden
from fpbx_api.kit.scoping import domain_uuid

SYSTEM_GROUP_LEVEL = 80  # superadmin: administers every domain
SUPERADMIN = "superadmin"


def authorize(values: dict, row: User | None, groups: list[Group]) -> None:
    """403 unless the key may make this write: change or delete ``row``, set ``values``
    and grant ``groups`` (the named groups that exist)."""
    if has_system_scope():
        return
    if row is not None and any(beyond_tenant(name, level)
                               for name, level in current_groups(row)):
        # FusionPBX's ``users`` class requires a superadmin to delete a superadmin; the
        # API extends that to every change.
        raise Forbidden("Changing or deleting a member of a system-level group needs a "
                        "key with the system scope")
    if "api_key" in values:
        # FusionPBX logs a user in with ?key=<api_key>; only its superadmins may set one
        # (the api_key permission, core/users/app_config.php).
        raise Forbidden("Setting a user's api_key needs a key with the system scope",
                        field="api_key")
    for group in groups:
        if beyond_tenant(group.group_name, group.group_level):
            raise Forbidden(f"Adding users to {group.group_name} needs a key with the "
                            "system scope", field="groups")


def beyond_tenant(name: str | None, level) -> bool:
    """A group only the system scope may grant (or touch members of)."""
    return name == SUPERADMIN or level is None or level >= SYSTEM_GROUP_LEVEL


def current_groups(user: User) -> list[tuple[str | None, object]]:
    """(name, level) of each of the user's memberships, the level None when the group
    row has none or is missing (a dangling membership is not trusted to be harmless)."""
    matches = or_(Group.group_uuid == UserGroup.group_uuid,
                  and_(UserGroup.group_uuid.is_(None), Group.group_name == UserGroup.group_name,
                       or_(Group.domain_uuid == UserGroup.domain_uuid,
                           Group.domain_uuid.is_(None))))
    return db.session().execute(
        select(UserGroup.group_name, Group.group_level).outerjoin(Group, matches)
        .where(UserGroup.domain_uuid == domain_uuid(), UserGroup.user_uuid == user.user_uuid)
    ).all()
