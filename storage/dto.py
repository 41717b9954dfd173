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
