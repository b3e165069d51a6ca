"""Holiday presets FusionPBX ships (``app/time_conditions/app_config.php``, default settings
``time_conditions/preset_<region>``), used when the database has none: region -> presets
in the form's order, each one name and its conditions."""

from __future__ import annotations

import json

from sqlalchemy import select

from fpbx_api import db
from fpbx_api.fusionpbx.models import DefaultSetting
from fpbx_api.fusionpbx.settings import setting

SHIPPED = {
    "england": [
        ("new_years_day", {"mday": "1", "mon": "1"}),
        ("may_day", {"mon": "5", "mday": "1-7", "wday": "2"}),
        ("spring_bank_holiday", {"mon": "5", "mday": "25-31", "wday": "2"}),
        ("august_bank_holiday", {"mon": "8", "mday": "25-31", "wday": "2"}),
        ("christmas_eve", {"mday": "24", "mon": "12"}),
        ("christmas_day", {"mday": "25", "mon": "12"}),
        ("boxing_day", {"mday": "26", "mon": "12"}),
        ("new_years_eve", {"mday": "31", "mon": "12"}),
    ],
    "usa": [
        ("new_years_day", {"mday": "1", "mon": "1"}),
        ("martin_luther_king_jr_day", {"wday": "2", "mon": "1", "mday": "15-21"}),
        ("presidents_day", {"wday": "2", "mon": "2", "mday": "15-21"}),
        ("memorial_day", {"mday": "25-31", "wday": "2", "mon": "5"}),
        ("independence_day", {"mday": "4", "mon": "7"}),
        ("labor_day", {"wday": "2", "mon": "9", "mday": "1-7"}),
        ("columbus_day", {"wday": "2", "mon": "10", "mday": "8-14"}),
        ("veterans_day", {"mday": "11", "mon": "11"}),
        ("thanksgiving_day", {"wday": "5", "mon": "11", "mday": "22-28"}),
        ("black_friday", {"wday": "6", "mon": "11", "mday": "23-29"}),
        ("christmas_eve", {"mday": "24", "mon": "12"}),
        ("christmas_day", {"mday": "25", "mon": "12"}),
        ("new_years_eve", {"mday": "31", "mon": "12"}),
    ],
    "canada": [
        ("new_years_day", {"mday": "1", "mon": "1"}),
        ("family_day", {"wday": "2", "mon": "2", "mday": "15-21"}),
        ("victoria_day", {"wday": "2", "mon": "5", "mday": "18-24"}),
        ("canada_day", {"mday": "1", "mon": "7"}),
        ("bc_day", {"wday": "2", "mon": "8", "mday": "1-7"}),
        ("labour_day", {"wday": "2", "mon": "9", "mday": "1-7"}),
        ("thanksgiving_day", {"wday": "2", "mon": "10", "mday": "8-14"}),
        ("remembrance_day", {"mday": "11", "mon": "11"}),
        ("christmas_eve", {"mday": "24", "mon": "12"}),
        ("christmas_day", {"mday": "25", "mon": "12"}),
        ("boxing_day", {"mday": "26", "mon": "12"}),
        ("new_years_eve", {"mday": "31", "mon": "12"}),
    ],
}


def available() -> list[tuple[str, dict]]:
    """The presets of the domain's region (setting ``time_conditions/region``, usa as
    shipped): the enabled default settings when the database has them, else as shipped.
    Their position gives the group FusionPBX's form numbers them with."""
    region = setting("time_conditions", "region", "usa")
    values = db.session().scalars(select(DefaultSetting.default_setting_value).where(
        DefaultSetting.default_setting_category == "time_conditions",
        DefaultSetting.default_setting_subcategory == f"preset_{region}",
        DefaultSetting.default_setting_enabled.is_(True)).order_by(
        DefaultSetting.default_setting_order, DefaultSetting.insert_date)).all()
    found = []
    for value in values:
        try:
            preset = json.loads(value or "")
        except ValueError:
            continue
        if isinstance(preset, dict) and len(preset) == 1:
            (name, conditions), = preset.items()
            if isinstance(conditions, dict):
                found.append((name, {k: str(v) for k, v in conditions.items()}))
    return found or SHIPPED.get(region, [])
