"""What a new user trips over in /settings, /help and /users (issue 14, item 13)."""

from __future__ import annotations

import pytest

from bot.views.settings.keyboards import COMMON_ZONES
from storage.dto import Role
from storage.repositories import Repos
from tests.factories import make_client, make_user
from tests.helpers import last_with_buttons, texts


async def _open_digest_step(person, l10n):
    settings = last_with_buttons(await person.send("/settings"))
    return await person.click(settings, l10n("settings-digest"))


@pytest.mark.parametrize(("typed", "hour"), [("8", 8), ("08:00", 8), ("7.00", 7), ("23", 23)])
async def test_a_typed_digest_hour_is_saved(app, chat, typed, hour):
    user = await make_user(app, 4200, name="Ivan", language="ru")
    await make_client(app, "ООО «Ромашка»", user)  # a search would find something
    person = chat(user.telegram_id, language_code="ru")
    l10n = app.translator.get("ru")
    await _open_digest_step(person, l10n)

    answered = texts(await person.send(typed))

    assert answered[0].startswith(l10n("settings-saved"))
    async with app.database.read() as s:
        assert (await Repos(s).users.get(user.id)).digest_hour == hour


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("8:30", "settings-hour-minutes"),
        ("25", "settings-hour-invalid"),
        ("утром", "settings-hour-invalid"),
    ],
)
async def test_an_unusable_hour_is_refused_and_the_step_kept(app, chat, typed, reason):
    user = await make_user(app, 4201, name="Ivan", language="ru")
    await make_client(app, "Утром и вечером", user)  # "утром" must not become a search
    person = chat(user.telegram_id, language_code="ru")
    l10n = app.translator.get("ru")
    await _open_digest_step(person, l10n)

    assert texts(await person.send(typed)) == [l10n(reason)]
    assert texts(await person.send("10"))[0].startswith(l10n("settings-saved"))
    async with app.database.read() as s:
        assert (await Repos(s).users.get(user.id)).digest_hour == 10


async def test_time_zone_buttons_speak_russian(app, chat):
    user = await make_user(app, 4202, name="Ivan", language="ru")
    person = chat(user.telegram_id, language_code="ru")
    l10n = app.translator.get("ru")
    settings = last_with_buttons(await person.send("/settings"))
    zones = last_with_buttons(await person.click(settings, l10n("settings-timezone")))

    labels = [text for text, _ in zones.inline_buttons][: len(COMMON_ZONES)]

    assert labels[:4] == [
        "Калининград (МСК−1)",
        "Москва (МСК)",
        "Самара (МСК+1)",
        "Екатеринбург (МСК+2)",
    ]
    assert all(not any("a" <= c <= "z" for c in label.lower()) for label in labels)


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("role", [Role.MANAGER, Role.SUPERVISOR, Role.ADMIN, Role.DEPARTMENT])
async def test_help_lists_each_command_once_and_only_what_the_role_may_do(
    app, chat, role, language
):
    user = await make_user(app, 4203, role, name="Someone", language=language)
    [help_text] = texts(await chat(user.telegram_id, language_code=language).send("/help"))
    commands = [line.split(" — ", 1)[0] for line in help_text.splitlines() if line.startswith("/")]
    assert commands.count("/cancel") == 1
    assert len(commands) == len(set(commands))
    assert ("/claims settings" in help_text) is (role is Role.ADMIN)


async def test_a_supervisors_card_in_users_shows_the_team(app, admin):
    boss = await make_user(app, 4300, Role.SUPERVISOR, name="Boss")
    for number, name in enumerate(("Ivan", "Olga", "Petr")):
        await make_user(app, 4301 + number, name=name, supervisor=boss)
    await admin.send("/start")
    users = last_with_buttons(await admin.send("/users"))

    card = texts(await admin.click(users, lambda t: t.startswith("Boss")))[0]

    assert "Team (3): Ivan, Olga, Petr" in card
