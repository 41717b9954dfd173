from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pytest

from bot.runtime.config import Settings, SettingsError, load_settings
from bot.runtime.i18n import LOCALES_DIR, Translator
from bot.runtime.logs import RedactingFormatter, redact
from bot.services.people import looks_like_invite_code, new_invite_code, pick_language
from bot.views.common.texts import split_text

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"


def test_admin_ids_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", " 12345, 67890 ,")
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.admin_ids == frozenset({12345, 67890})
    assert settings.bot_token is not None and TOKEN not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("ADMIN_IDS", "12,abc", "ADMIN_IDS"),
        ("BOT_TOKEN", "not-a-token", "BOT_TOKEN"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "DEFAULT_TIMEZONE"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL"),
        ("DEFAULT_LANGUAGE", "de", "DEFAULT_LANGUAGE"),
    ],
)
def test_malformed_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, value: str, fragment: str
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=fragment):
        load_settings()


def test_the_example_env_file_loads_as_is(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`cp .env.example .env` starts the bot: its empty values mean "off", not errors."""
    example = Path(__file__).resolve().parents[2] / ".env.example"
    (tmp_path / ".env").write_text(example.read_text("utf-8"), "utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "HTTP_PORT", "WEBHOOK_URL", "WEBHOOK_SECRET", "ONEC_ODATA_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.http_port is None
    assert settings.webhook_url is None and settings.webhook_secret is None
    assert settings.onec_odata_url is None
    assert not settings.exchange_enabled()
    assert settings.log_format == "text"


def test_missing_token_is_one_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    with pytest.raises(SettingsError, match="BOT_TOKEN is not set"):
        load_settings().require_token()


def test_every_key_exists_in_both_languages() -> None:
    translator = Translator()
    assert set(translator.languages) == {"ru", "en"}
    assert translator.keys("ru") == translator.keys("en")


def test_every_key_used_in_code_exists() -> None:
    """Literal keys in the code must be in the catalogue (dynamic ones are built from
    enums and are checked by rendering every value below)."""
    root = LOCALES_DIR.parent.parent
    used: set[str] = set()
    for folder in ("bot", "handlers"):
        for file in (root / folder).rglob("*.py"):
            used |= set(re.findall(r'l10n\(\s*"([a-z0-9_-]+)"', file.read_text(encoding="utf-8")))
            used |= set(
                re.findall(
                    r'(?:reason|hint)\s*=\s*"([a-z0-9_-]+)"', file.read_text(encoding="utf-8")
                )
            )
            used |= set(
                re.findall(r'PeopleError\("([a-z0-9_-]+)"\)', file.read_text(encoding="utf-8"))
            )
            used |= set(
                re.findall(
                    r'SettingValueError\("([a-z0-9_-]+)"\)', file.read_text(encoding="utf-8")
                )
            )
    keys = Translator().keys("en")
    assert used and used <= keys, sorted(used - keys)


def test_dynamic_keys_exist() -> None:
    from bot.services.business_settings import SPECS
    from bot.views.common.menu import FEATURES, menu_commands
    from storage.dto import Role

    keys = Translator().keys("ru")
    for role in Role:
        assert f"role-{role.value}" in keys
        assert {f"menu-{c}" for c in menu_commands(role)} <= keys
    assert {f"cmd-{f.command}" for f in FEATURES} <= keys
    assert {f"setting-{k}" for k in SPECS} | {f"setting-{k}-hint" for k in SPECS} <= keys


def test_placeholders_render_without_isolation_marks() -> None:
    text = Translator().get("en")("start-welcome", name="Ivan", role="admin")
    assert text.startswith("Welcome, Ivan! You are signed in as admin.")
    assert "\u2068" not in text


def test_token_never_reaches_the_log() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter("%(message)s"))
    log = logging.getLogger("test.redaction")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("POST https://api.telegram.org/bot%s/getMe failed", TOKEN)
        try:
            raise RuntimeError(f"bad url /bot{TOKEN}/sendMessage")
        except RuntimeError:
            log.exception("boom")
    finally:
        log.removeHandler(handler)
    output = stream.getvalue()
    assert TOKEN not in output and "AAHdqTcvCH1" not in output
    assert output.count("<redacted-token>") == 2
    assert redact("chat 123:456 at 10:30") == "chat 123:456 at 10:30"


@pytest.mark.parametrize("size", [0, 10, 4096, 4097, 9000])
def test_split_text_respects_limit_and_keeps_content(size: int) -> None:
    text = "\n".join(f"line {i} " + "x" * 50 for i in range(size // 57 + 1))[:size]
    parts = split_text(text)
    assert all(len(p) <= 4096 for p in parts)
    assert "\n".join(parts) == text


def test_split_text_cuts_overlong_line() -> None:
    parts = split_text("a" * 5000)
    assert [len(p) for p in parts] == [4096, 904]


def test_invite_codes_fit_a_deep_link() -> None:
    codes = {new_invite_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(looks_like_invite_code(c) and len(c) <= 64 for c in codes)
    assert not looks_like_invite_code("has space") and not looks_like_invite_code("ё")


@pytest.mark.parametrize(
    ("code", "expected"), [("ru", "ru"), ("en-US", "en"), ("de", "ru"), (None, "ru"), ("EN", "en")]
)
def test_language_from_telegram_is_only_a_default(code: str | None, expected: str) -> None:
    assert pick_language(code, "ru") == expected
