"""The HTTP API's tokens (only their SHA-256 is stored) and the answers the API keeps in the
audit trail for a repeated `Idempotency-Key`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ApiToken, AuditEntry


class ApiTokenDTO(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    name: str
    token_hash: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class ApiTokenRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(self, name: str, token_hash: str, *, now: datetime) -> ApiTokenDTO:
        row = ApiToken(name=name, token_hash=token_hash, created_at=now)
        self._session.add(row)
        await self._session.flush()
        return ApiTokenDTO.model_validate(row)

    async def get(self, token_id: int) -> ApiTokenDTO | None:
        row = await self._session.get(ApiToken, token_id)
        return ApiTokenDTO.model_validate(row) if row else None

    async def by_hash(self, token_hash: str) -> ApiTokenDTO | None:
        row = await self._session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))
        return ApiTokenDTO.model_validate(row) if row else None

    async def active_named(self, name: str) -> list[ApiTokenDTO]:
        """Unrevoked tokens of this name, compared case-insensitively."""
        rows = await self._session.scalars(
            select(ApiToken)
            .where(func.lower(ApiToken.name) == name.lower(), ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.id)
        )
        return [ApiTokenDTO.model_validate(r) for r in rows]

    async def revoke(self, token_id: int, *, now: datetime) -> ApiTokenDTO | None:
        """Revoke an active token; None when there is none of that id or it was revoked."""
        row = await self._session.scalar(
            update(ApiToken)
            .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
            .returning(ApiToken)
        )
        return ApiTokenDTO.model_validate(row) if row else None

    async def touch(self, token_id: int, *, now: datetime) -> None:
        await self._session.execute(
            update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
        )

    async def kept_answers(
        self, token_id: int, idempotency_key: str, *, since: datetime
    ) -> list[dict[str, Any]]:
        """The changes of this token's audited calls since `since` that carried this
        `Idempotency-Key`, oldest first (the audit trail keeps `{field: [before, after]}`).
        The index on (entity, entity_id) narrows the search to the token's own calls."""
        key = AuditEntry.changes[("idempotency_key", 1)].as_string()
        rows = await self._session.scalars(
            select(AuditEntry.changes)
            .where(
                AuditEntry.entity == "api_token",
                AuditEntry.entity_id == str(token_id),
                AuditEntry.action == "import",
                AuditEntry.at >= since,
                key == idempotency_key,
            )
            .order_by(AuditEntry.id)
        )
        return [dict(r) for r in rows]

    # Last in the class: below it, `list` in an annotation would name this method.
    async def list(self) -> list[ApiTokenDTO]:
        """Every token, the active ones first, oldest first."""
        rows = await self._session.scalars(
            select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.id)
        )
        return [ApiTokenDTO.model_validate(r) for r in rows]
