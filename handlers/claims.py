"""/claim: register a client's claim; /claims: the user's claims; a claim's card and its
actions (also from the department's group chat); questions by ForceReply; departments."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, or_f
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, ForceReply, InlineKeyboardMarkup, Message
from aiogram.utils.formatting import Text, TextMention
from pydantic import BaseModel

from bot.runtime.filters import MenuButton, RoleFilter
from bot.runtime.i18n import L10n, Translator
from bot.runtime.update_scope import READS_ONLY
from bot.services import access, accounts, claims, formatting
from bot.services.access import AccessDenied
from bot.services.claim_rules import (
    Action,
    Actor,
    Category,
    asks_for_text,
    means_no_order,
    parse_claim_number,
)
from bot.services.local_time import user_today
from bot.services.money import AmountError, parse_amount
from bot.services.numbers import parse_id
from bot.views.accounts.callbacks import ClientAction, ClientCallback
from bot.views.claims.callbacks import (
    CODE_ACTIONS,
    ClaimCallback,
    ClaimDialogCallback,
    ClaimFilter,
    ClaimListCallback,
    ClaimStep,
    DepartmentAction,
    DepartmentCallback,
)
from bot.views.claims.keyboards import (
    actions_markup,
    claim_categories,
    claim_clients,
    claim_confirm,
    claim_files_done,
    claim_related,
    claim_skip_amount,
    claims_list_markup,
    department_card,
    departments_list,
)
from bot.views.claims.states import ClaimDecisionStates, ClaimStates, DepartmentStates
from bot.views.claims.texts import (
    ClaimTexts,
    album_text,
    claim_card_text,
    claim_confirmation_text,
    claims_list_text,
    decision_prompt,
)
from handlers.util import dialog_data, refuse, reply, say, show, text_step
from storage.dto import ClaimDTO, Role, UserDTO
from storage.repositories import Repos

QUESTION_MARK = "❓"  # the ForceReply prompt starts with it and ends with the claim number


# --- the /claim dialog ---------------------------------------------------------------------


async def cmd_claim(
    message: Message,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    command: CommandObject | None = None,  # None: the menu button
) -> None:
    await state.set_state(ClaimStates.client)
    await state.set_data({})
    args = (command.args if command else None) or ""
    if args.strip():
        await _client_query(message, args, repos, user, l10n)
        return
    await message.answer(l10n("claim-ask-client"))


async def on_claim_from_card(
    callback: CallbackQuery,
    callback_data: ClientCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
) -> None:
    client = await access.client_for(repos, user, callback_data.client_id, change=True)
    await callback.answer()
    await _ask_related(callback, client.id, repos, l10n, state)


async def on_claim_client_typed(message: Message, repos: Repos, user: UserDTO, l10n: L10n) -> None:
    await _client_query(message, message.text or "", repos, user, l10n)


async def _client_query(
    message: Message, text: str, repos: Repos, user: UserDTO, l10n: L10n
) -> None:
    found = await accounts.find_changeable_clients(repos, user, text)
    if not found:
        await message.answer(l10n("search-nothing", query=text[:100]))
        return
    await message.answer(l10n("claim-choose-client"), reply_markup=claim_clients(found[:10]))


async def on_claim_client(
    callback: CallbackQuery,
    callback_data: ClaimDialogCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
) -> None:
    client = await access.client_for(repos, user, parse_id(callback_data.value) or 0, change=True)
    await callback.answer()
    await _ask_related(callback, client.id, repos, l10n, state)


async def _ask_related(
    callback: CallbackQuery, client_id: int, repos: Repos, l10n: L10n, state: FSMContext
) -> None:
    await state.set_state(ClaimStates.related)
    await state.set_data({"client_id": client_id})
    erp = repos.erp
    orders, _ = await erp.orders([client_id], status_open=None, offset=0, limit=5)
    shipments = await erp.recent_shipments(client_id, 5)
    await say(callback, l10n("claim-ask-related"), claim_related(l10n, shipments, orders))


async def on_claim_related(
    callback: CallbackQuery,
    callback_data: ClaimDialogCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
) -> None:
    data = await state.get_data()
    value = callback_data.value
    related = parse_id(value[1:])
    if value.startswith("o") and related:
        found, _ = await repos.erp.orders(
            [int(data["client_id"])], status_open=None, offset=0, limit=50
        )
        if related not in {row.id for row in found}:
            raise AccessDenied
        await state.update_data(order_id=related)
    elif value.startswith("s") and related:
        shipments = await repos.erp.recent_shipments(int(data["client_id"]), 50)
        if related not in {shipment.id for shipment in shipments}:
            raise AccessDenied
        await state.update_data(shipment_id=related)
    await state.set_state(ClaimStates.category)
    await show(callback, l10n("claim-ask-category"), claim_categories(l10n))


async def on_claim_related_typed(
    message: Message, repos: Repos, user: UserDTO, l10n: L10n, state: FSMContext
) -> None:
    """An order number typed instead of a button, or «нет» / "none" as the prompt invites."""
    text = (message.text or "").strip()
    if not means_no_order(text):
        data = await state.get_data()
        found = await repos.erp.orders_by_number(
            text.lstrip("№").strip(), [int(data["client_id"])]
        )
        if not found:
            await message.answer(l10n("order-not-found", number=text[:64]))
            return
        await state.update_data(order_id=found[0].id)
    await state.set_state(ClaimStates.category)
    await message.answer(l10n("claim-ask-category"), reply_markup=claim_categories(l10n))


async def on_claim_category(
    callback: CallbackQuery, callback_data: ClaimDialogCallback, l10n: L10n, state: FSMContext
) -> None:
    if callback_data.value not in {c.value for c in Category}:
        await refuse(callback, l10n("error-not-available"))
        return
    await state.update_data(category=callback_data.value)
    await state.set_state(ClaimStates.description)
    await show(callback, l10n("claim-ask-description"), None)


async def on_claim_description(message: Message, l10n: L10n, state: FSMContext) -> None:
    text = await text_step(message, l10n)
    if text is None:
        return
    await state.update_data(description=text)
    await state.set_state(ClaimStates.amount)
    await message.answer(l10n("claim-ask-amount"), reply_markup=claim_skip_amount(l10n))


async def on_claim_amount(message: Message, l10n: L10n, state: FSMContext) -> None:
    try:
        amount = parse_amount(message.text or "")
    except AmountError:
        await message.answer(l10n("amount-error"))
        return
    await state.update_data(amount=str(amount))
    await _ask_files(message, l10n, state)


async def on_claim_skip_amount(callback: CallbackQuery, l10n: L10n, state: FSMContext) -> None:
    await callback.answer()
    await _ask_files(callback, l10n, state)


async def _ask_files(event: Message | CallbackQuery, l10n: L10n, state: FSMContext) -> None:
    await state.set_state(ClaimStates.files)
    await state.update_data(files=[])
    await reply(event, l10n("claim-ask-files"), claim_files_done(l10n))


class AlbumAnswer(BaseModel):
    """The one answer to an album, kept in the dialog so its later items edit it."""

    media_group_id: str
    message_id: int
    items: int
    photos: bool  # every item so far a photo: "2 photos", else "2 files"


async def on_claim_file(message: Message, l10n: L10n, state: FSMContext, bot: Bot) -> None:
    """Photos (one by one or an album), documents and voice notes: the largest photo size is
    kept. Each is answered with the count, an album once: Telegram delivers its items as
    separate messages sharing a media_group_id; the first is answered and the answer edited
    as the others come (the updates of one user are handled one at a time: the dispatcher's
    event isolation, so each sees the previous one's answer in the dialog)."""
    if message.photo:
        file = ("photo", message.photo[-1].file_id)
    elif message.document:
        file = ("document", message.document.file_id)
    elif message.voice:
        file = ("voice", message.voice.file_id)
    else:
        await message.answer(l10n("claim-files-expected"))
        return
    data = await state.get_data()
    files = [*data.get("files", []), list(file)]
    await state.update_data(files=files)
    if not message.media_group_id:
        await message.answer(l10n("claim-file-added", count=len(files)))
        return
    album = AlbumAnswer.model_validate(data["album"]) if data.get("album") else None
    if album is not None and album.media_group_id == message.media_group_id:
        album = album.model_copy(
            update={"items": album.items + 1, "photos": album.photos and file[0] == "photo"}
        )
        text = album_text(l10n, items=album.items, photos=album.photos, files=len(files))
        try:
            await bot.edit_message_text(text, chat_id=message.chat.id, message_id=album.message_id)
        except TelegramBadRequest:  # the answer was deleted: answer afresh
            sent = await message.answer(text)
            album = album.model_copy(update={"message_id": sent.message_id})
    else:
        text = album_text(l10n, items=1, photos=file[0] == "photo", files=len(files))
        sent = await message.answer(text)
        album = AlbumAnswer(
            media_group_id=message.media_group_id,
            message_id=sent.message_id,
            items=1,
            photos=file[0] == "photo",
        )
    await state.update_data(album=album.model_dump())


async def on_claim_files_done(
    callback: CallbackQuery, repos: Repos, l10n: L10n, state: FSMContext, user: UserDTO
) -> None:
    data = await state.get_data()
    client = await access.client_for(repos, user, int(data["client_id"]), change=True)
    await state.set_state(ClaimStates.confirm)
    summary = claim_confirmation_text(
        l10n,
        client_name=client.name,
        documents=await repos.claims.documents(
            order_id=data.get("order_id"), shipment_id=data.get("shipment_id")
        ),
        category=str(data["category"]),
        amount=parse_amount(data["amount"]) if data.get("amount") else None,
        files=len(data.get("files", [])),
        description=str(data["description"]),
    )
    await show(callback, summary, claim_confirm(l10n))


async def on_claim_confirm(
    callback: CallbackQuery,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
    translator: Translator,
) -> None:
    data = await state.get_data()
    draft = claims.ClaimDraft(
        client_id=int(data["client_id"]),
        category=Category(data["category"]),
        description=str(data["description"]),
        order_id=data.get("order_id"),
        shipment_id=data.get("shipment_id"),
        amount=parse_amount(data["amount"]) if data.get("amount") else None,
        files=tuple((str(k), str(f)) for k, f in data.get("files", [])),
    )
    claim = await claims.register_claim(
        repos, user, draft, now=now, texts=translator, render=ClaimTexts(translator)
    )
    await state.clear()
    key = "claim-registered" if claim.department_id else "claim-registered-no-department"
    await show(
        callback,
        l10n(
            key,
            number=claim.number,
            internal=formatting.day(claim.internal_deadline, user.language)
            if claim.internal_deadline
            else "—",
            legal=formatting.day(claim.legal_deadline, user.language),
        ),
        None,
    )


# --- /claims and a claim's card ---------------------------------------------------------------


async def _scope(repos: Repos, user: UserDTO) -> tuple[list[int] | None, list[int] | None]:
    departments = await repos.departments.of_user(user.id)
    if user.role is Role.ADMIN:
        return None, None
    owners = await access.visible_owners(repos, user)
    return (list(owners) if owners is not None else None), departments


async def cmd_claims(
    message: Message,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
    state: FSMContext,
    command: CommandObject | None = None,  # None: the menu button
) -> None:
    if ((command.args if command else None) or "").strip() == "settings":
        await _departments(message, repos, user, l10n, state)
        return
    text, markup = await _list(repos, user, l10n, ClaimFilter.OPEN, now)
    await message.answer(text, reply_markup=markup)


async def on_claims_list(
    callback: CallbackQuery,
    callback_data: ClaimListCallback,
    repos: Repos,
    user: UserDTO,
    l10n: L10n,
    now: datetime,
) -> None:
    if callback_data.state not in tuple(ClaimFilter):
        raise AccessDenied
    text, markup = await _list(repos, user, l10n, callback_data.state, now)
    await show(callback, text, markup)


async def _list(
    repos: Repos, user: UserDTO, l10n: L10n, state: str, now: datetime
) -> tuple[str, InlineKeyboardMarkup]:
    managers, departments = await _scope(repos, user)
    lines = await repos.claims.lines(
        managers=managers, departments=departments, state=state, today=user_today(user, now)
    )
    return claims_list_text(l10n, lines, state, user_today(user, now)), claims_list_markup(
        l10n, lines, state
    )


async def on_claim(
    callback: CallbackQuery,
    callback_data: ClaimCallback,
    repos: Repos,
    user: UserDTO | None,
    l10n: L10n,
    now: datetime,
    translator: Translator,
    bot: Bot,
    state: FSMContext,
) -> None:
    """A claim's card ("o") or a button on it. Every press is checked by the rule that chose
    the buttons (claim_rules.may). Resolve and Reject ask for the resolution or the reason
    first; the other moves are one tap."""
    if user is None:
        await refuse(callback, l10n("claim-not-yours"))
        return
    try:
        claim, actor = await claims.claim_for(repos, user, callback_data.claim_id)
    except AccessDenied:
        await refuse(callback, l10n("claim-not-yours"))
        return
    if await state.get_state() == ClaimDecisionStates.reason.state:
        await state.clear()  # another button: the resolution asked for is no longer awaited
    action = CODE_ACTIONS.get(callback_data.action)
    if action is not None:
        try:
            claims.check_allowed(claim, actor, action)
            if action is Action.QUESTION or asks_for_text(action):
                await _ask_for_text(callback, claim, action, user, l10n, state, bot)
                return
            claim = await claims.act(repos, user, claim.id, action, now=now, texts=translator)
        except claims.ClaimError as exc:
            await refuse(callback, l10n(exc.reason))
            return
    text, markup = await _card(repos, claim, actor, user, l10n, now)
    await show(callback, text, markup)


class ClaimDecision(BaseModel):
    """What Resolve or Reject left in the dialog while the text is awaited."""

    claim_id: int
    action: Action
    card_chat_id: int | None = None  # the card the button was pressed under, to refresh
    card_message_id: int | None = None


async def _ask_for_text(
    callback: CallbackQuery,
    claim: ClaimDTO,
    action: Action,
    user: UserDTO,
    l10n: L10n,
    state: FSMContext,
    bot: Bot,
) -> None:
    """Ask with ForceReply: in a group (privacy mode) the bot sees only replies to its own
    messages and commands. A question is answered by replying to its prompt, which names the
    claim (on_question_reply). The resolution or the reason waits in a dialog step, so a
    command sent instead leaves it; in a group the prompt mentions who pressed, as a
    selective ForceReply reaches only the users mentioned in it."""
    card = callback.message if isinstance(callback.message, Message) else None
    chat_id = card.chat.id if card else user.telegram_id
    await callback.answer()
    if action is Action.QUESTION:
        await bot.send_message(
            chat_id,
            f"{QUESTION_MARK} {l10n('claim-ask-question', number=claim.number)}",
            reply_markup=ForceReply(selective=True, input_field_placeholder=claim.number),
        )
        return
    await state.set_state(ClaimDecisionStates.reason)
    await state.set_data(
        ClaimDecision(
            claim_id=claim.id,
            action=action,
            card_chat_id=card.chat.id if card else None,
            card_message_id=card.message_id if card else None,
        ).model_dump(mode="json")
    )
    prompt = decision_prompt(l10n, action, claim.number)
    if card is not None and card.chat.type in ("group", "supergroup"):
        mention = Text(TextMention(user.full_name, user=callback.from_user), ", ", prompt)
        await bot.send_message(
            chat_id,
            **mention.as_kwargs(),
            reply_markup=ForceReply(selective=True, input_field_placeholder=claim.number),
        )
    else:
        await bot.send_message(
            chat_id, prompt, reply_markup=ForceReply(input_field_placeholder=claim.number)
        )


async def on_claim_decision(
    message: Message,
    repos: Repos,
    user: UserDTO | None,
    l10n: L10n,
    state: FSMContext,
    now: datetime,
    translator: Translator,
    bot: Bot,
) -> None:
    """The resolution or the reason, typed after Resolve or Reject (a reply to the prompt in
    a group). A command or a menu button instead leaves the step before this is reached
    (LeaveDialogMiddleware); the claim moves only from the status it had (a replay, or a
    colleague who moved it meanwhile, changes nothing)."""
    text = await text_step(message, l10n)
    if text is None:
        return
    decision = await dialog_data(message, state, ClaimDecision, l10n)
    if decision is None:
        return
    await state.clear()
    if user is None:
        await message.reply(l10n("claim-not-yours"))
        return
    try:
        claim = await claims.act(
            repos,
            user,
            decision.claim_id,
            decision.action,
            now=now,
            texts=translator,
            comment=text,
        )
        claim, actor = await claims.claim_for(repos, user, claim.id)
    except AccessDenied:
        await message.reply(l10n("claim-not-yours"))
        return
    except claims.ClaimError as exc:
        await message.reply(l10n(exc.reason))
        return
    status = l10n(f"claim-status-{claim.status}")
    await message.reply(l10n("claim-decision-saved", number=claim.number, status=status))
    if decision.card_chat_id is not None and decision.card_message_id is not None:
        card, markup = await _card(repos, claim, actor, user, l10n, now)
        # The card may be gone or too old to edit: the reply above stands anyway.
        with suppress(TelegramBadRequest):
            await bot.edit_message_text(
                card,
                chat_id=decision.card_chat_id,
                message_id=decision.card_message_id,
                reply_markup=markup,
            )


async def on_decision_cancel(message: Message, state: FSMContext, l10n: L10n) -> None:
    """/cancel in a department's group while a resolution is awaited there."""
    await state.clear()
    await message.answer(l10n("cancel-done"))


async def _card(
    repos: Repos, claim: ClaimDTO, actor: Actor, user: UserDTO, l10n: L10n, now: datetime
) -> tuple[str, InlineKeyboardMarkup]:
    client = await repos.clients.get(claim.client_id)
    events = await repos.claims.events(claim.id)
    documents = await repos.claims.documents(
        order_id=claim.order_id, shipment_id=claim.shipment_id
    )
    text = claim_card_text(
        l10n,
        claim,
        client.name if client else "",
        events,
        user,
        user_today(user, now),
        documents,
    )
    return text, actions_markup(l10n, claim, actor)


async def on_question_reply(
    message: Message,
    repos: Repos,
    user: UserDTO | None,
    l10n: L10n,
    now: datetime,
    translator: Translator,
) -> None:
    """The answer to a ForceReply prompt: a question or comment on the claim it names."""
    prompt = message.reply_to_message
    number = (prompt.text or "").rsplit(" ", 1)[-1] if prompt and prompt.text else ""

    try:
        year, sequence = parse_claim_number(number.rstrip(":.?"))
    except ValueError:
        return
    found = await repos.claims.by_number(year, sequence)
    if user is None or found is None:
        await message.reply(l10n("claim-not-yours"))
        return
    text = (message.text or "").strip()[:4000]
    if not text:
        return
    try:
        await claims.add_comment(
            repos, user, found.id, text, kind="question", now=now, texts=translator
        )
    except AccessDenied:
        await message.reply(l10n("claim-not-yours"))
        return
    except claims.ClaimError as exc:
        await message.reply(l10n(exc.reason))
        return
    await message.reply(l10n("claim-question-saved", number=found.number))


# --- departments (admin) -----------------------------------------------------------------------


async def _departments(
    message: Message, repos: Repos, user: UserDTO, l10n: L10n, state: FSMContext
) -> None:
    if user.role is not Role.ADMIN:
        await message.answer(l10n("error-not-allowed"))
        return
    await message.answer(
        l10n("departments-title"), reply_markup=await _departments_markup(repos, l10n)
    )


async def _departments_markup(repos: Repos, l10n: L10n) -> InlineKeyboardMarkup:
    return departments_list(l10n, await repos.departments.all())


async def on_department(
    callback: CallbackQuery,
    callback_data: DepartmentCallback,
    repos: Repos,
    l10n: L10n,
    state: FSMContext,
) -> None:
    data = callback_data
    if data.action == DepartmentAction.NEW:
        await state.set_state(DepartmentStates.name)
        await callback.answer()
        await say(callback, l10n("departments-ask-name"))
        return
    department = await repos.departments.get(data.department_id)
    if department is None:
        raise AccessDenied
    if data.action == DepartmentAction.CATEGORY and data.value in {c.value for c in Category}:
        categories = set(department.categories) ^ {data.value}
        await repos.departments.set_categories(department.id, sorted(categories))
    elif data.action == DepartmentAction.ADD_MEMBER and (member_id := parse_id(data.value)):
        member = await repos.users.get(member_id)
        if member is None or not member.is_active or member.role is not Role.DEPARTMENT:
            raise AccessDenied
        await repos.departments.add_member(department.id, member.id)
    department = await repos.departments.get(department.id)
    assert department is not None
    members = await repos.departments.members(department.id)
    member_ids = {m.id for m in members}
    # Members are users given the department-member role (/users → Change role), so they
    # see only the claims routed to them.
    addable = [
        person
        for person in await repos.users.with_role(Role.DEPARTMENT)
        if person.id not in member_ids
    ]
    text = l10n(
        "departments-card",
        name=department.name,
        id=department.id,
        members=", ".join(m.full_name for m in members) or "—",
        chat=str(department.chat_id) if department.chat_id else "—",
    )
    await show(callback, text, department_card(l10n, department, addable))


async def on_department_name(
    message: Message, repos: Repos, l10n: L10n, state: FSMContext, now: datetime
) -> None:
    name = await text_step(message, l10n, 128)
    if name is None:
        return
    if await repos.departments.by_name(name) is not None:
        await message.answer(l10n("departments-exists"))
        return
    await repos.departments.create(name, now=now)
    await state.clear()
    await message.answer(
        l10n("departments-title"), reply_markup=await _departments_markup(repos, l10n)
    )


async def cmd_claims_chat(
    message: Message, command: CommandObject, repos: Repos, user: UserDTO | None, l10n: L10n
) -> None:
    """Sent by an admin in a department's group: claims of that department go here."""
    if user is None or user.role is not Role.ADMIN:
        return
    value = (command.args or "").strip()
    department_id = parse_id(value)
    department = await repos.departments.get(department_id) if department_id else None
    if department is None:
        await message.answer(l10n("departments-chat-usage"))
        return
    await repos.departments.set_chat(department.id, message.chat.id)
    await message.answer(l10n("departments-chat-bound", name=department.name))


async def on_group_migrated(message: Message, repos: Repos) -> None:
    """A group became a supergroup: its claims follow it to the new chat id."""
    if message.migrate_to_chat_id:
        await repos.departments.follow_migration(message.chat.id, message.migrate_to_chat_id)


def router() -> Router:
    r = Router(name=__name__)
    d, S = ClaimDialogCallback.filter, ClaimStep
    r.message.register(cmd_claim, or_f(Command("claim"), MenuButton("claim")))
    r.message.register(cmd_claims, or_f(Command("claims"), MenuButton("claims")), flags=READS_ONLY)
    r.callback_query.register(
        on_claim_from_card, ClientCallback.filter(F.action == ClientAction.CLAIM)
    )
    r.message.register(on_claim_client_typed, ClaimStates.client, F.text)
    r.callback_query.register(on_claim_client, d(F.step == S.CLIENT), ClaimStates.client)
    r.callback_query.register(on_claim_related, d(F.step == S.RELATED), ClaimStates.related)
    r.message.register(on_claim_related_typed, ClaimStates.related, F.text)
    r.callback_query.register(on_claim_category, d(F.step == S.CATEGORY), ClaimStates.category)
    r.message.register(on_claim_description, ClaimStates.description, F.text)
    r.message.register(on_claim_amount, ClaimStates.amount, F.text)
    r.callback_query.register(on_claim_skip_amount, d(F.step == S.SKIP_AMOUNT), ClaimStates.amount)
    r.message.register(on_claim_file, ClaimStates.files)
    r.callback_query.register(on_claim_files_done, d(F.step == S.FILES_DONE), ClaimStates.files)
    r.callback_query.register(on_claim_confirm, d(F.step == S.CONFIRM), ClaimStates.confirm)
    r.callback_query.register(on_claims_list, ClaimListCallback.filter(), flags=READS_ONLY)
    r.message.register(on_question_reply, F.reply_to_message.text.startswith(QUESTION_MARK))
    r.message.register(on_claim_decision, ClaimDecisionStates.reason, F.text)
    admin = RoleFilter(Role.ADMIN)
    r.callback_query.register(on_department, DepartmentCallback.filter(), admin)
    r.message.register(on_department_name, DepartmentStates.name, F.text, admin)
    return r


def group_router() -> Router:
    """The department's group chat: claim buttons, question replies, binding, migration."""
    r = Router(name=__name__ + ".groups")
    r.message.filter(F.chat.type.in_({"group", "supergroup"}))
    r.message.register(on_group_migrated, F.migrate_to_chat_id)
    r.message.register(cmd_claims_chat, Command("claims_chat"))
    r.message.register(on_decision_cancel, Command("cancel"), ClaimDecisionStates.reason)
    r.message.register(on_question_reply, F.reply_to_message.text.startswith(QUESTION_MARK))
    r.message.register(on_claim_decision, ClaimDecisionStates.reason, F.text)
    return r


def claim_callbacks_router() -> Router:
    """Claim buttons anywhere (private or group); strangers are told they may not act."""
    r = Router(name=__name__ + ".buttons")
    r.callback_query.register(on_claim, ClaimCallback.filter())
    return r
