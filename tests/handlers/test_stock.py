"""/stock through the dispatcher, on stock and prices as 1C's site exchange writes them:
one match, several (paged), none, a product the exchange never stated stock for, the next
price change either way, both languages, the typed reply to the prompt, who may look, and
forged buttons; and the client card's usual products out of stock.

Seen on Monday 23.11.2026, 12:00 in Moscow; the offers package came at 10:30 Moscow."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.services.stock import PAGE_SIZE, query_ref
from storage.dto import Role
from tests.factories import make_client, make_user
from tests.helpers import alerts, last_with_buttons, texts
from tests.stock_factories import add_order, add_products, put_prices, put_stock

NB = "\u00a0"
STOCK_AT = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)  # 10:30 in Moscow
NOT_AVAILABLE = "This is not available to you (or no longer exists)."


@pytest.fixture
async def catalog(app) -> dict[str, int]:
    ids = await add_products(
        app.database,
        [
            ("B-8", "Болт М8", "шт"),
            ("B-10", "Болт М10", "шт"),
            ("B-12", "Болт М12", "шт"),
            ("W-12", "Шайба под B-12", "шт"),
            ("N-8", "Гайка М8", "кг"),
        ],
    )
    await put_stock(
        app.database,
        {
            ids["B-8"]: {"wh-main": "120", "wh-north": "0"},
            ids["B-10"]: {"wh-main": "0", "wh-north": "0"},
            ids["N-8"]: {"wh-north": "5.500"},
            ids["W-12"]: {"wh-main": "40"},
            # B-12: the exchange never stated its stock
        },
        now=STOCK_AT,
    )
    await put_prices(
        app.database,
        [
            (ids["B-8"], "20.00", date(2026, 11, 1)),
            (ids["B-8"], "23.00", date(2026, 12, 1)),  # up 15 %
            (ids["B-10"], "25.00", date(2026, 10, 1)),
            (ids["B-10"], "22.00", date(2026, 12, 5)),  # down 12 %
            (ids["B-12"], "30.00", date(2026, 11, 1)),
            (ids["N-8"], "410.50", date(2026, 11, 20)),
        ],
        now=STOCK_AT,
    )
    return ids


async def test_one_match_by_article_shows_stock_per_warehouse_price_and_next_change(
    app, chat, catalog
):
    ivan = await make_user(app, 9101, name="Ivan")
    [text] = texts(await chat(ivan.telegram_id, language_code="en").send("/stock B-8"))
    assert text.splitlines() == [
        "📦 Болт М8 (B-8)",
        "Stock as of 23.11.2026 10:30:",
        f"• Основной склад: 120{NB}шт",
        f"• Склад Север: 0{NB}шт",
        f"Total: 120{NB}шт",
        f"Price: 20.00{NB}₽ / шт",
        f"Next price: ↑ 23.00{NB}₽ from 01.12.2026 (+15%)",
    ]


async def test_the_same_in_russian_with_a_fall_and_in_the_users_zone(app, chat, catalog):
    olga = await make_user(app, 9102, name="Ольга", language="ru", timezone="Asia/Yekaterinburg")
    [text] = texts(await chat(olga.telegram_id).send("/stock B-10"))
    assert text.splitlines() == [
        "📦 Болт М10 (B-10)",
        "Остатки на 23.11.2026 12:30:",  # 07:30 UTC in Yekaterinburg (UTC+5)
        f"• Основной склад: 0{NB}шт",
        f"• Склад Север: 0{NB}шт",
        f"Всего: 0{NB}шт (нет в наличии)",
        f"Цена: 25,00{NB}₽ / шт",
        f"Следующая цена: ↓ 22,00{NB}₽ с 05.12.2026 (−12{NB}%)",
    ]


async def test_a_name_fragment_finds_one_product_with_a_fractional_stock(app, chat, catalog):
    ivan = await make_user(app, 9103, name="Ivan")
    [text] = texts(await chat(ivan.telegram_id, language_code="en").send("/stock гайка"))
    assert f"• Склад Север: 5.5{NB}кг" in text.splitlines()
    assert f"Price: 410.50{NB}₽ / кг" in text
    assert text.endswith("No price change scheduled.")


async def test_several_matches_list_with_buttons_and_the_article_first(app, chat, catalog):
    ivan = await make_user(app, 9104, name="Ivan")
    me = chat(ivan.telegram_id, language_code="en")
    sent = await me.send("/stock болт")
    listed = last_with_buttons(sent)
    assert listed.text.splitlines() == [
        'Products matching "болт":',
        f"1. Болт М10 (B-10) — out of stock · 25.00{NB}₽",
        f"2. Болт М12 (B-12) — no stock data · 30.00{NB}₽",
        f"3. Болт М8 (B-8) — 120{NB}шт · 20.00{NB}₽",
    ]
    assert [t for t, _ in listed.inline_buttons] == ["1. Болт М10", "2. Болт М12", "3. Болт М8"]
    opened = texts(await me.click(listed, "3. Болт М8"))
    assert opened[0].startswith("📦 Болт М8 (B-8)\nStock as of 23.11.2026 10:30:")

    # The exact article first, then the names holding it.
    sent = await me.send("/stock B-12")
    listed = last_with_buttons(sent)
    assert listed.text.splitlines()[1:] == [
        f"1. Болт М12 (B-12) — no stock data · 30.00{NB}₽",
        f"2. Шайба под B-12 (W-12) — 40{NB}шт · —",
    ]
    # A product whose stock the exchange never stated says so, not "0".
    [text] = texts(await me.click(listed, "1. Болт М12"))
    assert text.splitlines() == [
        "📦 Болт М12 (B-12)",
        "No stock data from 1C.",
        f"Price: 30.00{NB}₽ / шт",
        "No price change scheduled.",
    ]


async def test_nothing_found_and_the_prompt_answered_by_a_typed_reply(app, chat, catalog):
    ivan = await make_user(app, 9105, name="Ivan")
    me = chat(ivan.telegram_id, language_code="en")
    assert texts(await me.send("/stock ничего такого")) == ['No product matches "ничего такого".']
    # Punctuation alone matches no name (it is not "any name"), only an article.
    assert texts(await me.send("/stock -")) == ['No product matches "-".']
    assert texts(await me.send("/stock")) == [
        "Which product? Send its article or a part of its name."
    ]
    [text] = texts(await me.send("B-8"))
    assert text.startswith("📦 Болт М8 (B-8)")
    # The dialog is over: plain text searches clients again.
    assert texts(await me.send("B-8")) == ['Nothing found for "B-8".']


async def test_many_matches_are_paged_and_an_older_lists_page_is_refused(app, chat):
    ivan = await make_user(app, 9106, name="Ivan", language="ru")
    names = [f"Винт {n:02d}" for n in range(1, 2 * PAGE_SIZE + 3)]
    await add_products(app.database, [(f"V-{n}", name, "шт") for n, name in enumerate(names)])
    me = chat(ivan.telegram_id)
    first = last_with_buttons(await me.send("/stock винт"))
    assert first.text.splitlines()[0] == "Товары по запросу «винт» (стр. 1):"
    assert [t for t, _ in first.inline_buttons][-1] == "▶"
    assert len(first.inline_buttons) == PAGE_SIZE + 1
    second = last_with_buttons(await me.click(first, "▶"))
    assert second.text.splitlines()[0] == "Товары по запросу «винт» (стр. 2):"
    n = PAGE_SIZE + 1
    assert (
        second.text.splitlines()[1]
        == f"{n}. Винт {n:02d} (V-{n - 1}) — нет данных об остатках · —"
    )
    assert [t for t, _ in second.inline_buttons][-2:] == ["◀", "▶"]
    third = last_with_buttons(await me.click(second, "▶"))
    assert len(third.text.splitlines()) == 1 + 2  # the last two
    assert [t for t, _ in third.inline_buttons][-1] == "◀"
    back = last_with_buttons(await me.click(third, "◀"))
    assert back.text == second.text

    # A newer search: the older list's page buttons no longer page (the query has changed).
    await me.send("/stock винт 0")
    stale = await me.press(first, f"sk:p:0:1:{query_ref('винт')}")
    assert alerts(stale) == ["Этот список устарел: отправьте /stock ещё раз."]
    assert [s.name for s in stale] == ["AnswerCallbackQuery"]  # the list left as it was


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
async def test_supervisors_and_admins_look_stock_up_too(app, chat, catalog, role):
    user = await make_user(app, {Role.SUPERVISOR: 9111, Role.ADMIN: 9112}[role], role)
    [text] = texts(await chat(user.telegram_id, language_code="en").send("/stock B-8"))
    assert text.startswith("📦 Болт М8 (B-8)")


async def test_a_department_member_is_refused_even_by_a_forged_button(app, chat, catalog):
    member = await make_user(app, 9120, Role.DEPARTMENT, name="Quality")
    me = chat(member.telegram_id, language_code="en")
    assert texts(await me.send("/stock B-8")) == [NOT_AVAILABLE]
    assert texts(await me.send("/stock")) == [NOT_AVAILABLE]
    for data in (f"sk:o:{catalog['B-8']}:0:0", f"sk:p:0:0:{query_ref('болт')}"):
        sent = await me.press(None, data)
        assert alerts(sent) == [NOT_AVAILABLE], data
        assert not [t for t in texts(sent) if "Болт" in t]


async def test_forged_buttons_are_answered_not_available(app, chat, catalog):
    ivan = await make_user(app, 9121, name="Ivan")
    me = chat(ivan.telegram_id, language_code="en")
    for data in ("sk:o:0:0:0", "sk:o:2147483646:0:0", "sk:o:99999999999:0:0", "sk:zz:1:0:0"):
        sent = await me.press(None, data)
        assert alerts(sent) == [NOT_AVAILABLE], data
        assert not [t for t in texts(sent) if "📦" in t], data
    # A page of a list never shown to this user: no query kept for it.
    sent = await me.press(None, f"sk:p:0:1:{query_ref('болт')}")
    assert alerts(sent) == ["This list is out of date: send /stock again."]


async def test_the_list_and_the_product_read_a_fixed_number_of_statements(app, chat, catalog):
    from tests.handlers.test_screen_statements import statements

    ivan = await make_user(app, 9122, name="Ivan")
    me = chat(ivan.telegram_id, language_code="en")
    await me.send("/help")
    with statements(app) as few:
        await me.send("/stock болт")
    await add_products(app.database, [(f"B-{n}x", f"Болт доп {n}", "шт") for n in range(5)])
    with statements(app) as more:
        await me.send("/stock болт")
    assert len(few) == len(more)
    with statements(app) as product:
        await me.send("/stock B-8")
    # The update's first read, BEGIN, the search, the stock per warehouse, the prices.
    assert len(product) == 5, product


# --- the client card ----------------------------------------------------------------------


async def test_the_card_lists_the_usual_products_out_of_stock(app, chat, catalog):
    ivan = await make_user(app, 9130, name="Ivan")
    client = await make_client(app, "ООО «Ромашка»", ivan)
    other = await make_client(app, "ООО «Лютик»", ivan)
    more = await add_products(
        app.database,
        [("S-1", "Саморез 1", "шт"), ("S-2", "Саморез 2", "шт"), ("S-3", "Саморез 3", "шт")],
    )
    await put_stock(app.database, {pid: {"wh-main": "0"} for pid in more.values()}, now=STOCK_AT)
    today = date(2026, 11, 23)
    await add_order(app, client.id, today - timedelta(days=10), ["B-10", "B-8"], number="1")
    await add_order(app, client.id, today - timedelta(days=90), ["S-1", "B-12"], number="2")
    await add_order(app, client.id, today - timedelta(days=91), ["S-2"], number="3")  # too old
    me = chat(ivan.telegram_id, language_code="en")

    [card] = texts(await me.press(None, f"cl:o:{client.id}:0"))
    assert "📦 Out of stock of the usual products: Болт М10, Саморез 1" in card.splitlines()

    await add_order(app, client.id, today, ["S-2", "S-3"], number="4")
    [card] = texts(await me.press(None, f"cl:o:{client.id}:0"))
    assert (
        "📦 Out of stock of the usual products: Болт М10, Саморез 1, Саморез 2 and 1 more"
        in card.splitlines()
    )
    # In stock, never stated, or nothing ordered: no such line.
    await add_order(app, other.id, today, ["B-8", "B-12"], number="5")
    [card] = texts(await me.press(None, f"cl:o:{other.id}:0"))
    assert "📦" not in card

    ru = await make_user(app, 9131, name="Иван", language="ru")
    mine = await make_client(app, "ООО «Ключ»", ru)
    await add_order(app, mine.id, today, ["B-10"], number="6")
    [card] = texts(await chat(ru.telegram_id).press(None, f"cl:o:{mine.id}:0"))
    assert "📦 Нет в наличии из обычных товаров: Болт М10" in card.splitlines()
