"""Claims through the dispatcher: the dialog with an album, routing to a department's chat
or members, status transitions allowed and refused, strangers in the group, questions by
ForceReply, access, deadline reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from aiogram.types import Chat, Document, Message, PhotoSize, Update, User

from bot.runtime.outbox_sender import DeliveryConfig, OutboxSender
from bot.services.claims import run_claim_reminders
from bot.views.claims.texts import ClaimTexts
from storage.dto import Role
from storage.repositories import Repos
from tests.factories import make_client, make_user
from tests.helpers import BOT_ID, alerts, last_with_buttons, texts

GROUP = -1001234567890


@pytest.fixture
async def company(app):
    boss = await make_user(app, 8000, Role.SUPERVISOR, name="Boss")
    ivan = await make_user(app, 8001, name="Ivan", supervisor=boss)
    quality = await make_user(app, 8002, Role.DEPARTMENT, name="Quinn Quality")
    client = await make_client(app, "ООО «Ромашка»", ivan)
    async with app.database.transaction() as s:
        repos = Repos(s)
        department = await repos.departments.create("Quality", now=app.clock())
        await repos.departments.set_categories(department.id, ["quality", "damaged"])
        await repos.departments.add_member(department.id, quality.id)
    return boss, ivan, quality, client, department


def _photo(client, file_id: str, media_group: str | None) -> Update:
    message = client.message(
        None,
        photo=[
            PhotoSize(file_id=file_id, file_unique_id=file_id + "u", width=90, height=90),
            PhotoSize(
                file_id=file_id + "-big", file_unique_id=file_id + "b", width=900, height=900
            ),
        ],
        media_group_id=media_group,
    )
    from tests.helpers import _update_ids

    return Update(update_id=next(_update_ids), message=message)


async def _register(chat, ivan, *, album: bool = True):
    me = chat(ivan.telegram_id, language_code="en")
    sent = await me.send("/claim ромашка")
    sent = await me.click(last_with_buttons(sent), "ООО «Ромашка»")
    sent = await me.click(last_with_buttons(sent), "None")
    sent = await me.click(last_with_buttons(sent), "Quality")
    sent = await me.send("Half of the batch is scratched")
    done_prompt = last_with_buttons(await me.send("12 500,00"))
    if album:
        for n in range(3):
            await me.send_update(_photo(me, f"ph{n}", "album-1"))
        await me.send_update_message(
            document=Document(file_id="doc1", file_unique_id="d1", file_name="act.pdf")
        )
    sent = await me.click(done_prompt, "Done")
    assert not album or "Attachments: 4" in texts(sent)[0], texts(sent)
    sent = await me.click(last_with_buttons(sent), "✅ Register the claim")
    return me, sent


async def test_register_with_album_routes_to_members_with_attachments(
    app, chat, company, session, bot
):
    _, ivan, quality, _, _ = company
    _, sent = await _register(chat, ivan)
    assert texts(sent)[0].startswith(
        f"Claim CL-{app.clock().year}-0001 registered and sent to the department."
    )
    assert "Internal deadline 07.12.2026, legal answer deadline 23.12.2026" in texts(sent)[0]
    async with app.database.read() as s:
        [row] = [r for r in await Repos(s).outbox.list() if r.kind == "claim_new"]
    assert row.chat_id == quality.telegram_id
    assert [f["file_id"] for f in row.payload["files"]] == [
        "ph0-big",
        "ph1-big",
        "ph2-big",
        "doc1",
    ]
    await OutboxSender(
        bot, app.database, app.translator, app.clock, DeliveryConfig(private_interval=0)
    ).drain()
    names = [s.name for s in session.sent if s.chat_id == quality.telegram_id]
    assert names == ["SendMediaGroup", "SendDocument", "SendMessage"]
    card = [s for s in session.sent if s.chat_id == quality.telegram_id][-1]
    assert [t for t, _ in card.inline_buttons] == [
        "▶️ Take it",
        "✅ Resolve",
        "⛔ Reject",
        "❓ Ask a question",
    ]


async def test_transitions_history_manager_told_and_refusals(app, chat, company):
    _, ivan, quality, _, _ = company
    await _register(chat, ivan, album=False)
    async with app.database.read() as s:
        [line] = await Repos(s).claims.lines(
            managers=None, departments=None, state="open", today=app.clock().date()
        )
    claim_id = line.claim.id
    member = chat(quality.telegram_id, language_code="en")
    me = chat(ivan.telegram_id, language_code="en")
    assert alerts(await me.press(None, f"cm:{claim_id}:t")) == [
        "You may not do this with this claim."
    ]
    sent = await member.press(None, f"cm:{claim_id}:t")
    assert "Status: in progress" in texts(sent)[0]
    replay = await member.press(None, f"cm:{claim_id}:t")  # the same button again
    assert alerts(replay) == [
        "This claim cannot move that way now (it may have been moved already)."
    ]
    await member.press(None, f"cm:{claim_id}:r")  # asks for the resolution
    await member.send("Batch replaced")
    card = texts(await member.press(None, f"cm:{claim_id}:o"))[0]
    assert (
        "Status: resolved" in card and "History:" in card and "Quinn Quality: in progress" in card
    )
    sent = await me.press(None, f"cm:{claim_id}:p")  # the manager reopens it
    assert "Status: in progress" in texts(sent)[0]
    async with app.database.read() as s:
        told = [
            r
            for r in await Repos(s).outbox.list()
            if r.kind == "claim_status" and r.chat_id == ivan.telegram_id
        ]
    assert [r.payload["text"] for r in told] == [
        "Claim CL-2026-0001: in progress (Quinn Quality).",
        "Claim CL-2026-0001: resolved (Quinn Quality).\nResolution: Batch replaced",
    ]
    stranger = await make_user(app, 8009, name="Other manager")
    assert alerts(await chat(stranger.telegram_id).press(None, f"cm:{claim_id}:o")) == [
        "You may not act on this claim."
    ]


async def test_department_group_chat_strangers_and_questions(app, chat, company, dp, bot, session):
    _, ivan, quality, _, department = company
    admin = await make_user(app, 8010, Role.ADMIN, name="Admin")
    group = Chat(id=GROUP, type="supergroup", title="Quality")

    def in_group(user_id: int, text: str, **extra) -> Update:
        from tests.helpers import _update_ids

        message = Message(
            message_id=next(_update_ids),
            date=datetime.now(UTC),
            chat=group,
            from_user=User(id=user_id, is_bot=False, first_name="X", language_code="en"),
            text=text,
            **extra,
        )
        return Update(update_id=next(_update_ids), message=message)

    await dp.feed_update(bot, in_group(admin.telegram_id, f"/claims_chat {department.id}"))
    assert session.sent[-1].text == "Claims of Quality will come to this chat."
    await _register(chat, ivan, album=False)
    async with app.database.read() as s:
        [row] = [r for r in await Repos(s).outbox.list() if r.kind == "claim_new"]
        [line] = await Repos(s).claims.lines(
            managers=None, departments=None, state="open", today=app.clock().date()
        )
    assert row.chat_id == GROUP
    claim_id = line.claim.id
    group_message = Message(
        message_id=5,
        date=datetime.now(UTC),
        chat=group,
        from_user=User(id=BOT_ID, is_bot=True, first_name="KAM"),
        text="claim",
    )
    from aiogram.types import CallbackQuery

    from tests.helpers import _update_ids

    before = len(session.sent)
    await dp.feed_update(
        bot,
        Update(
            update_id=next(_update_ids),
            callback_query=CallbackQuery(
                id="1",
                from_user=User(id=999_999, is_bot=False, first_name="Eve"),
                chat_instance="g",
                message=group_message,
                data=f"cm:{claim_id}:t",
            ),
        ),
    )
    # A stranger in the group presses the claim's button: told they may not act.
    assert alerts(session.sent[before:]) == ["Вы не можете действовать по этой претензии."]
    # The member asks a question in the group by replying to the bot's ForceReply prompt.
    member = chat(quality.telegram_id, language_code="en")
    sent = await member.press(None, f"cm:{claim_id}:q")
    prompt = [s for s in sent if s.name == "SendMessage"][-1]
    assert prompt.text == "❓ Your question or comment on claim CL-2026-0001"
    reply_to = Message(
        message_id=prompt.result.message_id,
        date=datetime.now(UTC),
        chat=group,
        from_user=User(id=BOT_ID, is_bot=True, first_name="KAM"),
        text=prompt.text,
    )
    await dp.feed_update(
        bot, in_group(quality.telegram_id, "Which batch number?", reply_to_message=reply_to)
    )
    assert session.sent[-1].text == "Sent: claim CL-2026-0001."
    async with app.database.read() as s:
        events = await Repos(s).claims.events(claim_id)
        asked = [r for r in await Repos(s).outbox.list() if r.kind == "claim_comment"]
    assert events[-1][0].kind == "question" and events[-1][0].text == "Which batch number?"
    assert asked[0].chat_id == ivan.telegram_id
    # The group becomes a supergroup with a new id: claims follow it.
    await dp.feed_update(bot, in_group(admin.telegram_id, "", migrate_to_chat_id=-100999))
    async with app.database.read() as s:
        assert (await Repos(s).departments.get(department.id)).chat_id == -100999


async def test_claims_list_filters_and_deadline_reminders(app, chat, company):
    boss, ivan, _, _, _ = company
    await _register(chat, ivan, album=False)
    me = chat(ivan.telegram_id, language_code="en")
    listing = texts(await me.send("/claims"))[0]
    assert listing.startswith(
        "Claims (open): 1\n1. CL-2026-0001 · ООО «Ромашка» · new · 14 days left"
    )
    async with app.database.read() as s:
        [line] = await Repos(s).claims.lines(
            managers=None, departments=None, state="open", today=app.clock().date()
        )
    days = {}
    start = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)  # two business days before 07.12 (Monday)
    for offset in range(30):
        now = start + timedelta(days=offset)
        async with app.database.transaction() as s:
            days[now.date()] = await run_claim_reminders(
                Repos(s), now, app.translator, ClaimTexts(app.translator)
            )
    async with app.database.read() as s:
        reminded = [r for r in await Repos(s).outbox.list() if r.kind == "claim_reminder"]
    keys = sorted({r.key.split(":")[2] + ":" + r.key.split(":")[3] for r in reminded})
    assert keys == [
        f"{line.claim.id}:internal-soon",
        f"{line.claim.id}:internal-today",
        f"{line.claim.id}:legal-passed",
        f"{line.claim.id}:legal-soon",
    ]
    legal = [r for r in reminded if "legal" in r.key]
    assert {r.chat_id for r in legal} == {ivan.telegram_id, boss.telegram_id}
    app.clock.set(datetime(2026, 12, 10, 9, 0, tzinfo=UTC))
    sent = await me.click(last_with_buttons(await me.send("/claims")), "overdue")
    assert (
        texts(sent)[0]
        == "Claims (overdue): 1\n1. CL-2026-0001 · ООО «Ромашка» · new · 3 days late"
    )


async def test_digest_lists_claims_near_or_past_their_deadline(app, chat, company):
    from bot.services.reminders import run_digests
    from bot.views.reminders.texts import ReminderTexts

    _, ivan, _, _, _ = company
    await _register(chat, ivan, album=False)  # internal deadline 07.12.2026
    async with app.database.transaction() as s:
        assert (
            await run_digests(
                Repos(s), datetime(2026, 11, 30, 6, 30, tzinfo=UTC), ReminderTexts(app.translator)
            )
            == 0
        )
    async with app.database.transaction() as s:
        assert (
            await run_digests(
                Repos(s), datetime(2026, 12, 8, 6, 30, tzinfo=UTC), ReminderTexts(app.translator)
            )
            == 1
        )
        [row] = [r for r in await Repos(s).outbox.list() if r.kind == "digest"]
    assert (
        "Claims with a deadline near or past:\n1. CL-2026-0001 · ООО «Ромашка»: 1 day late"
        in row.payload["text"]
    )
    me = chat(ivan.telegram_id, language_code="en")
    assert texts(await me.press(None, "rm:c:1:o:0")) == ["Claim of ООО «Ромашка»:"]


async def test_claim_about_a_shipment_and_in_the_clients_history(app, chat, company, tmp_path):
    from bot.services.erp_import import run_import
    from tests.erp.files import csv_1c

    _, ivan, _, client, _ = company
    async with app.database.transaction() as s:
        from sqlalchemy import update

        from storage.models import Client

        await s.execute(update(Client).where(Client.id == client.id).values(external_id="К-1"))
    path = csv_1c(
        tmp_path / "s.csv",
        ["Номер", "Дата", "Код контрагента", "Сумма"],
        [["Р-7", "01.11.2026", "К-1", "900,00"]],
    )
    await run_import(
        app.database,
        "shipments",
        path,
        file_name="s.csv",
        snapshot=False,
        actor_id=None,
        now=app.clock(),
        texts=app.translator,
    )
    me = chat(ivan.telegram_id, language_code="en")
    sent = await me.click(last_with_buttons(await me.send("/claim ромашка")), "ООО «Ромашка»")
    sent = await me.click(last_with_buttons(sent), "Shipment Р-7")
    sent = await me.click(last_with_buttons(sent), "Damaged goods")
    await me.send("Broken pallets")
    done = last_with_buttons(await me.send("100"))
    sent = await me.click(done, "Done")
    await me.click(last_with_buttons(sent), "✅ Register the claim")
    async with app.database.read() as s:
        [line] = await Repos(s).claims.lines(
            managers=None, departments=None, state="open", today=app.clock().date()
        )
    assert line.claim.shipment_id is not None and line.claim.category == "damaged"
    history = texts(await me.send("/history ромашка"))[0]
    assert "📝 claim CL-2026-0001 · 100.00\u00a0₽ · new" in history
    assert "🚚 shipment Р-7" in history


async def test_admin_sets_up_a_department_in_the_chat(app, chat, company, admin):
    await admin.send("/start")
    newcomer = await make_user(app, 8050, Role.DEPARTMENT, name="Dora Logistics")
    sent = await admin.send("/claims settings")
    sent = await admin.click(last_with_buttons(sent), "➕ New department")
    sent = await admin.send("Logistics")
    sent = await admin.click(last_with_buttons(sent), "Logistics")
    sent = await admin.click(last_with_buttons(sent), "▫️ Delivery date")
    labels = [t for t, _ in last_with_buttons(sent).inline_buttons]
    assert "✅ Delivery date" in labels and "➕ Dora Logistics" in labels
    assert "➕ Ivan" not in labels  # only users with the department-member role
    sent = await admin.click(last_with_buttons(sent), "➕ Dora Logistics")
    assert "Members: Dora Logistics" in texts(sent)[0]
    async with app.database.read() as s:
        repos = Repos(s)
        logistics = await repos.departments.for_category("delivery_date")
        members = await repos.departments.members(logistics.id)
    assert [m.id for m in members] == [newcomer.id]
