"""Texts and buttons of what the bot sends unprompted: digests, reminders, alerts, price
changes. Rendered in the recipient's language when the notification is written."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.runtime.i18n import L10n, Translator
from bot.services import formatting
from bot.services.money import format_money
from bot.services.receivables import OpenShipment
from bot.services.reminders import Digest, DigestLine, price_change_percent
from bot.views.accounts.callbacks import ClientAction, ClientCallback
from bot.views.common.keyboards import button_grid
from bot.views.common.texts import fmt_date, fmt_moment
from bot.views.reminders.callbacks import (
    InformedCallback,
    ReminderAction,
    ReminderCallback,
    ReminderKind,
)
from bot.views.stock.texts import product_names
from storage.dto import UserDTO


def _rub(amount: Decimal | int, *, language: str) -> str:
    return format_money(Decimal(amount), "RUB", language)


def _change(percent: Decimal | None, language: str) -> str:
    """ " (+7 %)" after a new price; nothing when there was no old one."""
    return (
        f" ({formatting.percent(percent, language, signed=True)})" if percent is not None else ""
    )


KIND_CODE = {
    "followup": ReminderKind.FOLLOW_UP,
    "neglected": ReminderKind.NEGLECTED,
    "overdue": ReminderKind.OVERDUE,
    "price": ReminderKind.PRICE,
    "claim": ReminderKind.CLAIM,
}
MAX_BUTTONS = 90  # Telegram allows about 100 buttons a message
OUT_OF_STOCK_SHOWN = 5  # products named per client in the digest; the rest counted


class ReminderTexts:
    def __init__(self, translator: Translator) -> None:
        self._translator = translator

    def digest(self, user: UserDTO, digest: Digest) -> tuple[str, dict[str, Any] | None]:
        l10n = self._translator.get(user.language)
        money = partial(_rub, language=user.language)
        lines = [l10n("digest-title", date=fmt_date(digest.day))]
        headings = {
            "followup": "digest-followups",
            "neglected": "digest-neglected",
            "overdue": "digest-overdue",
            "price": "digest-prices",
            "claim": "digest-claims",
        }
        current = None
        for number, line in enumerate(digest.lines, start=1):
            if line.kind != current:
                current = line.kind
                lines.append(l10n(headings[line.kind]))
            lines.append(f"{number}. {self._line(l10n, line, money)}")
        if digest.overdue_total:
            b = digest.buckets
            lines.append(
                l10n(
                    "digest-overdue-total",
                    total=money(digest.overdue_total),
                    b1=money(b.get("1-30", 0)),
                    b2=money(b.get("31-60", 0)),
                    b3=money(b.get("61-90", 0)),
                    b4=money(b.get("90+", 0)),
                )
            )
        if digest.out_of_stock:
            lines.append(l10n("digest-out-of-stock"))
            lines += [
                l10n(
                    "digest-out-of-stock-line",
                    client=item.client_name,
                    products=product_names(item.products, l10n, OUT_OF_STOCK_SHOWN),
                )
                for item in digest.out_of_stock
            ]
        buttons = [
            InlineKeyboardButton(
                text=str(number),
                callback_data=ReminderCallback(
                    kind=KIND_CODE[line.kind], item_id=line.item_id
                ).pack(),
            )
            for number, line in enumerate(digest.lines[:MAX_BUTTONS], start=1)
        ]
        if not buttons:  # only the out-of-stock list: nothing to tap
            return "\n".join(lines), None
        markup = InlineKeyboardMarkup(inline_keyboard=button_grid(buttons, 6))
        return "\n".join(lines), markup.model_dump(exclude_none=True)

    @staticmethod
    def _line(l10n: L10n, line: DigestLine, money: Callable[[Decimal], str]) -> str:
        amount = line.amount if line.amount is not None else Decimal("0")
        if line.kind == "followup":
            when = (
                l10n("agenda-overdue", days=line.days) if line.days > 0 else l10n("agenda-today")
            )
            return l10n("agenda-follow-up", client=line.client_name, text=line.text, when=when)
        if line.kind == "claim":
            key = "digest-claim-late" if line.days > 0 else "digest-claim-left"
            return l10n(key, number=line.text, client=line.client_name, days=abs(line.days))
        if line.kind == "neglected":
            return l10n(
                "agenda-neglected",
                client=line.client_name,
                days=line.days,
                tier=line.tier.value if line.tier else "",
            )
        if line.kind == "overdue":
            return l10n(
                "digest-overdue-line",
                client=line.client_name,
                number=line.text,
                amount=money(amount),
                days=line.days,
            )
        change = (
            price_change_percent(line.old_amount, line.amount) if line.amount is not None else None
        )
        return l10n(
            "digest-price-line",
            client=line.client_name,
            product=line.text,
            price=money(amount),
            date=fmt_date(line.due) if line.due else "",
            change=_change(change, l10n.language),
        )

    def follow_up(self, user: UserDTO, item: Any) -> tuple[str, dict[str, Any] | None]:
        l10n = self._translator.get(user.language)
        fid, _owner, client_id, name, text, due_at = item
        return (
            l10n("followup-due", client=name, text=text, when=fmt_moment(due_at, user)),
            item_actions(l10n, ReminderKind.FOLLOW_UP, fid, client_id),
        )

    def overdue_alert(
        self, user: UserDTO, client_name: str, item: OpenShipment
    ) -> tuple[str, dict[str, Any] | None]:
        l10n = self._translator.get(user.language)
        s = item.shipment
        text = l10n(
            "overdue-alert",
            client=client_name,
            number=s.number,
            date=fmt_date(s.shipped_on),
            amount=format_money(item.remaining, s.currency, user.language),
            due=fmt_date(s.due_on),
        )
        return text, item_actions(l10n, ReminderKind.OVERDUE, s.id, s.client_id)

    def price_notice(
        self, user: UserDTO, lines: list[Any], *, reminder: bool
    ) -> tuple[str, dict[str, Any] | None]:
        l10n = self._translator.get(user.language)
        price_id, *_, starts, product, _informed = lines[0]
        body = [
            l10n(
                "price-soon-title" if reminder else "price-title",
                product=product,
                date=fmt_date(starts),
            )
        ]
        buttons = []
        for _pid, cid, name, _uid, old, new_price, cur, _starts, _product, informed in lines[
            :MAX_BUTTONS
        ]:
            change = price_change_percent(old, new_price)
            body.append(
                l10n(
                    "price-client-line",
                    client=name,
                    old=format_money(old, cur, user.language) if old is not None else "—",
                    new=format_money(new_price, cur, user.language),
                    change=_change(change, user.language),
                )
            )
            if informed is None:
                buttons.append(
                    InlineKeyboardButton(
                        text=l10n("price-informed", client=name[:30]),
                        callback_data=InformedCallback(price_id=price_id, client_id=cid).pack(),
                    )
                )
        markup = InlineKeyboardMarkup(inline_keyboard=button_grid(buttons, 1))
        return "\n".join(body), markup.model_dump(exclude_none=True)


def item_actions(l10n: L10n, kind: ReminderKind, item_id: int, client_id: int) -> dict[str, Any]:
    """Log a contact, open the card, snooze (1 day, 3 days, 1 week), done."""
    builder = InlineKeyboardBuilder()
    builder.button(
        text=l10n("card-btn-log"),
        callback_data=ClientCallback(action=ClientAction.LOG, client_id=client_id),
    )
    builder.button(
        text=l10n("reminder-open-card"),
        callback_data=ClientCallback(action=ClientAction.OPEN, client_id=client_id),
    )
    for days in (1, 3, 7):
        builder.button(
            text=l10n(f"reminder-snooze-{days}"),
            callback_data=ReminderCallback(
                kind=kind, item_id=item_id, action=ReminderAction.SNOOZE, days=days
            ),
        )
    builder.button(
        text=l10n("reminder-done"),
        callback_data=ReminderCallback(kind=kind, item_id=item_id, action=ReminderAction.DONE),
    )
    builder.adjust(2, 3, 1)
    return builder.as_markup().model_dump(exclude_none=True)
