"""The HTTP API's tokens: their shape, their hash, the Bearer header, and the command line
that makes, lists and revokes them (bot.cli's functions, run in-process)."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import cli
from bot.services.api_tokens import (
    authenticate,
    bearer_token,
    create_api_token,
    hash_token,
    kept_answer,
    new_token,
    record_call,
    valid_idempotency_key,
)
from storage.repositories import Repos
from tests.storage.conftest import database  # noqa: F401  (SQLite and PostgreSQL)


def test_a_token_is_prefixed_random_and_stored_as_its_sha256() -> None:
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        assert re.fullmatch(r"kam_[A-Za-z0-9_-]{43}", token)
        assert hash_token(token) == hashlib.sha256(token.encode()).hexdigest()


@pytest.mark.parametrize(
    ("header", "found"),
    [
        ("Bearer {t}", True),
        ("bearer {t}", True),
        ("BEARER   {t} ", True),
        ("Basic {t}", False),
        ("{t}", False),
        ("Bearer", False),
        ("Bearer {t} extra", False),
        ("Bearer kam_short", False),
        ("Bearer {t}x", False),
        ("", False),
    ],
)
def test_bearer_header(header: str, found: bool) -> None:
    token = new_token()
    assert bearer_token(header.format(t=token)) == (token if found else None)
    assert bearer_token(None) is None


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        ("a", True),
        ("2026-12-01/clients#1", True),
        ("x" * 128, True),
        ("x" * 129, False),
        ("", False),
        ("has space", False),
        ("ключ", False),
    ],
)
def test_idempotency_keys(key: str, valid: bool) -> None:
    assert valid_idempotency_key(key) is valid


async def test_cli_creates_lists_and_revokes_tokens(app, settings, tmp_path: Path) -> None:
    out = await cli.api_token_create(settings, "  1C   exchange ")
    first_line, token = out.splitlines()
    assert first_line.startswith("API token 1 (1C exchange) created. It is shown only now")
    assert re.fullmatch(r"kam_[A-Za-z0-9_-]{43}", token)
    async with app.database.read() as s:
        stored = await Repos(s).api_tokens.by_hash(hash_token(token))
        assert stored is not None and stored.name == "1C exchange" and stored.active
        assert await authenticate(Repos(s), f"Bearer {token}") == stored
        history = await Repos(s).audit.history("api_token", stored.id)
    assert [(e.action, e.changes) for e in history] == [
        ("create", {"name": [None, "1C exchange"]})
    ]
    # Only the hash is kept: the token itself is nowhere in the database's files.
    database = settings.sqlite_path()
    files = [p for p in database.parent.iterdir() if p.name.startswith(database.name)]
    assert files and not any(token.encode() in p.read_bytes() for p in files)

    with pytest.raises(cli.CliError, match="An active token is named 1C exchange already"):
        await cli.api_token_create(settings, "1c exchange")
    with pytest.raises(cli.CliError, match="Give the token a name"):
        await cli.api_token_create(settings, "   ")
    second = (await cli.api_token_create(settings, "Bank")).splitlines()[1]

    listing = (await cli.api_token_list(settings)).splitlines()
    assert listing[0].split() == ["id", "name", "created", "last", "used", "status"]
    assert listing[1].split()[:3] == ["1", "1C", "exchange"]
    assert re.search(r"  \d{4}-\d\d-\d\d \d\d:\d\d UTC  never +active$", listing[1])
    assert listing[2].split()[:2] == ["2", "Bank"]

    assert await cli.api_token_revoke(settings, "1C EXCHANGE") == (
        "API token 1 (1C exchange) revoked: calls with it are refused now."
    )
    with pytest.raises(cli.CliError, match=r"Token 1 \(1C exchange\) is revoked already"):
        await cli.api_token_revoke(settings, "1")
    with pytest.raises(cli.CliError, match="No active token has the id or name 1C exchange"):
        await cli.api_token_revoke(settings, "1C exchange")
    assert (await cli.api_token_revoke(settings, "2")).startswith("API token 2 (Bank) revoked")
    async with app.database.read() as s:
        assert await authenticate(Repos(s), f"Bearer {token}") is None
        assert await authenticate(Repos(s), f"Bearer {second}") is None
    listing = (await cli.api_token_list(settings)).splitlines()
    assert all(" revoked 20" in line for line in listing[1:])
    # A revoked name may be given to a new token.
    assert (await cli.api_token_create(settings, "1C exchange")).startswith("API token 3 ")


async def test_cli_list_without_tokens(app, settings) -> None:
    assert await cli.api_token_list(settings) == (
        "No API tokens yet: python -m bot api-token create --name <name>"
    )


async def test_the_repository_on_both_backends(database) -> None:
    """ApiTokenRepo's statements (RETURNING, a JSON path into the audit trail) on SQLite and
    PostgreSQL."""
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    async with database.transaction() as s:
        repos = Repos(s)
        one, token = await create_api_token(repos, "1C exchange", now=now)
        two, _ = await create_api_token(repos, "Bank", now=now)
    async with database.transaction() as s:
        repos = Repos(s)
        assert await repos.api_tokens.by_hash(hash_token(token)) == one
        assert await repos.api_tokens.active_named("1c EXCHANGE") == [one]
        assert (await repos.api_tokens.revoke(two.id, now=now)).revoked_at == now
        assert await repos.api_tokens.revoke(two.id, now=now) is None
        await repos.api_tokens.touch(one.id, now=now + timedelta(minutes=1))
        assert [t.name for t in await repos.api_tokens.list()] == ["1C exchange", "Bank"]
        for minutes, key, answer in ((0, "k-1", {"read": 1}), (30, "k-2", {"read": 2})):
            await record_call(
                repos,
                one,
                {"idempotency_key": key, "request_sha256": "ab" * 32, "answer": answer},
                now=now + timedelta(minutes=minutes),
            )
        await record_call(repos, two, {"idempotency_key": "k-1"}, now=now)
    async with database.read() as s:
        repos = Repos(s)
        assert (await repos.api_tokens.get(one.id)).last_used_at == now + timedelta(minutes=30)
        kept = await kept_answer(repos, one, "k-2", now=now + timedelta(hours=1))
        assert kept == ("ab" * 32, {"read": 2})
        assert await kept_answer(repos, one, "k-3", now=now) is None
        assert await kept_answer(repos, two, "k-1", now=now) is None  # no answer kept
        # A day later the first is forgotten, the second not yet.
        later = now + timedelta(hours=24, minutes=10)
        assert await kept_answer(repos, one, "k-1", now=later) is None
        assert (await kept_answer(repos, one, "k-2", now=later)).answer == {"read": 2}
