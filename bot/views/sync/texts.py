"""Texts of /sync and of a sync's progress and outcome."""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.runtime.i18n import L10n
from bot.services.erp_sync import SyncReport
from bot.services.erp_sync.status import SyncStatus
from bot.views.common.texts import fmt_moment
from storage.dto import UserDTO


def odata_address(url: str) -> str:
    """The address without a login that may be written into it (https://user:pw@host/…)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def sync_status_text(
    status: SyncStatus, l10n: L10n, user: UserDTO, *, url: str | None, running: bool = False
) -> str:
    if url is None:
        return l10n("sync-not-configured")
    lines = [l10n("sync-title", address=odata_address(url))]
    if status.unreachable_reason:
        lines.append(
            l10n(
                "sync-unreachable",
                reason=status.unreachable_reason[:300],
                since=fmt_moment(status.last_answer, user) if status.last_answer else "—",
            )
        )
    if not status.entities:
        lines.append(l10n("sync-never"))
    for state in status.entities:
        when = fmt_moment(state.last_run_at, user) if state.last_run_at else "—"
        if state.error:
            success = fmt_moment(state.last_success_at, user) if state.last_success_at else "—"
            lines.append(
                l10n(
                    "sync-entity-failed",
                    entity=state.entity,
                    kind=l10n(f"import-kind-{state.kind}"),
                    when=when,
                    error=state.error[:200],
                    success=success,
                )
            )
        else:
            lines.append(
                l10n(
                    "sync-entity-ok",
                    entity=state.entity,
                    kind=l10n(f"import-kind-{state.kind}"),
                    when=when,
                    read=state.rows_read,
                    changed=state.rows_changed,
                    rejected=state.rows_rejected,
                )
            )
    lines.append(
        l10n("sync-running")
        if running
        else l10n("sync-next", at=fmt_moment(status.next_run, user))
    )
    return "\n".join(lines)


def sync_progress_text(l10n: L10n, kind: str, rows: int) -> str:
    return l10n("sync-progress", kind=l10n(f"import-kind-{kind}"), rows=rows)


def sync_report_text(report: SyncReport, l10n: L10n) -> str:
    if report.unreachable is not None and not any(r.read for r in report.results):
        return l10n("sync-done-unreachable", reason=report.unreachable[:300])
    lines = [l10n("sync-done-failed" if report.failed else "sync-done", changed=report.changed)]
    for result in report.results:
        kind = l10n(f"import-kind-{result.kind}")
        if result.error:
            lines.append(l10n("sync-done-kind-failed", kind=kind, error=result.error[:200]))
        else:
            lines.append(
                l10n(
                    "sync-done-kind",
                    kind=kind,
                    read=result.read,
                    changed=result.changed,
                    rejected=result.rejected,
                )
            )
    return "\n".join(lines)
