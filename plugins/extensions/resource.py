"""How FusionPBX writes an extension (``app/extensions/extension_edit.php`` and its
``extension`` class)."""

from __future__ import annotations

import re

from fpbx_api_plugins.extensions import schemas
from sqlalchemy import delete, or_, select

from fpbx_api import db
from fpbx_api.fusionpbx.directory import directory_keys
from fpbx_api.fusionpbx.models import (
    Contact,
    Extension,
    ExtensionSetting,
    ExtensionUser,
    FollowMe,
    FollowMeDestination,
    User,
    Voicemail,
    VoicemailDestination,
    VoicemailGreeting,
    VoicemailMessage,
    VoicemailOption,
)
from fpbx_api.fusionpbx.passwords import generate_password
from fpbx_api.fusionpbx.rows import new_uuid, now
from fpbx_api.fusionpbx.settings import int_setting, setting
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.accountcodes import check_account_code
from fpbx_api.kit.events import on
from fpbx_api.kit.resource import Change, Resource, columns
from fpbx_api.kit.scoping import domain_name, domain_uuid, scoped

VOICEMAIL_FIELDS = {"voicemail_password", "voicemail_mail_to", "voicemail_enabled",
                    "voicemail_file", "voicemail_local_after_email"}


class Extensions(Resource):
    noun = Noun("an extension")
    model = Extension
    app_name = "extensions"
    secrets = ("password", "voicemail_password")  # SIP password, mailbox PIN
    list_spec = ListSpec(
        Extension,
        filters=["extension", "number_alias", "enabled", "user_context", "call_group",
                 "directory_visible", "do_not_disturb"],
        search=["extension", "number_alias", "effective_caller_id_name",
                "effective_caller_id_number", "directory_first_name", "directory_last_name",
                "description"],
        sort=["extension", "number_alias", "effective_caller_id_name", "enabled", "description"],
    )
    list_schema = schemas.ExtensionListItemSchema
    detail_schema = schemas.ExtensionSchema
    schema = schemas.ExtensionWriteSchema
    created_schema = schemas.ExtensionCreatedSchema
    virtual_fields = frozenset(VOICEMAIL_FIELDS | {"user_uuid"})
    # FusionPBX counts only enabled extensions and then reports success while re-keying
    # the existing mailbox (a bug seen on FusionPBX 5.6); every extension counts here.
    numbers = ("extension", "number_alias")
    references = {"user_uuid": User}

    def prepare(self, values):
        """FusionPBX's clean-ups: ',' in toll_allow becomes ':', the outbound number
        keeps digits and '+'."""
        if values.get("toll_allow"):
            values["toll_allow"] = values["toll_allow"].replace(",", ":")
        if values.get("outbound_caller_id_number"):
            values["outbound_caller_id_number"] = re.sub(
                r"[^0-9+]", "", values["outbound_caller_id_number"]) or None
        return values

    def defaults(self, values):
        code = setting("domain", "accountcode")
        return {
            "user_context": domain_name(),
            "accountcode": None if code == "none" else code or domain_name(),
            "password": generate_password(int_setting("extension", "password_length", 20),
                                          int_setting("extension", "password_strength", 4)),
            "max_registrations": setting("extension", "max_registrations"),
            "limit_max": setting("extension", "limit_max", "5"),
            "limit_destination": "!USER_BUSY",
            "call_timeout": int_setting("extension", "call_timeout", 30),
            "user_record": setting("extension", "user_record_default"),
            "directory_visible": False, "directory_exten_visible": False,
            "call_screen_enabled": False, "force_ping": False, "enabled": True,
            "extension_dialect": "us", "extension_voice": "callie",
            "extension_type": "default",
        }

    def authorize(self, values, row=None):
        check_account_code(values.get("accountcode"), field="accountcode")

    def written(self, row, values, before):
        box, pin = save_voicemail(row, values, mailbox_id(before or columns(row)))
        if "user_uuid" in values:
            link_user(row, values["user_uuid"])
        if before is not None:
            return {}
        secrets = {"voicemail_uuid": box.voicemail_uuid}
        if not values.get("password"):
            secrets["password"] = row.password
        if pin:
            secrets["voicemail_password"] = pin
        return secrets

    def removing(self, row):
        """FusionPBX's "extension and voicemail" delete: user links, settings and the
        mailboxes with their content, by number and by alias (``extension`` class,
        app/extensions/resources/classes/extension.php). The ring-group memberships and
        follow-me it deletes too are their owners' (``extension.deleted``)."""
        session, dom = db.session(), domain_uuid()
        numbers = [n for n in (row.extension, row.number_alias) if n]
        for model in (ExtensionUser, ExtensionSetting):
            session.execute(delete(model).where(model.domain_uuid == dom,
                                                model.extension_uuid == row.extension_uuid))
        for box in session.scalars(scoped(Voicemail).where(
                Voicemail.voicemail_id.in_(numbers))).all():
            delete_voicemail(box)

    def change(self, row, before):
        keys = [key for ext in (before, columns(row) if row else None) if ext
                for key in directory_keys(ext["extension"], ext["number_alias"],
                                          ext["user_context"])]
        return Change(sorted(set(keys)), [])

    def detail(self, row):
        data = columns(row)
        data["voicemail"] = voicemail_for(row)
        data["user"] = linked_user(row)
        return data

    def audit(self, row):
        # on delete the mailboxes went with the row (``removing``): none to look up
        box = None if row in db.session().deleted else voicemail_for(row)
        return {"extensions": [columns(row)], **({"voicemails": [columns(box)]} if box else {})}


@on("extension.deleted")
def delete_follow_me(ext: Extension) -> None:
    """The extension's follow-me and its destinations, which FusionPBX's extension delete
    removes. No plugin serves v_follow_me yet (FusionPBX edits it with the extension, in
    app/calls/call_edit.php); a follow-me plugin takes this subscriber over."""
    if ext.follow_me_uuid:
        for model in (FollowMeDestination, FollowMe):
            db.session().execute(delete(model).where(
                model.domain_uuid == domain_uuid(), model.follow_me_uuid == ext.follow_me_uuid))


@on("user.deleted")
def unlink_user(user: User) -> None:
    """A deleted user's links to extensions (FusionPBX leaves them behind, pointing at
    nothing)."""
    db.session().execute(delete(ExtensionUser).where(
        ExtensionUser.domain_uuid == domain_uuid(), ExtensionUser.user_uuid == user.user_uuid))


def mailbox_id(ext: dict) -> str:
    """FusionPBX names the mailbox by the alias, else the number."""
    return ext["number_alias"] or ext["extension"]


def voicemail_for(ext: Extension, box_id: str | None = None) -> Voicemail | None:
    box_id = box_id or mailbox_id(columns(ext))
    session = db.session()
    # a mailbox this request creates, as a SELECT after the flush would find it, without
    # the SELECT (the audit row asks after each write)
    for box in session.new:
        if isinstance(box, Voicemail) and box.voicemail_id == box_id \
                and box.domain_uuid == domain_uuid():
            session.flush()  # its column defaults, as the row holds them
            return box
    return session.scalars(scoped(Voicemail).where(Voicemail.voicemail_id == box_id)).first()


def save_voicemail(ext: Extension, values: dict, box_id: str) -> tuple[Voicemail, str | None]:
    """Create or update the mailbox ``box_id`` (the one before a renumbering); FusionPBX
    re-saves it on every save and reuses a mailbox left behind for the number. Returns
    it and a generated PIN."""
    box = voicemail_for(ext, box_id)
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


def link_user(ext: Extension, user_uuid: str | None) -> None:
    session = db.session()
    session.execute(delete(ExtensionUser).where(
        ExtensionUser.domain_uuid == domain_uuid(),
        ExtensionUser.extension_uuid == ext.extension_uuid))
    if user_uuid:
        session.add(ExtensionUser(extension_user_uuid=new_uuid(), domain_uuid=domain_uuid(),
                                  extension_uuid=ext.extension_uuid, user_uuid=user_uuid,
                                  insert_date=now()))


def linked_user(ext: Extension) -> dict | None:
    """The linked user with the contact's name, as the contract nests it."""
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


def delete_voicemail(box: Voicemail) -> None:
    """The mailbox and its options, messages, copies and greetings."""
    session, dom = db.session(), domain_uuid()
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
