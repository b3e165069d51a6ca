"""How FusionPBX writes a call-center queue (``app/call_centers/call_center_queue_edit.php``):
the row, its tiers (the agents in it), and a v_dialplans row whose XML sends callers to
mod_callcenter's ``<extension>@<domain>``."""

from __future__ import annotations

from flask import g
from fpbx_api_plugins.call_centers import schemas, switch
from sqlalchemy import delete, or_, select

from fpbx_api import db
from fpbx_api.fusionpbx.dialplans import (
    dialplan_keys,
    sanitize,
    save_dialplan,
)
from fpbx_api.fusionpbx.models import CallCenterAgent, CallCenterQueue, CallCenterTier, Dialplan
from fpbx_api.fusionpbx.rows import new_uuid, now
from fpbx_api.fusionpbx.settings import array_setting, setting
from fpbx_api.http.errors import validation_error
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.computed import count_of, value_of
from fpbx_api.kit.references import Reference
from fpbx_api.kit.resource import Change, Resource, columns
from fpbx_api.kit.scoping import domain_name, domain_uuid, scoped

APP_UUID = "95788e50-9500-079e-2807-fd530b0ea370"
DIALPLAN_ORDER = 230
# A standard install's switch/sounds and switch/recordings (FusionPBX falls back to '').
SOUNDS = "/usr/share/freeswitch/sounds"
RECORDINGS = "/var/lib/freeswitch/recordings"
RECORD_NAME = "${strftime(%Y)}/${strftime(%b)}/${strftime(%d)}/${uuid}.${record_ext}"
EXPORT_VARIABLES = "call_center_queue_uuid,sip_h_Alert-Info,sound_prefix"
GREETING_APPS = ("say", "tone_stream", "phrase")


class Queues(Resource):
    noun = Noun("a call center queue")
    label = "Queue"
    path = "/queues"
    model = CallCenterQueue
    dialplan_apps = (APP_UUID,)
    app_name, app_uuid = "call_centers", "95788e50-9500-079e-2807-fd530b0ea370"
    dialplan = "dialplan_uuid"
    # Computed in the page's one query: the queue's agents (its tiers), and whether its
    # dialplan answers (FusionPBX has no queue_enabled column).
    list_extra = {
        "agent_count": count_of(CallCenterTier.call_center_queue_uuid,
                                CallCenterQueue.call_center_queue_uuid),
        "queue_enabled": value_of(Dialplan.dialplan_enabled, Dialplan.dialplan_uuid,
                                  CallCenterQueue.dialplan_uuid),
    }
    list_spec = ListSpec(
        CallCenterQueue,
        filters=["queue_enabled", "queue_strategy", "queue_extension"],
        search=["queue_name", "queue_extension", "queue_description"],
        sort=["queue_name", "queue_extension", "queue_strategy", "agent_count"],
        extra=list_extra,
    )
    list_schema = schemas.QueueListItemSchema
    detail_schema = schemas.QueueSchema
    schema = schemas.QueueWriteSchema
    virtual_fields = frozenset({"tiers", "queue_record_enabled", "queue_enabled"})

    def prepare(self, values):
        """FusionPBX's clean-ups: the caller-id prefix loses : " @ \\ / (':' becomes '-'),
        and ``language/dialect/voice`` is split into its three columns."""
        prefix = values.get("queue_cid_prefix")
        if prefix:
            prefix = prefix.replace(":", "-")
            for char in ('"', "@", "\\", "/"):
                prefix = prefix.replace(char, "")
            values["queue_cid_prefix"] = prefix or None
        language = values.get("queue_language")
        if language and "/" in language:
            if not schemas.LANGUAGE.regex.match(language):
                raise validation_error("queue_language", schemas.LANGUAGE.error)
            values.update(zip(("queue_language", "queue_dialect", "queue_voice"),
                              language.split("/"), strict=True))
        elif language and not schemas.LANGUAGE_PART.regex.match(language):
            raise validation_error("queue_language", schemas.LANGUAGE_PART.error)
        return values

    def defaults(self, values):
        """The values call_center_queue_edit.php's form starts with."""
        return {"queue_strategy": "longest-idle-agent", "queue_moh_sound": "$${hold_music}",
                "queue_time_base_score": "system", "queue_max_wait_time": 0,
                "queue_max_wait_time_with_no_agent": 90,
                "queue_max_wait_time_with_no_agent_time_reached": 30,
                "queue_tier_rules_apply": False, "queue_tier_rule_wait_second": 30,
                "queue_tier_rule_wait_multiply_level": True,
                "queue_tier_rule_no_agent_no_wait": True,
                "queue_discard_abandoned_after": 900, "queue_abandoned_resume_allowed": False,
                "queue_context": domain_name()}

    numbers = ("queue_extension",)
    references = {"tiers.call_center_agent_uuid": Reference(CallCenterAgent, "agent")}

    def check(self, values, row=None):
        agents = [t["call_center_agent_uuid"] for t in values.get("tiers", [])]
        if len(set(agents)) != len(agents):
            raise validation_error("tiers", "An agent is in a queue once.")

    def update(self, row, values):
        """``before`` also holds the tiers as they were, for the switch's commands."""
        tiers = tier_map(row.call_center_queue_uuid)
        before = super().update(row, values)
        before["tiers"] = tiers
        return before

    def written(self, row, values, before):
        if "queue_record_enabled" in values:
            row.queue_record_template = record_template() if values[
                "queue_record_enabled"] else None
        if "tiers" in values:
            save_tiers(row, values["tiers"])
        enabled = values.get("queue_enabled")
        if enabled is None:
            enabled = dialplan_enabled(row.dialplan_uuid)
        dialplan = save_dialplan(
            row.dialplan_uuid, app_uuid=APP_UUID, name=row.queue_name,
            number=row.queue_extension, context=row.queue_context, order=DIALPLAN_ORDER,
            enabled=enabled, description=row.queue_description,
            xml=lambda uuid: dialplan_xml(row, uuid))
        row.dialplan_uuid = dialplan.dialplan_uuid
        return {}

    def removing(self, row):
        """What resources/classes/call_center.php deletes besides the dialplan: the tiers
        (by queue, and the older rows keyed by queue name). The tiers are kept for the
        switch's commands (see ``change``)."""
        g.call_center_tiers = tier_map(row.call_center_queue_uuid)
        db.session().execute(delete(CallCenterTier).where(
            CallCenterTier.domain_uuid == domain_uuid(),
            or_(CallCenterTier.call_center_queue_uuid == row.call_center_queue_uuid,
                CallCenterTier.queue_name == switch.queue_id(row.queue_extension))))

    def change(self, row, before):
        """The caches call_center_queue_edit.php clears, and mod_callcenter told of the
        tiers. A delete unloads the queue as FusionPBX does and also removes its tiers
        from mod_callcenter, which ``queue unload`` leaves behind (a queue created later
        with the number would find them). An update reloads the queue, so that changed
        settings apply without the UI's manual reload."""
        contexts = [(before or {}).get("queue_context"), row and row.queue_context]
        keys = [*dialplan_keys(*contexts), *switch.CALLCENTER_CONF]
        old_queue = before and switch.queue_id(before["queue_extension"])
        if row is None:
            tiers = g.pop("call_center_tiers", {})
            return Change(keys, [switch.callcenter("queue", "unload", old_queue),
                                 *(switch.tier_removed(old_queue, a) for a in tiers)])
        queue = switch.queue_id(row.queue_extension)
        old = before.get("tiers", {}) if before else {}
        new = tier_map(row.call_center_queue_uuid)
        commands = []
        if before and old_queue != queue:
            commands += [switch.callcenter("queue", "unload", old_queue),
                         *(switch.tier_removed(old_queue, a) for a in old)]
            old = {}
        commands += [switch.tier_removed(queue, a) for a in old if a not in new]
        if before:
            commands.append(switch.callcenter("queue", "reload", queue))
        for agent, (level, position) in new.items():
            if agent not in old:
                commands += switch.tier_added(queue, agent, level, position)
            elif old[agent] != (level, position):
                commands += switch.tier_changed(queue, agent, level, position)
        return Change(keys, commands)

    def detail(self, row):
        data = columns(row)
        data["tiers"] = tiers_of(row.call_center_queue_uuid)
        data["queue_record_enabled"] = bool(row.queue_record_template)
        data["queue_enabled"] = dialplan_enabled(row.dialplan_uuid)
        return data

    def audit(self, row):
        return {**super().audit(row), self.table: [{**columns(row), "call_center_tiers": [
            columns(t) for t in tiers_of(row.call_center_queue_uuid)]}]}


def tiers_of(queue_uuid: str) -> list[CallCenterTier]:
    """The queue's tiers in the order call_center_queue_edit.php shows them."""
    return list(db.session().scalars(scoped(CallCenterTier).where(
        CallCenterTier.call_center_queue_uuid == queue_uuid).order_by(
            CallCenterTier.tier_level, CallCenterTier.tier_position,
            CallCenterTier.call_center_tier_uuid)))


def tier_map(queue_uuid: str) -> dict[str, tuple]:
    """agent uuid -> (level, position) of the queue's tiers."""
    return {t.call_center_agent_uuid: (int(t.tier_level or 0), int(t.tier_position or 0))
            for t in tiers_of(queue_uuid)}


def save_tiers(row, tiers: list[dict]) -> None:
    """The queue's tiers become ``tiers``: an agent that stays keeps its row (and uuid), as
    FusionPBX's form re-saves it; one left out is deleted."""
    session = db.session()
    current = {t.call_center_agent_uuid: t for t in tiers_of(row.call_center_queue_uuid)}
    wanted = {t["call_center_agent_uuid"]: t for t in tiers}
    for agent, tier in current.items():
        if agent not in wanted:
            session.delete(tier)
    for agent, item in wanted.items():
        tier = current.get(agent)
        if tier is None:
            session.add(CallCenterTier(
                call_center_tier_uuid=new_uuid(), domain_uuid=domain_uuid(),
                call_center_queue_uuid=row.call_center_queue_uuid, call_center_agent_uuid=agent,
                tier_level=item["tier_level"], tier_position=item["tier_position"],
                insert_date=now()))
        elif (tier.tier_level, tier.tier_position) != (item["tier_level"],
                                                        item["tier_position"]):
            tier.tier_level, tier.tier_position = item["tier_level"], item["tier_position"]
            tier.update_date = now()
    session.flush()


def dialplan_enabled(dialplan_uuid: str | None) -> bool:
    """A queue is enabled while its dialplan is (FusionPBX saves it enabled)."""
    if not dialplan_uuid:
        return True
    enabled = db.session().scalar(select(Dialplan.dialplan_enabled).where(
        Dialplan.dialplan_uuid == dialplan_uuid))
    return enabled is not False


def record_template() -> str:
    """call_center_queue_edit.php's record template: the domain's archive folder."""
    recordings = setting("switch", "recordings", RECORDINGS)
    name = setting("call_center", "record_name", RECORD_NAME)
    return f"{recordings}/{domain_name()}/archive/{name}"


def greeting_actions(greeting: str | None) -> list[str]:
    """The greeting: a recording of the domain is played from its recordings folder,
    ``say:``/``phrase:``/``tone_stream:`` run with their text. FusionPBX keeps only the
    text up to a second ':' (explode); here the text is whole."""
    if not greeting:
        return []
    app, colon, data = greeting.partition(":")
    if not colon:
        recordings = setting("switch", "recordings", RECORDINGS)
        app, data = "playback", f"{recordings}/{domain_name()}/{greeting}"
    elif app not in GREETING_APPS:
        return []
    return ['\t\t<action application="sleep" data="1000"/>',
            f'\t\t<action application="{sanitize(app)}" data="{sanitize(data)}"/>']


def dialplan_xml(row: CallCenterQueue, dialplan_uuid: str) -> str:
    """The exact snippet call_center_queue_edit.php writes."""
    extension = sanitize(row.queue_extension)
    language = [row.queue_language, row.queue_dialect, row.queue_voice]
    if not any(language):
        language = ["en", "us", "callie"]
    sounds = setting("switch", "sounds", SOUNDS)
    exports = ",".join([EXPORT_VARIABLES, *array_setting("call_center", "export_vars")])
    lines = [f'<extension name="{sanitize(row.queue_name)}" continue="" '
             f'uuid="{sanitize(dialplan_uuid)}">']
    if row.queue_limit not in (None, "", "0"):  # PHP's empty("0") is true
        lines += [f'\t<condition field="destination_number" '
                  f'expression="^(callcenter\\+)?{extension}$" break="on-false">',
                  f'\t\t<action application="limit" data="hash inbound ${{destination_number}} '
                  f'{sanitize(row.queue_limit)} !NORMAL_CIRCUIT_CONGESTION"/>',
                  "\t</condition>"]
    lines += [
        '\t<condition field="destination_number" expression="^([^#]+#)(.*)$" break="never">',
        '\t\t<action application="set" data="caller_id_name=$2"/>',
        "\t</condition>",
        f'\t<condition field="destination_number" expression="^(callcenter\\+)?{extension}$">',
        '\t\t<action application="answer" data=""/>',
        f'\t\t<action application="set" data="sound_prefix={sounds}/'
        f'{"/".join(sanitize(part) for part in language)}"/>',
        f'\t\t<action application="set" data="call_center_queue_uuid='
        f'{sanitize(row.call_center_queue_uuid)}"/>',
        f'\t\t<action application="set" data="queue_extension={extension}"/>',
        f'\t\t<action application="set" data="cc_export_vars=${{cc_export_vars}},'
        f'{sanitize(exports)}"/>',
        '\t\t<action application="set" data="hangup_after_bridge=true"/>',
    ]
    if row.queue_time_base_score_sec:
        lines.append(f'\t\t<action application="set" data="cc_base_score='
                     f'{switch.number(row.queue_time_base_score_sec)}"/>')
    lines += greeting_actions(row.queue_greeting)
    if row.queue_cid_prefix:
        lines.append(f'\t\t<action application="set" data="effective_caller_id_name='
                     f'{sanitize(row.queue_cid_prefix)}#${{caller_id_name}}"/>')
    # FusionPBX's form always posts the exit keys, so the line is there even when empty.
    lines += [f'\t\t<action application="set" data="cc_exit_keys='
              f'{sanitize(row.queue_cc_exit_keys or "")}"/>',
              f'\t\t<action application="callcenter" data="{extension}@'
              f'{sanitize(domain_name())}"/>']
    if row.queue_timeout_action:
        app, _, data = row.queue_timeout_action.partition(":")
        lines.append(f'\t\t<action application="{sanitize(app)}" data="{sanitize(data)}"/>')
    lines += ["\t</condition>", "</extension>"]
    return "\n".join(lines) + "\n"
