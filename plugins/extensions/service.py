"""How FusionPBX writes an extension (SIDE_EFFECTS.md §3), done in one transaction."""

from __future__ import annotations

import re

from sqlalchemy import delete, or_, select

from fpbx_api import db
from fpbx_api.errors import Duplicate, validation_error
from fpbx_api.fusionpbx import (
    generate_password,
    int_setting,
    new_uuid,
    now,
    record_transaction,
    setting,
)
from fpbx_api.models import (
    Contact,
    Extension,
    ExtensionSetting,
    ExtensionUser,
    FollowMe,
    FollowMeDestination,
    RingGroupDestination,
    User,
    Voicemail,
    VoicemailDestination,
    VoicemailGreeting,
    VoicemailMessage,
    VoicemailOption,
)
from fpbx_api.scoping import domain_name, domain_uuid, scoped

VOICEMAIL_FIELDS = {"voicemail_password", "voicemail_mail_to", "voicemail_enabled",
                    "voicemail_file", "voicemail_local_after_email"}
LINK_FIELDS = {"user_uuid"}


def directory_keys(ext: Extension) -> list[str]:
    """The FusionPBX directory cache keys that name this extension."""
    numbers = [ext.extension, ext.number_alias]
    return [f"directory:{n}@{ext.user_context}" for n in numbers if n]


def _normalise(values: dict) -> dict:
    """FusionPBX's own input clean-ups."""
    if values.get("toll_allow"):
        values["toll_allow"] = values["toll_allow"].replace(",", ":")
    if values.get("outbound_caller_id_number"):
        values["outbound_caller_id_number"] = re.sub(r"[^0-9+]", "",
                                                     values["outbound_caller_id_number"]) or None
    if values.get("user_record") == "":
        values["user_record"] = None
    return values


def _check_free(numbers: set[str], exclude: str | None = None) -> None:
    """409 when a number is already an extension or alias in the domain.

    FusionPBX counts only enabled extensions, then reports success while
    re-keying the existing mailbox (OBSERVED.md); a disabled duplicate would
    collide once enabled, so every extension counts here.
    """
    numbers = {n for n in numbers if n}
    for number in sorted(numbers):
        db.lock(domain_uuid(), "extension", number)
    stmt = scoped(Extension).where(or_(Extension.extension.in_(numbers),
                                       Extension.number_alias.in_(numbers)))
    if exclude:
        stmt = stmt.where(Extension.extension_uuid != exclude)
    taken = db.session().scalars(stmt).first()
    if taken is not None:
        number = taken.extension if taken.extension in numbers else taken.number_alias
        raise Duplicate(f"Extension {number} already exists in this domain",
                        field="extension")


def _check_user(user_uuid: str | None) -> None:
    if user_uuid and db.session().scalars(
            scoped(User).where(User.user_uuid == user_uuid)).first() is None:
        raise validation_error("user_uuid", "No such user in this domain.")


def _voicemail_for(ext: Extension) -> Voicemail | None:
    box = ext.number_alias or ext.extension
    return db.session().scalars(scoped(Voicemail).where(Voicemail.voicemail_id == box)).first()


def create(values: dict) -> tuple[Extension, Voicemail, dict]:
    """Insert the extension, its mailbox and user link; return generated secrets too."""
    values = _normalise(dict(values))
    _check_free({values["extension"], values.get("number_alias")})
    _check_user(values.get("user_uuid"))
    secrets = {}
    if not values.get("password"):
        values["password"] = secrets["password"] = generate_password(
            int_setting("extension", "password_length", 20),
            int_setting("extension", "password_strength", 4))
    ext = Extension(
        extension_uuid=new_uuid(), domain_uuid=domain_uuid(), user_context=domain_name(),
        accountcode=_default_accountcode(),
        max_registrations=setting("extension", "max_registrations"),
        limit_max=setting("extension", "limit_max", "5"), limit_destination="!USER_BUSY",
        call_timeout=int_setting("extension", "call_timeout", 30),
        user_record=setting("extension", "user_record_default"),
        directory_visible=False, directory_exten_visible=False, call_screen_enabled=False,
        force_ping=False, enabled=True, extension_language=None, extension_dialect="us",
        extension_voice="callie", extension_type="default",
        insert_date=now(),
    )
    _assign(ext, values)
    session = db.session()
    session.add(ext)
    mailbox, pin = _save_voicemail(ext, values)
    if pin:
        secrets["voicemail_password"] = pin
    if values.get("user_uuid"):
        session.add(ExtensionUser(extension_user_uuid=new_uuid(), domain_uuid=domain_uuid(),
                                  extension_uuid=ext.extension_uuid,
                                  user_uuid=values["user_uuid"], insert_date=now()))
    record_transaction("add", {"extensions": [_row(ext)], "voicemails": [_row(mailbox)]},
                       app_name="Extensions")
    return ext, mailbox, secrets


def update(ext: Extension, values: dict) -> list[str]:
    """Apply a partial update; return the cache keys to clear (old and new numbers)."""
    values = _normalise(dict(values))
    old = _row(ext)
    stale_keys = directory_keys(ext)
    if "extension" in values or "number_alias" in values:
        numbers = {values.get("extension", ext.extension),
                   values.get("number_alias", ext.number_alias)}
        _check_free(numbers, exclude=ext.extension_uuid)
    if "user_uuid" in values:
        _check_user(values["user_uuid"])
    mailbox = _voicemail_for(ext)
    _assign(ext, values)
    ext.update_date = now()
    if mailbox is not None or VOICEMAIL_FIELDS & set(values):
        _save_voicemail(ext, values, existing=mailbox)
    if "user_uuid" in values:
        _relink_user(ext, values["user_uuid"])
    record_transaction("update", {"extensions": [_row(ext)]}, old={"extensions": [old]},
                       app_name="Extensions")
    return sorted(set(stale_keys + directory_keys(ext)))


def remove(ext: Extension) -> list[str]:
    """Delete what FusionPBX's "extension and voicemail" delete removes."""
    session = db.session()
    dom = domain_uuid()
    numbers = [n for n in (ext.extension, ext.number_alias) if n]
    mailbox = _voicemail_for(ext)
    session.execute(delete(ExtensionUser).where(ExtensionUser.domain_uuid == dom,
                                                ExtensionUser.extension_uuid == ext.extension_uuid))
    session.execute(delete(ExtensionSetting).where(
        ExtensionSetting.domain_uuid == dom,
        ExtensionSetting.extension_uuid == ext.extension_uuid))
    session.execute(delete(RingGroupDestination).where(
        RingGroupDestination.domain_uuid == dom,
        RingGroupDestination.destination_number.in_(numbers)))
    if ext.follow_me_uuid:
        session.execute(delete(FollowMeDestination).where(
            FollowMeDestination.domain_uuid == dom,
            FollowMeDestination.follow_me_uuid == ext.follow_me_uuid))
        session.execute(delete(FollowMe).where(FollowMe.domain_uuid == dom,
                                               FollowMe.follow_me_uuid == ext.follow_me_uuid))
    if mailbox is not None:
        _delete_voicemail(mailbox)
    session.delete(ext)
    record_transaction("delete", None, old={"extensions": [_row(ext)]}, app_name="Extensions")
    return directory_keys(ext)


def linked_user(ext: Extension) -> dict | None:
    """The user linked to the extension, with the contact's name, as the contract nests it."""
    found = db.session().execute(
        select(User, Contact).join(ExtensionUser, ExtensionUser.user_uuid == User.user_uuid)
        .outerjoin(Contact, Contact.contact_uuid == User.contact_uuid)
        .where(ExtensionUser.extension_uuid == ext.extension_uuid,
               ExtensionUser.domain_uuid == domain_uuid(), User.domain_uuid == domain_uuid())
    ).first()
    if found is None:
        return None
    user, contact = found
    names = [contact.contact_name_given, contact.contact_name_family] if contact else []
    return {"user_uuid": user.user_uuid, "username": user.username,
            "full_name": " ".join(n for n in names if n) or None}


def detail(ext: Extension) -> dict:
    """The extension with its voicemail box and user, for GET."""
    data = {c.key: getattr(ext, c.key) for c in Extension.__mapper__.column_attrs}
    data["voicemail"] = _voicemail_for(ext)
    data["user"] = linked_user(ext)
    return data


def _assign(ext: Extension, values: dict) -> None:
    for key, value in values.items():
        if key not in VOICEMAIL_FIELDS | LINK_FIELDS:
            setattr(ext, key, value)


def _default_accountcode() -> str | None:
    code = setting("domain", "accountcode")
    if code == "none":
        return None
    return code or domain_name()


def _save_voicemail(ext: Extension, values: dict, *,
                    existing: Voicemail | None = None) -> tuple[Voicemail, str | None]:
    """Create or update the mailbox named by the alias or number (FusionPBX reuses a
    mailbox left behind for that number). Returns the box and a generated PIN."""
    box = existing or _voicemail_for(ext)
    pin = None
    if box is None:
        box = Voicemail(
            voicemail_uuid=new_uuid(), domain_uuid=domain_uuid(),
            voicemail_file=setting("voicemail", "voicemail_file", "attach"),
            voicemail_local_after_email=setting("voicemail", "keep_local", "true") == "true",
            voicemail_enabled=setting("voicemail", "enabled_default", "true") == "true",
            insert_date=now())
        db.session().add(box)
    else:
        box.update_date = now()
    if not box.voicemail_password and not values.get("voicemail_password"):
        pin = generate_password(int_setting("voicemail", "password_length", 8), 1)
        box.voicemail_password = pin
    box.voicemail_id = ext.number_alias or ext.extension
    box.voicemail_description = ext.description
    for key in VOICEMAIL_FIELDS & set(values):
        setattr(box, key, values[key])
    return box, pin


def _relink_user(ext: Extension, user_uuid: str | None) -> None:
    session = db.session()
    session.execute(delete(ExtensionUser).where(
        ExtensionUser.domain_uuid == domain_uuid(),
        ExtensionUser.extension_uuid == ext.extension_uuid))
    if user_uuid:
        session.add(ExtensionUser(extension_user_uuid=new_uuid(), domain_uuid=domain_uuid(),
                                  extension_uuid=ext.extension_uuid, user_uuid=user_uuid,
                                  insert_date=now()))


def _delete_voicemail(box: Voicemail) -> None:
    session = db.session()
    dom = domain_uuid()
    for model in (VoicemailOption, VoicemailMessage):
        session.execute(delete(model).where(model.domain_uuid == dom,
                                            model.voicemail_uuid == box.voicemail_uuid))
    session.execute(delete(VoicemailDestination).where(
        VoicemailDestination.domain_uuid == dom,
        or_(VoicemailDestination.voicemail_uuid == box.voicemail_uuid,
            VoicemailDestination.voicemail_uuid_copy == box.voicemail_uuid)))
    session.execute(delete(VoicemailGreeting).where(
        VoicemailGreeting.domain_uuid == dom, VoicemailGreeting.voicemail_id == box.voicemail_id))
    session.delete(box)


def _row(obj) -> dict:
    return {c.key: getattr(obj, c.key) for c in type(obj).__mapper__.column_attrs
            if not c.deferred and c.key not in ("insert_date", "update_date")}
