"""/plan: the month's and quarter's plan fulfilment; admins and supervisors set plans."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial

from aiogram import F, Router
from aiogram.filters import Command, or_f
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from pydantic import BaseModel

from bot.runtime.filters import MenuButton, RoleFilter
from bot.runtime.i18n import L10n
from bot.services import formatting
from bot.services.access import AccessDenied
from bot.services.local_time import user_today
from bot.services.money import AmountError, format_money, parse_amount
from bot.services.numbers import parse_id
from bot.services.plans import (
    ClientPlanLine,
    Period,
    PlanLine,
    client_plan_lines,
    month_of,
    parse_period,
    plan_clients,
    plan_lines,
    plan_manager,
    quarter_of,
    set_plan,
)
from bot.views.analytics.callbacks import AbcAction, AbcCallback
from bot.views.plans.callbacks import PlanCallback
from bot.views.plans.states import PlanStates
from handlers.util import dialog_data, reply_long, show
from storage.dto import Role, UserDTO
from storage.repositories import Repos


def _rub(amount: Decimal, *, language: str) -> str:
    return format_money(amount, "RUB", language)


def _lines_text(
    l10n: L10n,
    period: Period,
    lines: list[PlanLine],
    language: str,
    client_lines: list[ClientPlanLine] | None = None,
) -> str:
    out = [l10n("plan-period", period=formatting.period_label(period, language))]
    money = partial(_rub, language=language)
    for line in lines:
        r = line.result
        out.append(
            l10n(
                "plan-line",
                name=line.name,
                actual=money(r.actual),
                plan=money(r.plan),
                percent=formatting.percent(r.percent, language),
                forecast=money(r.forecast),
                gap=money(r.gap_per_day),
                left=r.days_left,
            )
        )
        for c in client_lines or []:
            if c.user_id != line.user_id:
                continue
            out.append(
                l10n(
                    "plan-client-line",
                    client=c.client_name,
                    actual=money(c.result.actual),
                    plan=money(c.result.plan),
                    percent=formatting.percent(c.result.percent, language),
                    forecast=money(c.result.forecast),
                    gap=money(c.result.gap_per_day),
                )
            )
    return "\n".join(out)


async def cmd_plan(
    message: Message, repos: Repos, user: UserDTO, l10n: L10n, now: datetime
) -> None:
    today = user_today(user, now)
    parts = []
    for period in (month_of(today), quarter_of(today)):
        parts.append(
            _lines_text(
                l10n,
                period,
                await plan_lines(repos, user, period, today=today),
                user.language,
                await client_plan_lines(repos, user, period, today=today),
            )
        )
    builder = InlineKeyboardBuilder()
    if user.role in (Role.ADMIN, Role.SUPERVISOR):
        builder.button(text=l10n("plan-set"), callback_data=PlanCallback(step="s"))
    builder.button(text=l10n("abc-button"), callback_data=AbcCallback(action=AbcAction.PERIODS))
    # A company's per-client plans may run past Telegram's limit: the buttons go last.
    await reply_long(
        message, "\n\n".join(parts) if any(parts) else l10n("plan-none"), builder.as_markup()
    )


def _managers_markup(managers: list[UserDTO]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for manager in managers:
        builder.button(
            text=manager.full_name[:40],
            callback_data=PlanCallback(step="m", value=str(manager.id)),
        )
    builder.adjust(1)
    return builder.as_markup()


async def on_plan(
    callback: CallbackQuery,
    callback_data: PlanCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
) -> None:
    today = user_today(user, now)
    if callback_data.step == "s":
        managers = (
            await repos.users.with_role(Role.MANAGER)
            if user.role is Role.ADMIN
            else [m for m in await repos.users.team(user.id) if m.role is Role.MANAGER]
        )
        await show(callback, l10n("plan-choose-manager"), _managers_markup(managers))
        return
    if callback_data.step == "m":
        manager = await plan_manager(repos, user, _int(callback_data.value))
        builder = InlineKeyboardBuilder()
        this_month, this_quarter = month_of(today), quarter_of(today)
        periods = [
            this_month,
            month_of(this_month.end + timedelta(days=1)),
            this_quarter,
            quarter_of(this_quarter.end + timedelta(days=1)),
        ]
        for period in periods:
            # The text in the user's language; the data keeps the machine label it parses.
            builder.button(
                text=formatting.period_label(period, l10n.language),
                callback_data=PlanCallback(step="p", value=f"{manager.id}|{period.label}"),
            )
        builder.adjust(2)
        await show(
            callback, l10n("plan-choose-period", name=manager.full_name), builder.as_markup()
        )
        return
    if callback_data.step in ("p", "w", "o"):
        manager_id, _, label = callback_data.value.partition("|")
        try:
            period = parse_period(label)
        except ValueError:
            raise AccessDenied from None
        manager = await plan_manager(repos, user, _int(manager_id))
        if callback_data.step == "p":  # the whole book or one client?
            builder = InlineKeyboardBuilder()
            for step, key in (("w", "plan-scope-book"), ("o", "plan-scope-client")):
                builder.button(
                    text=l10n(key),
                    callback_data=PlanCallback(step=step, value=callback_data.value),
                )
            builder.adjust(2)
            text = l10n(
                "plan-choose-scope",
                name=manager.full_name,
                period=formatting.period_label(period, l10n.language),
            )
            await show(callback, text, builder.as_markup())
            return
        await state.set_data({"manager_id": manager.id, "period": label})
        if callback_data.step == "o":
            await state.set_state(PlanStates.client)
            await show(callback, l10n("plan-ask-client", name=manager.full_name), None)
            return
        await state.set_state(PlanStates.amount)
        shown = formatting.period_label(period, l10n.language)
        await show(callback, l10n("plan-ask-amount", period=shown), None)
        return
    if callback_data.step == "c":  # one of several matching clients picked
        if await state.get_state() != PlanStates.client.state:
            raise AccessDenied  # a button of a dialog that has moved on
        draft = await dialog_data(callback, state, PlanDraft, l10n)
        if draft is None:
            await callback.answer()  # "not available" was said in the chat
            return
        client = await repos.clients.get(_int(callback_data.value))
        if client is None or client.owner_id != draft.manager_id:
            raise AccessDenied
        await plan_manager(repos, user, draft.manager_id)
        await _ask_client_amount(state, draft, client.id)
        await show(
            callback,
            l10n("plan-ask-client-amount", client=client.name, period=draft.shown(l10n)),
            None,
        )
        return
    raise AccessDenied


def _int(value: str) -> int:
    """An id from callback data (never trusted): anything else is refused."""
    id_ = parse_id(value)
    if id_ is None:
        raise AccessDenied
    return id_


class PlanDraft(BaseModel):
    manager_id: int
    period: str  # Period.label, the machine value
    client_id: int | None = None

    def shown(self, l10n: L10n) -> str:
        return formatting.period_label(parse_period(self.period), l10n.language)


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
        await message.answer(
            l10n("plan-ask-client-amount", client=found[0].name, period=draft.shown(l10n))
        )
        return
    builder = InlineKeyboardBuilder()
    for client in found:
        builder.button(
            text=client.name[:60], callback_data=PlanCallback(step="c", value=str(client.id))
        )
    builder.adjust(1)
    await message.answer(
        l10n("plan-client-several", count=len(found)), reply_markup=builder.as_markup()
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
    await set_plan(
        repos,
        user,
        draft.manager_id,
        parse_period(draft.period),
        amount,
        now=now,
        client_id=draft.client_id,
    )
    await state.clear()
    saved = format_money(amount, "RUB", user.language)
    if draft.client_id is None:
        await message.answer(l10n("plan-saved", amount=saved, period=draft.shown(l10n)))
        return
    client = await repos.clients.get(draft.client_id)
    await message.answer(
        l10n(
            "plan-saved-client",
            amount=saved,
            period=draft.shown(l10n),
            client=client.name if client else "—",
        )
    )


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(cmd_plan, or_f(Command("plan"), MenuButton("plan")))
    lead = RoleFilter(Role.ADMIN, Role.SUPERVISOR)
    r.callback_query.register(on_plan, PlanCallback.filter(), lead)
    r.message.register(on_plan_amount, PlanStates.amount, F.text, lead)
    r.message.register(on_plan_client, PlanStates.client, F.text, lead)
    return r
