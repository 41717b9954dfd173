"""/report: the team summary and its chart for a chosen period; /team: the team's managers
with their key figures, and any manager's view. Supervisors see their team, admins all."""

from __future__ import annotations

import asyncio
from datetime import datetime

from aiogram import Router
from aiogram.filters import Command, or_f
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.runtime.filters import MenuButton, RoleFilter
from bot.runtime.i18n import L10n
from bot.runtime.update_scope import READS_ONLY
from bot.services.access import AccessDenied
from bot.services.business_settings import load_settings
from bot.services.local_time import user_today
from bot.services.plans import week_of
from bot.services.reports import TeamSummary, summary_for, team_of
from bot.views.common.charts import render_chart
from bot.views.common.texts import split_text
from bot.views.reports.callbacks import ReportCallback, TeamCallback
from bot.views.reports.texts import (
    attention_markup,
    chart_inputs,
    manager_view_markup,
    period_markup,
    scope_name,
    summary_text,
    team_markup,
    team_text,
)
from handlers.util import asked_period, reply_long, show
from storage.dto import Role, UserDTO
from storage.repositories import Repos


async def cmd_report(message: Message, l10n: L10n) -> None:
    await message.answer(l10n("report-choose-period"), reply_markup=period_markup(l10n))


async def on_report(
    callback: CallbackQuery,
    callback_data: ReportCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
) -> None:
    period = asked_period(callback_data.period, user, now)
    settings = await load_settings(repos)
    summary = await summary_for(repos, user, period, now=now, settings=settings)
    await callback.answer()
    await reply_long(
        callback,
        summary_text(l10n, summary, scope=scope_name(l10n, user)),
        attention_markup(summary),
    )
    if not summary.empty:
        await _send_chart(callback, summary, l10n)


async def _send_chart(callback: CallbackQuery, summary: TeamSummary, l10n: L10n) -> None:
    # Drawing takes a tenth of a second or more: off the event loop, which keeps answering.
    png = await asyncio.to_thread(render_chart, *chart_inputs(l10n, summary))
    if isinstance(callback.message, Message):
        await callback.message.answer_photo(BufferedInputFile(png, "report.png"))


async def _team_summary(
    repos: Repos, user: UserDTO, now: datetime, managers: list[UserDTO] | None = None
) -> TeamSummary:
    period = week_of(user_today(user, now))
    settings = await load_settings(repos)
    return await summary_for(repos, user, period, now=now, settings=settings, managers=managers)


async def cmd_team(
    message: Message, repos: Repos, user: UserDTO, l10n: L10n, now: datetime
) -> None:
    summary = await _team_summary(repos, user, now)
    await message.answer(
        split_text(team_text(l10n, summary))[0], reply_markup=team_markup(summary)
    )


async def on_team(
    callback: CallbackQuery,
    callback_data: TeamCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
) -> None:
    # Whatever the button says, only managers in this user's team now are shown: the
    # button may be old or forged.
    visible = await team_of(repos, user)
    if callback_data.user_id == 0 and callback_data.team == 0:
        summary = await _team_summary(repos, user, now)
        await show(callback, split_text(team_text(l10n, summary))[0], team_markup(summary))
        return
    if callback_data.user_id == 0:
        members = [m for m in visible if (m.supervisor_id or -1) == callback_data.team]
        if user.role is not Role.ADMIN or not members:
            raise AccessDenied
        supervisor = await repos.users.get(callback_data.team) if callback_data.team > 0 else None
        summary = await _team_summary(repos, user, now, members)
        name = supervisor.full_name if supervisor else l10n("report-no-team-short")
        await show(callback, split_text(team_text(l10n, summary, name))[0], team_markup(summary))
        return
    manager = next((m for m in visible if m.id == callback_data.user_id), None)
    if manager is None:
        raise AccessDenied
    summary = await _team_summary(repos, user, now, [manager])
    back = (
        TeamCallback(team=manager.supervisor_id or -1)
        if user.role is Role.ADMIN
        else TeamCallback()
    )
    await show(
        callback,
        split_text(summary_text(l10n, summary, scope=manager.full_name))[0],
        manager_view_markup(l10n, summary, back),
    )


async def on_not_lead(message: Message, l10n: L10n) -> None:
    await message.answer(l10n("report-not-yours"))


def router() -> Router:
    r = Router(name=__name__)
    lead = RoleFilter(Role.SUPERVISOR, Role.ADMIN)
    r.message.register(
        cmd_report, or_f(Command("report"), MenuButton("report")), lead, flags=READS_ONLY
    )
    r.message.register(cmd_team, or_f(Command("team"), MenuButton("team")), lead, flags=READS_ONLY)
    r.message.register(on_not_lead, Command("report", "team"))
    r.callback_query.register(on_report, ReportCallback.filter(), lead, flags=READS_ONLY)
    r.callback_query.register(on_team, TeamCallback.filter(), lead, flags=READS_ONLY)
    return r
