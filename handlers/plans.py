"""/plan: the month's and quarter's plan fulfilment; admins and supervisors set plans."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.filters import Command, or_f
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.runtime.filters import MenuButton, RoleFilter
from bot.runtime.i18n import L10n
from bot.services.access import AccessDenied
from bot.services.local_time import user_today
from bot.services.money import AmountError, format_money, parse_amount
from bot.services.numbers import parse_id
from bot.services.plans import (
    Period,
    client_plan_lines,
    month_of,
    plan_clients,
    plan_lines,
    plan_manager,
    quarter_of,
    set_plan,
)
from bot.views.plans import keyboards as kb
from bot.views.plans.callbacks import PlanCallback, PlanStep, parse_plan_target
from bot.views.plans.states import PlanDraft, PlanStates
from bot.views.plans.texts import PeriodPlans, plans_text, shown_period
from handlers.util import dialog_data, reply_long, show
from storage.dto import Role, UserDTO
from storage.repositories import Repos


async def cmd_plan(
    message: Message, repos: Repos, user: UserDTO, l10n: L10n, now: datetime
) -> None:
    today = user_today(user, now)
    sections = [
        PeriodPlans(
            period,
            await plan_lines(repos, user, period, today=today),
            await client_plan_lines(repos, user, period, today=today),
        )
        for period in (month_of(today), quarter_of(today))
    ]
    markup = kb.plan_menu(l10n, can_set=user.role in (Role.ADMIN, Role.SUPERVISOR))
    # A company's per-client plans may run past Telegram's limit: the buttons go last.
    await reply_long(message, plans_text(l10n, sections, user.language), markup)


async def on_plan_set(callback: CallbackQuery, repos: Repos, user: UserDTO, l10n: L10n) -> None:
    """Whose plan: an admin any manager's, a supervisor the team's."""
    managers = (
        await repos.users.with_role(Role.MANAGER)
        if user.role is Role.ADMIN
        else [m for m in await repos.users.team(user.id) if m.role is Role.MANAGER]
    )
    await show(callback, l10n("plan-choose-manager"), kb.plan_managers(managers))


async def on_plan_manager(
    callback: CallbackQuery,
    callback_data: PlanCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
) -> None:
    manager = await plan_manager(repos, user, _int(callback_data.value))
    await show(
        callback,
        l10n("plan-choose-period", name=manager.full_name),
        kb.plan_periods(l10n, manager.id, user_today(user, now)),
    )


async def on_plan_period(
    callback: CallbackQuery, callback_data: PlanCallback, repos: Repos, user: UserDTO, l10n: L10n
) -> None:
    """The period chosen: the whole book or one client?"""
    manager, period = await _target(repos, user, callback_data.value)
    text = l10n("plan-choose-scope", name=manager.full_name, period=shown_period(l10n, period))
    await show(callback, text, kb.plan_scopes(l10n, callback_data.value))


async def on_plan_book(
    callback: CallbackQuery,
    callback_data: PlanCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
) -> None:
    """The plan of the manager's whole book: the amount is asked."""
    manager, period = await _target(repos, user, callback_data.value)
    await state.set_data({"manager_id": manager.id, "period": period.label})
    await state.set_state(PlanStates.amount)
    await show(callback, l10n("plan-ask-amount", period=shown_period(l10n, period)), None)


async def on_plan_one_client(
    callback: CallbackQuery,
    callback_data: PlanCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
) -> None:
    """The plan of one of the manager's clients: its name is asked."""
    manager, period = await _target(repos, user, callback_data.value)
    await state.set_data({"manager_id": manager.id, "period": period.label})
    await state.set_state(PlanStates.client)
    await show(callback, l10n("plan-ask-client", name=manager.full_name), None)


async def on_plan_client_chosen(
    callback: CallbackQuery,
    callback_data: PlanCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
) -> None:
    """One of several clients matching the name typed, picked by its button."""
    draft = await dialog_data(callback, state, PlanDraft, l10n)
    if draft is None:
        await callback.answer()  # "not available" was said in the chat
        return
    client = await repos.clients.get(_int(callback_data.value))
    if client is None or client.owner_id != draft.manager_id:
        raise AccessDenied
    await plan_manager(repos, user, draft.manager_id)
    await _ask_client_amount(state, draft, client.id)
    period = shown_period(l10n, draft.plan_period())
    await show(callback, l10n("plan-ask-client-amount", client=client.name, period=period), None)


def _int(value: str) -> int:
    """An id from callback data (never trusted): anything else is refused."""
    id_ = parse_id(value)
    if id_ is None:
        raise AccessDenied
    return id_


async def _target(repos: Repos, user: UserDTO, value: str) -> tuple[UserDTO, Period]:
    """The manager (whose plan `user` may set) and the period a button names."""
    target = parse_plan_target(value)
    if target is None:
        raise AccessDenied
    manager_id, period = target
    return await plan_manager(repos, user, manager_id), period


async def _ask_client_amount(state: FSMContext, draft: PlanDraft, client_id: int) -> None:
    await state.set_state(PlanStates.amount)
    await state.set_data({**draft.model_dump(), "client_id": client_id})


async def on_plan_client(
    message: Message, repos: Repos, user: UserDTO, l10n: L10n, state: FSMContext
) -> None:
    """The client of a per-client plan, typed: matched among that manager's clients."""
    draft = await dialog_data(message, state, PlanDraft, l10n)
    if draft is None:
        return
    query = (message.text or "").strip()[:100]
    found = await plan_clients(repos, user, draft.manager_id, query) if query else []
    if not found:
        await message.answer(l10n("plan-client-none", query=query))
        return
    if len(found) == 1:
        await _ask_client_amount(state, draft, found[0].id)
        period = shown_period(l10n, draft.plan_period())
        await message.answer(l10n("plan-ask-client-amount", client=found[0].name, period=period))
        return
    await message.answer(
        l10n("plan-client-several", count=len(found)),
        reply_markup=kb.plan_client_choices(found),
    )


async def on_plan_amount(
    message: Message, repos: Repos, user: UserDTO, l10n: L10n, state: FSMContext, now: datetime
) -> None:
    try:
        amount = parse_amount(message.text or "")
    except AmountError:
        await message.answer(l10n("plan-error-amount"))
        return
    if amount <= 0:
        await message.answer(l10n("plan-error-amount"))
        return
    draft = await dialog_data(message, state, PlanDraft, l10n)
    if draft is None:
        return
    period = draft.plan_period()
    await set_plan(
        repos, user, draft.manager_id, period, amount, now=now, client_id=draft.client_id
    )
    await state.clear()
    saved = format_money(amount, "RUB", user.language)
    if draft.client_id is None:
        await message.answer(l10n("plan-saved", amount=saved, period=shown_period(l10n, period)))
        return
    client = await repos.clients.get(draft.client_id)
    await message.answer(
        l10n(
            "plan-saved-client",
            amount=saved,
            period=shown_period(l10n, period),
            client=client.name if client else "—",
        )
    )


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(cmd_plan, or_f(Command("plan"), MenuButton("plan")))
    lead = RoleFilter(Role.ADMIN, Role.SUPERVISOR)
    step = PlanCallback.filter
    r.callback_query.register(on_plan_set, step(F.step == PlanStep.SET), lead)
    r.callback_query.register(on_plan_manager, step(F.step == PlanStep.MANAGER), lead)
    r.callback_query.register(on_plan_period, step(F.step == PlanStep.PERIOD), lead)
    r.callback_query.register(on_plan_book, step(F.step == PlanStep.BOOK), lead)
    r.callback_query.register(on_plan_one_client, step(F.step == PlanStep.ONE_CLIENT), lead)
    # A client's button of a dialog that has moved on matches nothing: "not available".
    r.callback_query.register(
        on_plan_client_chosen, step(F.step == PlanStep.CLIENT), PlanStates.client, lead
    )
    r.message.register(on_plan_amount, PlanStates.amount, F.text, lead)
    r.message.register(on_plan_client, PlanStates.client, F.text, lead)
    return r
