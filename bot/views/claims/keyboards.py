"""Keyboards of /claim's dialog and of the departments' settings (/claims settings)."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.runtime.i18n import L10n
from bot.services.claim_rules import Actor, Category, ClaimStatus, Direction, allowed_actions
from bot.views.claims.callbacks import (
    ACTION_CODES,
    ClaimCallback,
    ClaimDialogCallback,
    ClaimFilter,
    ClaimListCallback,
    ClaimStep,
    DepartmentAction,
    DepartmentCallback,
)
from bot.views.common.keyboards import button, button_grid
from storage.dto import ClaimDTO, ClaimLine, ClientLine, DepartmentDTO, UserDTO
from storage.erp_dto import OrderRow, RecentShipment


def claim_clients(clients: Sequence[ClientLine]) -> InlineKeyboardMarkup:
    """The clients matching the name typed: whose claim it is."""
    buttons = [
        button(line.name[:40], ClaimDialogCallback(step=ClaimStep.CLIENT, value=str(line.id)))
        for line in clients
    ]
    return InlineKeyboardMarkup(inline_keyboard=button_grid(buttons, 1))


def claim_related(
    l10n: L10n, shipments: Sequence[RecentShipment], orders: Sequence[OrderRow]
) -> InlineKeyboardMarkup:
    """The client's recent shipments and orders the claim may be about, or none."""

    def related(value: str) -> ClaimDialogCallback:
        return ClaimDialogCallback(step=ClaimStep.RELATED, value=value)

    buttons = [
        *(
            button(l10n("claim-related-shipment", number=s.number), related(f"s{s.id}"))
            for s in shipments
        ),
        *(
            button(l10n("claim-related-order", number=o.number), related(f"o{o.id}"))
            for o in orders
        ),
        button(l10n("claim-related-none"), related("-")),
    ]
    return InlineKeyboardMarkup(inline_keyboard=button_grid(buttons, 1))


def claim_categories(l10n: L10n) -> InlineKeyboardMarkup:
    buttons = [
        button(
            l10n(f"claim-category-{category.value}"),
            ClaimDialogCallback(step=ClaimStep.CATEGORY, value=category.value),
        )
        for category in Category
    ]
    return InlineKeyboardMarkup(inline_keyboard=button_grid(buttons, 2))


def _one(text: str, step: ClaimStep) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[button(text, ClaimDialogCallback(step=step))]])


def claim_skip_amount(l10n: L10n) -> InlineKeyboardMarkup:
    return _one(l10n("button-skip"), ClaimStep.SKIP_AMOUNT)


def claim_files_done(l10n: L10n) -> InlineKeyboardMarkup:
    return _one(l10n("claim-files-done"), ClaimStep.FILES_DONE)


def claim_confirm(l10n: L10n) -> InlineKeyboardMarkup:
    return _one(l10n("claim-confirm"), ClaimStep.CONFIRM)


def departments_list(l10n: L10n, departments: Sequence[DepartmentDTO]) -> InlineKeyboardMarkup:
    """Each department (its card), and a new one."""
    buttons = [
        button(d.name, DepartmentCallback(department_id=d.id, action=DepartmentAction.OPEN))
        for d in departments
    ]
    buttons.append(
        button(l10n("departments-new"), DepartmentCallback(action=DepartmentAction.NEW))
    )
    return InlineKeyboardMarkup(inline_keyboard=button_grid(buttons, 1))


def department_card(
    l10n: L10n, department: DepartmentDTO, addable: Sequence[UserDTO]
) -> InlineKeyboardMarkup:
    """The categories routed to the department (✅ on, ▫️ off: a press toggles one), and the
    department-role users not yet its members (a press adds one)."""
    buttons = [
        button(
            ("✅ " if category.value in department.categories else "▫️ ")
            + l10n(f"claim-category-{category.value}"),
            DepartmentCallback(
                department_id=department.id,
                action=DepartmentAction.CATEGORY,
                value=category.value,
            ),
        )
        for category in Category
    ]
    buttons.extend(
        button(
            l10n("departments-add-member", name=person.full_name[:30]),
            DepartmentCallback(
                department_id=department.id,
                action=DepartmentAction.ADD_MEMBER,
                value=str(person.id),
            ),
        )
        for person in addable
    )
    return InlineKeyboardMarkup(inline_keyboard=button_grid(buttons, 2))


def actions_markup(l10n: L10n, claim: ClaimDTO, actor: Actor | None) -> InlineKeyboardMarkup:
    """The buttons of what `actor` may do now (None: the department, whose message goes to
    its chat or members), by the same rule that checks a press (claim_rules.may)."""
    builder = InlineKeyboardBuilder()
    who = actor if actor is not None else Actor.DEPARTMENT
    for action in allowed_actions(Direction(claim.direction), ClaimStatus(claim.status), who):
        builder.button(
            text=l10n(f"claim-action-{action.value}"),
            callback_data=ClaimCallback(claim_id=claim.id, action=ACTION_CODES[action]),
        )
    builder.adjust(2)
    return builder.as_markup()


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
        for code in ClaimFilter
    ]
    return InlineKeyboardMarkup(inline_keyboard=[*button_grid(claims, 2), filters])
