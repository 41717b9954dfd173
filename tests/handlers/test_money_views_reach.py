"""Every way into a client's debts reaches the same view with its payment claim, and every
order of /orders opens with one tap (issue 14, item 8)."""

from __future__ import annotations

from aiogram.methods import SendDocument

from storage.repositories import Repos
from tests.factories import make_client
from tests.handlers.test_erp_screens import people  # noqa: F401  (the ERP company)
from tests.helpers import alerts, last_with_buttons, texts


async def test_several_matches_for_debts_give_a_list_that_opens_the_debts_view(app, chat, people):
    _, ivan, _ = people
    await make_client(app, "Ромашка-Юг, АО", ivan)
    me = chat(ivan.telegram_id, language_code="en")
    l10n = app.translator.get("en")

    sent = await me.send("/debts ромашка")

    assert texts(sent) == [l10n("search-found", count=2, query="ромашка")]
    sent = await me.click(last_with_buttons(sent), lambda t: t.endswith("ООО «Ромашка»"))
    [view] = [s for s in sent if s.name == "SendMessage"]
    assert "Р-1" in view.text and "Credit limit" in view.text
    assert [t for t, _ in view.inline_buttons] == [l10n("payment-claim-prepare")]
    letter = await me.click(view, l10n("payment-claim-prepare"))
    assert any(isinstance(s.method, SendDocument) for s in letter)


async def test_the_cards_debts_button_opens_the_view_with_its_payment_claim(app, chat, people):
    _, ivan, _ = people
    me = chat(ivan.telegram_id, language_code="en")
    l10n = app.translator.get("en")
    typed = next(s for s in await me.send("/debts ромашка") if s.name == "SendMessage")

    card = last_with_buttons(await me.send("ромашка"))
    sent = await me.click(card, l10n("card-btn-debts"))

    [view] = [s for s in sent if s.name == "SendMessage"]
    assert view.text == typed.text
    assert view.inline_buttons == typed.inline_buttons


async def test_orders_open_with_a_tap(app, chat, people):
    _, ivan, _ = people
    me = chat(ivan.telegram_id, language_code="en")

    listing = last_with_buttons(await me.send("/orders"))
    numbers = [t for t, _ in listing.inline_buttons if t.isdigit()]
    assert numbers == ["1", "2"]  # №4600 and №4512, as the list numbers them

    opened = texts(await me.click(listing, "2"))

    assert opened == texts(await me.send("/order 4512"))


async def test_several_matches_for_orders_open_that_clients_orders(app, chat, people):
    _, ivan, _ = people
    await make_client(app, "Ромашка-Юг, АО", ivan)
    me = chat(ivan.telegram_id, language_code="en")

    listing = last_with_buttons(await me.send("/orders ромашка"))
    sent = await me.click(listing, lambda t: t.endswith("ООО «Ромашка»"))

    assert texts(sent)[0].startswith(app.translator.get("en")("orders-title", total=2))


async def test_a_forged_order_button_reveals_nothing(app, chat, people):
    _, ivan, _ = people
    async with app.database.read() as s:
        from storage.erp import ErpRepo

        [lutiks] = await ErpRepo(s).orders_by_number("4700", None)
    me = chat(ivan.telegram_id, language_code="en")
    refused = app.translator.get("en")("error-not-available")
    for data in (f"od:{lutiks.id}", "od:999999"):
        sent = await me.press(None, data)
        assert alerts(sent) == [refused]
        assert not [s for s in sent if s.name == "SendMessage"]
    async with app.database.read() as s:
        assert await Repos(s).clients.search("лютик", None, None, 5)  # still there, unseen
