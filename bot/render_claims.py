"""Texts and buttons of claims."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import ClaimCallback, ClaimListCallback
from bot.i18n import L10n, Translator
from bot.keyboards import button_grid
from bot.render_accounts import fmt_date, fmt_moment
from bot.services.claim_rules import (
    Action,
    Actor,
    ClaimStatus,
    Direction,
    allowed_actions,
    days_left,
)
from bot.services.money import format_money
from storage.dto import ClaimDTO, ClaimEventDTO, ClaimLine, UserDTO

ACTION_CODES = {
    Action.TAKE: "t",
    Action.RESOLVE: "r",
    Action.REJECT: "x",
    Action.REOPEN: "p",
    Action.ANSWERED: "a",
}
CODE_ACTIONS = {code: action for action, code in ACTION_CODES.items()}


def claim_summary(l10n: L10n, claim: ClaimDTO, client_name: str, language: str) -> str:
    lines = [
        l10n(
            "claim-title",
            number=claim.number,
            client=client_name,
            direction=l10n(f"claim-direction-{claim.direction}"),
        ),
        l10n("claim-status-line", status=l10n(f"claim-status-{claim.status}")),
    ]
    if claim.category:
        lines.append(
            l10n("claim-category-line", category=l10n(f"claim-category-{claim.category}"))
        )
    if claim.amount is not None:
        lines.append(
            l10n("claim-amount-line", amount=format_money(claim.amount, claim.currency, language))
        )
    if claim.internal_deadline:
        lines.append(l10n("claim-internal-line", date=fmt_date(claim.internal_deadline)))
    lines.append(l10n("claim-legal-line", date=fmt_date(claim.legal_deadline)))
    lines.append(claim.description)
    return "\n".join(lines)


def actions_markup(
    l10n: L10n, claim: ClaimDTO, actor: Actor | None, *, with_question: bool = True
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    actors = [actor] if actor is not None else [Actor.DEPARTMENT]
    actions: list[Action] = []
    for who in actors:
        actions += [
            a
            for a in allowed_actions(Direction(claim.direction), ClaimStatus(claim.status), who)
            if a not in actions
        ]
    for action in actions:
        builder.button(
            text=l10n(f"claim-action-{action.value}"),
            callback_data=ClaimCallback(claim_id=claim.id, action=ACTION_CODES[action]),
        )
    if with_question and claim.direction == Direction.INCOMING.value:
        builder.button(
            text=l10n("claim-action-question"),
            callback_data=ClaimCallback(claim_id=claim.id, action="q"),
        )
    builder.adjust(2)
    return builder.as_markup()


class ClaimTexts:
    """What the outbox carries to a department: rendered in the member's language."""

    def __init__(self, translator: Translator, default_language: str = "ru") -> None:
        self._translator = translator
        self._default = default_language

    def claim_for_department(
        self, member: UserDTO | None, claim: ClaimDTO, client_name: str
    ) -> tuple[str, dict[str, Any]]:
        language = member.language if member else self._default
        l10n = self._translator.get(language)
        text = (
            l10n("claim-new-for-department")
            + "\n"
            + claim_summary(l10n, claim, client_name, language)
        )
        return text, actions_markup(l10n, claim, Actor.DEPARTMENT).model_dump(exclude_none=True)


def claim_card_text(
    l10n: L10n,
    claim: ClaimDTO,
    client_name: str,
    events: Sequence[tuple[ClaimEventDTO, str | None]],
    user: UserDTO,
    today: date,
) -> str:
    lines = [claim_summary(l10n, claim, client_name, user.language)]
    if ClaimStatus(claim.status) in (
        ClaimStatus.NEW,
        ClaimStatus.IN_PROGRESS,
        ClaimStatus.SENT,
        ClaimStatus.ANSWERED,
    ):
        left = days_left(claim.internal_deadline or claim.legal_deadline, today)
        lines.append(
            l10n("claim-days-left", days=left)
            if left >= 0
            else l10n("claim-days-late", days=-left)
        )
    lines.append(l10n("claim-history"))
    for event, name in events:
        what = (
            l10n(f"claim-status-{event.to_status}")
            if event.kind in ("status", "created") and event.to_status
            else f"{l10n(f'claim-event-{event.kind}')}: {event.text or ''}"
        )
        lines.append(f"• {fmt_moment(event.at, user)} {name or '—'}: {what}")
    return "\n".join(lines)


def claims_list_text(l10n: L10n, lines: Sequence[ClaimLine], state: str, today: date) -> str:
    if not lines:
        return l10n("claims-none", state=l10n(f"claims-filter-{state}"))
    out = [l10n("claims-title", state=l10n(f"claims-filter-{state}"), count=len(lines))]
    for index, line in enumerate(lines, start=1):
        c = line.claim
        left = days_left(c.internal_deadline or c.legal_deadline, today)
        when = (
            l10n("claim-days-left", days=left)
            if left >= 0
            else l10n("claim-days-late", days=-left)
        )
        out.append(
            f"{index}. {c.number} · {line.client_name} · "
            f"{l10n(f'claim-status-{c.status}')} · {when}"
        )
    return "\n".join(out)


def claims_list_markup(l10n: L10n, lines: Sequence[ClaimLine], state: str) -> InlineKeyboardMarkup:
    claims = [
        InlineKeyboardButton(
            text=f"{index}. {line.claim.number}",
            callback_data=ClaimCallback(claim_id=line.claim.id).pack(),
        )
        for index, line in enumerate(lines[:50], start=1)
    ]
    filters = [
        InlineKeyboardButton(
            text=("• " if code == state else "") + l10n(f"claims-filter-{code}"),
            callback_data=ClaimListCallback(state=code).pack(),
        )
        for code in ("open", "overdue", "closed")
    ]
    return InlineKeyboardMarkup(inline_keyboard=[*button_grid(claims, 2), filters])
