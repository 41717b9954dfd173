"""/stock <product or article>: stock per warehouse, the price, the next price change."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.runtime.i18n import L10n
from bot.runtime.update_scope import READS_ONLY
from bot.services import stock
from bot.services.local_time import user_today
from bot.views.stock.callbacks import StockAction, StockCallback
from bot.views.stock.keyboards import matches_keyboard
from bot.views.stock.states import StockStates
from bot.views.stock.texts import matches_text, product_stock_text
from handlers.util import refuse, say, show
from storage.dto import UserDTO
from storage.repositories import Repos

# The dialog data key of the query a list's page buttons page through.
QUERY_KEY = "stock_query"


async def cmd_stock(
    message: Message,
    command: CommandObject,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    stock.check_access(user)
    query = stock.clean_query(command.args or "")
    if not query:
        await state.set_state(StockStates.query)
        await message.answer(l10n("stock-ask"))
        return
    await _answer(message, query, repos, user, l10n, state, now)


async def on_stock_query(
    message: Message, repos: Repos, user: UserDTO, l10n: L10n, state: FSMContext, now: datetime
) -> None:
    """The product typed after /stock asked for one."""
    query = stock.clean_query(message.text or "")
    if not query:
        await message.answer(l10n("stock-ask"))
        return
    await state.clear()
    await _answer(message, query, repos, user, l10n, state, now)


async def _answer(
    message: Message,
    query: str,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    today = user_today(user, now)
    matches = await stock.find_products(repos, user, query, today=today)
    if len(matches.items) == 1:
        item = matches.items[0]
        product = await stock.product_stock(repos, user, item.product_id, today=today, item=item)
        await message.answer(product_stock_text(product, l10n, user))
        return
    if matches.has_next:
        await state.update_data({QUERY_KEY: query})
    await message.answer(matches_text(matches, l10n, user), reply_markup=matches_keyboard(matches))


async def on_stock_open(
    callback: CallbackQuery,
    callback_data: StockCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
) -> None:
    product = await stock.product_stock(
        repos, user, callback_data.product_id, today=user_today(user, now)
    )
    await callback.answer()
    await say(callback, product_stock_text(product, l10n, user))


async def on_stock_page(
    callback: CallbackQuery,
    callback_data: StockCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    stock.check_access(user)
    query = (await state.get_data()).get(QUERY_KEY)
    if not isinstance(query, str) or stock.query_ref(query) != callback_data.ref:
        await refuse(callback, l10n("stock-list-stale"))
        return
    matches = await stock.find_products(
        repos, user, query, today=user_today(user, now), page=callback_data.page
    )
    await show(callback, matches_text(matches, l10n, user), matches_keyboard(matches))


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(cmd_stock, Command("stock"), flags=READS_ONLY)
    r.message.register(on_stock_query, StockStates.query, F.text, flags=READS_ONLY)
    r.callback_query.register(
        on_stock_open, StockCallback.filter(F.action == StockAction.OPEN), flags=READS_ONLY
    )
    r.callback_query.register(
        on_stock_page, StockCallback.filter(F.action == StockAction.PAGE), flags=READS_ONLY
    )
    return r
