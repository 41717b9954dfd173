"""The HTTP API's tokens: made, checked and revoked, and each call kept in the audit trail.

A token is `kam_` and 43 characters of url-safe base64 (`secrets.token_urlsafe(32)`, 256
random bits); it is shown once, when made, and only its SHA-256 is stored, so a copy of the
database lets no one in. A request's token is looked up by its SHA-256 and the stored hash
then compared with `hmac.compare_digest`: the lookup's timing can tell an attacker only
about hashes of strings they chose, never about a stored token."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from storage.api_tokens import ApiTokenDTO
from storage.repositories import Repos

PREFIX = "kam_"
TOKEN_BYTES = 32
TOKEN_SHAPE = re.compile(r"kam_[A-Za-z0-9_-]{43}")
NAME_MAX = 128
# A repeated `Idempotency-Key` is answered from the audit trail within this long.
IDEMPOTENCY_WINDOW = timedelta(hours=24)
# Printable ASCII without spaces, as HTTP header values and logs take them.
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,128}")
_BEARER = re.compile(r"bearer[ \t]+(\S+)[ \t]*", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


class ApiTokenError(Exception):
    """A rule refused the change; `reason` is a translation key, `details` its arguments."""

    def __init__(self, reason: str, **details: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def bearer_token(header: str | None) -> str | None:
    """The token of `Authorization: Bearer <token>` (the scheme in any case, RFC 6750), or
    None when there is none or it is not shaped as ours (no database read for those)."""
    match = _BEARER.fullmatch(header or "")
    if match is None or not TOKEN_SHAPE.fullmatch(match.group(1)):
        return None
    return match.group(1)


def clean_name(name: str) -> str:
    text = _SPACES.sub(" ", name).strip()
    if not text:
        raise ApiTokenError("api-token-error-name-empty")
    if len(text) > NAME_MAX:
        raise ApiTokenError("api-token-error-name-long", limit=NAME_MAX)
    return text


def valid_idempotency_key(key: str) -> bool:
    return IDEMPOTENCY_KEY.fullmatch(key) is not None


async def create_api_token(repos: Repos, name: str, *, now: datetime) -> tuple[ApiTokenDTO, str]:
    """A new token under a name no active token has; returns it with its only plain copy."""
    name = clean_name(name)
    taken = await repos.api_tokens.active_named(name)
    if taken:
        raise ApiTokenError("api-token-error-name-taken", name=taken[0].name)
    token = new_token()
    created = await repos.api_tokens.create(name, hash_token(token), now=now)
    await repos.audit.record(
        entity="api_token",
        entity_id=created.id,
        action="create",
        changes={"name": (None, created.name)},
        actor_id=None,
        now=now,
    )
    return created, token


async def revoke_api_token(repos: Repos, ref: str, *, now: datetime) -> ApiTokenDTO:
    """Revoke the token of this id, or the active token of this name."""
    ref = ref.strip()
    target: ApiTokenDTO | None = None
    if ref.isdigit():
        target = await repos.api_tokens.get(int(ref))
        if target is not None and not target.active:
            raise ApiTokenError("api-token-error-revoked", id=target.id, name=target.name)
    if target is None:
        named = await repos.api_tokens.active_named(_SPACES.sub(" ", ref))
        if not named:
            raise ApiTokenError("api-token-error-unknown", ref=ref)
        if len(named) > 1:
            raise ApiTokenError("api-token-error-ambiguous", name=ref)
        target = named[0]
    revoked = await repos.api_tokens.revoke(target.id, now=now)
    if revoked is None:  # revoked meanwhile by another command
        raise ApiTokenError("api-token-error-revoked", id=target.id, name=target.name)
    await repos.audit.record(
        entity="api_token",
        entity_id=revoked.id,
        action="revoke",
        changes={"revoked_at": (None, now)},
        actor_id=None,
        now=now,
    )
    return revoked


async def authenticate(repos: Repos, header: str | None) -> ApiTokenDTO | None:
    """The active token an `Authorization` header carries, or None."""
    token = bearer_token(header)
    if token is None:
        return None
    presented = hash_token(token)
    stored = await repos.api_tokens.by_hash(presented)
    if stored is None or not hmac.compare_digest(stored.token_hash, presented):
        return None
    return stored if stored.active else None


async def record_call(
    repos: Repos, token: ApiTokenDTO, facts: Mapping[str, object], *, now: datetime
) -> None:
    """One API call in the audit trail under its token's name, and the token's last use."""
    await repos.api_tokens.touch(token.id, now=now)
    await repos.audit.record(
        entity="api_token",
        entity_id=token.id,
        action="import",
        changes={"token": (None, token.name), **{k: (None, v) for k, v in facts.items()}},
        actor_id=None,
        now=now,
    )


class KeptAnswer(NamedTuple):
    request_sha256: str
    answer: dict[str, Any]


async def kept_answer(
    repos: Repos, token: ApiTokenDTO, idempotency_key: str, *, now: datetime
) -> KeptAnswer | None:
    """The answer of this token's first successful call with this key in the last 24 h."""
    since = now - IDEMPOTENCY_WINDOW
    for changes in await repos.api_tokens.kept_answers(token.id, idempotency_key, since=since):
        answer = _after(changes, "answer")
        request = _after(changes, "request_sha256")
        if isinstance(answer, dict) and isinstance(request, str):
            return KeptAnswer(request, answer)
    return None


def _after(changes: Mapping[str, Any], field: str) -> object:
    pair = changes.get(field)
    return pair[1] if isinstance(pair, list) and len(pair) == 2 else None
