"""How FusionPBX writes a user (``core/users/user_edit.php``): the row with a
bcrypt hash, group memberships, a contact with its e-mail, language and time zone."""

from __future__ import annotations

from datetime import UTC, datetime

from fpbx_api_plugins.users import privileges, schemas
from fpbx_api_plugins.users.logins import end_remembered_logins, log_password_change
from fpbx_api_plugins.users.passwords import check_policy, hash_password
from sqlalchemy import delete, func, or_, select, update

from fpbx_api import db
from fpbx_api.fusionpbx.models import (
    CallCenterAgent,
    Contact,
    ContactEmail,
    Group,
    User,
    UserGroup,
    UserSetting,
)
from fpbx_api.fusionpbx.rows import new_uuid, now
from fpbx_api.fusionpbx.settings import setting
from fpbx_api.http.errors import Duplicate, validation_error
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.resource import Change, Command, Quoted, Resource, columns
from fpbx_api.kit.scoping import domain_uuid, scoped

SETTINGS = {"user_language": ("language", "code"), "user_time_zone": ("time_zone", "name")}
CONTACT_FIELDS = {"contact_name_given", "contact_name_family", "contact_organization",
                  "contact_url", "contact_nickname", "contact_email"}


class Users(Resource):
    noun = Noun("a user")
    model = User
    app_name, app_uuid = "users", "112124b3-95c2-5352-7e9d-d14c0b88f207"
    secrets = ("password", "salt", "api_key", "user_totp_secret")
    list_spec = ListSpec(User, filters=["username", "user_enabled", "user_status",
                                        "user_type"],
                         search=["username", "user_email"],
                         sort=["username", "user_email", "user_status"])
    list_schema = schemas.UserListItemSchema
    detail_schema = schemas.UserSchema
    schema = schemas.UserWriteSchema
    virtual_fields = frozenset({"groups", *SETTINGS, *CONTACT_FIELDS})

    def prepare(self, values):
        if "password" in values:
            check_policy(values["password"])
            values["password"] = hash_password(values["password"])
        return values

    def defaults(self, values):
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.000000+0000")
        return {"user_type": "default", "user_enabled": True, "salt": None,
                "add_user": "fpbx-api", "add_date": stamp}

    def authorize(self, values, row=None):
        privileges.authorize(values, row, groups_by_name(values.get("groups", [])))

    def check(self, values, row=None):
        if "username" in values:
            self._check_username(values["username"], row)

    def written(self, row, values, before):
        if "groups" in values:
            replace_groups(row, values["groups"])
        elif before is not None:
            touch(UserGroup, row)
        save_settings(row, values, created=before is None)
        save_contact(row, values, created=before is None)
        if before is not None and ("password" in values or row.user_enabled is False):
            end_remembered_logins(row)
        if before is not None and "password" in values:
            log_password_change(row)
        return {}

    def removing(self, row):
        """FusionPBX removes the settings and memberships (``users`` class,
        core/users/resources/classes/users.php). It keeps the contact, which may be a
        record the Contacts app shares, so only the user's link to it goes. It leaves the
        remember-me tokens behind; they are removed here too (and the extensions plugin
        removes the user's extension links on ``user.deleted``)."""
        end_remembered_logins(row)
        session = db.session()
        for model in (UserSetting, UserGroup):
            session.execute(delete(model).where(model.domain_uuid == domain_uuid(),
                                                model.user_uuid == row.user_uuid))

    def change(self, row, before):
        """A call-center agent linked to the user follows its status (as FusionPBX does)."""
        if row is None or before is None or row.user_status == before["user_status"]:
            return Change()
        agents = db.session().scalars(select(CallCenterAgent.call_center_agent_uuid).where(
            CallCenterAgent.domain_uuid == domain_uuid(),
            CallCenterAgent.user_uuid == row.user_uuid)).all()
        status = Quoted(row.user_status or "Logged Out")
        return Change(commands=[c for agent in agents for c in (
            Command("callcenter_config", ("agent", "set", "status", agent, status)),
            Command("callcenter_config", ("agent", "set", "state", agent, "Waiting")))])

    def detail(self, row):
        data = columns(row)
        data["groups"] = db.session().scalars(
            select(UserGroup.group_name).where(UserGroup.domain_uuid == domain_uuid(),
                                               UserGroup.user_uuid == row.user_uuid)
            .order_by(UserGroup.group_name)).all()
        for field, (subcategory, _) in SETTINGS.items():
            found = _setting(row, subcategory)
            data[field] = found.user_setting_value if found else None
        contact = db.session().get(Contact, row.contact_uuid) if row.contact_uuid else None
        if contact is not None:
            data.update({f: getattr(contact, f) for f in CONTACT_FIELDS - {"contact_email"}})
            data["contact_email"] = db.session().scalars(select(ContactEmail.email_address).where(
                ContactEmail.contact_uuid == contact.contact_uuid)).first()
        return data

    def _check_username(self, username: str, row) -> None:
        """Unique per domain, or across domains with users/unique = global; the format
        follows users/username_format."""
        form = setting("users", "username_format", "any")
        if form == "email" and "@" not in username:
            raise validation_error("username", "Must be an e-mail address.")
        if form == "no_email" and "@" in username:
            raise validation_error("username", "Must not be an e-mail address.")
        db.lock("username", username.lower())
        stmt = select(User).where(func.lower(User.username) == username.lower())
        if setting("users", "unique") != "global":
            stmt = stmt.where(User.domain_uuid == domain_uuid())
        if row is not None:
            stmt = stmt.where(User.user_uuid != row.user_uuid)
        if db.session().scalars(stmt).first() is not None:
            raise Duplicate(f"User {username} already exists", field="username")


def groups_by_name(names: list[str]) -> list[Group]:
    """The domain's groups (or the built-in ones, with no domain) by name; 400 for a
    name that has none."""
    found = []
    for name in dict.fromkeys(names):
        group = db.session().scalars(
            select(Group).where(Group.group_name == name,
                                or_(Group.domain_uuid == domain_uuid(),
                                    Group.domain_uuid.is_(None)))
            .order_by(Group.domain_uuid.is_(None))).first()
        if group is None:
            raise validation_error("groups", f"No group named {name}.")
        found.append(group)
    return found


def replace_groups(user: User, names: list[str]) -> None:
    session = db.session()
    session.execute(delete(UserGroup).where(UserGroup.domain_uuid == domain_uuid(),
                                            UserGroup.user_uuid == user.user_uuid))
    for group in groups_by_name(names):
        session.add(UserGroup(user_group_uuid=new_uuid(), domain_uuid=domain_uuid(),
                              group_name=group.group_name, group_uuid=group.group_uuid,
                              user_uuid=user.user_uuid, insert_date=now()))


def touch(model, user: User) -> None:
    """FusionPBX re-saves a user's rows on every save: only update_date changes."""
    db.session().execute(update(model).where(model.domain_uuid == domain_uuid(),
                                             model.user_uuid == user.user_uuid)
                         .values(update_date=now()))


def _setting(user: User, subcategory: str) -> UserSetting | None:
    return db.session().scalars(select(UserSetting).where(
        UserSetting.domain_uuid == domain_uuid(), UserSetting.user_uuid == user.user_uuid,
        UserSetting.user_setting_category == "domain",
        UserSetting.user_setting_subcategory == subcategory)).first()


def save_settings(user: User, values: dict, *, created: bool) -> None:
    """Language and time zone as v_user_settings rows (domain/language/code,
    domain/time_zone/name)."""
    for field, (subcategory, name) in SETTINGS.items():
        found = None if created else _setting(user, subcategory)
        if found is not None:
            found.update_date = now()
        if field not in values:
            continue
        if values[field] is None:
            if found is not None:
                db.session().delete(found)
            continue
        if found is None:
            found = UserSetting(user_setting_uuid=new_uuid(), user_uuid=user.user_uuid,
                                domain_uuid=domain_uuid(), user_setting_category="domain",
                                user_setting_subcategory=subcategory, user_setting_name=name,
                                user_setting_enabled=True, insert_date=now())
            db.session().add(found)
        found.user_setting_value = values[field]


def save_contact(user: User, values: dict, *, created: bool) -> None:
    """The user's contact (type 'user', nickname the username) and its primary e-mail."""
    given = {f: values[f] for f in CONTACT_FIELDS if f in values}
    session = db.session()
    contact = session.get(Contact, user.contact_uuid) if user.contact_uuid else None
    if contact is None:
        if not created and not given:
            return
        contact = Contact(contact_uuid=new_uuid(), domain_uuid=domain_uuid(),
                          contact_type="user", insert_date=now())
        session.add(contact)
        user.contact_uuid = contact.contact_uuid
        given.setdefault("contact_nickname", user.username)
        given.setdefault("contact_email", user.user_email)
    elif given:
        contact.update_date = now()
    email = given.pop("contact_email", None)
    for field, value in given.items():
        setattr(contact, field, value)
    if email:
        _save_email(contact, email)


def _save_email(contact: Contact, address: str) -> None:
    session = db.session()
    row = session.scalars(scoped(ContactEmail).where(
        ContactEmail.contact_uuid == contact.contact_uuid,
        ContactEmail.email_primary.is_(True))).first()
    if row is None:
        session.add(ContactEmail(contact_email_uuid=new_uuid(), domain_uuid=domain_uuid(),
                                 contact_uuid=contact.contact_uuid, email_primary=True,
                                 email_address=address, insert_date=now()))
    else:
        row.email_address = address
        row.update_date = now()
