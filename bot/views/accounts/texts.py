"""Texts of the accounts screens: the client card, lists, the agenda, the timeline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.runtime.i18n import L10n
from bot.services import formatting
from bot.services.accounts import Agenda, ClientCard
from bot.services.analytics import ChurnSignal, fall_percent
from bot.services.money import format_money
from bot.views.common.texts import fmt_date, fmt_moment
from bot.views.stock.texts import product_names
from storage.dto import ClientLine, TimelineEntry, UserDTO

SNIPPET = 160
OUT_OF_STOCK_SHOWN = 3  # the card's usual products out of stock: the first few by name


def _snippet(text: str) -> str:
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


def client_title(line: ClientLine | ClientCard, l10n: L10n) -> str:
    client = line.client if isinstance(line, ClientCard) else line
    star = " ★" if client.is_key else ""
    return f"{client.name} · {client.tier.value}{star}"


def client_card_text(card: ClientCard, l10n: L10n, user: UserDTO) -> str:
    c = card.client
    lines = [client_title(card, l10n)]
    if c.inn:
        lines.append(l10n("card-inn", inn=c.inn, kpp=c.kpp or "—"))
    lines.append(l10n("card-owner", owner=card.owner.full_name if card.owner else "—"))
    if card.holding:
        lines.append(l10n("card-holding", holding=card.holding.name))
    if card.members:
        lines.append(
            l10n(
                "card-members",
                count=len(card.members),
                names=", ".join(m.name for m in card.members[:10]),
                pipeline=", ".join(
                    format_money(v, c, user.language) for c, v in card.group_pipeline
                )
                or "—",
            )
        )
    if card.debt is not None:
        lines.append(
            l10n(
                "card-debt",
                total=format_money(card.debt.total, "RUB", user.language),
                overdue=format_money(card.debt.overdue, "RUB", user.language),
                days=card.debt.oldest_overdue_days,
            )
        )
    if card.out_of_stock:
        lines.append(
            l10n(
                "card-out-of-stock",
                products=product_names(card.out_of_stock, l10n, OUT_OF_STOCK_SHOWN),
            )
        )
    if card.last_contact:
        lc = card.last_contact
        lines.append(
            l10n(
                "card-last-contact",
                when=fmt_moment(lc.happened_at, user),
                channel=l10n(f"channel-{lc.channel.value}"),
                outcome=l10n(f"outcome-{lc.outcome.value}"),
                summary=_snippet(lc.summary),
            )
        )
    else:
        lines.append(l10n("card-no-contact"))
    if card.next_follow_up:
        nf = card.next_follow_up
        when = fmt_moment(nf.due_at, user) if nf.due_at else fmt_date(nf.due_date)
        lines.append(l10n("card-next-step", when=when, text=_snippet(nf.text)))
    if card.persons:
        lines.append(l10n("card-persons"))
        lines += [
            f"• {p.full_name}"
            + (f", {p.position}" if p.position else "")
            + f" ({l10n(f'buying-role-{p.buying_role.value}')})"
            + (f" {p.phone}" if p.phone else "")
            + (f" {p.email}" if p.email else "")
            for p in card.persons
        ]
    if card.opportunities:
        lines.append(l10n("card-opportunities", count=len(card.opportunities)))
        lines += [
            f"• {o.title} — {format_money(o.amount, o.currency, user.language)}, "
            f"{l10n(f'stage-{o.stage.value}')}"
            + (f", {fmt_date(o.expected_close)}" if o.expected_close else "")
            for o in card.opportunities
        ]
    if card.competitor_notes:
        lines.append(l10n("card-competitors"))
        lines += [
            f"• {n.competitor}: {_snippet(n.note)}"
            + (
                f" ({format_money(n.price_seen, n.currency or 'RUB', user.language)})"
                if n.price_seen is not None
                else ""
            )
            for n in card.competitor_notes
        ]
    return "\n".join(lines)


def client_list_text(lines: Sequence[ClientLine], l10n: L10n, *, total: int, offset: int) -> str:
    if not lines:
        return l10n("clients-none")
    head = [l10n("clients-title", total=total)]
    current_tier = None
    for index, line in enumerate(lines, start=offset + 1):
        if line.tier != current_tier:
            current_tier = line.tier
            head.append(l10n("clients-tier", tier=line.tier.value))
        head.append(f"{index}. {line.name}{' ★' if line.is_key else ''}")
    return "\n".join(head)


def agenda_items(agenda: Agenda, l10n: L10n, user: UserDTO, today: date) -> list[tuple[str, int]]:
    """Numbered agenda lines, each with the client it opens."""
    items: list[tuple[str, int]] = []
    for f in agenda.follow_ups:
        overdue = (today - f.due_date).days
        when = (
            l10n("agenda-overdue", days=overdue)
            if overdue > 0
            else (fmt_moment(f.due_at, user) if f.due_at else l10n("agenda-today"))
        )
        items.append(
            (
                l10n("agenda-follow-up", client=f.client_name, text=_snippet(f.text), when=when),
                f.client_id,
            )
        )
    for n in agenda.neglected:
        items.append(
            (
                l10n(
                    "agenda-neglected",
                    client=n.client.name,
                    days=n.days_past,
                    tier=n.client.tier.value,
                ),
                n.client.id,
            )
        )
    for opp, client_name in agenda.overdue_opportunities:
        items.append(
            (
                l10n(
                    "agenda-opportunity",
                    client=client_name,
                    title=opp.title,
                    date=fmt_date(opp.expected_close or today),
                ),
                opp.client_id,
            )
        )
    items += [(churn_text(s, l10n, user), s.client_id) for s in agenda.churn]
    return items


def churn_text(signal: ChurnSignal, l10n: L10n, user: UserDTO) -> str:
    """One churn signal as a line: the fall of revenue, or the silence since the last order."""
    if signal.reason == "fall":
        return l10n(
            "agenda-churn-fall",
            client=signal.client_name,
            percent=formatting.percent(
                fall_percent(signal.recent, signal.previous), user.language
            ),
            recent=format_money(signal.recent, "RUB", user.language),
            previous=format_money(signal.previous, "RUB", user.language),
        )
    return l10n(
        "agenda-churn-silence",
        client=signal.client_name,
        days=signal.days_since_order or 0,
        gap=signal.usual_gap_days or 0,
    )


def agenda_text(
    items: Sequence[tuple[str, int]], l10n: L10n, today: date, *, offset: int, total: int
) -> str:
    if not items:
        return l10n("agenda-empty", date=fmt_date(today))
    lines = [l10n("agenda-title", date=fmt_date(today), total=total)]
    lines += [f"{offset + i}. {text}" for i, (text, _) in enumerate(items, start=1)]
    return "\n".join(lines)


def timeline_text(
    client_name: str, entries: Sequence[TimelineEntry], l10n: L10n, user: UserDTO, *, total: int
) -> str:
    if not entries:
        return l10n("history-empty", client=client_name)
    lines = [l10n("history-title", client=client_name, total=total)]
    for e in entries:
        if e.kind != "contact" and e.day is not None:
            money = (
                format_money(e.amount, e.currency or "RUB", user.language)
                if e.amount is not None
                else ""
            )
            if e.kind == "claim":  # a claim shows its status beside its amount
                money = " · ".join(p for p in (money, l10n(f"claim-status-{e.text}")) if p)
            lines.append(
                f"{fmt_date(e.day)} · {l10n(f'history-{e.kind}', number=e.number or '')} · {money}"
            )
            continue
        channel = l10n(f"channel-{e.channel.value}") if e.channel else ""
        outcome = l10n(f"outcome-{e.outcome.value}") if e.outcome else ""
        lines.append(
            f"{fmt_moment(e.at, user)} · {channel} · {outcome} · {e.author or '—'}\n  {e.text}"
        )
    return "\n".join(lines)
