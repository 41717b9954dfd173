"""Feature routers. The catch-all router goes last (a test asserts the order)."""

from __future__ import annotations

from aiogram import F, Router

from bot.runtime.filters import Registered
from handlers import (
    admin_invite,
    admin_users,
    analytics,
    chat_orders,
    claims,
    clients,
    common,
    contact_log,
    editing,
    erp,
    fallback,
    membership,
    plans,
    reminders,
    reports,
    settings,
    start,
    stock,
    sync,
    today,
)


def get_routers() -> list[Router]:
    # Only private chats reach the features for now; group chats come with the claims flow.
    private = Router(name="private")
    private.message.filter(F.chat.type == "private")
    registered = Router(name="registered")
    registered.message.filter(Registered())
    registered.callback_query.filter(Registered())
    registered.include_routers(
        common.router(),
        settings.router(),
        admin_invite.router(),
        admin_users.router(),
        today.router(),
        contact_log.router(),
        clients.router(),
        editing.router(),
        erp.router(),
        chat_orders.router(),
        stock.router(),
        sync.router(),
        reminders.router(),
        claims.router(),
        plans.router(),
        reports.router(),
        analytics.router(),
    )
    private.include_routers(membership.router(), start.router(), registered, fallback.router())
    # Group chats (a department's): only claim buttons, question replies and binding.
    return [claims.claim_callbacks_router(), claims.group_router(), private]
