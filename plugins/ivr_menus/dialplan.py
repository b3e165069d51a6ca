"""The dialplan XML FusionPBX's ``app/ivr_menus/ivr_menu_edit.php`` writes for a menu."""

from __future__ import annotations

from html import escape

from fpbx_api.fusionpbx.dialplans import number_expression, sanitize
from fpbx_api.fusionpbx.models import IvrMenu


def dialplan_xml(row: IvrMenu, dialplan_uuid: str, *, answer: bool, lua: bool) -> str:
    """The exact snippet of ivr_menu_edit.php. Unlike FusionPBX, the number is matched
    literally (``number_expression``), and the ringback, which FusionPBX writes as is,
    is escaped (it is validated to a ringback shape, so escaping changes nothing that
    FusionPBX would accept; ``sanitize`` would drop ``${us-ring}``)."""
    action = '\t\t<action application="{}" data="{}"/>'.format
    inline = '\t\t<action application="set" data="{}" inline="true"/>'.format
    lines = [
        f'<extension name="{sanitize(row.ivr_menu_name)}" continue="false" '
        f'uuid="{sanitize(dialplan_uuid)}">',
        f'\t<condition field="destination_number" '
        f'expression="{sanitize(number_expression(row.ivr_menu_extension))}">',
        action("ring_ready", ""),
    ]
    if answer:
        lines.append(action("answer", ""))
    lines += [action("sleep", "1000"), action("set", "hangup_after_bridge=true")]
    ringback = escape(row.ivr_menu_ringback or "", quote=True)
    if ringback:
        lines.append(action("set", f"ringback={ringback}"))
    if row.ivr_menu_language:
        language, dialect, voice = (sanitize(v) for v in (
            row.ivr_menu_language, row.ivr_menu_dialect, row.ivr_menu_voice))
        lines += [inline(f"sound_prefix=$${{sounds_dir}}/{language}/{dialect}/{voice}"),
                  inline(f"default_language={language}"),
                  inline(f"default_dialect={dialect}"),
                  inline(f"default_voice={voice}")]
    if ringback:
        lines.append(action("set", f"transfer_ringback={ringback}"))
    lines.append(action("set", f"ivr_menu_uuid={sanitize(row.ivr_menu_uuid)}"))
    if lua:
        lines.append(action("lua", "ivr_menu.lua"))
    else:
        if row.ivr_menu_cid_prefix:
            lines += [action("set", f"caller_id_name={sanitize(row.ivr_menu_cid_prefix)}"
                                    "#${caller_id_name}"),
                      action("set", "effective_caller_id_name=${caller_id_name}")]
        lines.append(action("ivr", sanitize(row.ivr_menu_uuid)))
    if row.ivr_menu_exit_app:
        lines.append(action(sanitize(row.ivr_menu_exit_app),
                            sanitize(row.ivr_menu_exit_data)))
    lines += ["\t</condition>", "</extension>"]
    return "\n".join(lines) + "\n"
