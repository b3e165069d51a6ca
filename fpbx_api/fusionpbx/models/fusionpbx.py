"""FusionPBX's own tables, declared as FusionPBX's schema creates them.

Declared rather than reflected so that imports, tests and the OpenAPI build
need no database; ``tests/test_models.py`` checks every column against the
real schema. FusionPBX has no foreign keys or unique constraints, so none are
declared here either. Columns added in FusionPBX 5.6 are declared with
``since_5_6``: a 5.5 database lacks them, so they are neither read nor
written unless a value is asked for or given.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column

from fpbx_api.fusionpbx.models.base import JsonDoc, Record, TZDateTime, Uuid, since_5_6


class Domain(Record):
    __tablename__ = "v_domains"

    domain_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_parent_uuid: Mapped[str | None] = mapped_column(Uuid)
    domain_name: Mapped[str | None] = mapped_column(Text)
    domain_enabled: Mapped[bool | None] = mapped_column(Boolean)
    domain_description: Mapped[str | None] = mapped_column(Text)


class DefaultSetting(Record):
    __tablename__ = "v_default_settings"

    default_setting_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    app_uuid: Mapped[str | None] = mapped_column(Uuid)
    default_setting_category: Mapped[str | None] = mapped_column(Text)
    default_setting_subcategory: Mapped[str | None] = mapped_column(Text)
    default_setting_name: Mapped[str | None] = mapped_column(Text)
    default_setting_value: Mapped[str | None] = mapped_column(Text)
    default_setting_order: Mapped[Decimal | None] = mapped_column(Numeric)
    default_setting_enabled: Mapped[bool | None] = mapped_column(Boolean)
    default_setting_description: Mapped[str | None] = mapped_column(Text)


class DomainSetting(Record):
    __tablename__ = "v_domain_settings"

    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    domain_setting_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    app_uuid: Mapped[str | None] = mapped_column(Uuid)
    domain_setting_category: Mapped[str | None] = mapped_column(Text)
    domain_setting_subcategory: Mapped[str | None] = mapped_column(Text)
    domain_setting_name: Mapped[str | None] = mapped_column(Text)
    domain_setting_value: Mapped[str | None] = mapped_column(Text)
    domain_setting_order: Mapped[Decimal | None] = mapped_column(Numeric)
    domain_setting_enabled: Mapped[bool | None] = mapped_column(Boolean)
    domain_setting_description: Mapped[str | None] = mapped_column(Text)


class Extension(Record):
    __tablename__ = "v_extensions"

    extension_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    extension: Mapped[str | None] = mapped_column(Text)
    number_alias: Mapped[str | None] = mapped_column(Text)
    password: Mapped[str | None] = mapped_column(Text)
    accountcode: Mapped[str | None] = mapped_column(Text)
    effective_caller_id_name: Mapped[str | None] = mapped_column(Text)
    effective_caller_id_number: Mapped[str | None] = mapped_column(Text)
    outbound_caller_id_name: Mapped[str | None] = mapped_column(Text)
    outbound_caller_id_number: Mapped[str | None] = mapped_column(Text)
    emergency_caller_id_name: Mapped[str | None] = mapped_column(Text)
    emergency_caller_id_number: Mapped[str | None] = mapped_column(Text)
    directory_first_name: Mapped[str | None] = mapped_column(Text)
    directory_last_name: Mapped[str | None] = mapped_column(Text)
    directory_visible: Mapped[bool | None] = mapped_column(Boolean)
    directory_exten_visible: Mapped[bool | None] = mapped_column(Boolean)
    max_registrations: Mapped[str | None] = mapped_column(Text)
    limit_max: Mapped[str | None] = mapped_column(Text)
    limit_destination: Mapped[str | None] = mapped_column(Text)
    missed_call_app: Mapped[str | None] = mapped_column(Text)
    missed_call_data: Mapped[str | None] = mapped_column(Text)
    user_context: Mapped[str | None] = mapped_column(Text)
    toll_allow: Mapped[str | None] = mapped_column(Text)
    call_timeout: Mapped[Decimal | None] = mapped_column(Numeric)
    call_group: Mapped[str | None] = mapped_column(Text)
    call_screen_enabled: Mapped[bool | None] = mapped_column(Boolean)
    user_record: Mapped[str | None] = mapped_column(Text)
    hold_music: Mapped[str | None] = mapped_column(Text)
    auth_acl: Mapped[str | None] = mapped_column(Text)
    cidr: Mapped[str | None] = mapped_column(Text)
    sip_force_contact: Mapped[str | None] = mapped_column(Text)
    nibble_account: Mapped[str | None] = mapped_column(Text)
    sip_force_expires: Mapped[Decimal | None] = mapped_column(Numeric)
    mwi_account: Mapped[str | None] = mapped_column(Text)
    sip_bypass_media: Mapped[str | None] = mapped_column(Text)
    unique_id: Mapped[Decimal | None] = mapped_column(Numeric)
    dial_string: Mapped[str | None] = mapped_column(Text)
    dial_user: Mapped[str | None] = mapped_column(Text)
    dial_domain: Mapped[str | None] = mapped_column(Text)
    do_not_disturb: Mapped[bool | None] = mapped_column(Boolean)
    forward_all_destination: Mapped[str | None] = mapped_column(Text)
    forward_all_enabled: Mapped[bool | None] = mapped_column(Boolean)
    forward_busy_destination: Mapped[str | None] = mapped_column(Text)
    forward_busy_enabled: Mapped[bool | None] = mapped_column(Boolean)
    forward_no_answer_destination: Mapped[str | None] = mapped_column(Text)
    forward_no_answer_enabled: Mapped[bool | None] = mapped_column(Boolean)
    forward_user_not_registered_destination: Mapped[str | None] = mapped_column(Text)
    forward_user_not_registered_enabled: Mapped[bool | None] = mapped_column(Boolean)
    follow_me_uuid: Mapped[str | None] = mapped_column(Uuid)
    follow_me_enabled: Mapped[bool | None] = mapped_column(Boolean)
    follow_me_destinations: Mapped[str | None] = mapped_column(Text)
    extension_language: Mapped[str | None] = mapped_column(Text)
    extension_dialect: Mapped[str | None] = mapped_column(Text)
    extension_voice: Mapped[str | None] = mapped_column(Text)
    extension_type: Mapped[str | None] = mapped_column(Text)
    enabled: Mapped[bool | None] = mapped_column(Boolean)
    description: Mapped[str | None] = mapped_column(Text)
    absolute_codec_string: Mapped[str | None] = mapped_column(Text)
    force_ping: Mapped[bool | None] = mapped_column(Boolean)


class Voicemail(Record):
    __tablename__ = "v_voicemails"

    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    voicemail_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    voicemail_id: Mapped[str | None] = mapped_column(Text)
    voicemail_password: Mapped[str | None] = mapped_column(Text)
    voicemail_tutorial: Mapped[bool | None] = mapped_column(Boolean)
    greeting_id: Mapped[Decimal | None] = mapped_column(Numeric)
    voicemail_alternate_greet_id: Mapped[str | None] = mapped_column(Text)
    voicemail_recording_instructions: Mapped[bool | None] = mapped_column(Boolean)
    voicemail_recording_options: Mapped[bool | None] = mapped_column(Boolean)
    voicemail_mail_to: Mapped[str | None] = mapped_column(Text)
    voicemail_sms_to: Mapped[str | None] = mapped_column(Text)
    voicemail_transcription_enabled: Mapped[bool | None] = mapped_column(Boolean)
    voicemail_transcription_prompt_enabled: Mapped[bool | None] = since_5_6(Boolean)
    voicemail_transcription_prompt: Mapped[str | None] = since_5_6(Text)
    voicemail_attach_file: Mapped[str | None] = mapped_column(Text)
    voicemail_file: Mapped[str | None] = mapped_column(Text)
    voicemail_local_after_email: Mapped[bool | None] = mapped_column(Boolean)
    voicemail_local_after_forward: Mapped[bool | None] = mapped_column(Boolean)
    voicemail_enabled: Mapped[bool | None] = mapped_column(Boolean)
    voicemail_description: Mapped[str | None] = mapped_column(Text)
    alternate_voicemail_destination: Mapped[str | None] = since_5_6(Text)
    alternate_voicemail_enabled: Mapped[bool | None] = since_5_6(Boolean)
    voicemail_name_base64: Mapped[str | None] = mapped_column(Text)


class ExtensionUser(Record):
    __tablename__ = "v_extension_users"

    extension_user_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    extension_uuid: Mapped[str | None] = mapped_column(Uuid)
    user_uuid: Mapped[str | None] = mapped_column(Uuid)


class User(Record):
    __tablename__ = "v_users"

    user_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    contact_uuid: Mapped[str | None] = mapped_column(Uuid)
    username: Mapped[str | None] = mapped_column(Text)
    password: Mapped[str | None] = mapped_column(Text)
    salt: Mapped[str | None] = mapped_column(Text)
    user_email: Mapped[str | None] = mapped_column(Text)
    user_status: Mapped[str | None] = mapped_column(Text)
    api_key: Mapped[str | None] = mapped_column(Text)
    user_totp_secret: Mapped[str | None] = mapped_column(Text)
    user_type: Mapped[str | None] = mapped_column(Text)
    user_enabled: Mapped[bool | None] = mapped_column(Boolean)
    add_user: Mapped[str | None] = mapped_column(Text)
    add_date: Mapped[str | None] = mapped_column(Text)


class FollowMe(Record):
    __tablename__ = "v_follow_me"

    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    follow_me_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    cid_name_prefix: Mapped[str | None] = mapped_column(Text)
    cid_number_prefix: Mapped[str | None] = mapped_column(Text)
    dial_string: Mapped[str | None] = mapped_column(Text)
    follow_me_enabled: Mapped[bool | None] = mapped_column(Boolean)
    follow_me_ignore_busy: Mapped[bool | None] = mapped_column(Boolean)


class FollowMeDestination(Record):
    __tablename__ = "v_follow_me_destinations"

    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    follow_me_uuid: Mapped[str | None] = mapped_column(Uuid)
    follow_me_destination_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    follow_me_destination: Mapped[str | None] = mapped_column(Text)
    follow_me_delay: Mapped[Decimal | None] = mapped_column(Numeric)
    follow_me_timeout: Mapped[Decimal | None] = mapped_column(Numeric)
    follow_me_prompt: Mapped[str | None] = mapped_column(Text)
    follow_me_order: Mapped[Decimal | None] = mapped_column(Numeric)


class RingGroupDestination(Record):
    __tablename__ = "v_ring_group_destinations"

    ring_group_destination_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    ring_group_uuid: Mapped[str | None] = mapped_column(Uuid)
    destination_number: Mapped[str | None] = mapped_column(Text)
    destination_delay: Mapped[Decimal | None] = mapped_column(Numeric)
    destination_timeout: Mapped[Decimal | None] = mapped_column(Numeric)
    destination_enabled: Mapped[bool | None] = mapped_column(Boolean)
    destination_prompt: Mapped[Decimal | None] = mapped_column(Numeric)
    destination_description: Mapped[str | None] = mapped_column(Text)


class ExtensionSetting(Record):
    __tablename__ = "v_extension_settings"

    extension_setting_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    extension_uuid: Mapped[str | None] = mapped_column(Uuid)
    extension_setting_type: Mapped[str | None] = mapped_column(Text)
    extension_setting_name: Mapped[str | None] = mapped_column(Text)
    extension_setting_value: Mapped[str | None] = mapped_column(Text)
    extension_setting_enabled: Mapped[bool | None] = mapped_column(Boolean)
    extension_setting_description: Mapped[str | None] = mapped_column(Text)


class DatabaseTransaction(Record):
    __tablename__ = "v_database_transactions"

    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    database_transaction_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    user_uuid: Mapped[str | None] = mapped_column(Uuid)
    app_name: Mapped[str | None] = mapped_column(Text)
    app_uuid: Mapped[str | None] = mapped_column(Uuid)
    transaction_code: Mapped[str | None] = mapped_column(Text)
    transaction_address: Mapped[str | None] = mapped_column(Text)
    transaction_type: Mapped[str | None] = mapped_column(Text)
    transaction_date: Mapped[datetime | None] = mapped_column(TZDateTime)
    transaction_old: Mapped[str | None] = mapped_column(Text)
    transaction_new: Mapped[str | None] = mapped_column(Text)
    transaction_result: Mapped[str | None] = mapped_column(Text)


class VoicemailOption(Record):
    __tablename__ = "v_voicemail_options"

    voicemail_option_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    voicemail_uuid: Mapped[str | None] = mapped_column(Uuid)
    voicemail_option_digits: Mapped[str | None] = mapped_column(Text)
    voicemail_option_action: Mapped[str | None] = mapped_column(Text)
    voicemail_option_param: Mapped[str | None] = mapped_column(Text)
    voicemail_option_order: Mapped[Decimal | None] = mapped_column(Numeric)
    voicemail_option_description: Mapped[str | None] = mapped_column(Text)


class VoicemailMessage(Record):
    __tablename__ = "v_voicemail_messages"

    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    voicemail_message_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    voicemail_uuid: Mapped[str | None] = mapped_column(Uuid)
    created_epoch: Mapped[Decimal | None] = mapped_column(Numeric)
    read_epoch: Mapped[Decimal | None] = mapped_column(Numeric)
    caller_id_name: Mapped[str | None] = mapped_column(Text)
    caller_id_number: Mapped[str | None] = mapped_column(Text)
    message_length: Mapped[Decimal | None] = mapped_column(Numeric)
    message_status: Mapped[str | None] = mapped_column(Text)
    message_priority: Mapped[str | None] = mapped_column(Text)
    message_intro_base64: Mapped[str | None] = mapped_column(Text)
    message_base64: Mapped[str | None] = mapped_column(Text)
    message_transcription: Mapped[str | None] = mapped_column(Text)


class VoicemailDestination(Record):
    __tablename__ = "v_voicemail_destinations"

    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    voicemail_destination_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    voicemail_uuid: Mapped[str | None] = mapped_column(Uuid)
    voicemail_uuid_copy: Mapped[str | None] = mapped_column(Uuid)


class VoicemailGreeting(Record):
    __tablename__ = "v_voicemail_greetings"

    voicemail_greeting_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    voicemail_id: Mapped[str | None] = mapped_column(Text)
    greeting_id: Mapped[Decimal | None] = mapped_column(Numeric)
    greeting_name: Mapped[str | None] = mapped_column(Text)
    greeting_voice: Mapped[str | None] = mapped_column(Text)
    greeting_message: Mapped[str | None] = mapped_column(Text)
    greeting_filename: Mapped[str | None] = mapped_column(Text)
    greeting_description: Mapped[str | None] = mapped_column(Text)
    greeting_base64: Mapped[str | None] = mapped_column(Text)


class Contact(Record):
    __tablename__ = "v_contacts"

    contact_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    contact_parent_uuid: Mapped[str | None] = mapped_column(Uuid)
    contact_type: Mapped[str | None] = mapped_column(Text)
    contact_organization: Mapped[str | None] = mapped_column(Text)
    contact_name_prefix: Mapped[str | None] = mapped_column(Text)
    contact_name_given: Mapped[str | None] = mapped_column(Text)
    contact_name_middle: Mapped[str | None] = mapped_column(Text)
    contact_name_family: Mapped[str | None] = mapped_column(Text)
    contact_name_suffix: Mapped[str | None] = mapped_column(Text)
    contact_nickname: Mapped[str | None] = mapped_column(Text)
    contact_title: Mapped[str | None] = mapped_column(Text)
    contact_role: Mapped[str | None] = mapped_column(Text)
    contact_category: Mapped[str | None] = mapped_column(Text)
    contact_url: Mapped[str | None] = mapped_column(Text)
    contact_time_zone: Mapped[str | None] = mapped_column(Text)
    contact_note: Mapped[str | None] = mapped_column(Text)
    last_mod_date: Mapped[str | None] = mapped_column(Text)
    last_mod_user: Mapped[str | None] = mapped_column(Text)



class SipProfile(Record):
    __tablename__ = "v_sip_profiles"

    sip_profile_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    sip_profile_name: Mapped[str | None] = mapped_column(Text)
    sip_profile_hostname: Mapped[str | None] = mapped_column(Text)
    sip_profile_enabled: Mapped[bool | None] = mapped_column(Boolean)
    sip_profile_description: Mapped[str | None] = mapped_column(Text)



class RingGroup(Record):
    __tablename__ = "v_ring_groups"

    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    ring_group_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    ring_group_name: Mapped[str | None] = mapped_column(Text)
    ring_group_extension: Mapped[str | None] = mapped_column(Text)
    ring_group_greeting: Mapped[str | None] = mapped_column(Text)
    ring_group_exit_key: Mapped[str | None] = mapped_column(Text)
    ring_group_call_timeout: Mapped[Decimal | None] = mapped_column(Numeric)
    ring_group_forward_destination: Mapped[str | None] = mapped_column(Text)
    ring_group_forward_enabled: Mapped[bool | None] = mapped_column(Boolean)
    ring_group_caller_id_name: Mapped[str | None] = mapped_column(Text)
    ring_group_caller_id_number: Mapped[str | None] = mapped_column(Text)
    ring_group_cid_name_prefix: Mapped[str | None] = mapped_column(Text)
    ring_group_cid_number_prefix: Mapped[str | None] = mapped_column(Text)
    ring_group_strategy: Mapped[str | None] = mapped_column(Text)
    ring_group_timeout_app: Mapped[str | None] = mapped_column(Text)
    ring_group_timeout_data: Mapped[str | None] = mapped_column(Text)
    ring_group_distinctive_ring: Mapped[str | None] = mapped_column(Text)
    ring_group_ringback: Mapped[str | None] = mapped_column(Text)
    ring_group_call_screen_enabled: Mapped[bool | None] = mapped_column(Boolean)
    ring_group_call_forward_enabled: Mapped[bool | None] = mapped_column(Boolean)
    ring_group_follow_me_enabled: Mapped[bool | None] = mapped_column(Boolean)
    ring_group_missed_call_app: Mapped[str | None] = mapped_column(Text)
    ring_group_missed_call_data: Mapped[str | None] = mapped_column(Text)
    ring_group_context: Mapped[str | None] = mapped_column(Text)
    ring_group_enabled: Mapped[bool | None] = mapped_column(Boolean)
    ring_group_description: Mapped[str | None] = mapped_column(Text)
    dialplan_uuid: Mapped[str | None] = mapped_column(Uuid)
    ring_group_forward_toll_allow: Mapped[str | None] = mapped_column(Text)
    ring_group_wait_announcement: Mapped[str | None] = since_5_6(Text)
    ring_group_wait_interval: Mapped[Decimal | None] = since_5_6(Numeric)


class Gateway(Record):
    __tablename__ = "v_gateways"

    gateway_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    gateway: Mapped[str | None] = mapped_column(Text)
    username: Mapped[str | None] = mapped_column(Text)
    password: Mapped[str | None] = mapped_column(Text)
    distinct_to: Mapped[bool | None] = mapped_column(Boolean)
    auth_username: Mapped[str | None] = mapped_column(Text)
    realm: Mapped[str | None] = mapped_column(Text)
    from_user: Mapped[str | None] = mapped_column(Text)
    from_domain: Mapped[str | None] = mapped_column(Text)
    proxy: Mapped[str | None] = mapped_column(Text)
    register_proxy: Mapped[str | None] = mapped_column(Text)
    outbound_proxy: Mapped[str | None] = mapped_column(Text)
    expire_seconds: Mapped[Decimal | None] = mapped_column(Numeric)
    register: Mapped[bool | None] = mapped_column(Boolean)
    register_transport: Mapped[str | None] = mapped_column(Text)
    contact_params: Mapped[str | None] = mapped_column(Text)
    retry_seconds: Mapped[Decimal | None] = mapped_column(Numeric)
    extension: Mapped[str | None] = mapped_column(Text)
    ping: Mapped[str | None] = mapped_column(Text)
    ping_min: Mapped[str | None] = mapped_column(Text)
    ping_max: Mapped[str | None] = mapped_column(Text)
    contact_in_ping: Mapped[bool | None] = mapped_column(Boolean)
    caller_id_in_from: Mapped[bool | None] = mapped_column(Boolean)
    supress_cng: Mapped[bool | None] = mapped_column(Boolean)
    sip_cid_type: Mapped[str | None] = mapped_column(Text)
    codec_prefs: Mapped[str | None] = mapped_column(Text)
    channels: Mapped[Decimal | None] = mapped_column(Numeric)
    extension_in_contact: Mapped[str | None] = mapped_column(Text)
    context: Mapped[str | None] = mapped_column(Text)
    profile: Mapped[str | None] = mapped_column(Text)
    hostname: Mapped[str | None] = mapped_column(Text)
    enabled: Mapped[bool | None] = mapped_column(Boolean)
    description: Mapped[str | None] = mapped_column(Text)


class UserGroup(Record):
    __tablename__ = "v_user_groups"

    user_group_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    group_name: Mapped[str | None] = mapped_column(Text)
    group_uuid: Mapped[str | None] = mapped_column(Uuid)
    user_uuid: Mapped[str | None] = mapped_column(Uuid)


class UserLog(Record):
    """Logins and password changes; FusionPBX 5.6 keeps "remember me" tokens here."""

    __tablename__ = "v_user_logs"

    user_log_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    hostname: Mapped[str | None] = mapped_column(Text)
    timestamp: Mapped[datetime | None] = mapped_column(TZDateTime)
    user_uuid: Mapped[str | None] = mapped_column(Uuid)
    username: Mapped[str | None] = mapped_column(Text)
    type: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)
    remote_address: Mapped[str | None] = mapped_column(Text)
    user_agent: Mapped[str | None] = mapped_column(Text)
    session_id: Mapped[str | None] = mapped_column(Text)
    remember_selector: Mapped[str | None] = since_5_6(Uuid)
    remember_validator: Mapped[str | None] = since_5_6(Text)


class Group(Record):
    __tablename__ = "v_groups"

    group_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    group_name: Mapped[str | None] = mapped_column(Text)
    group_protected: Mapped[bool | None] = mapped_column(Boolean)
    group_level: Mapped[Decimal | None] = mapped_column(Numeric)
    group_description: Mapped[str | None] = mapped_column(Text)


class ContactEmail(Record):
    __tablename__ = "v_contact_emails"

    contact_email_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    contact_uuid: Mapped[str | None] = mapped_column(Uuid)
    email_label: Mapped[str | None] = mapped_column(Text)
    email_primary: Mapped[bool | None] = mapped_column(Boolean)
    email_address: Mapped[str | None] = mapped_column(Text)
    email_description: Mapped[str | None] = mapped_column(Text)


class ContactUrl(Record):
    __tablename__ = "v_contact_urls"

    contact_url_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    contact_uuid: Mapped[str | None] = mapped_column(Uuid)
    url_type: Mapped[str | None] = mapped_column(Text)
    url_label: Mapped[str | None] = mapped_column(Text)
    url_primary: Mapped[bool | None] = mapped_column(Boolean)
    url_address: Mapped[str | None] = mapped_column(Text)
    url_description: Mapped[str | None] = mapped_column(Text)


class UserSetting(Record):
    __tablename__ = "v_user_settings"

    user_setting_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    user_uuid: Mapped[str | None] = mapped_column(Uuid)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    user_setting_category: Mapped[str | None] = mapped_column(Text)
    user_setting_subcategory: Mapped[str | None] = mapped_column(Text)
    user_setting_name: Mapped[str | None] = mapped_column(Text)
    user_setting_value: Mapped[str | None] = mapped_column(Text)
    user_setting_order: Mapped[Decimal | None] = mapped_column(Numeric)
    user_setting_enabled: Mapped[bool | None] = mapped_column(Boolean)
    user_setting_description: Mapped[str | None] = mapped_column(Text)


class Dialplan(Record):
    __tablename__ = "v_dialplans"

    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    dialplan_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    app_uuid: Mapped[str | None] = mapped_column(Uuid)
    hostname: Mapped[str | None] = mapped_column(Text)
    dialplan_context: Mapped[str | None] = mapped_column(Text)
    dialplan_name: Mapped[str | None] = mapped_column(Text)
    dialplan_number: Mapped[str | None] = mapped_column(Text)
    dialplan_destination: Mapped[bool | None] = mapped_column(Boolean)
    dialplan_continue: Mapped[bool | None] = mapped_column(Boolean)
    dialplan_xml: Mapped[str | None] = mapped_column(Text)
    dialplan_order: Mapped[Decimal | None] = mapped_column(Numeric)
    dialplan_enabled: Mapped[bool | None] = mapped_column(Boolean)
    dialplan_description: Mapped[str | None] = mapped_column(Text)


class DialplanDetail(Record):
    __tablename__ = "v_dialplan_details"

    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    dialplan_uuid: Mapped[str | None] = mapped_column(Uuid)
    dialplan_detail_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    dialplan_detail_tag: Mapped[str | None] = mapped_column(Text)
    dialplan_detail_type: Mapped[str | None] = mapped_column(Text)
    dialplan_detail_data: Mapped[str | None] = mapped_column(Text)
    dialplan_detail_break: Mapped[str | None] = mapped_column(Text)
    dialplan_detail_inline: Mapped[str | None] = mapped_column(Text)
    dialplan_detail_group: Mapped[Decimal | None] = mapped_column(Numeric)
    dialplan_detail_order: Mapped[Decimal | None] = mapped_column(Numeric)
    dialplan_detail_enabled: Mapped[bool | None] = mapped_column(Boolean)


class RingGroupUser(Record):
    __tablename__ = "v_ring_group_users"

    ring_group_user_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    ring_group_uuid: Mapped[str | None] = mapped_column(Uuid)
    user_uuid: Mapped[str | None] = mapped_column(Uuid)


class XmlCdr(Record):
    """Call detail records; the raw xml/json documents are deferred (large)."""

    __tablename__ = "v_xml_cdr"

    xml_cdr_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    provider_uuid: Mapped[str | None] = mapped_column(Uuid)
    extension_uuid: Mapped[str | None] = mapped_column(Uuid)
    sip_call_id: Mapped[str | None] = mapped_column(Text)
    domain_name: Mapped[str | None] = mapped_column(Text)
    accountcode: Mapped[str | None] = mapped_column(Text)
    direction: Mapped[str | None] = mapped_column(Text)
    default_language: Mapped[str | None] = mapped_column(Text)
    context: Mapped[str | None] = mapped_column(Text)
    caller_id_name: Mapped[str | None] = mapped_column(Text)
    caller_id_number: Mapped[str | None] = mapped_column(Text)
    caller_destination: Mapped[str | None] = mapped_column(Text)
    source_number: Mapped[str | None] = mapped_column(Text)
    destination_number: Mapped[str | None] = mapped_column(Text)
    start_epoch: Mapped[Decimal | None] = mapped_column(Numeric)
    start_stamp: Mapped[datetime | None] = mapped_column(TZDateTime)
    answer_stamp: Mapped[datetime | None] = mapped_column(TZDateTime)
    answer_epoch: Mapped[Decimal | None] = mapped_column(Numeric)
    end_epoch: Mapped[Decimal | None] = mapped_column(Numeric)
    end_stamp: Mapped[datetime | None] = mapped_column(TZDateTime)
    duration: Mapped[Decimal | None] = mapped_column(Numeric)
    mduration: Mapped[Decimal | None] = mapped_column(Numeric)
    billsec: Mapped[Decimal | None] = mapped_column(Numeric)
    billmsec: Mapped[Decimal | None] = mapped_column(Numeric)
    hold_accum_seconds: Mapped[Decimal | None] = mapped_column(Numeric)
    bridge_uuid: Mapped[str | None] = mapped_column(Text)
    read_codec: Mapped[str | None] = mapped_column(Text)
    read_rate: Mapped[str | None] = mapped_column(Text)
    write_codec: Mapped[str | None] = mapped_column(Text)
    write_rate: Mapped[str | None] = mapped_column(Text)
    remote_media_ip: Mapped[str | None] = mapped_column(Text)
    network_addr: Mapped[str | None] = mapped_column(Text)
    record_path: Mapped[str | None] = mapped_column(Text)
    record_name: Mapped[str | None] = mapped_column(Text)
    record_length: Mapped[Decimal | None] = mapped_column(Numeric)
    record_transcription: Mapped[str | None] = mapped_column(Text)
    leg: Mapped[str | None] = mapped_column(Text)
    originating_leg_uuid: Mapped[str | None] = mapped_column(Uuid)
    pdd_ms: Mapped[Decimal | None] = mapped_column(Numeric)
    rtp_audio_in_mos: Mapped[Decimal | None] = mapped_column(Numeric)
    last_app: Mapped[str | None] = mapped_column(Text)
    last_arg: Mapped[str | None] = mapped_column(Text)
    voicemail_message: Mapped[bool | None] = mapped_column(Boolean)
    missed_call: Mapped[bool | None] = mapped_column(Boolean)
    call_center_queue_uuid: Mapped[str | None] = mapped_column(Uuid)
    cc_side: Mapped[str | None] = mapped_column(Text)
    cc_member_uuid: Mapped[str | None] = mapped_column(Uuid)
    cc_queue_joined_epoch: Mapped[Decimal | None] = mapped_column(Numeric)
    cc_queue: Mapped[str | None] = mapped_column(Text)
    cc_member_session_uuid: Mapped[str | None] = mapped_column(Uuid)
    cc_agent_uuid: Mapped[str | None] = mapped_column(Uuid)
    cc_agent: Mapped[str | None] = mapped_column(Text)
    cc_agent_type: Mapped[str | None] = mapped_column(Text)
    cc_agent_bridged: Mapped[str | None] = mapped_column(Text)
    cc_queue_answered_epoch: Mapped[Decimal | None] = mapped_column(Numeric)
    cc_queue_terminated_epoch: Mapped[Decimal | None] = mapped_column(Numeric)
    cc_queue_canceled_epoch: Mapped[Decimal | None] = mapped_column(Numeric)
    cc_cancel_reason: Mapped[str | None] = mapped_column(Text)
    cc_cause: Mapped[str | None] = mapped_column(Text)
    waitsec: Mapped[Decimal | None] = mapped_column(Numeric)
    conference_name: Mapped[str | None] = mapped_column(Text)
    conference_uuid: Mapped[str | None] = mapped_column(Uuid)
    conference_member_id: Mapped[str | None] = mapped_column(Text)
    digits_dialed: Mapped[str | None] = mapped_column(Text)
    pin_number: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(Text)
    call_disposition: Mapped[str | None] = mapped_column(Text)
    hangup_cause: Mapped[str | None] = mapped_column(Text)
    hangup_cause_q850: Mapped[Decimal | None] = mapped_column(Numeric)
    sip_hangup_disposition: Mapped[str | None] = mapped_column(Text)
    ring_group_uuid: Mapped[str | None] = mapped_column(Uuid)
    ivr_menu_uuid: Mapped[str | None] = mapped_column(Uuid)
    processed: Mapped[bool | None] = since_5_6(Boolean)
    call_flow: Mapped[dict | None] = mapped_column(JsonDoc, deferred=True)
    xml: Mapped[str | None] = mapped_column(Text, deferred=True)
    json: Mapped[dict | None] = mapped_column(JsonDoc, deferred=True)

__all__ = [
    "XmlCdr",
    "RingGroup",
    "Gateway",
    "UserGroup",
    "UserLog",
    "Group",
    "ContactEmail",
    "ContactUrl",
    "UserSetting",
    "Dialplan",
    "DialplanDetail",
    "RingGroupUser",
    "SipProfile",
    "Domain",
    "DefaultSetting",
    "DomainSetting",
    "Extension",
    "Voicemail",
    "ExtensionUser",
    "User",
    "FollowMe",
    "FollowMeDestination",
    "RingGroupDestination",
    "ExtensionSetting",
    "DatabaseTransaction",
    "VoicemailOption",
    "VoicemailMessage",
    "VoicemailDestination",
    "VoicemailGreeting",
    "Contact",
]
