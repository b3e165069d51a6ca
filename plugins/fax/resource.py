"""How FusionPBX writes a fax server account (``app/fax/fax_edit.php`` and the class
``fax`` in ``app/fax/resources/classes/fax.php``): the row and a v_dialplans row whose
XML answers the account's number and receives the fax into its inbox."""

from __future__ import annotations

from fpbx_api_plugins.fax import schemas
from sqlalchemy import delete, select

from fpbx_api import db
from fpbx_api.fusionpbx.dialplans import (
    number_expression,
    sanitize,
    save_dialplan,
)
from fpbx_api.fusionpbx.models import (
    DefaultSetting,
    Dialplan,
    DomainSetting,
    Fax,
    FaxFile,
    FaxLog,
    FaxQueue,
    FaxUser,
    User,
)
from fpbx_api.fusionpbx.settings import setting
from fpbx_api.http.errors import validation_error
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.accountcodes import check_account_code
from fpbx_api.kit.computed import value_of
from fpbx_api.kit.events import on
from fpbx_api.kit.resource import Resource
from fpbx_api.kit.scoping import domain_name, domain_uuid

APP_UUID = "24108154-4ac3-1db6-1551-4731703a4440"
DIALPLAN_ORDER = 40
# A standard install's switch/storage setting (resources/classes/switch_settings.php).
STORAGE = "/var/lib/freeswitch/storage"
# The fax/variable settings FusionPBX ships enabled (app/fax/app_config.php), used when
# the database has none at all.
SHIPPED_VARIABLES = ("fax_enable_t38=true", "fax_enable_t38_request=false",
                     "ignore_early_media=true")
LAST_FAX = "last_fax=${caller_id_number}-${strftime(%Y-%m-%d-%H-%M-%S)}"


# The contract's fax_enabled: FusionPBX keeps no such column; whether the account's number
# answers is its dialplan's dialplan_enabled (which FusionPBX's fax pages always set true).
LIST_EXTRA = {"fax_enabled": value_of(Dialplan.dialplan_enabled, Dialplan.dialplan_uuid,
                                      Fax.dialplan_uuid)}


class FaxAccounts(Resource):
    noun = Noun("a fax account")
    model = Fax
    dialplan_apps = (APP_UUID,)
    app_name, app_uuid = "fax", "24108154-4ac3-1db6-1551-4731703a4440"
    dialplan = "dialplan_uuid"
    # What fax::delete removes (users, files, logs; the files on disk are the switch's to
    # clean), and the queued sends (v_fax_queue) FusionPBX leaves behind pointing at a
    # fax that is gone.
    deletes_with = (FaxUser, FaxFile, FaxLog, FaxQueue)
    list_spec = ListSpec(
        Fax,
        filters=["fax_extension", "fax_name", "fax_destination_number", "fax_enabled"],
        search=["fax_name", "fax_extension", "fax_destination_number", "fax_email",
                "fax_description"],
        sort=["fax_name", "fax_extension", "fax_destination_number"],
        extra=LIST_EXTRA,
    )
    list_extra = LIST_EXTRA
    list_schema = schemas.FaxListItemSchema
    detail_schema = schemas.FaxSchema
    schema = schemas.FaxWriteSchema
    numbers = ("fax_extension",)  # not the destination: usually a DID an inbound
    # destination of the domain routes to the fax as well
    secrets = ("fax_pin_number", "fax_email_connection_password")

    def check(self, values, row=None):
        if "fax_name" in values and not values["fax_name"]:
            raise validation_error("fax_name", "Must not be empty.")
        check_account_code(values.get("accountcode"), field="accountcode")

    def written(self, row, values, before):
        """The dialplan row. FusionPBX rebuilds it on update too, but its save of the
        rebuilt row writes nothing there (its golden update leaves v_dialplans as it
        was: a changed number or name would never reach FreeSWITCH); here it is
        rewritten on every save."""
        if not row.fax_destination_number:  # fax_edit.php: default to the extension
            row.fax_destination_number = row.fax_extension
        dialplan = save_dialplan(
            row.dialplan_uuid, app_uuid=APP_UUID, name=row.fax_name,
            number=row.fax_extension, context=domain_name(), order=DIALPLAN_ORDER,
            enabled=True, description=row.fax_description,
            xml=lambda uuid: dialplan_xml(row, uuid))
        # fax.php hands PHP false to database::save, which writes NULL.
        dialplan.dialplan_continue = None
        row.dialplan_uuid = dialplan.dialplan_uuid
        return {}


@on("user.deleted")
def forget_user(user: User) -> None:
    """A deleted user's fax accounts (FusionPBX's user delete leaves v_fax_users)."""
    db.session().execute(delete(FaxUser).where(FaxUser.domain_uuid == domain_uuid(),
                                               FaxUser.user_uuid == user.user_uuid))


def fax_variables() -> list[str]:
    """The fax/variable array setting, as FusionPBX's settings class builds it: the
    domain's enabled values replace the defaults' (ordered by their order column)."""
    session = db.session()
    domain = session.scalars(
        select(DomainSetting.domain_setting_value).where(
            DomainSetting.domain_uuid == domain_uuid(),
            DomainSetting.domain_setting_category == "fax",
            DomainSetting.domain_setting_subcategory == "variable",
            DomainSetting.domain_setting_enabled.is_(True))
        .order_by(DomainSetting.domain_setting_order.asc().nulls_last())).all()
    if domain:
        return list(domain)
    defaults = session.execute(
        select(DefaultSetting.default_setting_value, DefaultSetting.default_setting_enabled)
        .where(DefaultSetting.default_setting_category == "fax",
               DefaultSetting.default_setting_subcategory == "variable")
        .order_by(DefaultSetting.default_setting_order.asc().nulls_last())).all()
    if not defaults:
        return list(SHIPPED_VARIABLES)
    return [value for value, enabled in defaults if enabled and value]


def dialplan_xml(row: Fax, dialplan_uuid: str) -> str:
    """The exact snippet fax::dialplan() writes. (FusionPBX adds the forward number to
    the file name when it holds '$1'; a forward number here is a phone number, so the
    prefix is always empty.)"""
    last_fax = setting("fax", "last_fax")
    last_fax = f"last_fax={sanitize(last_fax)}" if last_fax else LAST_FAX
    storage = sanitize(setting("switch", "storage", STORAGE))
    lines = [
        f'<extension name="{sanitize(row.fax_name)}" continue="false" '
        f'uuid="{sanitize(dialplan_uuid)}">',
        f'\t<condition field="destination_number" '
        f'expression="{sanitize(number_expression(row.fax_destination_number))}">',
        '\t\t<action application="answer" data=""/>',
        f'\t\t<action application="set" data="fax_uuid={sanitize(row.fax_uuid)}"/>',
        '\t\t<action application="set" data="api_hangup_hook=lua '
        'app/fax/resources/scripts/hangup_rx.lua"/>',
    ]
    for variable in fax_variables():
        if variable.startswith("outbound:"):
            continue
        lines.append(f'\t\t<action application="set" '
                     f'data="{sanitize(variable.removeprefix("inbound:"))}"/>')
    lines += [
        f'\t\t<action application="set" data="{last_fax}"/>',
        f'\t\t<action application="rxfax" data="{storage}/fax/{domain_name()}/'
        f'{sanitize(row.fax_extension)}/inbox/${{last_fax}}.tif"/>',
        '\t\t<action application="hangup" data=""/>',
        "\t</condition>",
        "</extension>",
    ]
    return "\n".join(lines) + "\n"
