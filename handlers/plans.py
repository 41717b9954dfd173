"""/plan: the month's and quarter's plan fulfilment; admins and supervisors set plans."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command, or_f
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import PlanCallback
from bot.filters import MenuButton, RoleFilter
from bot.i18n import L10n
from bot.services.accounts import AccessDenied
from bot.services.local_time import local_date
from bot.services.money import AmountError, format_money, parse_amount
from bot.services.plans import (
    Period,
    PlanLine,
    month_of,
    parse_period,
    plan_lines,
    quarter_of,
    set_plan,
)
from bot.states import PlanStates
from handlers.util import show
from storage.dto import Role, UserDTO
from storage.repositories import Repos


def _rub(amount: Decimal, *, language: str) -> str:
    return format_money(amount, "RUB", language)


def _lines_text(l10n: L10n, period: Period, lines: list[PlanLine], language: str) -> str:
    out = [l10n("plan-period", period=period.label)]
    money = partial(_rub, language=language)
    for line in lines:
        r = line.result
        out.append(
            l10n(
                "plan-line",
                name=line.name,
                actual=money(r.actual),
                plan=money(r.plan),
                percent=str(r.percent),
                forecast=money(r.forecast),
                gap=money(r.gap_per_day),
                left=r.days_left,
            )
        )
    return "\n".join(out)


async def cmd_plan(
    message: Message, repos: Repos, user: UserDTO, l10n: L10n, now: datetime
) -> None:
    today = local_date(now, ZoneInfo(user.timezone))
    parts = []
    for period in (month_of(today), quarter_of(today)):
        parts.append(
            _lines_text(
                l10n, period, await plan_lines(repos, user, period, today=today), user.language
            )
        )
    markup = None
    if user.role in (Role.ADMIN, Role.SUPERVISOR):
        builder = InlineKeyboardBuilder()
        builder.button(text=l10n("plan-set"), callback_data=PlanCallback(step="s"))
        markup = builder.as_markup()
    await message.answer(
        "\n\n".join(parts) if any(parts) else l10n("plan-none"), reply_markup=markup
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
    today = local_date(now, ZoneInfo(user.timezone))
    if callback_data.step == "s":
        managers = (
            await repos.users.with_role(Role.MANAGER)
            if user.role is Role.ADMIN
            else [m for m in await repos.users.team(user.id) if m.role is Role.MANAGER]
        )
        await show(callback, l10n("plan-choose-manager"), _managers_markup(managers))
        return
    if callback_data.step == "m":
        manager = await repos.users.get(int(callback_data.value or 0))
        if manager is None or not (user.role is Role.ADMIN or manager.supervisor_id == user.id):
            raise AccessDenied
        builder = InlineKeyboardBuilder()
        this_month, this_quarter = month_of(today), quarter_of(today)
        periods = [
            this_month,
            month_of(this_month.end + timedelta(days=1)),
            this_quarter,
            quarter_of(this_quarter.end + timedelta(days=1)),
        ]
        for period in periods:
            builder.button(
                text=period.label,
                callback_data=PlanCallback(step="p", value=f"{manager.id}|{period.label}"),
            )
        builder.adjust(2)
        await show(
            callback, l10n("plan-choose-period", name=manager.full_name), builder.as_markup()
        )
        return
    if callback_data.step == "p":
        manager_id, _, label = callback_data.value.partition("|")
        try:
            period = parse_period(label)
        except ValueError:
            raise AccessDenied from None
        await state.set_state(PlanStates.amount)
        await state.set_data({"manager_id": int(manager_id), "period": label})
        await show(callback, l10n("plan-ask-amount", period=period.label), None)
        return
    raise AccessDenied


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
    data = await state.get_data()
    await set_plan(
        repos, user, int(data["manager_id"]), parse_period(str(data["period"])), amount, now=now
    )
    await state.clear()
    await message.answer(
        l10n(
            "plan-saved",
            amount=format_money(amount, "RUB", user.language),
            period=str(data["period"]),
        )
    )


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(cmd_plan, or_f(Command("plan"), MenuButton("plan")))
    lead = RoleFilter(Role.ADMIN, Role.SUPERVISOR)
    r.callback_query.register(on_plan, PlanCallback.filter(), lead)
    r.message.register(on_plan_amount, PlanStates.amount, F.text, lead)
    return r
