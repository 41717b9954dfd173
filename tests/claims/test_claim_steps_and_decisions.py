"""Claims, issue 14 items 4 and 9: an album answered once with its count; «нет» / "none"
typed at the order step; a confirmation and cards that show every field, the order
included; buttons offered only to whom they are allowed, per role; Resolve and Reject ask
for the resolution or the reason (ForceReply, also in a group), keep it and tell it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from aiogram.methods import EditMessageText, SendMessage
from aiogram.types import (
    Chat,
    Document,
    ForceReply,
    Message,
    MessageEntity,
    PhotoSize,
    Update,
    Voice,
)
from aiogram.types import User as TgUser
from sqlalchemy import select, update

from bot.services.money import format_money
from storage.dto import ClaimCreate, ClaimDTO, Role, UserDTO
from storage.models import Claim, Order, User
from storage.repositories import Repos
from tests.factories import make_client, make_user
from tests.helpers import (
    BOT_ID,
    ChatClient,
    RecordingSession,
    Sent,
    _update_ids,
    alerts,
    last_with_buttons,
    texts,
)

GROUP = -1001234567890
ORDER_DAY = date(2026, 11, 20)


@pytest.fixture
async def company(app):
    boss = await make_user(app, 8100, Role.SUPERVISOR, name="Boss")
    ivan = await make_user(app, 8101, name="Ivan", supervisor=boss)
    quinn = await make_user(app, 8102, Role.DEPARTMENT, name="Quinn Quality")
    anna = await make_user(app, 8103, Role.ADMIN, name="Anna Admin")
    client = await make_client(app, "ООО «Ромашка»", ivan)
    async with app.database.transaction() as s:
        repos = Repos(s)
        department = await repos.departments.create("Quality", now=app.clock())
        await repos.departments.set_categories(department.id, ["quality", "damaged"])
        await repos.departments.add_member(department.id, quinn.id)
        s.add(
            Order(
                number="4512",
                order_date=ORDER_DAY,
                client_id=client.id,
                status="Принят",
                amount=Decimal("50000.00"),
                currency="RUB",
                updated_at=app.clock(),
            )
        )
    return {
        "boss": boss,
        "ivan": ivan,
        "quinn": quinn,
        "anna": anna,
        "department": department,
        "client": client,
    }


async def _speaks(app, person: UserDTO, language: str) -> None:
    async with app.database.transaction() as s:
        await s.execute(update(User).where(User.id == person.id).values(language=language))


def _photo(me: ChatClient, file_id: str, media_group: str | None) -> Update:
    message = me.message(
        None,
        photo=[PhotoSize(file_id=file_id, file_unique_id=file_id + "u", width=900, height=900)],
        media_group_id=media_group,
    )
    return Update(update_id=next(_update_ids), message=message)


async def _to_files(me: ChatClient, l10n, *, order: str | None = None) -> Sent:
    """Through the dialog up to the files step; returns the message with Done."""
    sent = await me.send("/claim ромашка")
    sent = await me.click(last_with_buttons(sent), "ООО «Ромашка»")
    if order is None:
        sent = await me.click(last_with_buttons(sent), l10n("claim-related-none"))
    else:
        sent = await me.send(order)
    sent = await me.click(last_with_buttons(sent), l10n("claim-category-quality"))
    await me.send("Half of the batch is scratched")
    return last_with_buttons(await me.send("12 500,00"))


async def _register(me: ChatClient, l10n, *, order: str | None = None) -> list[Sent]:
    done = await _to_files(me, l10n, order=order)
    sent = await me.click(done, l10n("claim-files-done"))
    return await me.click(last_with_buttons(sent), l10n("claim-confirm"))


async def _only_claim(app) -> ClaimDTO:
    """The latest claim, whatever its status."""
    async with app.database.read() as s:
        row = await s.scalar(select(Claim).order_by(Claim.id.desc()).limit(1))
        return ClaimDTO.model_validate(row)


# --- item 4: an album at the photo step ------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "single", "album", "second_album"),
    [
        (
            "en",
            "Attached: 1.",
            "2 photos from the album attached, 3 files in all. Send more or press Done.",
            "1 photo from the album attached, 4 files in all. Send more or press Done.",
        ),
        (
            "ru",
            "Приложено: 1.",
            "Приложено 2 фото из альбома, всего файлов: 3. Пришлите ещё или нажмите «Готово».",
            "Приложено 1 фото из альбома, всего файлов: 4. Пришлите ещё или нажмите «Готово».",
        ),
    ],
)
async def test_an_album_is_answered_once_with_the_count(
    app, chat, company, session: RecordingSession, language, single, album, second_album
):
    me = chat(company["ivan"].telegram_id, language_code=language)
    await _speaks(app, company["ivan"], language)
    l10n = app.translator.get(language)
    done = await _to_files(me, l10n)
    assert texts(
        await me.send_update_message(
            document=Document(file_id="doc1", file_unique_id="d1", file_name="act.pdf")
        )
    ) == [single]

    first = await me.send_update(_photo(me, "ph1", "album-1"))
    second = await me.send_update(_photo(me, "ph2", "album-1"))

    answers = [s for s in first + second if isinstance(s.method, SendMessage)]
    edits = [s for s in first + second if isinstance(s.method, EditMessageText)]
    assert len(answers) == 1, [s.text for s in first + second]
    assert [e.method.message_id for e in edits] == [answers[0].result.message_id]
    assert edits[-1].text == album
    # Another album gets its own answer; the first one's is left as it was.
    third = await me.send_update(_photo(me, "ph3", "album-2"))
    assert [s.name for s in third] == ["SendMessage"] and third[0].text == second_album
    sent = await me.click(done, l10n("claim-files-done"))
    await me.click(last_with_buttons(sent), l10n("claim-confirm"))
    async with app.database.read() as s:
        claim = await _only_claim(app)
        files = await Repos(s).claims.attachments(claim.id)
    assert [f for _, f in files] == ["doc1", "ph1", "ph2", "ph3"]


async def test_single_photo_document_and_voice_are_answered_as_before(app, chat, company):
    me = chat(company["ivan"].telegram_id, language_code="en")
    await _to_files(me, app.translator.get("en"))
    assert texts(await me.send_update(_photo(me, "solo", None))) == ["Attached: 1."]
    assert texts(
        await me.send_update_message(
            document=Document(file_id="doc", file_unique_id="d", file_name="act.pdf")
        )
    ) == ["Attached: 2."]
    assert texts(
        await me.send_update_message(voice=Voice(file_id="v", file_unique_id="v", duration=3))
    ) == ["Attached: 3."]


async def test_an_album_of_documents_counts_files(app, chat, company):
    me = chat(company["ivan"].telegram_id, language_code="en")
    await _to_files(me, app.translator.get("en"))
    sent = []
    for n in (1, 2):
        document = Document(file_id=f"d{n}", file_unique_id=f"d{n}", file_name=f"{n}.pdf")
        sent += await me.send_update_message(document=document, media_group_id="docs")
    assert [s.name for s in sent] == ["SendMessage", "EditMessageText"]
    assert sent[-1].text == "2 files from the album attached, 2 in all. Send more or press Done."


# --- item 9: the order step, the confirmation, the cards ----------------------------------


async def test_typing_none_at_the_order_step_means_no_order(app, chat, company):
    me = chat(company["ivan"].telegram_id, language_code="en")
    l10n = app.translator.get("en")  # the user's language is English (make_user)
    for typed in ("нет", "Нет", " НЕТ ", "none", "None", "NO", "-", "—"):
        sent = await me.send("/claim ромашка")
        sent = await me.click(last_with_buttons(sent), "ООО «Ромашка»")
        assert '"none"' in texts(sent)[0]

        sent = await me.send(typed)

        assert texts(sent) == [l10n("claim-ask-category")], typed
        sent = await me.click(last_with_buttons(sent), l10n("claim-category-quality"))
        await me.send("Scratched")
        done = last_with_buttons(await me.send("100"))
        confirm = texts(await me.click(done, l10n("claim-files-done")))[0]
        assert "Order: none" in confirm, typed


async def test_the_russian_order_step_invites_net_and_takes_it(app, chat, company):
    ivan = company["ivan"]
    await _speaks(app, ivan, "ru")
    me = chat(ivan.telegram_id, language_code="ru")
    sent = await me.click(last_with_buttons(await me.send("/claim ромашка")), "ООО «Ромашка»")
    assert "«нет»" in texts(sent)[0]
    assert texts(await me.send("нет")) == ["Вид претензии?"]


async def test_the_confirmation_shows_every_field(app, chat, company):
    me = chat(company["ivan"].telegram_id, language_code="en")
    l10n = app.translator.get("en")
    done = await _to_files(me, l10n, order="№4512")
    await me.send_update(_photo(me, "p1", None))
    await me.send_update(_photo(me, "p2", None))

    confirm = texts(await me.click(done, l10n("claim-files-done")))[0]

    assert confirm.splitlines() == [
        "Check the claim, then register it:",
        "Client: ООО «Ромашка»",
        "Order: 4512 of 20.11.2026",
        "Category: Quality",
        "Amount claimed: " + format_money(Decimal("12500.00"), "RUB", "en"),
        "Attachments: 2",
        "What is wrong: Half of the batch is scratched",
    ]


async def test_the_russian_confirmation_without_order_or_amount(app, chat, company):
    ivan = company["ivan"]
    await _speaks(app, ivan, "ru")
    me = chat(ivan.telegram_id, language_code="ru")
    l10n = app.translator.get("ru")
    sent = await me.click(last_with_buttons(await me.send("/claim ромашка")), "ООО «Ромашка»")
    sent = await me.send("нет")
    sent = await me.click(last_with_buttons(sent), l10n("claim-category-quality"))
    sent = await me.send("Царапины на половине партии")
    sent = await me.click(last_with_buttons(sent), l10n("button-skip"))
    confirm = texts(await me.click(last_with_buttons(sent), l10n("claim-files-done")))[0]
    assert confirm.splitlines() == [
        "Проверьте претензию и зарегистрируйте её:",
        "Клиент: ООО «Ромашка»",
        "Заказ: не указан",
        "Категория: Качество",
        "Сумма требования: не указана",
        "Вложений: 0",
        "Суть претензии: Царапины на половине партии",
    ]


async def test_the_cards_show_the_order(app, chat, company, dp, bot):
    me = chat(company["ivan"].telegram_id, language_code="en")
    await _register(me, app.translator.get("en"), order="4512")
    claim = await _only_claim(app)
    assert claim.order_id is not None
    # The department's message (its member's language).
    async with app.database.read() as s:
        [routed] = [r for r in await Repos(s).outbox.list() if r.kind == "claim_new"]
    assert "Order: 4512 of 20.11.2026" in routed.payload["text"]
    # /claims → the card, for the manager and for the department member.
    listing = last_with_buttons(await me.send("/claims"))
    card = texts(await me.click(listing, lambda t: claim.number in t))[0]
    assert "Order: 4512 of 20.11.2026" in card
    member = chat(company["quinn"].telegram_id, language_code="en")
    assert "Order: 4512 of 20.11.2026" in texts(await member.press(None, f"cm:{claim.id}:o"))[0]
    # A group-bound department gets the same line, in the company's language.
    async with app.database.transaction() as s:
        await Repos(s).departments.set_chat(company["department"].id, GROUP)
    await _register(me, app.translator.get("en"), order="4512")
    async with app.database.read() as s:
        [group_card] = [r for r in await Repos(s).outbox.list() if r.chat_id == GROUP]
    assert "Заказ: 4512 от 20.11.2026" in group_card.payload["text"]


# --- item 9: buttons per role, one rule for the keyboard and the handler -------------------

CODES = ("t", "r", "x", "p", "a", "q")
NAMES = {
    "▶️ Take it": "t",
    "✅ Resolve": "r",
    "⛔ Reject": "x",
    "🔁 Reopen": "p",
    "📨 The client answered": "a",
    "❓ Ask a question": "q",
}


async def _outgoing(app, company) -> int:
    async with app.database.transaction() as s:
        claim = await Repos(s).claims.create(
            ClaimCreate(
                direction="outgoing",
                client_id=company["client"].id,
                manager_id=company["ivan"].id,
                description="Pay the debt",
                amount=Decimal("900.00"),
                status="sent",
                legal_deadline=date(2026, 12, 23),
            ),
            actor_id=company["ivan"].id,
            now=app.clock(),
        )
    return claim.id


@pytest.mark.parametrize(
    ("direction", "status", "expected"),
    [
        (
            "incoming",
            "new",
            {
                "ivan": {"q"},
                "quinn": {"t", "r", "x", "q"},
                "boss": set(),
                "anna": {"t", "r", "x", "q"},
            },
        ),
        (
            "incoming",
            "resolved",
            {"ivan": {"p", "q"}, "quinn": {"p", "q"}, "boss": set(), "anna": {"p", "q"}},
        ),
        ("outgoing", "sent", {"ivan": {"r", "a"}, "boss": set(), "anna": {"r", "a"}}),
    ],
)
async def test_each_role_is_offered_exactly_what_it_may_do(
    app, chat, company, direction, status, expected
):
    if direction == "incoming":
        me = chat(company["ivan"].telegram_id, language_code="en")
        await _register(me, app.translator.get("en"))
        claim_id = (await _only_claim(app)).id
    else:
        claim_id = await _outgoing(app, company)
    for role, allowed in expected.items():
        person = chat(company[role].telegram_id, language_code="en")
        async with app.database.transaction() as s:
            await s.execute(update(Claim).where(Claim.id == claim_id).values(status=status))
        [card] = [s for s in await person.press(None, f"cm:{claim_id}:o") if s.text]
        offered = {NAMES[t] for t, _ in card.inline_buttons}
        assert offered == allowed, role
        for code in CODES:
            async with app.database.transaction() as s:
                await s.execute(update(Claim).where(Claim.id == claim_id).values(status=status))
            await person.send("/cancel")
            sent = await person.press(None, f"cm:{claim_id}:{code}")
            refused = bool(alerts(sent))
            assert refused == (code not in allowed), (role, code, alerts(sent))
            if code in {"r", "x", "q"} and not refused:
                prompts = [s for s in sent if isinstance(s.method, SendMessage)]
                assert [type(p.method.reply_markup) for p in prompts] == [ForceReply]


async def test_a_supervisor_is_not_offered_a_question_and_may_not_ask(app, chat, company):
    me = chat(company["ivan"].telegram_id, language_code="en")
    await _register(me, app.translator.get("en"))
    claim = await _only_claim(app)
    boss = chat(company["boss"].telegram_id, language_code="en")
    card = await boss.press(None, f"cm:{claim.id}:o")
    assert "❓ Ask a question" not in [t for s in card for t, _ in s.inline_buttons]
    sent = await boss.press(None, f"cm:{claim.id}:q")
    assert alerts(sent) == ["You may not do this with this claim."]
    assert not [s for s in sent if isinstance(s.method, SendMessage)]


# --- item 9: Resolve and Reject ask for the resolution or the reason -----------------------


async def test_resolve_asks_for_the_resolution_keeps_it_and_tells_the_manager(app, chat, company):
    me = chat(company["ivan"].telegram_id, language_code="en")
    await _register(me, app.translator.get("en"))
    claim = await _only_claim(app)
    member = chat(company["quinn"].telegram_id, language_code="en")

    sent = await member.press(None, f"cm:{claim.id}:r")

    [prompt] = [s for s in sent if isinstance(s.method, SendMessage)]
    assert isinstance(prompt.method.reply_markup, ForceReply)
    assert prompt.text == (
        f"✅ How was claim {claim.number} resolved? Reply to this message: the resolution "
        "goes into the claim's history and to its manager."
    )
    assert (await _only_claim(app)).status == "new"  # nothing changes on the tap itself

    sent = await member.send("Batch replaced, the client confirmed")

    assert texts(sent)[0] == f"Saved: claim {claim.number} is resolved."
    assert (await _only_claim(app)).status == "resolved"
    async with app.database.read() as s:
        repos = Repos(s)
        events = await repos.claims.events(claim.id)
        told = [
            r.payload["text"]
            for r in await repos.outbox.list()
            if r.kind == "claim_status" and r.chat_id == company["ivan"].telegram_id
        ]
    assert (events[-1][0].to_status, events[-1][0].text) == (
        "resolved",
        "Batch replaced, the client confirmed",
    )
    assert told == [
        f"Claim {claim.number}: resolved (Quinn Quality).\n"
        "Resolution: Batch replaced, the client confirmed"
    ]
    card = texts(await me.press(None, f"cm:{claim.id}:o"))[0]
    assert "Resolution: Batch replaced, the client confirmed" in card
    assert "Quinn Quality: resolved — Batch replaced, the client confirmed" in card
    # The same button again: refused, no new prompt; a later text is not a resolution.
    replay = await member.press(None, f"cm:{claim.id}:r")
    assert alerts(replay) == [
        "This claim cannot move that way now (it may have been moved already)."
    ]
    assert not [s for s in replay if isinstance(s.method, SendMessage)]
    await member.send("Another resolution")
    async with app.database.read() as s:
        assert len(await Repos(s).claims.events(claim.id)) == len(events)


async def test_a_command_or_menu_button_instead_of_the_reason_leaves_the_step(app, chat, company):
    me = chat(company["ivan"].telegram_id, language_code="en")
    await _register(me, app.translator.get("en"))
    claim = await _only_claim(app)
    member = chat(company["quinn"].telegram_id, language_code="en")
    outside = texts(await member.send("/claims"))
    await member.press(None, f"cm:{claim.id}:x")

    assert texts(await member.send("/claims")) == outside
    await member.send("Not our fault after all")

    assert (await _only_claim(app)).status == "new"
    await member.press(None, f"cm:{claim.id}:x")
    button = app.translator.get("en")("menu-claims")
    assert texts(await member.send(button)) == outside
    assert (await _only_claim(app)).status == "new"


def _group_message(user: UserDTO, text: str, **extra) -> Message:
    return Message(
        message_id=next(_update_ids),
        date=datetime.now(UTC),
        chat=Chat(id=GROUP, type="supergroup", title="Quality"),
        from_user=TgUser(id=user.telegram_id, is_bot=False, first_name="Q", language_code="en"),
        text=text,
        **extra,
    )


async def test_reject_in_the_department_group_asks_by_force_reply(
    app, chat, company, dp, bot, session
):
    me = chat(company["ivan"].telegram_id, language_code="en")
    await _register(me, app.translator.get("en"))
    claim = await _only_claim(app)
    quinn = company["quinn"]
    member = chat(quinn.telegram_id, language_code="en")
    member.chat = Chat(id=GROUP, type="supergroup", title="Quality")
    card = Message(
        message_id=77,
        date=datetime.now(UTC),
        chat=member.chat,
        from_user=TgUser(id=BOT_ID, is_bot=True, first_name="KAM"),
        text="claim card",
    )
    source = Sent(method=SendMessage(chat_id=GROUP, text="card"), result=card)

    sent = await member.press(source, f"cm:{claim.id}:x")

    [prompt] = [s for s in sent if isinstance(s.method, SendMessage)]
    assert prompt.chat_id == GROUP
    markup = prompt.method.reply_markup
    assert isinstance(markup, ForceReply) and markup.selective
    # Selective: only the member who pressed is asked, by a mention of them.
    [mention] = prompt.method.entities
    assert mention.type == "text_mention" and mention.user.id == quinn.telegram_id
    assert prompt.text.startswith("Quinn Quality, ⛔ Why is claim ")
    # Privacy mode: the bot sees the reply to its prompt (and commands), nothing else.
    before = len(session.sent)
    await dp.feed_update(
        bot,
        Update(
            update_id=next(_update_ids),
            message=_group_message(
                quinn, "Damaged while the client unloaded", reply_to_message=prompt.result
            ),
        ),
    )
    answered = session.sent[before:]
    assert (await _only_claim(app)).status == "rejected"
    assert f"Saved: claim {claim.number} is rejected." in texts(answered)
    [edited] = [s for s in answered if isinstance(s.method, EditMessageText)]
    assert (edited.chat_id, edited.method.message_id) == (GROUP, 77)
    assert "Reason for rejection: Damaged while the client unloaded" in edited.text
    assert [t for t, _ in edited.inline_buttons] == ["🔁 Reopen", "❓ Ask a question"]
    async with app.database.read() as s:
        told = [
            r.payload["text"]
            for r in await Repos(s).outbox.list()
            if r.kind == "claim_status" and r.chat_id == company["ivan"].telegram_id
        ]
    assert told == [
        f"Claim {claim.number}: rejected (Quinn Quality).\n"
        "Reason for rejection: Damaged while the client unloaded"
    ]


async def test_a_command_replying_to_the_prompt_in_the_group_is_not_the_reason(
    app, chat, company, dp, bot, session
):
    me = chat(company["ivan"].telegram_id, language_code="en")
    await _register(me, app.translator.get("en"))
    claim = await _only_claim(app)
    quinn = company["quinn"]
    member = chat(quinn.telegram_id, language_code="en")
    member.chat = Chat(id=GROUP, type="supergroup", title="Quality")
    sent = await member.press(None, f"cm:{claim.id}:r")
    [prompt] = [s for s in sent if isinstance(s.method, SendMessage)]
    for text in ("/claims@kam_test_bot", "Fixed"):
        await dp.feed_update(
            bot,
            Update(
                update_id=next(_update_ids),
                message=_group_message(
                    quinn,
                    text,
                    reply_to_message=prompt.result,
                    entities=[MessageEntity(type="bot_command", offset=0, length=len(text))]
                    if text.startswith("/")
                    else None,
                ),
            ),
        )
    assert (await _only_claim(app)).status == "new"
    # /cancel in the group leaves the step too, and says so.
    await member.press(None, f"cm:{claim.id}:r")
    before = len(session.sent)
    await dp.feed_update(
        bot,
        Update(
            update_id=next(_update_ids),
            message=_group_message(
                quinn,
                "/cancel",
                entities=[MessageEntity(type="bot_command", offset=0, length=7)],
            ),
        ),
    )
    assert texts(session.sent[before:]) == [app.translator.get("en")("cancel-done")]
    await dp.feed_update(
        bot,
        Update(
            update_id=next(_update_ids),
            message=_group_message(quinn, "Fixed", reply_to_message=prompt.result),
        ),
    )
    assert (await _only_claim(app)).status == "new"


async def test_two_people_resolving_at_once_move_the_claim_once(app, chat, company):
    me = chat(company["ivan"].telegram_id, language_code="en")
    await _register(me, app.translator.get("en"))
    claim = await _only_claim(app)
    quinn = chat(company["quinn"].telegram_id, language_code="en")
    anna = chat(company["anna"].telegram_id, language_code="en")
    await quinn.press(None, f"cm:{claim.id}:r")
    await anna.press(None, f"cm:{claim.id}:x")  # both prompts are out

    await quinn.send("Batch replaced")
    late = await anna.send("Not our fault")

    assert texts(late) == ["This claim cannot move that way now (it may have been moved already)."]
    async with app.database.read() as s:
        events = await Repos(s).claims.events(claim.id)
    assert [(e.to_status, e.text) for e, _ in events] == [
        ("new", None),
        ("resolved", "Batch replaced"),
    ]
