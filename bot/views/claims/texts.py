"""Texts and buttons of claims."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from bot.runtime.i18n import L10n, Translator
from bot.services.claim_deadlines import days_left
from bot.services.claim_rules import (
    Action,
    Actor,
    ClaimStatus,
    text_line_key,
)
from bot.services.money import format_money
from bot.views.claims.keyboards import actions_markup
from bot.views.common.texts import fmt_date, fmt_moment
from storage.dto import ClaimDocumentDTO, ClaimDTO, ClaimEventDTO, ClaimLine, UserDTO


def document_lines(l10n: L10n, documents: Sequence[ClaimDocumentDTO]) -> list[str]:
    """ "Order: 4512 of 20.11.2026", "Shipment: Р-7 of 01.11.2026"."""
    return [
        l10n(f"claim-{doc.kind}-line", number=doc.number, date=fmt_date(doc.day))
        for doc in documents
    ]


def claim_summary(
    l10n: L10n,
    claim: ClaimDTO,
    client_name: str,
    language: str,
    documents: Sequence[ClaimDocumentDTO] = (),
) -> str:
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
    lines += document_lines(l10n, documents)
    if claim.amount is not None:
        lines.append(
            l10n("claim-amount-line", amount=format_money(claim.amount, claim.currency, language))
        )
    if claim.internal_deadline:
        lines.append(l10n("claim-internal-line", date=fmt_date(claim.internal_deadline)))
    lines.append(l10n("claim-legal-line", date=fmt_date(claim.legal_deadline)))
    lines.append(claim.description)
    return "\n".join(lines)


def claim_confirmation_text(
    l10n: L10n,
    *,
    client_name: str,
    documents: Sequence[ClaimDocumentDTO],
    category: str,
    amount: Decimal | None,
    files: int,
    description: str,
    currency: str = "RUB",
) -> str:
    """Everything the manager entered, before the claim is registered."""
    lines = [
        l10n("claim-confirm-title"),
        l10n("claim-client-line", client=client_name),
        *(document_lines(l10n, documents) or [l10n("claim-no-order-line")]),
        l10n("claim-category-line", category=l10n(f"claim-category-{category}")),
        l10n("claim-amount-line", amount=format_money(amount, currency, l10n.language))
        if amount is not None
        else l10n("claim-no-amount-line"),
        l10n("claim-files-line", count=files),
        l10n("claim-description-line", text=description),
    ]
    return "\n".join(lines)


def album_text(l10n: L10n, *, items: int, photos: bool, files: int) -> str:
    """The one answer to an album: how many of its items, how many files in all."""
    key = "claim-album-added" if photos else "claim-album-files-added"
    return l10n(key, album=items, count=files)


def decision_prompt(l10n: L10n, action: Action, number: str) -> str:
    """What Resolve and Reject ask before they move the claim."""
    key = "claim-ask-resolution" if action is Action.RESOLVE else "claim-ask-rejection"
    return l10n(key, number=number)


class ClaimTexts:
    """What the outbox carries to a department: rendered in the member's language."""

    def __init__(self, translator: Translator, default_language: str = "ru") -> None:
        self._translator = translator
        self._default = default_language

    def claim_for_department(
        self,
        member: UserDTO | None,
        claim: ClaimDTO,
        client_name: str,
        documents: Sequence[ClaimDocumentDTO] = (),
    ) -> tuple[str, dict[str, Any]]:
        language = member.language if member else self._default
        l10n = self._translator.get(language)
        text = (
            l10n("claim-new-for-department")
            + "\n"
            + claim_summary(l10n, claim, client_name, language, documents)
        )
        return text, actions_markup(l10n, claim, Actor.DEPARTMENT).model_dump(exclude_none=True)


def claim_card_text(
    l10n: L10n,
    claim: ClaimDTO,
    client_name: str,
    events: Sequence[tuple[ClaimEventDTO, str | None]],
    user: UserDTO,
    today: date,
    documents: Sequence[ClaimDocumentDTO] = (),
) -> str:
    lines = [claim_summary(l10n, claim, client_name, user.language, documents)]
    status = ClaimStatus(claim.status)
    # Why it was closed: the text given with the move into its current status.
    closing = next(
        (
            event.text
            for event, _ in reversed(events)
            if event.kind == "status" and event.to_status == status.value
        ),
        None,
    )
    if closing and status in (ClaimStatus.RESOLVED, ClaimStatus.REJECTED):
        lines.append(l10n(text_line_key(status), text=closing))
    if status in (
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
        if event.kind in ("status", "created") and event.to_status:
            what = l10n(f"claim-status-{event.to_status}")
            if event.text:
                what = f"{what} — {event.text}"
        else:
            what = f"{l10n(f'claim-event-{event.kind}')}: {event.text or ''}"
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
