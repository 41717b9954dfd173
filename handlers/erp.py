"""ERP data in the chat: /orders, /order, /debts, /prices, and an admin's file import."""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, StateFilter, or_f
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.runtime.filters import MenuButton, RoleFilter
from bot.runtime.i18n import L10n, Translator
from bot.runtime.update_scope import READS_ONLY
from bot.services import access, accounts, claims, erp_views, formatting
from bot.services.bank_import import (
    BANK_KIND,
    BankImportSummary,
    import_bank_statement,
    looks_like_statement,
)
from bot.services.erp_files import ErpFileError
from bot.services.erp_import import KINDS, rejected_csv, run_import
from bot.services.local_time import user_today
from bot.services.payment_claims import payment_claim_docx, payment_claim_text
from bot.views.common.clients import client_lines, search_results_text
from bot.views.common.texts import split_text
from bot.views.erp.callbacks import (
    DebtsCallback,
    ImportCallback,
    OrderCallback,
    OrdersCallback,
    OrdersStatus,
    PaymentClaimCallback,
)
from bot.views.erp.keyboards import import_kinds, orders_keyboard, payment_claim_keyboard
from bot.views.erp.states import ImportStates
from bot.views.erp.texts import (
    bank_statement_text,
    debts_text,
    import_summary_text,
    order_text,
    orders_text,
    prices_text,
)
from handlers.chat_orders import with_open_orders
from handlers.util import say, show
from storage.dto import Role, UserDTO
from storage.repositories import Repos

logger = logging.getLogger(__name__)
# What a file sent to the bot may hold: an export of one kind, or a bank statement.
CHAT_KINDS = (*KINDS, BANK_KIND)
ORDERS_PAGE = 15
PROGRESS_EVERY = 2.0  # seconds between edits of the progress message
BOT_API_DOWNLOAD_LIMIT = 20 * 1024 * 1024


async def _one_client(
    message: Message,
    query: str,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    opens: Callable[[int], CallbackData],
) -> int | bool | None:
    """None: no query; an id: one match; False: answered already (none, or several: a
    list whose buttons open what the command shows for that client, via `opens`)."""
    if not query.strip():
        return None
    found = await accounts.find_clients(repos, user, query)
    if len(found) == 1:
        return found[0].id
    await message.answer(
        search_results_text(found, l10n, query), reply_markup=client_lines(found, opens=opens)
    )
    return False


def _debts_of(client_id: int) -> CallbackData:
    return DebtsCallback(client_id=client_id)


def _orders_of(client_id: int) -> CallbackData:
    return OrdersCallback(client_id=client_id)


async def cmd_debts(
    message: Message,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
    command: CommandObject | None = None,  # None: the menu button
) -> None:
    client = await _one_client(
        message, (command.args if command else None) or "", repos, user, l10n, _debts_of
    )
    if client is False:
        return
    client_id = client if isinstance(client, int) else None
    markup = payment_claim_keyboard(l10n, client_id) if client_id is not None else None
    await message.answer(await _debts(repos, user, l10n, now, client_id), reply_markup=markup)


async def on_debts(
    callback: CallbackQuery,
    callback_data: DebtsCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
) -> None:
    """A client's debts view (the card's 💰, a /debts match) with its ⚖️ payment claim,
    or the whole book's (client 0)."""
    client_id = callback_data.client_id or None
    text = await _debts(repos, user, l10n, now, client_id)
    await callback.answer()
    markup = payment_claim_keyboard(l10n, client_id) if client_id is not None else None
    await say(callback, text, markup)


async def _debts(
    repos: Repos, user: UserDTO, l10n: L10n, now: datetime, client_id: int | None
) -> str:
    reports = await erp_views.debts(repos, user, today=user_today(user, now), client_id=client_id)
    by_manager = client_id is None and user.role in (Role.SUPERVISOR, Role.ADMIN)
    names: dict[int | None, str] = {}
    if by_manager:
        names = {u.id: u.full_name for u in await repos.users.list_users()}
    return debts_text(
        reports,
        l10n,
        user,
        names=names,
        by_manager=by_manager,
        single=client_id is not None,
        as_of=await repos.erp_sync.receivables_as_of(),
    )


async def _orders(
    repos: Repos, user: UserDTO, l10n: L10n, client_id: int, status: OrdersStatus, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    status_open = {OrdersStatus.OPEN: True, OrdersStatus.SHIPPED: False}.get(status)
    rows, total = await erp_views.orders_page(
        repos,
        user,
        client_id=client_id or None,
        status_open=status_open,
        page=page,
        size=ORDERS_PAGE,
    )
    text = orders_text(rows, l10n, user, total=total, offset=page * ORDERS_PAGE)
    has_next = (page + 1) * ORDERS_PAGE < total
    markup = orders_keyboard(
        l10n,
        [int(r.id) for r in rows],
        first=page * ORDERS_PAGE + 1,
        client_id=client_id,
        status=status,
        page=page,
        has_next=has_next,
    )
    if page == 0 and status is not OrdersStatus.SHIPPED:  # the chat's open orders first
        text, markup = await with_open_orders(repos, user, l10n, client_id or None, text, markup)
    return text, markup


async def cmd_orders(
    message: Message,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    command: CommandObject | None = None,  # None: the menu button
) -> None:
    client = await _one_client(
        message, (command.args if command else None) or "", repos, user, l10n, _orders_of
    )
    if client is False:
        return
    text, markup = await _orders(
        repos, user, l10n, client if isinstance(client, int) else 0, OrdersStatus.ALL, 0
    )
    await message.answer(text, reply_markup=markup)


async def on_orders(
    callback: CallbackQuery, callback_data: OrdersCallback, repos: Repos, user: UserDTO, l10n: L10n
) -> None:
    if callback_data.status not in tuple(OrdersStatus):
        raise access.AccessDenied
    text, markup = await _orders(
        repos,
        user,
        l10n,
        callback_data.client_id,
        callback_data.status,
        max(callback_data.page, 0),
    )
    await show(callback, text, markup)


async def cmd_order(
    message: Message,
    command: CommandObject,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
) -> None:
    number = (command.args or "").strip()
    if not number:
        await message.answer(l10n("order-ask-number"))
        return
    view = await erp_views.order_view(repos, user, number, today=user_today(user, now))
    await message.answer(
        order_text(view, l10n, user) if view else l10n("order-not-found", number=number[:64])
    )


async def on_order(
    callback: CallbackQuery,
    callback_data: OrderCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
) -> None:
    view = await erp_views.order_view(
        repos, user, order_id=callback_data.order_id, today=user_today(user, now)
    )
    if view is None:  # gone from the ERP, or not this user's to see
        raise access.AccessDenied
    await callback.answer()
    await say(callback, order_text(view, l10n, user))


async def cmd_prices(
    message: Message,
    command: CommandObject,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
) -> None:
    query = (command.args or "").strip()
    if not query:
        await message.answer(l10n("prices-ask"))
        return
    rows = await erp_views.price_lookup(repos, query, today=user_today(user, now))
    await message.answer(prices_text(rows, l10n, user, query))


# --- import from the chat ---------------------------------------------------------------


async def cmd_import(message: Message, l10n: L10n) -> None:
    await message.answer(l10n("import-how"))


async def on_document(
    message: Message,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    bot: Bot,
    app: Any,
    translator: Translator,
    now: datetime,
) -> None:
    document = message.document
    assert document is not None
    limit = None if app.settings.telegram_api_local else BOT_API_DOWNLOAD_LIMIT
    if limit is not None and (document.file_size or 0) > limit:
        await message.answer(l10n("import-error-too-large"))
        return
    caption = (message.caption or "").split()
    kind = caption[1] if len(caption) >= 2 and caption[0].split("@")[0] == "/import" else None
    if kind is None and (document.file_name or "").lower().endswith(".txt"):
        kind = BANK_KIND  # 1C's and the banks' exchange files are .txt; exports never are
    if kind not in CHAT_KINDS:
        await state.set_state(ImportStates.kind)
        await state.set_data(
            {"file_id": document.file_id, "file_name": document.file_name or "file"}
        )
        await message.answer(
            l10n("import-choose-kind"), reply_markup=import_kinds(l10n, CHAT_KINDS)
        )
        return
    _start(
        bot,
        app,
        translator,
        user,
        message.chat.id,
        kind,
        document.file_id,
        document.file_name or "file",
        now,
    )


async def on_import_kind(
    callback: CallbackQuery,
    callback_data: ImportCallback,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    bot: Bot,
    app: Any,
    translator: Translator,
    now: datetime,
) -> None:
    data = await state.get_data()
    if callback_data.kind not in CHAT_KINDS or "file_id" not in data:
        raise access.AccessDenied
    await state.clear()
    await show(
        callback, l10n("import-kind-chosen", kind=l10n(f"import-kind-{callback_data.kind}")), None
    )
    chat_id = callback.message.chat.id if callback.message else user.telegram_id
    _start(
        bot,
        app,
        translator,
        user,
        chat_id,
        callback_data.kind,
        data["file_id"],
        data["file_name"],
        now,
    )


async def on_document_refused(message: Message, l10n: L10n) -> None:
    await message.answer(l10n("import-admins-only"))


def _start(
    bot: Bot,
    app: Any,
    translator: Translator,
    user: UserDTO,
    chat_id: int,
    kind: str,
    file_id: str,
    file_name: str,
    now: datetime,
) -> None:
    """The import runs in the background: the bot keeps answering meanwhile."""
    task = asyncio.create_task(_run(bot, app, translator, user, chat_id, kind, file_id, file_name))
    app.background.add(task)
    task.add_done_callback(app.background.discard)


async def _run(
    bot: Bot,
    app: Any,
    translator: Translator,
    user: UserDTO,
    chat_id: int,
    kind: str,
    file_id: str,
    file_name: str,
) -> None:
    l10n = translator.get(user.language)
    status = await bot.send_message(
        chat_id, l10n("import-started", kind=l10n(f"import-kind-{kind}"), name=file_name[:100])
    )
    last = time.monotonic()

    async def progress(rows: int) -> None:
        nonlocal last
        if time.monotonic() - last >= PROGRESS_EVERY:
            last = time.monotonic()
            await bot.edit_message_text(
                l10n("import-progress", rows=rows), chat_id=chat_id, message_id=status.message_id
            )

    bank: BankImportSummary | None = None
    with tempfile.TemporaryDirectory(prefix="kam-import-") as folder:
        path = Path(folder) / "upload"
        try:
            await bot.download(file_id, destination=path)
            if kind == BANK_KIND or await _is_statement(path):
                bank = await import_bank_statement(
                    app.database,
                    path,
                    file_name=file_name,
                    actor_id=user.id,
                    now=app.clock(),
                    texts=translator,
                    progress=progress,
                )
                summary = bank.payments
            else:
                summary = await run_import(
                    app.database,
                    kind,
                    path,
                    file_name=file_name,
                    snapshot=False,
                    actor_id=user.id,
                    now=app.clock(),
                    texts=translator,
                    progress=progress,
                )
        except ErpFileError as exc:
            details = {k: str(v) for k, v in exc.details.items()}
            if exc.reason == "import-error-busy" and details.get("kind") in KINDS:
                # The running import's kind, in the admin's language.
                details["kind"] = l10n(f"import-kind-{details['kind']}")
            await bot.edit_message_text(
                l10n(exc.reason, **details),
                chat_id=chat_id,
                message_id=status.message_id,
            )
            return
        except Exception:
            logger.exception("import of %s failed", file_name)
            await bot.edit_message_text(
                l10n("error-unexpected"), chat_id=chat_id, message_id=status.message_id
            )
            return
    text = import_summary_text(summary, l10n)
    if bank is not None:
        text = f"{bank_statement_text(bank, l10n)}\n{text}"
    await bot.edit_message_text(text, chat_id=chat_id, message_id=status.message_id)
    if summary.rejected:
        await bot.send_document(
            chat_id,
            BufferedInputFile(rejected_csv(summary), f"rejected-{kind}.csv"),
            caption=l10n("import-rejected-file", count=len(summary.rejected)),
        )


async def _is_statement(path: Path) -> bool:
    def head() -> bytes:
        with path.open("rb") as handle:
            return handle.read(64)

    return looks_like_statement(await asyncio.to_thread(head))


async def on_payment_claim(
    callback: CallbackQuery,
    callback_data: PaymentClaimCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    translator: Translator,
    now: datetime,
) -> None:
    """Draft the letter for the overdue shipments, record the claim as sent, and hand the
    manager the text to copy and a .docx to print or send."""
    try:
        claim, draft = await claims.prepare_payment_claim(
            repos, user, callback_data.client_id, now=now, texts=translator
        )
    except claims.ClaimError as exc:
        await callback.answer(l10n(exc.reason), show_alert=True)
        return
    await callback.answer()
    chat_id = callback.message.chat.id if callback.message else user.telegram_id
    bot = callback.bot
    assert bot is not None
    for part in split_text(payment_claim_text(draft, user.language, texts=translator)):
        await bot.send_message(chat_id, part)
    await bot.send_document(
        chat_id,
        BufferedInputFile(
            payment_claim_docx(draft, user.language, texts=translator), f"{claim.number}.docx"
        ),
        caption=l10n(
            "payment-claim-recorded",
            number=claim.number,
            deadline=formatting.day(draft.answer_deadline, user.language),
        ),
    )


def router() -> Router:
    r = Router(name=__name__)
    r.message.register(cmd_debts, or_f(Command("debts"), MenuButton("debts")), flags=READS_ONLY)
    r.message.register(cmd_orders, or_f(Command("orders"), MenuButton("orders")), flags=READS_ONLY)
    r.message.register(cmd_order, Command("order"), flags=READS_ONLY)
    r.message.register(cmd_prices, Command("prices"), flags=READS_ONLY)
    r.callback_query.register(on_orders, OrdersCallback.filter(), flags=READS_ONLY)
    r.callback_query.register(on_order, OrderCallback.filter(), flags=READS_ONLY)
    r.callback_query.register(on_debts, DebtsCallback.filter(), flags=READS_ONLY)
    r.callback_query.register(on_payment_claim, PaymentClaimCallback.filter())
    admin = RoleFilter(Role.ADMIN)
    # A document first: Command("import") also matches a caption.
    # A document inside a dialog (a claim's attachments) belongs to that dialog.
    r.message.register(on_document, F.document, admin, StateFilter(None, ImportStates.kind))
    r.message.register(cmd_import, Command("import"), admin)
    r.message.register(on_document_refused, F.document, StateFilter(None, ImportStates.kind))
    r.callback_query.register(on_import_kind, ImportCallback.filter(), ImportStates.kind, admin)
    return r
