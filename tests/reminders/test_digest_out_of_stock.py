"""The morning digest's "out of stock for your clients", with injected time: each manager's
clients with their usual products (ordered in the last 90 days) that 1C's exchange states
as out of stock everywhere, a product under each client it concerns; once a day; in both
languages; and read in one query for all the clients, whatever their number."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event, update

from bot.services.business_settings import load_settings
from bot.services.reminders import build_digests, run_digests
from bot.views.reminders.texts import ReminderTexts
from storage.dto import Role, Tier
from storage.models import Client
from storage.repositories import Repos
from tests.factories import make_client, make_user
from tests.stock_factories import add_order, add_products, put_stock

# Monday 2026-11-23 09:00 Moscow = 06:00 UTC.
MONDAY_9_MSK = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
STOCK_AT = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)


async def _run(app, now=MONDAY_9_MSK) -> int:
    async with app.database.transaction() as s:
        return await run_digests(Repos(s), now, ReminderTexts(app.translator))


async def _digests(app) -> dict[int, dict]:
    async with app.database.read() as s:
        rows = await Repos(s).outbox.list()
    return {r.user_id: r.payload for r in rows if r.kind == "digest"}


async def _catalog(app) -> dict[str, int]:
    ids = await add_products(
        app.database,
        [
            ("B-8", "Болт М8", "шт"),  # in stock
            ("B-10", "Болт М10", "шт"),  # out everywhere
            ("N-8", "Гайка М8", "кг"),  # out everywhere
            ("B-12", "Болт М12", "шт"),  # no stock data: not "out of stock"
        ],
    )
    await put_stock(
        app.database,
        {
            ids["B-8"]: {"wh-main": "0", "wh-north": "12"},
            ids["B-10"]: {"wh-main": "0", "wh-north": "0"},
            ids["N-8"]: {"wh-main": "-1"},  # 1C allows a negative balance: none to sell
        },
        now=STOCK_AT,
    )
    return ids


async def test_each_manager_hears_of_their_clients_usual_products_out_of_stock(app):
    boss = await make_user(app, 7100, Role.SUPERVISOR, name="Boss")
    ivan = await make_user(app, 7101, name="Ivan", supervisor=boss)
    olga = await make_user(app, 7102, name="Olga", supervisor=boss, language="ru")
    await _catalog(app)
    alfa = await make_client(app, "ООО «Альфа»", ivan)
    beta = await make_client(app, "ООО «Бета»", ivan)
    gamma = await make_client(app, "ООО «Гамма»", ivan)
    delta = await make_client(app, "ООО «Дельта»", olga)
    await add_order(app, alfa.id, TODAY - timedelta(days=3), ["N-8", "B-10", "B-8"], number="1")
    await add_order(app, beta.id, TODAY - timedelta(days=90), ["B-10"], number="2")
    await add_order(app, beta.id, TODAY - timedelta(days=91), ["N-8"], number="3")  # too old
    await add_order(app, gamma.id, TODAY - timedelta(days=1), ["B-8", "B-12"], number="4")
    await add_order(app, delta.id, TODAY - timedelta(days=5), ["B-10"], number="5")

    assert await _run(app) == 2  # the boss owns no client: nothing for him
    digests = await _digests(app)
    ivans = digests[ivan.id]["text"].splitlines()
    assert ivans[0] == "Good morning! Your day, 23.11.2026:"
    assert ivans[1:] == [
        "📦 Out of stock for your clients:",
        "• ООО «Альфа»: Болт М10, Гайка М8",
        "• ООО «Бета»: Болт М10",
    ]
    assert digests[ivan.id].get("reply_markup") is None  # nothing to tap
    assert digests[olga.id]["text"].splitlines()[1:] == [
        "📦 Нет в наличии для ваших клиентов:",
        "• ООО «Дельта»: Болт М10",
    ]
    assert boss.id not in digests
    # Once a day: a second run the same morning queues nothing.
    assert await _run(app, MONDAY_9_MSK + timedelta(minutes=30)) == 0


async def test_the_section_follows_the_numbered_items_and_names_the_rest_by_count(app):
    ivan = await make_user(app, 7201, name="Ivan")
    key = await make_client(app, "ООО «Ключ»", ivan, tier=Tier.A)  # never contacted: numbered
    many = await add_products(app.database, [(f"S-{n}", f"Саморез {n}", "шт") for n in range(7)])
    await put_stock(app.database, {pid: {"wh-main": "0"} for pid in many.values()}, now=STOCK_AT)
    await add_order(app, key.id, TODAY - timedelta(days=2), list(many), number="1")
    async with app.database.transaction() as s:
        await s.execute(update(Client).values(created_at=MONDAY_9_MSK - timedelta(days=60)))

    assert await _run(app) == 1
    payload = (await _digests(app))[ivan.id]
    lines = payload["text"].splitlines()
    assert lines[1:3] == [
        "Key clients waiting for a contact:",
        "1. ООО «Ключ» — contact 46 days overdue (tier A)",
    ]
    assert lines[3:] == [
        "📦 Out of stock for your clients:",
        "• ООО «Ключ»: Саморез 0, Саморез 1, Саморез 2, Саморез 3, Саморез 4 and 2 more",
    ]
    buttons = [b["text"] for row in payload["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == ["1"]  # the out-of-stock lines carry no button


async def test_the_section_is_one_query_for_all_the_clients(app):
    managers = [await make_user(app, 7300 + n, name=f"M{n}") for n in range(3)]
    await _catalog(app)

    async def add_clients(count: int, start: int) -> None:
        for n in range(count):
            owner = managers[n % len(managers)]
            client = await make_client(app, f"Клиент {start + n}", owner)
            await add_order(app, client.id, TODAY, ["B-10", "N-8"], number=f"{start + n}")

    async def statements() -> tuple[list[str], dict[int, int]]:
        seen: list[str] = []

        def record(_conn, _cursor, statement, *_args) -> None:
            seen.append(statement)

        engine = app.database.engine.sync_engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            async with app.database.read() as s:
                repos = Repos(s)
                digests = await build_digests(
                    repos, managers, MONDAY_9_MSK, await load_settings(repos)
                )
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return seen, {u: len(d.out_of_stock) for u, d in digests.items()}

    await add_clients(3, 0)
    few, listed = await statements()
    assert listed == {m.id: 1 for m in managers}
    await add_clients(30, 100)
    more, listed = await statements()
    assert listed == {m.id: 11 for m in managers}
    assert len(few) == len(more), (few, more)
    assert len([q for q in more if "stock_levels" in q]) == 1
