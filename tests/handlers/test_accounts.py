"""Accounts through the dispatcher: search, cards, a new client, the contact log (dialog and
quick form), /today, persons, opportunities, competitors, access and hand-over."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from storage.dto import FollowUpStatus, OutboxStatus, Role, Tier
from storage.repositories import Repos
from tests.factories import make_client, make_user
from tests.helpers import alerts, last_with_buttons, texts


@pytest.fixture
async def team(app):
    boss = await make_user(app, 3000, Role.SUPERVISOR, name="Sergey Boss")
    ivan = await make_user(app, 3001, name="Ivan Manager", supervisor=boss)
    olga = await make_user(app, 3002, name="Olga Manager", supervisor=boss, language="ru")
    return boss, ivan, olga


async def test_search_ignores_case_quotes_and_legal_forms(app, chat, team):
    _, ivan, olga = team
    await make_client(app, "ООО «Ромашка»", ivan, inn="7707083893")
    await make_client(app, "Ромашка-Юг, АО", ivan)
    await make_client(app, 'ПАО "Лютик"', olga)
    me = chat(ivan.telegram_id, language_code="en")
    replies = texts(await me.send("ромашка"))
    assert replies == ['Found 2 for "ромашка":']
    card = texts(await me.send("7707083893"))[0]  # by ИНН: one match opens the card
    assert card.startswith("ООО «Ромашка» · B") and "Manager: Ivan Manager" in card
    assert texts(await me.send("/client РОМАШКА-юг"))[0].startswith("Ромашка-Юг, АО")
    assert texts(await me.send("лютик")) == ['Nothing found for "лютик".']  # Olga's client


async def test_add_client_dialog_validates_and_refuses_duplicates(app, chat, team):
    _, ivan, _ = team
    me = chat(ivan.telegram_id, language_code="en")
    sent = await me.send("/clients")
    sent = await me.click(last_with_buttons(sent), "➕ New client")
    assert texts(sent) == ["Name of the new client (as on the contract, e.g. ООО «Ромашка»):"]
    await me.send("ООО «Василёк»")
    sent = await me.send("1234567890")
    assert "not a valid tax id" in texts(sent)[0]
    sent = await me.send("7736207543")
    sent = await me.send("12345")
    assert "not a valid КПП" in texts(sent)[0]
    sent = await me.send("773601001")
    sent = await me.click(last_with_buttons(sent), "A — key")
    assert texts(sent)[0].startswith("Client added.\n\nООО «Василёк» · A ★")
    async with app.database.read() as s:
        [line] = await Repos(s).clients.search("василек", None, None, 5)
        history = await Repos(s).audit.history("client", line.id)
    assert line.owner_id == ivan.id and line.is_key and history[0].actor_id == ivan.id

    # The same ИНН and КПП again: refused with a pointer to the existing card.
    sent = await me.send("/clients")
    sent = await me.click(last_with_buttons(sent), "➕ New client")
    await me.send("Василёк дубль")
    await me.send("7736207543")
    sent = await me.send("773601001")
    sent = await me.click(last_with_buttons(sent), "C")
    assert "already exists: ООО «Василёк»" in texts(sent)[0]
    assert last_with_buttons(sent).inline_buttons[0][0] == "1. ООО «Василёк»"
    # A branch (another КПП) of the same company is a client of its own.
    sent = await me.send("/clients")
    sent = await me.click(last_with_buttons(sent), "➕ New client")
    await me.send("Василёк, филиал")
    await me.send("7736207543")
    sent = await me.send("773602001")
    sent = await me.click(last_with_buttons(sent), "B")
    assert texts(sent)[0].startswith("Client added.")


async def test_log_contact_dialog_in_six_taps_then_today(app, chat, team, clock):
    _, ivan, _ = team
    client = await make_client(app, "ООО «Ромашка»", ivan, tier=Tier.A)
    me = chat(ivan.telegram_id, language_code="en")
    # A first contact from the card makes the client "recent".
    sent = await me.send("ромашка")
    sent = await me.click(last_with_buttons(sent), "✍️ Log contact")
    sent = await me.click(last_with_buttons(sent), "Call")
    outcome_step = last_with_buttons(await me.send("Discussed Q1 volumes"))
    sent = await me.send("x")  # the outcome step wants a button: the step is kept
    assert texts(sent) == ["Please choose with the buttons above, or /cancel."]
    assert texts(await me.send("/cancel")) == ["Cancelled. Nothing was saved."]
    sent = await me.click(outcome_step, "👎 Negative")  # a stale button after /cancel
    assert alerts(sent) == ["This is not available to you (or no longer exists)."]
    sent = await me.send("ромашка")
    sent = await me.click(last_with_buttons(sent), "✍️ Log contact")
    sent = await me.click(last_with_buttons(sent), "Call")
    sent = await me.send("Discussed Q1 volumes")
    sent = await me.click(last_with_buttons(sent), "➖ Neutral")
    await me.click(last_with_buttons(sent), "No next step")

    # The common path: /log, a recent client, a channel, an outcome, a date button.
    taps = 0
    sent = await me.send("/log")
    sent = await me.click(last_with_buttons(sent), "ООО «Ромашка»")
    taps += 1
    sent = await me.click(last_with_buttons(sent), "Visit")
    taps += 1
    sent = await me.send("Met the buyer")
    sent = await me.click(last_with_buttons(sent), "👍 Positive")
    taps += 1
    sent = await me.send("Send the offer")
    sent = await me.click(last_with_buttons(sent), "Tomorrow")
    taps += 1
    assert taps <= 6
    assert texts(sent)[0].startswith("Contact logged. Next step 24.11.2026: Send the offer")
    async with app.database.read() as s:
        repos = Repos(s)
        follow_up = await repos.follow_ups.next_for_client(client.id)
        contacts, total = await repos.contacts.timeline(client.id, offset=0, limit=10)
    assert follow_up.due_date == date(2026, 11, 24) and follow_up.status is FollowUpStatus.OPEN
    assert total == 2 and contacts[0].text == "Met the buyer"

    assert "Nothing due" in texts(await me.send("/today"))[0]
    clock.set(clock() + timedelta(days=1))
    sent = await me.send("/today")
    assert texts(sent)[0] == (
        "Agenda for 24.11.2026 (1):\n1. ООО «Ромашка» — Send the offer (today)"
    )
    sent = await me.click(last_with_buttons(sent), "1")
    assert texts(sent)[0].startswith("ООО «Ромашка» · A ★")
    clock.set(clock() + timedelta(days=20))
    agenda = texts(await me.send("/today"))[0]
    assert "1. ООО «Ромашка» — Send the offer (overdue by 20 days)" in agenda
    assert "2. ООО «Ромашка» — contact 7 days overdue (tier A)" in agenda


async def test_quick_form_unique_and_ambiguous(app, chat, team, clock):
    _, ivan, _ = team
    await make_client(app, "ООО «Ромашка»", ivan)
    await make_client(app, "Лютик Север", ivan)
    await make_client(app, "Лютик Юг", ivan)
    me = chat(ivan.telegram_id, language_code="en")
    sent = await me.send("/log Ромашка: discussed Q1 volumes; next: send offer +2")
    assert texts(sent)[0].startswith("Contact logged. Next step 25.11.2026: send offer")
    sent = await me.send("/log Лютик: call about prices; next: call back завтра 10:00")
    assert texts(sent) == ['Several clients match "Лютик". Which one?']
    sent = await me.click(last_with_buttons(sent), "Лютик Юг")
    assert texts(sent)[0].startswith("Contact logged. Next step 24.11.2026 10:00: call back")
    assert texts(await me.send("/log no colon here")) == [
        "Write it as /log Client: what happened; next: next step +2"
    ]


async def test_bad_dates_keep_the_step(app, chat, team):
    _, _, olga = team  # she speaks Russian
    await make_client(app, "ООО «Ромашка»", olga)
    me = chat(olga.telegram_id, language_code="ru")
    sent = await me.send("ромашка")
    sent = await me.click(last_with_buttons(sent), "✍️ Контакт")
    sent = await me.click(last_with_buttons(sent), "Звонок")
    sent = await me.send("x" * 4001)
    assert texts(sent) == ["Слишком длинный текст (не больше 4000 символов). Пришлите короче."]
    sent = await me.send("Поговорили")
    sent = await me.click(last_with_buttons(sent), "👍 Хорошо")
    await me.send("Перезвонить")
    assert texts(await me.send("когда-нибудь"))[0].startswith("Не понимаю дату")
    assert texts(await me.send("20.11.2026")) == [
        "Этот момент уже прошёл. Пришлите дату в будущем."
    ]
    assert texts(await me.send("31.02")) == ["Такой даты нет. Пришлите другую."]
    sent = await me.send("пт 11:00")
    assert texts(sent)[0].startswith(
        "Контакт записан. Следующий шаг 27.11.2026 11:00: Перезвонить"
    )


async def test_forged_callbacks_for_another_managers_client_change_nothing(app, chat, team):
    _, ivan, olga = team
    theirs = await make_client(app, "Чужой клиент", olga)
    me = chat(ivan.telegram_id, language_code="en")
    for data in (
        f"cl:o:{theirs.id}:0",
        f"cl:l:{theirs.id}:0",
        f"cl:s:{theirs.id}:0",
        f"cl:h:{theirs.id}:0",
        f"cl:w:{theirs.id}:0",
        f"cl:W:{theirs.id}:{ivan.id}",
        f"lg:c:{theirs.id}",
        f"cl:y:{theirs.id}:0",
    ):
        sent = await me.press(None, data)
        assert alerts(sent) == ["This is not available to you (or no longer exists)."], data
    assert texts(await me.send("/history Чужой")) == ['Nothing found for "Чужой".']
    async with app.database.read() as s:
        assert (await Repos(s).clients.get(theirs.id)).owner_id == olga.id


async def test_supervisor_sees_team_read_only_and_reassigns(app, chat, team, session):
    boss, ivan, olga = team
    client = await make_client(app, "ООО «Ромашка»", ivan)
    ivan_chat = chat(ivan.telegram_id, language_code="en")
    await ivan_chat.send("/log Ромашка: talked; next: send offer +2")
    boss_chat = chat(boss.telegram_id, language_code="en")
    sent = await boss_chat.send("ромашка")
    buttons = [t for t, _ in last_with_buttons(sent).inline_buttons]
    assert "✍️ Log contact" not in buttons and "🔁 Reassign" in buttons
    sent = await boss_chat.press(None, f"cl:l:{client.id}:0")  # read-only: no logging
    assert alerts(sent) == ["This is not available to you (or no longer exists)."]
    sent = await boss_chat.click(last_with_buttons(await boss_chat.send("ромашка")), "🔁 Reassign")
    sent = await boss_chat.click(last_with_buttons(sent), "Olga Manager")
    sent = await boss_chat.click(last_with_buttons(sent), "✅ Yes, hand over")
    assert "Manager: Olga Manager" in texts(sent)[0]
    async with app.database.read() as s:
        repos = Repos(s)
        follow_up = await repos.follow_ups.next_for_client(client.id)
        owed = [r for r in await repos.outbox.list() if r.kind == "handover"]
        audit = await repos.audit.history("client", client.id)
    assert follow_up.owner_id == olga.id
    assert {r.chat_id for r in owed} == {ivan.telegram_id, olga.telegram_id}
    assert {r.status for r in owed} == {OutboxStatus.PENDING}
    assert audit[-1].action == "reassign" and audit[-1].changes["owner_id"] == [ivan.id, olga.id]
    assert texts(await ivan_chat.send("ромашка")) == ['Nothing found for "ромашка".']


async def test_deactivated_manager_clients_go_to_supervisor(app, chat, team, admin):
    boss, ivan, _ = team
    await make_client(app, "ООО «Ромашка»", ivan)
    await admin.send("/start")
    sent = await admin.send("/users")
    sent = await admin.click(last_with_buttons(sent), lambda t: t.startswith("Ivan Manager"))
    sent = await admin.click(last_with_buttons(sent), "Deactivate")
    await admin.click(last_with_buttons(sent), "Yes, deactivate")
    async with app.database.read() as s:
        repos = Repos(s)
        owned = await repos.clients.owned_by(boss.id)
        asked = [r for r in await repos.outbox.list() if r.kind == "handover_deactivated"]
    assert [c.name for c in owned] == ["ООО «Ромашка»"]
    assert asked and "Ivan Manager was deactivated; their 1 clients" in asked[0].payload["text"]


async def test_persons_opportunity_competitor_and_history(app, chat, team, admin):
    _, ivan, _ = team
    client = await make_client(app, "ООО «Ромашка»", ivan)
    me = chat(ivan.telegram_id, language_code="en")
    card = last_with_buttons(await me.send("ромашка"))
    sent = await me.click(card, "👤 Persons")
    sent = await me.click(last_with_buttons(sent), "➕ Add a person")
    sent = await me.send_contact("+7 900 123-45-67", "Пётр")
    sent = await me.send("Закупщик")
    sent = await me.click(last_with_buttons(sent), "decision maker")
    sent = await me.click(last_with_buttons(sent), "Skip")  # no email
    assert "• Пётр, Закупщик (decision maker) +7 900 123-45-67" in texts(sent)[0]

    sent = await me.click(last_with_buttons(sent), "💼 Opportunity")
    await me.send("Q1 volume contract")
    assert texts(await me.send("a lot")) == [
        "That is not an amount. Write a number such as 1 250 000 or 99500,50."
    ]
    await me.send("1 250 000,50")
    sent = await me.send("31.12.2026")
    assert "• Q1 volume contract — 1,250,000.50\u00a0₽, Lead, 31.12.2026" in texts(sent)[0]
    sent = await me.click(last_with_buttons(sent), "⚙ Q1 volume contract")
    sent = await me.click(last_with_buttons(sent), "Negotiation")
    assert "Negotiation" in texts(sent)[0]

    sent = await me.click(last_with_buttons(sent), "🥊 Competitor")
    await me.send("Конкурент-Опт")
    await me.send("Offered 5% off")
    sent = await me.send("990")
    assert "• Конкурент-Опт: Offered 5% off (990.00\u00a0₽)" in texts(sent)[0]

    await me.send("/log Ромашка: first call")
    await me.send("/log Ромашка: second call")
    history = texts(await me.send("/history ромашка"))[0]
    assert history.index("second call") < history.index("first call")

    # An admin erases the person's personal data on request; the history stays.
    async with app.database.read() as s:
        [person] = await Repos(s).persons.of_client(client.id)
    await admin.send("/start")
    sent = await admin.press(None, f"cl:e:{client.id}:{person.id}")
    async with app.database.read() as s:
        erased = await Repos(s).persons.get(person.id)
        audit = await Repos(s).audit.history("person", person.id)
    assert erased.is_erased and erased.phone is None and "Пётр" not in erased.full_name
    assert audit[-1].action == "erase"
    sent = await me.press(None, f"cl:e:{client.id}:{person.id}")  # a manager may not erase
    assert alerts(sent) == ["This is not available to you (or no longer exists)."]


async def test_edit_card_fields_and_holding_sums_members(app, chat, team):
    _, ivan, _ = team
    parent = await make_client(app, "ГК Цветы", ivan, inn="7707083893")
    member = await make_client(app, "ООО «Ромашка»", ivan, inn="7736207543")
    me = chat(ivan.telegram_id, language_code="en")
    card = last_with_buttons(await me.send("ромашка"))
    sent = await me.click(card, "✏️ Edit")
    sent = await me.click(last_with_buttons(sent), "A — key")
    assert texts(sent)[0].startswith("ООО «Ромашка» · A")
    sent = await me.click(last_with_buttons(sent), "✏️ Edit")
    sent = await me.click(last_with_buttons(sent), "★ Make it a key client")
    assert texts(sent)[0].startswith("ООО «Ромашка» · A ★\n")
    sent = await me.click(last_with_buttons(sent), "✏️ Edit")
    sent = await me.click(last_with_buttons(sent), "☆ Not a key client")
    assert texts(sent)[0].startswith("ООО «Ромашка» · A\n")  # no star any more
    sent = await me.click(last_with_buttons(sent), "✏️ Edit")
    await me.click(last_with_buttons(sent), "КПП")
    assert "not a valid КПП" in texts(await me.send("12"))[0]
    assert "КПП 773601001" in texts(await me.send("773601001"))[0]
    sent = await me.click(last_with_buttons(await me.send("ромашка")), "✏️ Edit")
    await me.click(last_with_buttons(sent), "Holding")
    sent = await me.send("цветы")
    sent = await me.click(last_with_buttons(sent), "ГК Цветы")
    assert "Holding: ГК Цветы" in texts(sent)[0]

    await me.send("/log Ромашка: talked")
    async with app.database.transaction() as s:
        from decimal import Decimal

        from storage.dto import OpportunityCreate

        await Repos(s).opportunities.add(
            OpportunityCreate(
                client_id=member.id, owner_id=ivan.id, title="Deal", amount=Decimal("1000")
            ),
            actor_id=ivan.id,
            now=app.clock(),
        )
        await Repos(s).opportunities.add(
            OpportunityCreate(
                client_id=parent.id, owner_id=ivan.id, title="Big", amount=Decimal("500.50")
            ),
            actor_id=ivan.id,
            now=app.clock(),
        )
    holding_card = texts(await me.send("цветы"))[0]
    assert (
        "The holding has 1 company: ООО «Ромашка». Open pipeline of the group: "
        "1,500.50\u00a0₽" in holding_card
    )
    async with app.database.read() as s:
        changes = [e.changes for e in await Repos(s).audit.history("client", member.id)]
    assert {"tier": ["B", "A"]} in changes and {"holding_id": [None, parent.id]} in changes


async def test_edit_person_fields(app, chat, team):
    _, ivan, _ = team
    client = await make_client(app, "ООО «Ромашка»", ivan)
    async with app.database.transaction() as s:
        from storage.dto import PersonCreate

        person = await Repos(s).persons.add(
            PersonCreate(client_id=client.id, full_name="Пётр Петров"),
            actor_id=ivan.id,
            now=app.clock(),
        )
    me = chat(ivan.telegram_id, language_code="en")
    sent = await me.click(last_with_buttons(await me.send("ромашка")), "👤 Persons")
    sent = await me.click(last_with_buttons(sent), "✏️ Пётр Петров")
    await me.click(last_with_buttons(sent), "Birthday")
    assert texts(await me.send("31.02.1980")) == [
        "Write the birthday as DD.MM.YYYY, for example 05.03.1980."
    ]
    await me.send("05.03.1980")
    sent = await me.click(last_with_buttons(await me.send("ромашка")), "👤 Persons")
    sent = await me.click(last_with_buttons(sent), "✏️ Пётр Петров")
    sent = await me.click(last_with_buttons(sent), "Role in buying")
    sent = await me.click(last_with_buttons(sent), "influencer")
    assert "• Пётр Петров (influencer)" in texts(sent)[0]
    async with app.database.read() as s:
        stored = await Repos(s).persons.get(person.id)
    assert stored.birthday == date(1980, 3, 5)


async def test_next_step_date_from_the_calendar_keyboard(app, chat, team):
    _, ivan, _ = team
    await make_client(app, "ООО «Ромашка»", ivan)
    me = chat(ivan.telegram_id, language_code="en")
    sent = await me.click(last_with_buttons(await me.send("ромашка")), "✍️ Log contact")
    sent = await me.click(last_with_buttons(sent), "Call")
    sent = await me.click(last_with_buttons(await me.send("Talked")), "➖ Neutral")
    sent = await me.send("Send the contract")
    sent = await me.click(last_with_buttons(sent), "📅 Pick a date")
    grid = last_with_buttons(sent)
    labels = [t for t, _ in grid.inline_buttons]
    assert "November 2026" in labels and "Mo" in labels and "22" not in labels  # past days hidden
    sent = await me.click(grid, "›")
    assert "December 2026" in [t for t, _ in last_with_buttons(sent).inline_buttons]
    past = await me.press(last_with_buttons(sent), "ca:d:2026:11:20")  # forged: a past day
    assert alerts(past) == ["That moment has already passed. Send a future date."]
    sent = await me.click(last_with_buttons(sent), "8")
    assert texts(sent)[0].startswith("Contact logged. Next step 08.12.2026: Send the contract")


async def test_opportunity_amount_and_close_date_edited(app, chat, team):
    _, ivan, _ = team
    client = await make_client(app, "ООО «Ромашка»", ivan)
    async with app.database.transaction() as s:
        from decimal import Decimal

        from storage.dto import OpportunityCreate

        opp = await Repos(s).opportunities.add(
            OpportunityCreate(
                client_id=client.id, owner_id=ivan.id, title="Deal", amount=Decimal("100")
            ),
            actor_id=ivan.id,
            now=app.clock(),
        )
    me = chat(ivan.telegram_id, language_code="en")
    sent = await me.click(last_with_buttons(await me.send("ромашка")), "⚙ Deal")
    await me.click(last_with_buttons(sent), "Amount")
    assert texts(await me.send("lots")) == [
        "That is not an amount. Write a number such as 1 250 000 or 99500,50."
    ]
    await me.send("2 500,50")
    sent = await me.click(last_with_buttons(await me.send("ромашка")), "⚙ Deal")
    await me.click(last_with_buttons(sent), "Close date")
    assert texts(await me.send("01.01.2020")) == [
        "That moment has already passed. Send a future date."
    ]
    card = texts(await me.send("15.01.2027"))[0]
    assert "• Deal — 2,500.50\u00a0₽, Lead, 15.01.2027" in card
    async with app.database.read() as s:
        audit = await Repos(s).audit.history("opportunity", opp.id)
    assert audit[-1].changes == {"expected_close": [None, "2027-01-15"]}
