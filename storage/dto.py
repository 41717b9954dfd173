"""Typed data crossing the storage boundary: frozen read DTOs and input models."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"
    DEPARTMENT = "department"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class UserDTO(_Frozen):
    id: int
    telegram_id: int
    role: Role
    full_name: str
    username: str | None
    language: str
    timezone: str
    digest_hour: int
    supervisor_id: int | None
    erp_name: str | None
    is_active: bool
    unreachable_since: datetime | None
    created_at: datetime

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


class UserCreate(BaseModel):
    telegram_id: int
    role: Role
    full_name: str = Field(max_length=256)
    username: str | None = None
    language: str
    timezone: str
    supervisor_id: int | None = None
    erp_name: str | None = Field(default=None, max_length=256)


class UserUpdate(BaseModel):
    """Fields to change; unset fields stay as they are."""

    role: Role | None = None
    supervisor_id: int | None = None
    language: str | None = None
    timezone: str | None = None
    digest_hour: int | None = Field(default=None, ge=0, le=23)
    erp_name: str | None = None
    is_active: bool | None = None
    full_name: str | None = None
    username: str | None = None


class InviteDTO(_Frozen):
    id: int
    role: Role
    supervisor_id: int | None
    erp_name: str | None
    created_by_id: int | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    used_by_id: int | None


class InviteCreate(BaseModel):
    code_hash: str
    role: Role
    supervisor_id: int | None = None
    erp_name: str | None = Field(default=None, max_length=256)
    created_by_id: int | None = None
    expires_at: datetime


class AuditEntryDTO(_Frozen):
    id: int
    at: datetime
    actor_id: int | None
    entity: str
    entity_id: str
    action: str
    changes: dict[str, Any]


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # retries exhausted (network, 5xx)
    DEAD = "dead"  # Telegram refused it for good (a 400); the error is kept
    UNREACHABLE = "unreachable"  # the recipient blocked the bot


class OutboxCreate(BaseModel):
    key: str = Field(max_length=255)
    kind: str = Field(max_length=32)
    chat_id: int
    user_id: int | None = None
    payload: dict[str, Any]
    attachment: bytes | None = None
    urgent: bool = False
    not_before: datetime


class OutboxDTO(_Frozen):
    id: int
    key: str
    kind: str
    chat_id: int
    user_id: int | None
    payload: dict[str, Any]
    attachment: bytes | None
    status: OutboxStatus
    urgent: bool
    not_before: datetime
    attempts: int
    lease_owner: str | None
    lease_until: datetime | None
    message_ids: list[int]
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
