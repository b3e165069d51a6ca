"""FusionPBX's settings (``v_default_settings`` overridden by ``v_domain_settings``), as
its ``resources/classes/settings.php`` resolves them, and what derives from them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from fpbx_api import db
from fpbx_api.fusionpbx.models import DefaultSetting, DomainSetting
from fpbx_api.http.caching import lookup
from fpbx_api.http.fields import whole_number
from fpbx_api.kit.scoping import domain_uuid


def setting(category: str, subcategory: str, default: str | None = None) -> str | None:
    """A FusionPBX setting: the domain's enabled value, else the default's, else ``default``.

    Kept briefly (``cache.ttl``), as FusionPBX itself caches its settings.
    """
    key = ("setting", domain_uuid(), category, subcategory)
    value = lookup(key, lambda: _read_setting(category, subcategory))
    return default if value in (None, "") else value


def _read_setting(category: str, subcategory: str) -> str | None:
    session = db.session()
    value = session.scalars(_domain_rows(category, subcategory)).first()
    if value is None:
        value = session.scalars(_default_rows(category, subcategory)).first()
    return value


def _domain_rows(category: str, subcategory: str):
    """The domain's enabled values of a setting, in FusionPBX's order."""
    return select(DomainSetting.domain_setting_value).where(
        DomainSetting.domain_uuid == domain_uuid(),
        DomainSetting.domain_setting_category == category,
        DomainSetting.domain_setting_subcategory == subcategory,
        DomainSetting.domain_setting_enabled.is_(True)).order_by(
        DomainSetting.domain_setting_order, DomainSetting.domain_setting_value)


def _default_rows(category: str, subcategory: str):
    """The default settings' enabled values of a setting, in FusionPBX's order."""
    return select(DefaultSetting.default_setting_value).where(
        DefaultSetting.default_setting_category == category,
        DefaultSetting.default_setting_subcategory == subcategory,
        DefaultSetting.default_setting_enabled.is_(True)).order_by(
        DefaultSetting.default_setting_order, DefaultSetting.default_setting_value)


def domain_time_zone() -> ZoneInfo | None:
    """The domain's time zone (setting domain/time_zone), or None for the server's."""
    name = setting("domain", "time_zone")
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_time(epoch: float) -> str:
    """An epoch as the contract writes times, in the domain's time zone."""
    return datetime.fromtimestamp(epoch, domain_time_zone()).strftime("%Y-%m-%d %H:%M:%S")


def int_setting(category: str, subcategory: str, default: int) -> int:
    value = setting(category, subcategory)
    number = whole_number(value or "")
    return default if number is None else number


def array_setting(category: str, subcategory: str) -> list[str]:
    """An ``array`` setting's values (one row each, ordered as FusionPBX orders them): the
    domain's enabled rows if it has any, else the default's."""
    session = db.session()
    values = session.scalars(_domain_rows(category, subcategory)).all() or \
        session.scalars(_default_rows(category, subcategory)).all()
    return [v for v in values if v]
