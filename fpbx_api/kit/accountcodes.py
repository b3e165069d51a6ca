"""Account codes: which customer a call is billed to.

FusionPBX copies an extension's ``accountcode`` onto every call it makes
(``app/switch/resources/scripts/app/xml_handler/resources/scripts/directory/directory.lua``)
and into the CDR, where billing systems attribute calls by it; an admin may set
it freely (``extension_accountcode`` in ``app/extensions/app_config.php``).
On a switch shared by tenants, a code another domain uses would put one
tenant's calls on another's bill, so only the system scope may pick one.
"""

from __future__ import annotations

from sqlalchemy import func, select, union_all

from fpbx_api import db
from fpbx_api.fusionpbx.models import Domain, DomainSetting, Extension
from fpbx_api.http.auth import has_system_scope
from fpbx_api.http.errors import Forbidden
from fpbx_api.http.fields import Pattern
from fpbx_api.kit.scoping import domain_uuid

# FusionPBX's Lua puts the account code into dial strings ("[accountcode=…,…]"), so it is
# one token: a comma or bracket would add channel variables of the caller's choosing.
ACCOUNT_CODE = Pattern(r"^[A-Za-z0-9._@+-]{1,64}$",
                       error="Use 1 to 64 of: letters, digits, . _ @ + -")


def check_account_code(code: str | None, *, field: str) -> None:
    """403 when ``code`` is another domain's name, its ``domain/accountcode`` setting or
    the code of one of its extensions, unless the caller has the system scope. The
    code is held until the transaction ends, so two domains cannot claim a new code at
    once."""
    if not code or has_system_scope():
        return
    db.lock("accountcode", code.lower())
    mine = domain_uuid()
    taken = union_all(
        select(Domain.domain_uuid).where(func.lower(Domain.domain_name) == code.lower(),
                                         Domain.domain_uuid != mine),
        select(DomainSetting.domain_uuid).where(
            DomainSetting.domain_setting_category == "domain",
            DomainSetting.domain_setting_subcategory == "accountcode",
            DomainSetting.domain_setting_value == code, DomainSetting.domain_uuid != mine),
        select(Extension.domain_uuid).where(Extension.accountcode == code,
                                            Extension.domain_uuid != mine),
    ).limit(1)
    if db.session().execute(taken).first() is not None:
        raise Forbidden("This account code belongs to another domain; choosing it needs "
                        "the system scope", field=field)
