"""FusionPBX's call-center tables (``app/call_centers/app_config.php``): queues, the
agents that answer them, and the tiers that put an agent in a queue. mod_callcenter
knows a queue as ``<queue_extension>@<domain_name>`` and an agent by its uuid."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column

from fpbx_api.fusionpbx.models.base import Record, Uuid

__all__ = ["CallCenterAgent", "CallCenterQueue", "CallCenterTier"]


class CallCenterQueue(Record):
    __tablename__ = "v_call_center_queues"

    call_center_queue_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    dialplan_uuid: Mapped[str | None] = mapped_column(Uuid)
    queue_name: Mapped[str | None] = mapped_column(Text)
    queue_extension: Mapped[str | None] = mapped_column(Text)
    queue_greeting: Mapped[str | None] = mapped_column(Text)
    queue_strategy: Mapped[str | None] = mapped_column(Text)
    queue_moh_sound: Mapped[str | None] = mapped_column(Text)
    queue_record_template: Mapped[str | None] = mapped_column(Text)
    queue_language: Mapped[str | None] = mapped_column(Text)
    queue_dialect: Mapped[str | None] = mapped_column(Text)
    queue_voice: Mapped[str | None] = mapped_column(Text)
    queue_limit: Mapped[str | None] = mapped_column(Text)
    queue_time_base_score: Mapped[str | None] = mapped_column(Text)
    queue_time_base_score_sec: Mapped[Decimal | None] = mapped_column(Numeric)
    queue_max_wait_time: Mapped[Decimal | None] = mapped_column(Numeric)
    queue_max_wait_time_with_no_agent: Mapped[Decimal | None] = mapped_column(Numeric)
    queue_max_wait_time_with_no_agent_time_reached: Mapped[Decimal | None] = mapped_column(Numeric)
    queue_tier_rules_apply: Mapped[bool | None] = mapped_column(Boolean)
    queue_tier_rule_wait_second: Mapped[Decimal | None] = mapped_column(Numeric)
    queue_tier_rule_no_agent_no_wait: Mapped[bool | None] = mapped_column(Boolean)
    queue_timeout_action: Mapped[str | None] = mapped_column(Text)
    queue_discard_abandoned_after: Mapped[Decimal | None] = mapped_column(Numeric)
    queue_abandoned_resume_allowed: Mapped[bool | None] = mapped_column(Boolean)
    queue_tier_rule_wait_multiply_level: Mapped[bool | None] = mapped_column(Boolean)
    queue_cid_prefix: Mapped[str | None] = mapped_column(Text)
    queue_outbound_caller_id_name: Mapped[str | None] = mapped_column(Text)
    queue_outbound_caller_id_number: Mapped[str | None] = mapped_column(Text)
    queue_announce_position: Mapped[str | None] = mapped_column(Text)
    queue_announce_sound: Mapped[str | None] = mapped_column(Text)
    queue_announce_frequency: Mapped[Decimal | None] = mapped_column(Numeric)
    queue_cc_exit_keys: Mapped[str | None] = mapped_column(Text)
    queue_email_address: Mapped[str | None] = mapped_column(Text)
    queue_context: Mapped[str | None] = mapped_column(Text)
    queue_description: Mapped[str | None] = mapped_column(Text)


class CallCenterTier(Record):
    __tablename__ = "v_call_center_tiers"

    call_center_tier_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    call_center_queue_uuid: Mapped[str | None] = mapped_column(Uuid)
    call_center_agent_uuid: Mapped[str | None] = mapped_column(Uuid)
    agent_name: Mapped[str | None] = mapped_column(Text)
    queue_name: Mapped[str | None] = mapped_column(Text)
    tier_level: Mapped[Decimal | None] = mapped_column(Numeric)
    tier_position: Mapped[Decimal | None] = mapped_column(Numeric)


class CallCenterAgent(Record):
    __tablename__ = "v_call_center_agents"

    call_center_agent_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    user_uuid: Mapped[str | None] = mapped_column(Uuid)
    agent_name: Mapped[str | None] = mapped_column(Text)
    agent_type: Mapped[str | None] = mapped_column(Text)
    agent_call_timeout: Mapped[Decimal | None] = mapped_column(Numeric)
    agent_id: Mapped[str | None] = mapped_column(Text)
    agent_password: Mapped[str | None] = mapped_column(Text)
    agent_contact: Mapped[str | None] = mapped_column(Text)
    agent_status: Mapped[str | None] = mapped_column(Text)
    agent_logout: Mapped[str | None] = mapped_column(Text)
    agent_max_no_answer: Mapped[Decimal | None] = mapped_column(Numeric)
    agent_wrap_up_time: Mapped[Decimal | None] = mapped_column(Numeric)
    agent_reject_delay_time: Mapped[Decimal | None] = mapped_column(Numeric)
    agent_busy_delay_time: Mapped[Decimal | None] = mapped_column(Numeric)
    agent_no_answer_delay_time: Mapped[str | None] = mapped_column(Text)
    agent_record: Mapped[bool | None] = mapped_column(Boolean)
