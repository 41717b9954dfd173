"""The ABC screens through the dispatcher: the figures of tests/analytics/company.py, who
sees which clients, writing the classes into tiers (audited, changed clients only) and
forged buttons refused on the server."""

from __future__ import annotations

import pytest

from storage.dto import Tier
from storage.repositories import Repos
from tests.analytics.company import build_company
from tests.helpers import alerts, last_with_buttons, texts

NOT_AVAILABLE = "This is not available to you (or no longer exists)."
NBSP = "\u00a0"


@pytest.fixture
async def company(app, tmp_path):
    return await build_company(app, tmp_path)


async def _abc(client, period: str, subject: str):
    sent = await client.send("/plan")
    sent = await client.click(last_with_buttons(sent), "📊 ABC")
    sent = await client.click(last_with_buttons(sent), lambda t: t.startswith(period))
    return await client.click(last_with_buttons(sent), subject)


async def _tiers(app, *clients) -> list[str]:
    async with app.database.read() as s:
        repos = Repos(s)
        return [(await repos.clients.get(c.id)).tier.value for c in clients]


async def test_supervisor_sees_the_teams_abc_and_writes_it_into_tiers(app, chat, company):
    c = company
    lead = chat(c.boss.telegram_id, language_code="en")
    sent = await lead.send("/plan")
    sent = await lead.click(last_with_buttons(sent), "📊 ABC")
    assert texts(sent) == ["ABC analysis: for which period?"]
    assert [t for t, _ in last_with_buttons(sent).inline_buttons] == [
        "This month · 11.2026",
        "This quarter · Q4 2026",
        "Last quarter · Q3 2026",
        "This year · 2026",
    ]
    sent = await lead.click(last_with_buttons(sent), "This quarter · Q4 2026")
    assert texts(sent) == ["ABC analysis, Q4 2026: of clients or of products?"]
    sent = await lead.click(last_with_buttons(sent), "👥 Clients")
    assert texts(sent)[0].splitlines() == [
        "📊 ABC of clients by shipped revenue, Q4 2026",
        f"Revenue: 1,000,000.00{NBSP}₽",
        "",
        f"A: 2 clients, 80% of revenue (800,000.00{NBSP}₽)",
        f"• Альфа — 500,000.00{NBSP}₽ (50%)",
        f"• Бета — 300,000.00{NBSP}₽ (30%)",
        "",
        f"B: 1 client, 15% of revenue (150,000.00{NBSP}₽)",
        f"• Гамма — 150,000.00{NBSP}₽ (15%)",
        "",
        f"C: 3 clients, 5% of revenue (40,000.00{NBSP}₽)",
        f"• Дельта — 50,000.00{NBSP}₽ (5%)",
        f"• Эпсилон — 0.00{NBSP}₽ (0%)",
        f"• Зета — −10,000.00{NBSP}₽ (0%)",
        "",
        "Clients whose tier would change: 5.",
    ]
    result = last_with_buttons(sent)
    sent = await lead.click(result, "✍️ Write into tiers")
    assert texts(sent) == [
        "Write the ABC classes of Q4 2026 into the clients' tiers? 5 clients change "
        "(to A: 2, to B: 1, to C: 2). Each change is audited."
    ]
    assert await _tiers(app, c.alfa, c.beta, c.gamma, c.delta, c.epsilon) == [
        "C",
        "C",
        "A",
        "A",
        "B",
    ]  # nothing written before the confirmation
    sent = await lead.click(last_with_buttons(sent), "✅ Yes, write")
    written = texts(sent)[0].splitlines()
    assert written[0] == "✅ Tiers written: 5 clients changed."
    assert written[-1] == "Clients whose tier would change: 0."
    assert "✍️ Write into tiers" not in [t for t, _ in last_with_buttons(sent).inline_buttons]
    assert await _tiers(app, c.alfa, c.beta, c.gamma, c.delta, c.epsilon, c.zeta, c.omega) == [
        "A",
        "A",
        "B",
        "C",
        "C",
        "C",
        "B",  # Olga's client is not the boss's team: untouched
    ]
    async with app.database.read() as s:
        repos = Repos(s)
        alfa = await repos.audit.history("client", c.alfa.id)
        zeta = await repos.audit.history("client", c.zeta.id)
    assert alfa[-1].changes == {"tier": ["C", "A"]} and alfa[-1].actor_id == c.boss.id
    assert [h.action for h in zeta] == ["create"]  # unchanged: not written
    # Pressing "yes" again (a replayed or stale button) changes nothing more.
    again = await lead.press(None, "ab:y:c:q")
    assert "✅ Tiers written: 0 clients changed." in texts(again)[0]


async def test_products_abc_and_the_admins_view(app, chat, company):
    c = company
    lead = chat(c.boss.telegram_id, language_code="en")
    sent = await _abc(lead, "This quarter", "📦 Products")
    assert texts(sent)[0].splitlines()[:9] == [
        "📊 ABC of products by ordered revenue, Q4 2026",
        f"Revenue: 1,000.00{NBSP}₽",
        "",
        f"A: 2 products, 90% of revenue (900.00{NBSP}₽)",
        f"• Гвозди — 600.00{NBSP}₽ (60%)",
        f"• Шурупы — 300.00{NBSP}₽ (30%)",
        "",
        f"B: 1 product, 10% of revenue (100.00{NBSP}₽)",
        f"• Болты — 100.00{NBSP}₽ (10%)",
    ]
    assert "Write into tiers" not in str(last_with_buttons(sent).inline_buttons)
    # The admin sees Olga's client too: Омега 2 000 000 of 3 000 000.
    admin = chat(c.admin.telegram_id, language_code="en")
    text = texts(await _abc(admin, "This quarter", "👥 Clients"))[0].splitlines()
    assert text[1] == f"Revenue: 3,000,000.00{NBSP}₽"
    assert text[3:6] == [
        f"A: 2 clients, 83.3% of revenue (2,500,000.00{NBSP}₽)",
        f"• Омега — 2,000,000.00{NBSP}₽ (66.7%)",
        f"• Альфа — 500,000.00{NBSP}₽ (16.7%)",
    ]


async def test_a_manager_sees_own_clients_only_and_cannot_write_tiers(app, chat, company):
    c = company
    ivan = chat(c.ivan.telegram_id, language_code="en")
    sent = await _abc(ivan, "This month", "👥 Clients")
    lines = texts(sent)[0].splitlines()
    assert lines[:6] == [
        "📊 ABC of clients by shipped revenue, 11.2026",
        f"Revenue: 300,000.00{NBSP}₽",
        "",
        f"A: 1 client, 100% of revenue (300,000.00{NBSP}₽)",
        f"• Бета — 300,000.00{NBSP}₽ (100%)",
        "",
    ]
    assert not any("tier" in line for line in lines)
    assert [t for t, _ in last_with_buttons(sent).inline_buttons] == ["📦 Products", "« Periods"]
    for data in ("ab:y:c:q", "ab:a:c:q", "ab:s:c:zz", "ab:s:x:q", "ab:z:c:q", "ab:p:c:9"):
        assert alerts(await ivan.press(None, data)) == [NOT_AVAILABLE], data
    assert await _tiers(app, c.alfa, c.gamma) == ["C", "A"]
    # The other team's supervisor writes only their own team's client.
    other = chat(c.other_boss.telegram_id, language_code="en")
    sent = await other.press(None, "ab:y:c:q")
    assert texts(sent)[0].startswith("✅ Tiers written: 1 client changed.")
    assert await _tiers(app, c.omega, c.alfa, c.gamma) == [Tier.A.value, "C", "A"]


async def test_russian_abc_and_no_revenue(app, chat, company):
    olga = chat(company.olga.telegram_id, language_code="ru")
    sent = await _abc(olga, "Этот квартал", "👥 Клиенты")
    assert texts(sent)[0].splitlines()[:5] == [
        "📊 ABC клиентов по отгрузкам, 4 кв. 2026",
        f"Выручка: 2{NBSP}000{NBSP}000,00{NBSP}₽",
        "",
        f"A: 1 клиент, 100{NBSP}% выручки (2{NBSP}000{NBSP}000,00{NBSP}₽)",
        f"• Омега — 2{NBSP}000{NBSP}000,00{NBSP}₽ (100{NBSP}%)",
    ]
    sent = await _abc(olga, "Прошлый квартал", "📦 Товары")
    assert texts(sent) == [
        "📊 ABC товаров по заказам, 3 кв. 2026\n"
        "В этом периоде выручки нет: классифицировать нечего."
    ]
