"""FusionPBX's fax server tables (``app/fax``): the accounts, who may use them, and the
files, logs and queued sends a fax leaves behind (deleted with the account)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column

from fpbx_api.fusionpbx.models.base import Record, TZDateTime, Uuid

__all__ = ["Fax", "FaxFile", "FaxLog", "FaxQueue", "FaxUser"]


class Fax(Record):
    __tablename__ = "v_fax"

    fax_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    dialplan_uuid: Mapped[str | None] = mapped_column(Uuid)
    fax_extension: Mapped[str | None] = mapped_column(Text)
    fax_destination_number: Mapped[str | None] = mapped_column(Text)
    fax_prefix: Mapped[str | None] = mapped_column(Text)
    fax_name: Mapped[str | None] = mapped_column(Text)
    fax_email: Mapped[str | None] = mapped_column(Text)
    fax_email_confirmation: Mapped[str | None] = mapped_column(Text)
    fax_file: Mapped[str | None] = mapped_column(Text)
    fax_email_connection_type: Mapped[str | None] = mapped_column(Text)
    fax_email_connection_host: Mapped[str | None] = mapped_column(Text)
    fax_email_connection_port: Mapped[str | None] = mapped_column(Text)
    fax_email_connection_security: Mapped[str | None] = mapped_column(Text)
    fax_email_connection_validate: Mapped[bool | None] = mapped_column(Boolean)
    fax_email_connection_username: Mapped[str | None] = mapped_column(Text)
    fax_email_connection_password: Mapped[str | None] = mapped_column(Text)
    fax_email_connection_mailbox: Mapped[str | None] = mapped_column(Text)
    fax_email_inbound_subject_tag: Mapped[str | None] = mapped_column(Text)
    fax_email_outbound_subject_tag: Mapped[str | None] = mapped_column(Text)
    fax_email_outbound_authorized_senders: Mapped[str | None] = mapped_column(Text)
    fax_pin_number: Mapped[str | None] = mapped_column(Text)
    fax_caller_id_name: Mapped[str | None] = mapped_column(Text)
    fax_caller_id_number: Mapped[str | None] = mapped_column(Text)
    fax_toll_allow: Mapped[str | None] = mapped_column(Text)
    fax_forward_number: Mapped[str | None] = mapped_column(Text)
    fax_send_channels: Mapped[Decimal | None] = mapped_column(Numeric)
    fax_description: Mapped[str | None] = mapped_column(Text)
    accountcode: Mapped[str | None] = mapped_column(Text)


class FaxUser(Record):
    __tablename__ = "v_fax_users"

    fax_user_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    fax_uuid: Mapped[str | None] = mapped_column(Uuid)
    user_uuid: Mapped[str | None] = mapped_column(Uuid)


class FaxFile(Record):
    __tablename__ = "v_fax_files"

    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    fax_file_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    fax_uuid: Mapped[str | None] = mapped_column(Uuid)
    fax_mode: Mapped[str | None] = mapped_column(Text)
    fax_recipient: Mapped[str | None] = mapped_column(Text)
    fax_destination: Mapped[str | None] = mapped_column(Text)
    fax_file_type: Mapped[str | None] = mapped_column(Text)
    fax_file_path: Mapped[str | None] = mapped_column(Text)
    fax_caller_id_name: Mapped[str | None] = mapped_column(Text)
    fax_caller_id_number: Mapped[str | None] = mapped_column(Text)
    fax_date: Mapped[datetime | None] = mapped_column(TZDateTime)
    fax_epoch: Mapped[Decimal | None] = mapped_column(Numeric)
    fax_base64: Mapped[str | None] = mapped_column(Text)
    read_date: Mapped[datetime | None] = mapped_column(TZDateTime)


class FaxLog(Record):
    __tablename__ = "v_fax_logs"

    fax_log_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    fax_uuid: Mapped[str | None] = mapped_column(Uuid)
    fax_success: Mapped[str | None] = mapped_column(Text)
    fax_result_code: Mapped[Decimal | None] = mapped_column(Numeric)
    fax_result_text: Mapped[str | None] = mapped_column(Text)
    fax_file: Mapped[str | None] = mapped_column(Text)
    fax_ecm_used: Mapped[str | None] = mapped_column(Text)
    fax_local_station_id: Mapped[str | None] = mapped_column(Text)
    fax_document_transferred_pages: Mapped[Decimal | None] = mapped_column(Numeric)
    fax_document_total_pages: Mapped[Decimal | None] = mapped_column(Numeric)
    fax_image_resolution: Mapped[str | None] = mapped_column(Text)
    fax_image_size: Mapped[Decimal | None] = mapped_column(Numeric)
    fax_bad_rows: Mapped[Decimal | None] = mapped_column(Numeric)
    fax_transfer_rate: Mapped[Decimal | None] = mapped_column(Numeric)
    fax_retry_attempts: Mapped[Decimal | None] = mapped_column(Numeric)
    fax_retry_limit: Mapped[Decimal | None] = mapped_column(Numeric)
    fax_retry_sleep: Mapped[Decimal | None] = mapped_column(Numeric)
    fax_uri: Mapped[str | None] = mapped_column(Text)
    fax_duration: Mapped[Decimal | None] = mapped_column(Numeric)
    fax_date: Mapped[datetime | None] = mapped_column(TZDateTime)
    fax_epoch: Mapped[Decimal | None] = mapped_column(Numeric)


class FaxQueue(Record):
    __tablename__ = "v_fax_queue"

    fax_queue_uuid: Mapped[str] = mapped_column(Uuid, primary_key=True)
    domain_uuid: Mapped[str | None] = mapped_column(Uuid)
    fax_uuid: Mapped[str | None] = mapped_column(Uuid)
    origination_uuid: Mapped[str | None] = mapped_column(Uuid)
    fax_log_uuid: Mapped[str | None] = mapped_column(Uuid)
    fax_date: Mapped[datetime | None] = mapped_column(TZDateTime)
    hostname: Mapped[str | None] = mapped_column(Text)
    fax_caller_id_name: Mapped[str | None] = mapped_column(Text)
    fax_caller_id_number: Mapped[str | None] = mapped_column(Text)
    fax_recipient: Mapped[str | None] = mapped_column(Text)
    fax_number: Mapped[str | None] = mapped_column(Text)
    fax_prefix: Mapped[str | None] = mapped_column(Text)
    fax_email_address: Mapped[str | None] = mapped_column(Text)
    fax_file: Mapped[str | None] = mapped_column(Text)
    fax_status: Mapped[str | None] = mapped_column(Text)
    fax_retry_date: Mapped[datetime | None] = mapped_column(TZDateTime)
    fax_notify_sent: Mapped[bool | None] = mapped_column(Boolean)
    fax_notify_date: Mapped[datetime | None] = mapped_column(TZDateTime)
    fax_retry_count: Mapped[Decimal | None] = mapped_column(Numeric)
    fax_accountcode: Mapped[str | None] = mapped_column(Text)
    fax_command: Mapped[str | None] = mapped_column(Text)
    fax_response: Mapped[str | None] = mapped_column(Text)
