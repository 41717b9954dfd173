"""The one-line /log never drops what it cannot read (issue 14, items 2 and 3): a next step
without a date is asked for, an unreadable date is refused with nothing saved, a "+2" on a
day off moves to the next business day and says so, and an unknown client leaves no hidden
dialog behind."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from storage.dto import FollowUpCreate, Role
from storage.repositories import Repos
from tests.factories import make_client, make_user
from tests.helpers import last_with_buttons, texts


@pytest.fixture
async def boss(app):
    return await make_user(app, 3500, Role.SUPERVISOR, name="Boss")


@pytest.fixture
async def ivan(app, boss):
    return await make_user(app, 3501, name="Ivan", supervisor=boss)


@pytest.fixture
async def olga(app, boss):
    return await make_user(app, 3502, name="Ольга", supervisor=boss, language="ru")


@pytest.fixture
def manager(request, ivan, olga):
    """The manager who speaks the test's language."""
    return olga if request.node.callspec.params["language"] == "ru" else ivan


async def _with_open_step(app, client_id: int, owner_id: int) -> int:
    async with app.database.transaction() as s:
        step = await Repos(s).follow_ups.add(
            FollowUpCreate(
                client_id=client_id,
                owner_id=owner_id,
                text="Send the price list",
                due_date=date(2026, 11, 30),
            ),
            now=datetime(2026, 11, 20, tzinfo=UTC),
        )
    return step.id


async def _state_of(app, client_id: int) -> tuple[int, str | None]:
    """How many contacts the client has, and its open next step."""
    async with app.database.read() as s:
        repos = Repos(s)
        _, contacts = await repos.contacts.timeline(client_id, limit=50, offset=0)
        step = await repos.follow_ups.next_for_client(client_id)
    return contacts, step.text if step else None


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_a_next_step_without_a_date_is_asked_for(app, chat, manager, language):
    ivan = manager
    client = await make_client(app, "ООО «Ромашка»", ivan)
    await _with_open_step(app, client.id, ivan.id)
    me = chat(ivan.telegram_id, language_code=language)
    l10n = app.translator.get(language)
    word = "next" if language == "en" else "далее"

    sent = await me.send(f"/log Ромашка: talked about Q1; {word}: call back")

    assert texts(sent) == [l10n("log-quick-ask-when", step="call back")]
    # Nothing saved yet: the old step is still open, no contact was written.
    assert await _state_of(app, client.id) == (0, "Send the price list")

    sent = await me.click(last_with_buttons(sent), l10n("when-tomorrow"))

    assert texts(sent)[0].startswith(l10n("log-saved-next", when="24.11.2026", text="call back"))
    assert await _state_of(app, client.id) == (1, "call back")


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize(
    ("typed", "value"), [("31.02", "31.02"), ("25.12 25:61", "25:61"), ("+2x", "+2x")]
)
async def test_an_unreadable_date_is_refused_and_nothing_saved(
    app, chat, manager, language, typed, value
):
    ivan = manager
    client = await make_client(app, "ООО «Ромашка»", ivan)
    await _with_open_step(app, client.id, ivan.id)
    me = chat(ivan.telegram_id, language_code=language)
    l10n = app.translator.get(language)

    [answer] = texts(await me.send(f"/log Ромашка: talked; next: call {typed}"))

    why = {"31.02": "date-why-invalid", "25:61": "date-why-time", "+2x": "date-why-format"}
    assert answer == l10n("quicklog-error-date", value=value, reason=l10n(why[value]))
    assert await _state_of(app, client.id) == (0, "Send the price list")


async def test_plus_two_landing_on_saturday_moves_to_monday_and_says_so(app, chat, ivan, clock):
    client = await make_client(app, "ООО «Ромашка»", ivan)
    clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))  # Thursday, 12:00 in Moscow
    me = chat(ivan.telegram_id, language_code="en")
    l10n = app.translator.get("en")

    [answer] = texts(await me.send("/log Ромашка: talked; next: send the offer +2"))

    assert answer.startswith(l10n("log-saved-next", when="30.11.2026", text="send the offer"))
    assert l10n("log-next-moved", day="28.11.2026") in answer
    async with app.database.read() as s:
        step = await Repos(s).follow_ups.next_for_client(client.id)
    assert step is not None and step.due_date == date(2026, 11, 30)


async def test_a_named_day_off_is_kept_and_noted(app, chat, olga, clock):
    await make_client(app, "ООО «Ромашка»", olga)
    clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))  # Thursday
    me = chat(olga.telegram_id, language_code="ru")
    l10n = app.translator.get("ru")

    [answer] = texts(await me.send("/log Ромашка: поговорили; далее: позвонить в субботу"))

    assert answer.startswith(l10n("log-saved-next", when="28.11.2026", text="позвонить"))
    assert l10n("log-next-day-off") in answer


async def test_an_unknown_client_leaves_no_hidden_dialog(app, chat, ivan):
    await make_client(app, "ООО «Ромашка»", ivan)
    me = chat(ivan.telegram_id, language_code="en")
    l10n = app.translator.get("en")
    debts = l10n("menu-debts")
    plain = texts(await me.send(debts))

    sent = await me.send("/log Василёк: talked")

    assert texts(sent) == [l10n("log-quick-nothing", query="Василёк")]
    assert texts(await me.send(debts)) == plain
    assert texts(await me.send("ромашка"))[0].startswith("ООО «Ромашка»")  # a plain search again


async def test_a_better_name_typed_after_an_unknown_client_logs_the_contact(app, chat, ivan):
    client = await make_client(app, "ООО «Ромашка»", ivan)
    me = chat(ivan.telegram_id, language_code="en")
    await me.send("/log Ромаха: talked; next: send offer +3")

    sent = await me.send("Ромашка")
    sent = await me.click(last_with_buttons(sent), "ООО «Ромашка»")

    assert texts(sent)[0].startswith("Contact logged. Next step 26.11.2026: send offer")
    assert (await _state_of(app, client.id))[0] == 1
