"""Scheduled work. Each job is a function of (now, context) that reads the database and
writes the outbox, so a missed run is recovered by the next one and tests call it with any
`now`. The database is the source of truth: no pickled job per reminder."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from aiogram import Bot
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.runtime.config import Settings
from bot.runtime.i18n import Translator
from bot.runtime.metrics import Metrics
from bot.runtime.outbox_sender import DeliveryConfig, OutboxSender
from bot.services.business_settings import load_settings
from bot.services.claims import run_claim_reminders
from bot.services.clock import Clock, FrozenClock
from bot.services.erp_import import clear_abandoned_imports
from bot.services.erp_sync.onec import sync_from_onec
from bot.services.erp_sync.status import schedule_of
from bot.services.notifications import notify_user
from bot.services.reminders import (
    run_digests,
    run_follow_ups,
    run_overdue_alerts,
    run_price_changes,
)
from bot.services.reports import SummaryKind, build_summaries, due_requests, summary_key
from bot.views.claims.texts import ClaimTexts
from bot.views.common.charts import render_chart
from bot.views.reminders.texts import ReminderTexts
from bot.views.reports.texts import ReportTexts
from storage.engine import Database
from storage.repositories import Repos

logger = logging.getLogger(__name__)
PROCESSED_UPDATES_KEPT = timedelta(hours=24)


@dataclass
class JobContext:
    settings: Settings
    database: Database
    translator: Translator
    delivery: DeliveryConfig
    bot: Bot | None = None
    # What a job remembers between runs in this process (the first digest run catches up).
    state: dict[str, object] = field(default_factory=dict)
    # The App's metrics, where each run is counted and timed (None: not counted).
    metrics: Metrics | None = None


JobFunc = Callable[[datetime, JobContext], Awaitable[str]]


@dataclass(frozen=True)
class Job:
    run: JobFunc
    trigger: BaseTrigger | None = None  # None: run on demand only
    needs_bot: bool = False


async def deliver(now: datetime, ctx: JobContext) -> str:
    """Send what the outbox holds and is due at `now`."""
    if ctx.bot is None:
        raise RuntimeError("deliver needs a bot")
    sender = OutboxSender(
        ctx.bot, ctx.database, ctx.translator, FrozenClock(now), ctx.delivery, metrics=ctx.metrics
    )
    return str(await sender.drain())


async def housekeeping(now: datetime, ctx: JobContext) -> str:
    """Forget handled update ids after a day (Telegram does not redeliver older ones),
    clear imports that were killed mid-way (the admins are told), and refresh the query
    planner's statistics as the data grows."""
    async with ctx.database.transaction() as session:
        forgotten = await Repos(session).processed_updates.forget_before(
            now - PROCESSED_UPDATES_KEPT
        )
    abandoned = await clear_abandoned_imports(ctx.database, now=now, texts=ctx.translator)
    await ctx.database.refresh_statistics()
    cleared = f"; {abandoned} abandoned imports cleared" if abandoned else ""
    return f"forgot {forgotten} processed update ids{cleared}"


async def digest(now: datetime, ctx: JobContext) -> str:
    """Morning digests whose local hour has come; the process's first run catches up."""
    catch_up = not ctx.state.get("digest_ran")
    ctx.state["digest_ran"] = True
    async with ctx.database.transaction() as session:
        sent = await run_digests(
            Repos(session), now, ReminderTexts(ctx.translator), catch_up=catch_up
        )
    return f"{sent} digests queued"


async def followups(now: datetime, ctx: JobContext) -> str:
    async with ctx.database.transaction() as session:
        sent = await run_follow_ups(Repos(session), now, ReminderTexts(ctx.translator))
    return f"{sent} follow-up reminders queued"


async def receivables(now: datetime, ctx: JobContext) -> str:
    async with ctx.database.transaction() as session:
        sent = await run_overdue_alerts(Repos(session), now, ReminderTexts(ctx.translator))
    return f"{sent} overdue alerts queued"


async def prices(now: datetime, ctx: JobContext) -> str:
    async with ctx.database.transaction() as session:
        sent = await run_price_changes(Repos(session), now, ReminderTexts(ctx.translator))
    return f"{sent} price-change notices queued"


async def claims(now: datetime, ctx: JobContext) -> str:
    """Claim deadlines: the internal one 2 business days ahead and on the day, the legal one
    5 days ahead and when it passes."""
    async with ctx.database.transaction() as session:
        sent = await run_claim_reminders(
            Repos(session),
            now,
            ctx.translator,
            ClaimTexts(ctx.translator, ctx.settings.default_language),
        )
    return f"{sent} claim reminders queued"


async def team_daily(now: datetime, ctx: JobContext) -> str:
    """Each supervisor's summary of the day at the company's daily hour, business days."""
    return await _team_summaries(now, ctx, SummaryKind.DAILY)


async def team_weekly(now: datetime, ctx: JobContext) -> str:
    """Last week's summary with its chart: supervisors their team, admins the company."""
    return await _team_summaries(now, ctx, SummaryKind.WEEKLY)


async def _team_summaries(now: datetime, ctx: JobContext, kind: SummaryKind) -> str:
    # Read, draw, then write: charts are drawn outside any transaction (and off the event
    # loop), so the SQLite write lock is held only for the short outbox insert.
    texts = ReportTexts(ctx.translator)
    async with ctx.database.read() as session:
        repos = Repos(session)
        settings = await load_settings(repos)
        requests = await due_requests(repos, kind, now, settings)
        summaries = await build_summaries(repos, requests, now, settings) if requests else {}
    prepared = []
    for request in requests:
        summary = summaries[request.recipient.id]
        if summary.empty:
            continue
        text, markup = texts.summary(request.recipient, summary)
        chart = (
            await asyncio.to_thread(render_chart, *texts.chart(request.recipient, summary))
            if kind is SummaryKind.WEEKLY
            else None
        )
        prepared.append((request.recipient, text, markup, chart))
    queued = 0
    async with ctx.database.transaction() as session:
        repos = Repos(session)
        for recipient, text, markup, chart in prepared:
            subject, day = summary_key(kind, recipient, now)
            queued += await notify_user(
                repos,
                recipient,
                kind=f"team_{kind.value}",
                subject=subject,
                day=day,
                once=day is None,
                text=text,
                reply_markup=markup,
                photo=chart,
                photo_after=True,
                now=now,
                quiet=settings.quiet_hours,
            )
    return f"{queued} team summaries queued"


async def erp_sync(now: datetime, ctx: JobContext) -> str:
    """The live 1C sync, when its schedule says it is due (checked every minute)."""
    if ctx.settings.onec_odata_url is None:
        return "not configured (ONEC_ODATA_URL)"
    async with ctx.database.read() as session:
        repos = Repos(session)
        schedule = schedule_of(await load_settings(repos), ctx.settings.default_timezone)
        last = await repos.erp_sync.last_sync_at()
    if not schedule.due(last, now):
        return f"not due (next {schedule.next_run(last, now):%Y-%m-%d %H:%M} UTC)"
    report = await sync_from_onec(ctx.database, ctx.settings, now=now, texts=ctx.translator)
    if report.unreachable is not None:
        return f"1C unreachable: {report.unreachable}"
    failed = [r.kind for r in report.results if r.error]
    return f"{report.changed} changes" + (f", failed: {', '.join(failed)}" if failed else "")


def _every(**interval: int) -> IntervalTrigger:
    return IntervalTrigger(**interval, timezone=UTC)


JOBS: dict[str, Job] = {
    "deliver": Job(deliver, needs_bot=True),
    "housekeeping": Job(housekeeping, _every(hours=1)),
    "digest": Job(digest, _every(minutes=5)),
    "followups": Job(followups, _every(minutes=1)),
    "receivables": Job(receivables, _every(minutes=30)),
    "prices": Job(prices, _every(minutes=30)),
    "claims": Job(claims, _every(minutes=30)),
    "team_daily": Job(team_daily, _every(minutes=10)),
    "team_weekly": Job(team_weekly, _every(minutes=10)),
    "erp_sync": Job(erp_sync, _every(minutes=1)),
}


async def run_job(name: str, ctx: JobContext, clock: Clock) -> str:
    """One run of a job, as the scheduler (and `python -m bot job`) makes it: logged, and
    counted and timed in the process's metrics, ok or error."""
    started = time.perf_counter()
    ok = False
    try:
        result = await JOBS[name].run(clock(), ctx)
        ok = True
    finally:
        if ctx.metrics is not None:
            ctx.metrics.job_ran(name, ok=ok, seconds=time.perf_counter() - started)
    logger.info("job %s: %s", name, result)
    return result


def create_scheduler() -> AsyncIOScheduler:
    # An explicit zone: APScheduler would otherwise take the host's.
    return AsyncIOScheduler(timezone=UTC)


def register_jobs(scheduler: AsyncIOScheduler, ctx: JobContext, clock: Clock) -> None:
    for name, job in JOBS.items():
        if job.trigger is None:
            continue
        scheduler.add_job(
            run_job,
            job.trigger,
            args=(name, ctx, clock),
            id=name,
            # First run at start: what came due while the bot was down goes out now.
            next_run_time=datetime.now(UTC),
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            # Runs missed while down are not relied on: each run recomputes what is due.
            misfire_grace_time=3600,
        )
