"""/neworder and ➕ Order on a client's card: take a client's order in the chat (products,
quantities, delivery date, comment, summary, confirm); a chat order's view, where it is
changed or cancelled until 1C takes it. The rules are in bot.services.chat_orders."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.runtime.i18n import L10n
from bot.runtime.update_scope import READS_ONLY
from bot.services import chat_orders as orders
from bot.services.access import AccessDenied
from bot.services.chat_orders import ChatOrderError, OrderDraft, OrderItem
from bot.services.dates import DateParseError, parse_when
from bot.services.local_time import user_today
from bot.views.chat_orders import keyboards as kb
from bot.views.chat_orders import texts
from bot.views.chat_orders.callbacks import (
    ChatOrderAction,
    ChatOrderCallback,
    NewOrderCallback,
    OrderDialogCallback,
    OrderStep,
)
from bot.views.chat_orders.states import ChatOrderStates as S
from bot.views.common.calendar import CalendarAction, CalendarCallback
from bot.views.common.clients import client_lines, search_results_text
from handlers.util import dialog_data, reply, show
from storage.dto import UserDTO
from storage.repositories import Repos

CALENDAR_YEARS = 2  # months the picker may be paged to: this year and the next


async def _send(
    event: Message | CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    edit: bool = False,
) -> None:
    """A new message (the press answered), or the pressed message edited in place."""
    if isinstance(event, CallbackQuery):
        if edit:
            await show(event, text, markup)
            return
        await event.answer()
    await reply(event, text, markup)


async def _failed(event: Message | CallbackQuery, l10n: L10n, error: ChatOrderError) -> None:
    """A rule said no: its reason in a message (an alert holds 200 characters), the step
    kept, nothing saved."""
    await _send(event, texts.error_text(l10n, error))


async def _keep(state: FSMContext, draft: OrderDraft) -> None:
    await state.set_data(draft.model_dump(mode="json"))


# --- the start: whose order ------------------------------------------------------------------


def _new_order_for(client_id: int) -> CallbackData:
    return NewOrderCallback(client_id=client_id)


async def cmd_neworder(
    message: Message,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
    command: CommandObject | None = None,
) -> None:
    query = ((command.args if command else None) or "").strip()
    if not query:
        await state.set_state(S.client)
        await state.set_data({})
        await message.answer(l10n("chat-order-ask-client"))
        return
    await _client_query(message, query, repos, user, l10n, state, now)


async def on_client_typed(
    message: Message, repos: Repos, user: UserDTO, l10n: L10n, state: FSMContext, now: datetime
) -> None:
    await _client_query(message, (message.text or "").strip(), repos, user, l10n, state, now)


async def _client_query(
    message: Message,
    query: str,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    """One client found: the dialog starts; several: a list to pick from; none: said."""
    found = await orders.find_clients(repos, user, query)
    if len(found) == 1:
        await _start(message, found[0].id, repos, user, l10n, state, now)
        return
    markup = client_lines(found, opens=_new_order_for) if found else None
    await message.answer(search_results_text(found, l10n, query), reply_markup=markup)


async def on_new_order(
    callback: CallbackQuery,
    callback_data: NewOrderCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    await _start(callback, callback_data.client_id, repos, user, l10n, state, now)


async def _start(
    event: Message | CallbackQuery,
    client_id: int,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    try:
        client = await orders.orderable_client(repos, user, client_id)
    except ChatOrderError as error:
        await _failed(event, l10n, error)
        return
    await _products(event, OrderDraft(client_id=client.id), repos, user, l10n, state, now)


# --- products and quantities ---------------------------------------------------------------


async def _products(
    event: Message | CallbackQuery,
    draft: OrderDraft,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
    notice: str | None = None,
    *,
    edit: bool = False,
) -> None:
    """The products step: what the order holds, the usual products, Done."""
    try:
        step = await orders.products_step(repos, user, draft, user_today(user, now))
    except ChatOrderError as error:  # 1C took the order being changed meanwhile
        await state.clear()
        await _failed(event, l10n, error)
        return
    await state.set_state(S.products)
    await _keep(state, draft.model_copy(update={"pending": None}))
    await _send(
        event, texts.products_text(l10n, step, notice), kb.products_keyboard(l10n, step), edit=edit
    )


async def on_product(
    callback: CallbackQuery,
    callback_data: OrderDialogCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    draft = await dialog_data(callback, state, OrderDraft, l10n)
    if draft is None:
        return
    try:
        item = await orders.product_for(repos, callback_data.item, user_today(user, now))
    except ChatOrderError as error:
        await _failed(callback, l10n, error)
        return
    await _ask_quantity(callback, draft, item, l10n, state)


async def on_product_typed(
    message: Message, repos: Repos, user: UserDTO, l10n: L10n, state: FSMContext, now: datetime
) -> None:
    """A name or an article typed: one product found is asked for at once."""
    draft = await dialog_data(message, state, OrderDraft, l10n)
    if draft is None:
        return
    query = (message.text or "").strip()
    today = user_today(user, now)
    found = await orders.find_products(repos, query, today)
    if len(found) != 1:
        markup = kb.found_keyboard(l10n, found) if found else None
        await message.answer(texts.found_text(l10n, found, query), reply_markup=markup)
        return
    try:
        item = await orders.product_for(repos, found[0].product_id, today)
    except ChatOrderError as error:
        await _failed(message, l10n, error)
        return
    await _ask_quantity(message, draft, item, l10n, state)


async def _ask_quantity(
    event: Message | CallbackQuery,
    draft: OrderDraft,
    item: OrderItem,
    l10n: L10n,
    state: FSMContext,
) -> None:
    await state.set_state(S.quantity)
    await _keep(state, draft.model_copy(update={"pending": item.product_id}))
    current = draft.quantity_of(item.product_id)
    await _send(event, texts.quantity_prompt(l10n, item, current))


async def on_quantity(
    message: Message, repos: Repos, user: UserDTO, l10n: L10n, state: FSMContext, now: datetime
) -> None:
    draft = await dialog_data(message, state, OrderDraft, l10n)
    if draft is None:
        return
    if draft.pending is None:
        raise AccessDenied  # a broken dialog: no product was asked about
    try:
        item = await orders.product_for(repos, draft.pending, user_today(user, now))
        pieces = orders.is_piece_unit(item.unit, item.unit_code)
        quantity = orders.parse_quantity(message.text or "", pieces=pieces)
        draft = orders.with_line(draft, item, quantity)
    except ChatOrderError as error:
        await _failed(message, l10n, error)
        return
    notice = texts.line_added(l10n, item, quantity)
    await _products(message, draft, repos, user, l10n, state, now, notice)


async def on_remove(
    callback: CallbackQuery,
    callback_data: OrderDialogCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    draft = await dialog_data(callback, state, OrderDraft, l10n)
    if draft is None:
        return
    draft = orders.without_line(draft, callback_data.item)
    await _products(callback, draft, repos, user, l10n, state, now, edit=True)


async def on_repeat(
    callback: CallbackQuery,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    """The client's last order in one tap: its products and quantities, today's prices."""
    draft = await dialog_data(callback, state, OrderDraft, l10n)
    if draft is None:
        return
    try:
        repeated = await orders.repeat_last(repos, user, draft, user_today(user, now))
    except ChatOrderError as error:
        await _failed(callback, l10n, error)
        return
    notice = texts.repeated_notice(l10n, repeated)
    await _products(callback, repeated.draft, repos, user, l10n, state, now, notice, edit=True)


async def on_done(
    callback: CallbackQuery,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    draft = await dialog_data(callback, state, OrderDraft, l10n)
    if draft is None:
        return
    if not draft.lines:
        await _failed(callback, l10n, ChatOrderError("chat-order-error-empty"))
        return
    today = user_today(user, now)
    await state.set_state(S.delivery)
    await _keep(state, draft.model_copy(update={"pending": None}))
    picker = await _picker(repos, l10n, draft, today, today)
    await _send(callback, l10n("chat-order-ask-delivery"), picker)


async def _picker(
    repos: Repos, l10n: L10n, draft: OrderDraft, month: date, today: date
) -> InlineKeyboardMarkup:
    keep = draft.delivery if draft.order_id is not None else None
    calendar = await orders.delivery_calendar(repos)
    return kb.delivery_keyboard(
        l10n, month.year, month.month, today, keep, business_day=calendar.is_business_day
    )


# --- delivery date and comment ---------------------------------------------------------------


async def on_calendar(
    callback: CallbackQuery,
    callback_data: CalendarCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    draft = await dialog_data(callback, state, OrderDraft, l10n)
    if draft is None:
        return
    today = user_today(user, now)
    data = callback_data
    if data.action is CalendarAction.NOOP:
        await callback.answer()
        return
    if data.action is CalendarAction.MONTH:
        year, month = (data.year, data.month) if data.month else (today.year, today.month)
        if not 1 <= month <= 12 or not today.year <= year < today.year + CALENDAR_YEARS:
            raise AccessDenied
        picker = await _picker(repos, l10n, draft, date(year, month, 1), today)
        await show(callback, l10n("chat-order-ask-delivery"), picker)
        return
    try:
        day = date(data.year, data.month, data.day)
    except ValueError:
        raise AccessDenied from None
    await _delivery(callback, draft, day, repos, user, l10n, state, now)


async def on_keep_date(
    callback: CallbackQuery,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    draft = await dialog_data(callback, state, OrderDraft, l10n)
    if draft is None:
        return
    if draft.delivery is None:
        raise AccessDenied
    await _delivery(callback, draft, draft.delivery, repos, user, l10n, state, now)


async def on_delivery_typed(
    message: Message, repos: Repos, user: UserDTO, l10n: L10n, state: FSMContext, now: datetime
) -> None:
    draft = await dialog_data(message, state, OrderDraft, l10n)
    if draft is None:
        return
    try:
        when = parse_when(message.text or "", now=now, tz=ZoneInfo(user.timezone))
    except DateParseError as exc:
        await message.answer(l10n(exc.reason))
        return
    await _delivery(message, draft, when.day, repos, user, l10n, state, now)


async def _delivery(
    event: Message | CallbackQuery,
    draft: OrderDraft,
    day: date,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    """A past day or a day off is refused, the picker kept; else the comment is asked."""
    try:
        day = await orders.delivery_day(repos, day, user_today(user, now))
    except ChatOrderError as error:
        await _failed(event, l10n, error)
        return
    draft = draft.model_copy(update={"delivery": day})
    await state.set_state(S.comment)
    await _keep(state, draft)
    keep = draft.order_id is not None and bool(draft.comment)
    await _send(event, l10n("chat-order-ask-comment"), kb.comment_keyboard(l10n, keep=keep))


async def on_comment(
    message: Message, repos: Repos, user: UserDTO, l10n: L10n, state: FSMContext, now: datetime
) -> None:
    draft = await dialog_data(message, state, OrderDraft, l10n)
    if draft is None:
        return
    text = (message.text or "").strip()
    if not text:
        await message.answer(l10n("text-error-empty"))
        return
    if len(text) > orders.MAX_COMMENT:
        await _failed(
            message, l10n, ChatOrderError("chat-order-error-comment", max=orders.MAX_COMMENT)
        )
        return
    draft = draft.model_copy(update={"comment": text})
    await _summary(message, draft, repos, user, l10n, state, now)


async def on_comment_button(
    callback: CallbackQuery,
    callback_data: OrderDialogCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    """Skip (no comment), or Keep (an order being changed keeps its comment)."""
    draft = await dialog_data(callback, state, OrderDraft, l10n)
    if draft is None:
        return
    if callback_data.step is OrderStep.SKIP_COMMENT:
        draft = draft.model_copy(update={"comment": None})
    await _summary(callback, draft, repos, user, l10n, state, now)


# --- the summary and the confirmation --------------------------------------------------------


async def _summary(
    event: Message | CallbackQuery,
    draft: OrderDraft,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    try:
        summary = await orders.summary(repos, user, draft, user_today(user, now))
    except ChatOrderError as error:  # a price gone meanwhile, say: back to the products
        notice = texts.error_text(l10n, error)
        await _products(event, draft, repos, user, l10n, state, now, notice)
        return
    await state.set_state(S.confirm)
    await _keep(state, draft)
    changing = draft.order_id is not None
    await _send(
        event, texts.summary_text(l10n, summary), kb.summary_keyboard(l10n, changing=changing)
    )


async def on_change_products(
    callback: CallbackQuery,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    draft = await dialog_data(callback, state, OrderDraft, l10n)
    if draft is None:
        return
    await _products(callback, draft, repos, user, l10n, state, now)


async def on_confirm(
    callback: CallbackQuery,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    draft = await dialog_data(callback, state, OrderDraft, l10n)
    if draft is None:
        return
    try:
        order = await orders.place_order(repos, user, draft, now=now, today=user_today(user, now))
    except ChatOrderError as error:
        notice = texts.error_text(l10n, error)
        await _products(callback, draft, repos, user, l10n, state, now, notice)
        return
    await state.clear()
    changed = draft.order_id is not None
    await _send(
        callback, texts.saved_text(l10n, order, changed=changed), kb.saved_keyboard(l10n, order)
    )


# --- a chat order's view: change, cancel -----------------------------------------------------


async def on_order_view(
    callback: CallbackQuery,
    callback_data: ChatOrderCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
) -> None:
    """The order (from /orders, the confirmation, "No, keep it" in place of the question)."""
    view = await orders.order_view(repos, user, callback_data.order_id)
    text, markup = texts.order_text(l10n, view, user), kb.order_keyboard(l10n, view)
    await _send(callback, text, markup, edit=callback_data.action is ChatOrderAction.BACK)


async def on_order_edit(
    callback: CallbackQuery,
    callback_data: ChatOrderCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    try:
        draft = await orders.draft_of(repos, user, callback_data.order_id)
    except ChatOrderError as error:
        await _failed(callback, l10n, error)
        return
    await _products(callback, draft, repos, user, l10n, state, now)


async def on_order_cancel(
    callback: CallbackQuery,
    callback_data: ChatOrderCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
) -> None:
    """✖ asks first; "Yes, cancel it" cancels, unless 1C took the order meanwhile."""
    try:
        if callback_data.action is ChatOrderAction.CANCEL:
            order = await orders.changeable_order(repos, user, callback_data.order_id)
            await show(
                callback, texts.cancel_question(l10n, order), kb.cancel_keyboard(l10n, order)
            )
            return
        order = await orders.cancel_order(repos, user, callback_data.order_id, now=now)
    except ChatOrderError as error:
        await _failed(callback, l10n, error)
        return
    view = await orders.order_view(repos, user, order.id)
    done = l10n("chat-order-cancelled", number=order.number)
    await show(callback, f"{done}\n\n{texts.order_text(l10n, view, user)}", None)


async def with_open_orders(
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    client_id: int | None,
    text: str,
    markup: InlineKeyboardMarkup,
) -> tuple[str, InlineKeyboardMarkup]:
    """/orders with the open orders taken in the chat on top (waiting for 1C, or accepted
    by it): a line and a button each."""
    found = await orders.open_orders(repos, user, client_id)
    if not found:
        return text, markup
    rows = [*kb.open_orders_rows(l10n, found), *markup.inline_keyboard]
    return f"{texts.open_orders_text(l10n, found)}\n\n{text}", InlineKeyboardMarkup(
        inline_keyboard=rows
    )


def router() -> Router:
    r = Router(name=__name__)
    step, A = OrderDialogCallback.filter, ChatOrderAction
    view = ChatOrderCallback.filter
    r.message.register(cmd_neworder, Command("neworder"))
    r.message.register(on_client_typed, S.client, F.text)
    r.callback_query.register(on_new_order, NewOrderCallback.filter())
    choosing = StateFilter(S.products, S.quantity)
    r.callback_query.register(on_product, step(F.step == OrderStep.PRODUCT), choosing)
    r.callback_query.register(on_remove, step(F.step == OrderStep.REMOVE), choosing)
    r.callback_query.register(on_repeat, step(F.step == OrderStep.REPEAT), S.products)
    r.callback_query.register(on_done, step(F.step == OrderStep.DONE), choosing)
    r.message.register(on_product_typed, S.products, F.text)
    r.message.register(on_quantity, S.quantity, F.text)
    r.callback_query.register(on_calendar, CalendarCallback.filter(), S.delivery)
    r.callback_query.register(on_keep_date, step(F.step == OrderStep.KEEP_DATE), S.delivery)
    r.message.register(on_delivery_typed, S.delivery, F.text)
    r.message.register(on_comment, S.comment, F.text)
    comment_buttons = F.step.in_({OrderStep.SKIP_COMMENT, OrderStep.KEEP_COMMENT})
    r.callback_query.register(on_comment_button, step(comment_buttons), S.comment)
    r.callback_query.register(on_change_products, step(F.step == OrderStep.CHANGE), S.confirm)
    r.callback_query.register(on_confirm, step(F.step == OrderStep.CONFIRM), S.confirm)
    r.callback_query.register(
        on_order_view, view(F.action.in_({A.OPEN, A.BACK})), flags=READS_ONLY
    )
    r.callback_query.register(on_order_edit, view(F.action == A.EDIT))
    r.callback_query.register(on_order_cancel, view(F.action.in_({A.CANCEL, A.CANCEL_YES})))
    return r
