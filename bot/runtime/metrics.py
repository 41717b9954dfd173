"""The process's Prometheus metrics, on a registry of the App's own (tests build many Apps
in one process; the global default registry would mix them). Served at `/metrics`
(bot/http/metrics.py). The update path, the outbox sender, the job runner and the import
runner each report here at their one boundary; no label ever carries a user, a chat, a
client or a secret, only the few values listed with each metric."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

if TYPE_CHECKING:
    from bot.services.erp_import import ImportSummary

# A chat bot's answers: a few milliseconds for a cached screen, seconds for a report.
UPDATE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# Jobs: a quiet minute's check takes milliseconds, a sync with 1C minutes.
JOB_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0)
IMPORT_RESULTS = ("read", "inserted", "updated", "unchanged", "removed", "rejected")


class UpdateOutcome(StrEnum):
    OK = "ok"
    ERROR = "error"  # a handler raised (the user got the error text)
    DUPLICATE = "duplicate"  # handled already (a replay from Telegram): skipped
    REFUSED = "refused"  # a stranger, a bot, a role that may not: nothing done
    UNHANDLED = "unhandled"  # no handler for it (a sticker, say)


class DeliveryOutcome(StrEnum):
    """What became of an outbox row the sender took (a row of several parts is one)."""

    SENT = "sent"
    RETRIED = "retried"  # a network error or a 5xx: tried again later
    FAILED = "failed"  # the retries ran out
    DEAD = "dead"  # Telegram refused it for good (a 400)
    UNREACHABLE = "unreachable"  # the recipient blocked the bot or is gone


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.updates = Counter(
            "kam_updates",
            "Telegram updates handled, by update type and outcome",
            ["type", "outcome"],
            registry=r,
        )
        self.update_seconds = Histogram(
            "kam_update_duration_seconds",
            "Time from an update's arrival in the dispatcher to the end of its handling",
            ["type"],
            buckets=UPDATE_BUCKETS,
            registry=r,
        )
        self.outbox_depth = Gauge(
            "kam_outbox_depth",
            "Unsent outbox rows: due now (in flight included), or held for later (quiet "
            "hours, a retry's back-off); read from the database at scrape time",
            ["due"],
            registry=r,
        )
        self.outbox_oldest_age = Gauge(
            "kam_outbox_oldest_age_seconds",
            "How long the oldest unsent row that is due has been waiting (since it came "
            "due); 0 when none waits",
            registry=r,
        )
        self.deliveries = Counter(
            "kam_outbox_deliveries",
            "Outbox rows the sender took, by what became of them",
            ["outcome"],
            registry=r,
        )
        self.rate_limited = Counter(
            "kam_outbox_rate_limited",
            "429 Too Many Requests answers from Telegram to the outbox sender",
            registry=r,
        )
        self.rate_limited_seconds = Counter(
            "kam_outbox_rate_limited_seconds",
            "Seconds of sending paused on Telegram's retry_after",
            registry=r,
        )
        self.job_runs = Counter(
            "kam_job_runs",
            "Scheduled job runs, by job and outcome",
            ["job", "outcome"],
            registry=r,
        )
        self.job_seconds = Histogram(
            "kam_job_duration_seconds",
            "Duration of scheduled job runs, by job",
            ["job"],
            buckets=JOB_BUCKETS,
            registry=r,
        )
        self.import_runs = Counter(
            "kam_import_runs",
            "ERP import runs (files, the HTTP API, 1C syncs, bank statements), by kind and "
            "outcome (applied, failed)",
            ["kind", "outcome"],
            registry=r,
        )
        self.import_rows = Counter(
            "kam_import_rows",
            "Rows of applied ERP imports, by kind and result (read; inserted, updated, "
            "unchanged, removed; rejected)",
            ["kind", "result"],
            registry=r,
        )
        self.webhook_posts = Counter(
            "kam_webhook_posts",
            "Telegram's posts to the webhook, by the answer's status (200 taken; 401, 400, "
            "413 refused; 429 the queue full; 503 draining)",
            ["status"],
            registry=r,
        )
        self.webhook_queue = Gauge(
            "kam_webhook_queue_depth",
            "Updates taken from the webhook and waiting to be handled, as of the last post",
            registry=r,
        )
        self._update_children: dict[tuple[str, UpdateOutcome], tuple[Counter, Histogram]] = {}
        # Every outcome shows from the start (0), so a rate over it is defined at once.
        for outcome in DeliveryOutcome:
            self.deliveries.labels(outcome.value)
        for due in ("now", "later"):
            self.outbox_depth.labels(due)

    def update_handled(self, kind: str, outcome: UpdateOutcome, seconds: float) -> None:
        # The labelled children kept at hand: `labels()` costs more than the counting, on
        # every update (a few dozen types and outcomes at most).
        children = self._update_children.get((kind, outcome))
        if children is None:
            children = (self.updates.labels(kind, outcome.value), self.update_seconds.labels(kind))
            self._update_children[(kind, outcome)] = children
        children[0].inc()
        children[1].observe(seconds)

    def webhook_answered(self, status: int, queued: int) -> None:
        self.webhook_posts.labels(str(status)).inc()
        self.webhook_queue.set(queued)

    def delivered(self, outcome: DeliveryOutcome) -> None:
        self.deliveries.labels(outcome.value).inc()

    def retry_after(self, seconds: float) -> None:
        self.rate_limited.inc()
        self.rate_limited_seconds.inc(max(0.0, seconds))

    def job_ran(self, job: str, *, ok: bool, seconds: float) -> None:
        self.job_runs.labels(job, "ok" if ok else "error").inc()
        self.job_seconds.labels(job).observe(seconds)

    def outbox_backlog(self, *, due: float, later: float, oldest_age: float) -> None:
        self.outbox_depth.labels("now").set(due)
        self.outbox_depth.labels("later").set(later)
        self.outbox_oldest_age.set(oldest_age)

    def outbox_unknown(self) -> None:
        """The database did not answer the scrape's query: no figure rather than a stale one."""
        nan = float("nan")
        self.outbox_backlog(due=nan, later=nan, oldest_age=nan)

    def import_finished(self, kind: str, summary: ImportSummary | None) -> None:
        """An import run ended: applied with its final summary, or failed (None)."""
        self.import_runs.labels(kind, "failed" if summary is None else "applied").inc()
        if summary is None:
            return
        counts = summary.counts()
        for result in IMPORT_RESULTS:
            if counts[result]:
                self.import_rows.labels(kind, result).inc(counts[result])
