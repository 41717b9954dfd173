"""The webhook settings: shapes checked as they are read (one line naming the variable),
and what `python -m bot webhook` / `set-webhook` require before anything starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main
from bot.runtime.config import Settings, SettingsError, load_settings

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"
SECRET = "a" * 64


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, bot_token=TOKEN, **values)  # type: ignore[call-arg, arg-type]


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://bot.example.com/tg/webhook", "/tg/webhook"),
        ("https://bot.example.com:8443/kam/updates", "/kam/updates"),
        ("https://bot.example.com", "/"),
        ("https://bot.example.com/tg/webhook?replica=1", "/tg/webhook"),
        ("http://127.0.0.1:8081/tg/webhook", "/tg/webhook"),
        ("http://localhost:8081/hook", "/hook"),
        ("  https://bot.example.com/a_b-c.d~e/  ", "/a_b-c.d~e/"),
    ],
)
def test_a_webhook_url_and_its_path(url: str, path: str) -> None:
    settings = _settings(webhook_url=url)
    assert settings.webhook_url == url.strip()
    assert settings.webhook_path() == path


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://bot.example.com/tg/webhook", "must be https://"),
        ("ftp://bot.example.com/tg", "must be the https:// address"),
        ("bot.example.com/tg/webhook", "must be the https:// address"),
        ("https:///tg/webhook", "must be the https:// address"),
        ("https://bot.example.com:8080/tg", "ports 443, 80, 88 or 8443, not 8080"),
        ("https://bot.example.com:99999/tg", "port that is not a number"),
        ("https://bot.example.com/tg#x", "#fragment"),
        ("https://bot.example.com/tg/{token}", "path may have only"),
        ("https://bot.example.com/tg webhook", "path may have only"),
    ],
)
def test_a_malformed_webhook_url_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, url: str, fragment: str
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("WEBHOOK_URL", url)
    with pytest.raises(SettingsError, match=r"^WEBHOOK_URL: ") as caught:
        load_settings()
    assert fragment in str(caught.value)


@pytest.mark.parametrize("secret", ["q", "A-z_0-9", "a" * 256])
def test_a_secret_as_telegram_allows(secret: str) -> None:
    settings = _settings(webhook_secret=secret)
    assert settings.webhook_secret is not None
    assert settings.webhook_secret.get_secret_value() == secret
    assert f"'{secret}'" not in repr(settings)


@pytest.mark.parametrize("secret", ["a" * 257, "has space", "point.", "ключ", "a+b", "a/b"])
def test_a_secret_telegram_would_refuse_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, secret: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WEBHOOK_SECRET", secret)
    with pytest.raises(SettingsError, match=r"^WEBHOOK_SECRET: .*1 to 256 characters") as caught:
        load_settings()
    assert secret not in str(caught.value)


def test_empty_webhook_settings_are_unset() -> None:
    settings = _settings(webhook_url="  ", webhook_secret="")
    assert settings.webhook_url is None and settings.webhook_secret is None


def test_what_webhook_mode_requires() -> None:
    full = _settings(webhook_url="https://b.example.com/h", webhook_secret=SECRET, http_port=8081)
    url, secret = full.require_webhook(serving=True)
    assert (url, secret.get_secret_value()) == ("https://b.example.com/h", SECRET)
    with pytest.raises(SettingsError, match=r"^WEBHOOK_URL is not set"):
        _settings(webhook_secret=SECRET, http_port=8081).require_webhook(serving=True)
    with pytest.raises(SettingsError, match=r"^WEBHOOK_SECRET is not set"):
        _settings(webhook_url="https://b.example.com/h", http_port=8081).require_webhook(
            serving=True
        )
    no_port = _settings(webhook_url="https://b.example.com/h", webhook_secret=SECRET)
    with pytest.raises(SettingsError, match=r"^HTTP_PORT is not set"):
        no_port.require_webhook(serving=True)
    # set-webhook may run anywhere: it needs no port.
    assert no_port.require_webhook(serving=False)[0] == "https://b.example.com/h"


@pytest.mark.parametrize(
    ("command", "env", "line"),
    [
        ("webhook", {}, "Configuration error: WEBHOOK_URL is not set"),
        (
            "webhook",
            {"WEBHOOK_URL": "https://b.example.com/h"},
            "Configuration error: WEBHOOK_SECRET is not set",
        ),
        (
            "webhook",
            {"WEBHOOK_URL": "https://b.example.com/h", "WEBHOOK_SECRET": SECRET},
            "Configuration error: HTTP_PORT is not set",
        ),
        ("set-webhook", {}, "Configuration error: WEBHOOK_URL is not set"),
        (
            "webhook",
            {"WEBHOOK_URL": "http://bot.example.com/h"},
            "Configuration error: WEBHOOK_URL: Value error, must be https://",
        ),
    ],
)
def test_the_commands_refuse_to_start_with_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    env: dict[str, str],
    line: str,
) -> None:
    """Before any import of aiogram or the database: nothing else is tried."""
    monkeypatch.chdir(tmp_path)
    for name in ("WEBHOOK_URL", "WEBHOOK_SECRET", "HTTP_PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'kam.db'}")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main([command]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith(line), err
    assert SECRET not in err and TOKEN not in err
    assert not (tmp_path / "kam.db").exists()
