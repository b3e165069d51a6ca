"""Call-center fields, named as FusionPBX's columns (``app/call_centers/app_config.php``).

The contract shows the numbers of both tables as strings ("30"), so they are
``NumberString`` in and out. What reaches FreeSWITCH is narrowed to what FusionPBX's
forms offer: an agent's contact is a user of the caller's domain or a gateway dial, a
greeting is a recording of the domain or a ``say:``/``phrase:``/``tone_stream:``, a
status is one of mod_callcenter's four.
"""

from __future__ import annotations

import marshmallow as ma

from fpbx_api.fusionpbx.models import CallCenterAgent, CallCenterQueue
from fpbx_api.http.fields import (
    BoolString,
    Integer,
    NumberString,
    Pattern,
    Pin,
    Text,
    Uuid,
    output_schema,
)
from fpbx_api.kit.bodies import create_only
from fpbx_api.kit.destinations import Destination
from fpbx_api.kit.music import HoldMusic

# mod_callcenter's strategies (mod_callcenter.c, cc_queue strategy) as FusionPBX offers them.
STRATEGIES = ["ring-all", "longest-idle-agent", "round-robin", "top-down",
              "agent-with-least-talk-time", "agent-with-fewest-calls",
              "sequentially-by-agent-order", "random", "ring-progressively"]
# mod_callcenter's agent statuses (AGENT_STATUS_CHART); "Unknown" is not settable.
STATUSES = ["Logged Out", "Available", "Available (On Demand)", "On Break"]
AGENT_TYPES = ["callback", "uuid-standby"]
QUEUE_NUMBER = Pattern(r"^[0-9]{1,32}$", error="Use 1 to 32 digits.")
LANGUAGE = Pattern(r"^[a-z]{2}/[a-z]{2}/[A-Za-z0-9_-]{1,32}$",
                   error="Use language/dialect/voice, e.g. en/us/callie.")
LANGUAGE_PART = Pattern(r"^[A-Za-z0-9_-]{1,32}$", error="Use letters, digits, _ or -.")
GREETING = Pattern(r"^(?:(?:say|phrase|tone_stream):[^:]\S?.*|[A-Za-z0-9_. -]{1,200}"
                   r"\.(?:wav|mp3|ogg))$",
                   error="Use a recording of your domain (name.wav), say:<text>, "
                         "phrase:<phrase> or tone_stream:<tones>.")
EXIT_KEYS = Pattern(r"^[0-9*#]{1,12}$", error="Use the keys 0-9, * and #.")
SECONDS = 86400


def seconds(**kwargs) -> NumberString:
    return NumberString(maximum=SECONDS, **kwargs)


class TierSchema(ma.Schema):
    """An agent in the queue: mod_callcenter offers a call to the lowest level first, and
    within a level by position (for the strategies that use it)."""

    call_center_agent_uuid = create_only(Uuid(required=True, metadata={
        "description": "An agent of your domain (/call-centers/agents); a tier keeps its "
                       "agent (delete the tier and add another to change it)"}))
    tier_level = Integer(load_default=1, validate=ma.validate.Range(0, 9))
    tier_position = Integer(load_default=1, validate=ma.validate.Range(0, 99))


class TierOutSchema(TierSchema):
    call_center_tier_uuid = ma.fields.String()
    tier_level = Integer()
    tier_position = Integer()


class TierRowSchema(TierOutSchema):
    call_center_queue_uuid = ma.fields.String()


class QueueWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial)."""

    queue_name = Text(required=True)
    queue_extension = ma.fields.String(required=True, validate=QUEUE_NUMBER, metadata={
        "description": "The number callers dial; unique among your domain's numbers"})
    queue_greeting = Text(validate=GREETING)
    queue_language = Text(metadata={
        "description": "language/dialect/voice (en/us/callie), or the language alone with "
                       "queue_dialect and queue_voice"})
    queue_dialect = Text(validate=LANGUAGE_PART)
    queue_voice = Text(validate=LANGUAGE_PART)
    queue_strategy = ma.fields.String(validate=ma.validate.OneOf(STRATEGIES))
    queue_moh_sound = HoldMusic()
    queue_record_enabled = BoolString(metadata={
        "description": "Record calls under the domain's recordings/archive (FusionPBX "
                       "writes queue_record_template from it)"})
    queue_limit = NumberString(maximum=10000, metadata={
        "description": "Calls at once; more are refused (NORMAL_CIRCUIT_CONGESTION)"})
    queue_time_base_score = ma.fields.String(validate=ma.validate.OneOf(["queue", "system"]))
    queue_time_base_score_sec = seconds()
    queue_max_wait_time = seconds()
    queue_max_wait_time_with_no_agent = seconds()
    queue_max_wait_time_with_no_agent_time_reached = seconds()
    queue_timeout_action = Destination("Where a caller goes after the maximum wait.")
    queue_tier_rules_apply = BoolString()
    queue_tier_rule_wait_second = seconds()
    queue_tier_rule_wait_multiply_level = BoolString()
    queue_tier_rule_no_agent_no_wait = BoolString()
    queue_discard_abandoned_after = seconds()
    queue_abandoned_resume_allowed = BoolString()
    queue_cid_prefix = Text(max_length=50)
    queue_outbound_caller_id_name = Text(max_length=50)
    queue_outbound_caller_id_number = Text(max_length=50, validate=Pattern(
        r"^[0-9+*#]{1,50}$", error="Use digits, +, * and #."))
    queue_announce_position = Text(validate=ma.validate.OneOf(["true", "false"]))
    queue_announce_sound = Text(validate=GREETING)
    queue_announce_frequency = seconds()
    queue_cc_exit_keys = Text(validate=EXIT_KEYS)
    queue_email_address = Text(validate=ma.validate.Email())
    queue_description = Text(max_length=1000)
    queue_enabled = BoolString(metadata={
        "description": "FusionPBX keeps this as the queue dialplan's dialplan_enabled "
                       "(its form always saves true); false: the number stops answering"})
    tiers = ma.fields.List(ma.fields.Nested(TierSchema), validate=ma.validate.Length(max=200),
                           metadata={"description": "The queue's agents; replaces them all "
                                                    "when given"})


LIST_COLUMNS = [
    "call_center_queue_uuid", "queue_name", "queue_extension", "queue_strategy",
    "queue_moh_sound", "queue_record_template", "queue_time_base_score",
    "queue_max_wait_time", "queue_max_wait_time_with_no_agent", "queue_tier_rules_apply",
    "queue_tier_rule_wait_second", "queue_tier_rule_wait_multiply_level",
    "queue_tier_rule_no_agent_no_wait", "queue_discard_abandoned_after",
    "queue_abandoned_resume_allowed", "queue_announce_sound", "queue_announce_frequency",
    "queue_description", "queue_enabled"]
DETAIL_COLUMNS = [c for c in LIST_COLUMNS if c != "queue_enabled"] + [
    "queue_greeting", "queue_language", "queue_dialect", "queue_voice", "queue_limit",
    "queue_time_base_score_sec", "queue_max_wait_time_with_no_agent_time_reached",
    "queue_timeout_action", "queue_cid_prefix", "queue_outbound_caller_id_name",
    "queue_outbound_caller_id_number", "queue_announce_position", "queue_cc_exit_keys",
    "queue_email_address", "queue_context", "dialplan_uuid"]
NUMBERS = {c.name for c in CallCenterQueue.__table__.columns if c.type.__class__.__name__
           == "Numeric"} | {c.name for c in CallCenterAgent.__table__.columns
                            if c.type.__class__.__name__ == "Numeric"}


def strings(name: str, model, columns: list[str], **extra) -> type[ma.Schema]:
    """``output_schema`` with the numeric columns as strings, as the contract shows them."""
    numbers = {c: NumberString() for c in columns if c in NUMBERS}
    return output_schema(name, model, [c for c in columns if c in model.__table__.columns],
                         **numbers, **extra)


QueueListItemSchema = strings(
    "QueueListItemSchema", CallCenterQueue, LIST_COLUMNS,
    queue_enabled=BoolString(metadata={"description": "Whether the queue's dialplan answers "
                                                      "(see queue_enabled on create)"}),
    agent_count=ma.fields.Integer(metadata={"description": "Agents in the queue (tiers)"}))
QueueSchema = strings(
    "QueueSchema", CallCenterQueue, DETAIL_COLUMNS,
    queue_record_enabled=BoolString(),
    queue_enabled=BoolString(),
    tiers=ma.fields.List(ma.fields.Nested(TierOutSchema)))


class AgentWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial)."""

    agent_name = Text(required=True, metadata={
        "description": "A label (mod_callcenter knows the agent by its uuid)"})
    agent_type = ma.fields.String(validate=ma.validate.OneOf(AGENT_TYPES))
    agent_call_timeout = NumberString(maximum=3600, metadata={
        "description": "Seconds the agent's phone rings"})
    user_uuid = Uuid(allow_none=True, metadata={
        "description": "The user of your domain this agent is (its status follows)"})
    agent_id = Pin(metadata={"description": "Agent login id (digits)"})
    agent_password = Pin(load_only=True, metadata={
        "description": "Agent login PIN (digits); never returned"})
    agent_contact = Text(required=True, metadata={
        "description": "user/<extension>@<your domain>, or sofia/gateway/<gateway uuid>/"
                       "<number> through one of your domain's gateways"})
    agent_status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    agent_max_no_answer = NumberString(maximum=1000)
    agent_wrap_up_time = seconds()
    agent_reject_delay_time = seconds()
    agent_busy_delay_time = seconds()
    agent_no_answer_delay_time = seconds()
    agent_record = BoolString()


AGENT_COLUMNS = [
    "call_center_agent_uuid", "user_uuid", "agent_name", "agent_type", "agent_call_timeout",
    "agent_contact", "agent_status", "agent_logout", "agent_max_no_answer",
    "agent_wrap_up_time", "agent_reject_delay_time", "agent_busy_delay_time",
    "agent_no_answer_delay_time"]
AgentListItemSchema = strings("AgentListItemSchema", CallCenterAgent, AGENT_COLUMNS)
AgentSchema = strings("AgentSchema", CallCenterAgent,
                      AGENT_COLUMNS + ["agent_id", "agent_record"])


class AgentStatusSchema(ma.Schema):
    agent_status = ma.fields.String(required=True, validate=ma.validate.OneOf(STATUSES))


class AgentStatusOutSchema(ma.Schema):
    call_center_agent_uuid = ma.fields.String()
    agent_status = ma.fields.String()
