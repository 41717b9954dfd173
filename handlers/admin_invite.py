"""/invite (admin): role → (a manager's supervisor → ERP name) → a one-time deep link."""

from __future__ import annotations

from datetime import datetime, timedelta

from aiogram import Bot, F, Router
from aiogram.filters import Command, or_f
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.deep_linking import create_start_link
from pydantic import BaseModel, Field, ValidationError

from bot.runtime.filters import MenuButton, RoleFilter
from bot.runtime.i18n import L10n
from bot.services.business_settings import load_settings
from bot.services.numbers import parse_id
from bot.services.people import INVITABLE_ROLES, PeopleError, create_invite
from bot.views.users.callbacks import InviteAction, InviteCallback
from bot.views.users.keyboards import invite_roles, invite_skip_erp, invite_supervisors
from bot.views.users.states import InviteStates
from handlers.util import refuse, say, show
from storage.dto import Role, UserDTO
from storage.repositories import Repos

A = InviteAction


class InviteDraft(BaseModel):
    role: Role
    supervisor_id: int | None = None
    erp_name: str | None = Field(default=None, max_length=256)


async def cmd_invite(message: Message, l10n: L10n, state: FSMContext) -> None:
    await state.set_state(InviteStates.role)
    await message.answer(l10n("invite-choose-role"), reply_markup=invite_roles(l10n))


async def on_invite_role(
    callback: CallbackQuery,
    callback_data: InviteCallback,
    repos: Repos,
    l10n: L10n,
    state: FSMContext,
    user: UserDTO,
    bot: Bot,
    now: datetime,
) -> None:
    role = next((r for r in INVITABLE_ROLES if r.value == callback_data.value), None)
    if role is None:
        await refuse(callback, l10n("error-not-available"))
        return
    if role is Role.SUPERVISOR:
        await show(callback, l10n("invite-role-chosen", role=l10n(f"role-{role.value}")), None)
        await _finish(callback, InviteDraft(role=role), repos, l10n, state, user, bot, now)
        return
    supervisors = await repos.users.with_role(Role.SUPERVISOR)
    if not supervisors:
        await state.clear()
        await show(callback, l10n("invite-no-supervisors"), None)
        return
    await state.set_state(InviteStates.supervisor)
    await state.set_data({"role": role.value})
    await show(callback, l10n("invite-choose-supervisor"), invite_supervisors(supervisors))


async def on_invite_supervisor(
    callback: CallbackQuery,
    callback_data: InviteCallback,
    repos: Repos,
    l10n: L10n,
    state: FSMContext,
) -> None:
    supervisor_id = parse_id(callback_data.value)
    supervisor = await repos.users.get(supervisor_id) if supervisor_id else None
    if supervisor is None or supervisor.role is not Role.SUPERVISOR or not supervisor.is_active:
        await refuse(callback, l10n("error-not-available"))
        return
    await state.update_data(supervisor_id=supervisor.id)
    await state.set_state(InviteStates.erp_name)
    await show(
        callback,
        l10n("invite-ask-erp-name", supervisor=supervisor.full_name),
        invite_skip_erp(l10n),
    )


async def on_invite_erp_name(
    message: Message,
    repos: Repos,
    l10n: L10n,
    state: FSMContext,
    user: UserDTO,
    bot: Bot,
    now: datetime,
) -> None:
    try:
        draft = InviteDraft.model_validate({**await state.get_data(), "erp_name": message.text})
    except ValidationError:
        await message.answer(l10n("invite-erp-name-too-long"))
        return
    await _finish(message, draft, repos, l10n, state, user, bot, now)


async def on_invite_skip_erp(
    callback: CallbackQuery,
    repos: Repos,
    l10n: L10n,
    state: FSMContext,
    user: UserDTO,
    bot: Bot,
    now: datetime,
) -> None:
    draft = InviteDraft.model_validate(await state.get_data())
    await callback.answer()
    await _finish(callback, draft, repos, l10n, state, user, bot, now)


async def _finish(
    event: Message | CallbackQuery,
    draft: InviteDraft,
    repos: Repos,
    l10n: L10n,
    state: FSMContext,
    user: UserDTO,
    bot: Bot,
    now: datetime,
) -> None:
    settings = await load_settings(repos)
    try:
        created = await create_invite(
            repos,
            role=draft.role,
            supervisor_id=draft.supervisor_id,
            erp_name=draft.erp_name,
            created_by_id=user.id,
            ttl=timedelta(days=settings.invite_ttl_days),
            now=now,
        )
    except PeopleError as exc:
        await state.clear()
        text = l10n(exc.reason)
    else:
        await state.clear()
        text = l10n(
            "invite-created",
            role=l10n(f"role-{draft.role.value}"),
            link=await create_start_link(bot, created.code),
            days=settings.invite_ttl_days,
        )
    if isinstance(event, Message):
        await event.answer(text)
    else:
        await say(event, text)


def router() -> Router:
    r = Router(name=__name__)
    admin = RoleFilter(Role.ADMIN)
    r.message.filter(admin)
    r.callback_query.filter(admin)
    r.message.register(cmd_invite, or_f(Command("invite"), MenuButton("invite")))
    cb = InviteCallback.filter
    r.callback_query.register(on_invite_role, cb(F.action == A.ROLE), InviteStates.role)
    r.callback_query.register(
        on_invite_supervisor, cb(F.action == A.SUPERVISOR), InviteStates.supervisor
    )
    r.callback_query.register(
        on_invite_skip_erp, cb(F.action == A.SKIP_ERP), InviteStates.erp_name
    )
    r.message.register(on_invite_erp_name, InviteStates.erp_name, F.text)
    return r
