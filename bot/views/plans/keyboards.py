"""Keyboards of /plan: whose plan, for which period, the whole book or one client."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.runtime.i18n import L10n
from bot.services.plans import month_of, quarter_of
from bot.views.analytics.callbacks import AbcAction, AbcCallback
from bot.views.plans.callbacks import PlanCallback, PlanStep, plan_target
from bot.views.plans.texts import shown_period
from storage.dto import ClientLine, UserDTO


def plan_menu(l10n: L10n, *, can_set: bool) -> InlineKeyboardMarkup:
    """Under /plan: set a plan (admins and supervisors), and the ABC analysis."""
    builder = InlineKeyboardBuilder()
    if can_set:
        builder.button(text=l10n("plan-set"), callback_data=PlanCallback(step=PlanStep.SET))
    builder.button(text=l10n("abc-button"), callback_data=AbcCallback(action=AbcAction.PERIODS))
    return builder.as_markup()


def plan_managers(managers: Sequence[UserDTO]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for manager in managers:
        builder.button(
            text=manager.full_name[:40],
            callback_data=PlanCallback(step=PlanStep.MANAGER, value=str(manager.id)),
        )
    builder.adjust(1)
    return builder.as_markup()


def plan_periods(l10n: L10n, manager_id: int, today: date) -> InlineKeyboardMarkup:
    """This month, the next, this quarter, the next."""
    this_month, this_quarter = month_of(today), quarter_of(today)
    periods = [
        this_month,
        month_of(this_month.end + timedelta(days=1)),
        this_quarter,
        quarter_of(this_quarter.end + timedelta(days=1)),
    ]
    builder = InlineKeyboardBuilder()
    for period in periods:
        # The text in the user's language; the data keeps the machine label it parses.
        builder.button(
            text=shown_period(l10n, period),
            callback_data=PlanCallback(
                step=PlanStep.PERIOD, value=plan_target(manager_id, period)
            ),
        )
    builder.adjust(2)
    return builder.as_markup()


def plan_scopes(l10n: L10n, target: str) -> InlineKeyboardMarkup:
    """The whole book or one client, for the manager and period `target` names."""
    builder = InlineKeyboardBuilder()
    for step, key in (
        (PlanStep.BOOK, "plan-scope-book"),
        (PlanStep.ONE_CLIENT, "plan-scope-client"),
    ):
        builder.button(text=l10n(key), callback_data=PlanCallback(step=step, value=target))
    builder.adjust(2)
    return builder.as_markup()


def plan_client_choices(clients: Sequence[ClientLine]) -> InlineKeyboardMarkup:
    """Several of the manager's clients matched the name typed: which one?"""
    builder = InlineKeyboardBuilder()
    for client in clients:
        builder.button(
            text=client.name[:60],
            callback_data=PlanCallback(step=PlanStep.CLIENT, value=str(client.id)),
        )
    builder.adjust(1)
    return builder.as_markup()
