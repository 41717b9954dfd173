"""The site exchange's part of /sync: whether 1C calls the bot, and its last steps."""

from __future__ import annotations

from bot.runtime.i18n import L10n
from bot.views.common.texts import fmt_moment
from storage.dto import UserDTO
from storage.exchange_dto import ExchangeRunDTO


def exchange_status_text(
    runs: list[ExchangeRunDTO], l10n: L10n, user: UserDTO, *, enabled: bool
) -> str:
    if not enabled:
        return l10n("exchange-off")
    lines = [l10n("exchange-title")]
    if not runs:
        lines.append(l10n("exchange-never"))
    for run in runs:
        when = fmt_moment(run.finished_at or run.started_at, user)
        step = l10n(f"exchange-step-{run.exchange_type}-{run.action}")
        if run.status == "failed":
            lines.append(
                l10n(
                    "exchange-run-failed",
                    when=when,
                    step=step,
                    file=run.file_name or "—",
                    error=(run.error or "")[:200],
                )
            )
        elif run.status == "running":
            lines.append(
                l10n("exchange-run-running", when=when, step=step, file=run.file_name or "—")
            )
        else:
            counts = run.counts
            lines.append(
                l10n(
                    "exchange-run-ok",
                    when=when,
                    step=step,
                    file=run.file_name or "—",
                    products=int(counts.get("products", 0)),
                    prices=int(counts.get("prices", 0)),
                    stock=int(counts.get("stock", 0)),
                    orders=int(counts.get("orders", counts.get("changed", 0))),
                )
            )
    return "\n".join(lines)
