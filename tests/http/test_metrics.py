"""Health and metrics in-process: `/readyz` and `/metrics` through aiohttp's test server over
the production application (`create_http_app`), on a real migrated SQLite database, after
real work: updates fed through the production dispatcher with a recording bot session,
outbox rows delivered by the sender, jobs run as the scheduler runs them, imports through
the HTTP API. The figures are read back with Prometheus' own parser. And the JSON log
lines, the token redacted."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import Update
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as openmetrics_families,
)

from bot.http import health
from bot.http.server import create_http_app
from bot.runtime.config import Settings
from bot.runtime.factory import App, create_app
from bot.runtime.i18n import Translator
from bot.runtime.logs import REDACTED, configure_logging
from bot.runtime.metrics import UPDATE_BUCKETS
from bot.runtime.outbox_sender import DeliveryConfig, OutboxSender, RateLimiter
from bot.services.api_tokens import create_api_token
from bot.services.clock import FrozenClock
from bot.services.erp_files import ErpFileError
from bot.services.erp_import import run_import
from bot.services.local_time import QuietHours
from bot.services.notifications import notify_user
from jobs import create_scheduler, register_jobs, run_job
from storage.dto import OutboxCreate, OutboxStatus, UserDTO
from storage.repositories import Repos
from tests.conftest import ADMIN_ID, START
from tests.factories import make_user
from tests.helpers import TEST_TOKEN, ChatClient, Samples, scrape, value
from tests.storage.conftest import database  # noqa: F401  (SQLite and PostgreSQL)

NEVER_QUIET = QuietHours.parse("03:00-03:01")


@pytest.fixture
async def http(app) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_http_app(app))) as client:
        yield client


def label_values(samples: Samples) -> set[str]:
    return {v for _, labels in samples for k, v in labels if k != "le"}


# /readyz


async def test_readyz_is_ready_while_the_database_answers(http) -> None:
    response = await http.get("/readyz")
    assert response.status == 200
    assert await response.json() == {"status": "ready"}
    assert response.headers["Cache-Control"] == "no-store"


async def test_readyz_is_503_while_draining(app, http) -> None:
    app.draining = True
    response = await http.get("/readyz")
    assert response.status == 503 and await response.json() == {"status": "draining"}
    app.draining = False
    assert (await http.get("/readyz")).status == 200


def _closed_port() -> int:
    """A port on this machine nothing listens on: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _postgres_app(port: int) -> App:
    return create_app(
        Settings(
            _env_file=None,  # type: ignore[call-arg]
            bot_token=TEST_TOKEN,
            database_url=f"postgresql+asyncpg://kam:hunter2-password@127.0.0.1:{port}/kam",
        )
    )


async def test_readyz_is_503_when_the_database_is_down(caplog: pytest.LogCaptureFixture) -> None:
    app = _postgres_app(_closed_port())  # PostgreSQL's host is up, its server is not
    try:
        async with TestClient(TestServer(create_http_app(app))) as client:
            with caplog.at_level(logging.INFO, logger="bot.http.health"):
                first = await client.get("/readyz")
                body = await first.json()
                second = await client.get("/readyz")
                text = await second.text()
            assert first.status == second.status == 503
            assert body == {"status": "database unreachable", "reason": "ConnectionRefusedError"}
            # Told once in the log, with the cause; the answer (exactly the body above)
            # names no host, no user, no password, no traceback.
            [record] = [r for r in caplog.records if r.name == "bot.http.health"]
            assert record.levelno == logging.WARNING
            assert "Connect call failed ('127.0.0.1'" in record.getMessage()
            assert "hunter2" not in text and "127.0.0.1" not in text
            # A scrape still answers, the backlog unknown (NaN) rather than stale.
            samples = await scrape(client)
            assert math.isnan(samples[("kam_outbox_depth", (("due", "now"),))])
            assert math.isnan(samples[("kam_outbox_oldest_age_seconds", ())])
    finally:
        await app.database.dispose()


@contextlib.asynccontextmanager
async def silent_server() -> AsyncIterator[int]:
    """A TCP server that takes connections and never says a word: a database host that
    hangs (a half-dead network, a server stuck in recovery)."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


async def test_readyz_is_503_when_the_database_does_not_answer_in_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(health, "READY_TIMEOUT", 0.2)
    async with silent_server() as port:
        app = _postgres_app(port)
        try:
            async with TestClient(TestServer(create_http_app(app))) as client:
                response = await client.get("/readyz")
                text = await response.text()
            assert response.status == 503
            assert json.loads(text) == {
                "status": "database unreachable",
                "reason": "no answer within 0.2 s",
            }
            assert "hunter2" not in text and "kam:" not in text
        finally:
            await app.database.dispose()


async def test_metrics_speak_openmetrics_when_the_scraper_asks(http) -> None:
    response = await http.get(
        "/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"}
    )
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("application/openmetrics-text")
    text = await response.text()
    assert text.endswith("# EOF\n")
    names = {family.name for family in openmetrics_families(text)}
    assert {"kam_updates", "kam_outbox_depth", "kam_job_runs", "kam_import_rows"} <= names


# /metrics: updates


async def test_updates_are_counted_by_type_and_outcome_and_timed(app, dp, http, chat, session):
    admin: ChatClient = chat(ADMIN_ID, first_name="Anna", language_code="en")
    await admin.send("/start")
    await admin.send("/help")
    # The same update twice: Telegram replays what was not confirmed.
    replayed = Update(update_id=4_200_001, message=admin.message("/help"))
    await admin.send_update(replayed)
    await admin.send_update(replayed)
    # A stranger gets the invitation prompt, nothing else.
    await chat(555_001).send("hello")
    # A button press.
    pressed = await admin.press(None, "no-such-button")
    assert any(isinstance(s.method, AnswerCallbackQuery) for s in pressed)
    # The handler's reply fails: the update is an error (the user gets the apology).
    session.fail_next(SendMessage, TelegramNetworkError(SendMessage(chat_id=1, text="x"), "down"))
    await admin.send("/help")

    samples = await scrape(http)
    counted = {
        (dict(labels)["type"], dict(labels)["outcome"]): v
        for (name, labels), v in samples.items()
        if name == "kam_updates_total"
    }
    assert counted == {
        ("message", "ok"): 3,  # /start, /help, the replayed /help the first time
        ("message", "duplicate"): 1,
        ("message", "refused"): 1,
        ("message", "error"): 1,
        ("callback_query", "ok"): 1,
    }
    # Every update timed, under its type; the buckets are cumulative up to +Inf.
    assert value(samples, "kam_update_duration_seconds_count", type="message") == 6
    assert value(samples, "kam_update_duration_seconds_count", type="callback_query") == 1
    assert value(samples, "kam_update_duration_seconds_sum", type="message") > 0
    buckets = [
        samples[("kam_update_duration_seconds_bucket", (("le", str(le)), ("type", "message")))]
        for le in UPDATE_BUCKETS
    ]
    assert buckets == sorted(buckets) and buckets[-1] <= 6
    assert value(samples, "kam_update_duration_seconds_bucket", type="message", le="+Inf") == 6
    # No label names a person.
    assert not {str(ADMIN_ID), "555001", "Anna"} & label_values(samples)


# /metrics: the outbox


async def _owe(app, user: UserDTO, subject: str, quiet: QuietHours = NEVER_QUIET) -> None:
    async with app.database.transaction() as s:
        await notify_user(
            Repos(s), user, kind="test", subject=subject, text="hi", now=app.clock(), quiet=quiet
        )


async def test_outbox_depth_and_age_are_read_at_scrape_time(app, http, bot, session, clock):
    first = await make_user(app, 6001, name="Client Person Ivanov")
    second = await make_user(app, 6002)
    await _owe(app, first, "a")
    await _owe(app, second, "b")
    # 12:00 in Moscow: a notice quiet until 13:00 is held for later.
    await _owe(app, first, "held", quiet=QuietHours.parse("11:00-13:00"))
    clock.set(START + timedelta(seconds=90))

    samples = await scrape(http)
    assert value(samples, "kam_outbox_depth", due="now") == 2
    assert value(samples, "kam_outbox_depth", due="later") == 1
    assert value(samples, "kam_outbox_oldest_age_seconds") == 90

    # The deliver job, as the scheduler runs it, with the App's metrics.
    assert "sent=2" in await run_job("deliver", app.job_context(bot), clock)
    samples = await scrape(http)
    assert value(samples, "kam_outbox_depth", due="now") == 0
    assert value(samples, "kam_outbox_depth", due="later") == 1
    assert value(samples, "kam_outbox_oldest_age_seconds") == 0
    assert value(samples, "kam_outbox_deliveries_total", outcome="sent") == 2
    assert value(samples, "kam_job_runs_total", job="deliver", outcome="ok") == 1
    assert value(samples, "kam_job_duration_seconds_count", job="deliver") == 1
    assert not {"6001", "6002", "Client Person Ivanov"} & label_values(samples)


async def test_readyz_and_the_backlog_on_both_backends(database) -> None:
    """The same endpoints over SQLite and PostgreSQL (`database` runs the test on each)."""
    app = App(
        settings=Settings(_env_file=None, bot_token=TEST_TOKEN),  # type: ignore[call-arg]
        database=database,
        translator=Translator(),
        clock=FrozenClock(START),
    )
    owed = {"sent": -50, "in-flight": -30, "waits-20s": -20, "waits-10s": -10, "later": 3600}
    async with database.transaction() as s:
        repo = Repos(s).outbox
        for key, offset in owed.items():
            due = START + timedelta(seconds=offset)
            await repo.add(
                OutboxCreate(key=key, kind="test", chat_id=1, payload={}, not_before=due),
                now=START - timedelta(minutes=5),
            )
        # A sender takes the two due first and sends one: the other is in flight, still
        # unsent, still counted.
        lease = START + timedelta(minutes=2)
        rows = await repo.claim(owner="x", now=START, lease_until=lease, limit=2)
        assert [r.key for r in rows] == ["sent", "in-flight"]
        await repo.finish(rows[0].id, "x", status=OutboxStatus.SENT, now=START)
    async with TestClient(TestServer(create_http_app(app))) as client:
        assert (await client.get("/readyz")).status == 200
        samples = await scrape(client)
    assert value(samples, "kam_outbox_depth", due="now") == 3  # in flight, 20 s, 10 s
    assert value(samples, "kam_outbox_depth", due="later") == 1
    assert value(samples, "kam_outbox_oldest_age_seconds") == 30


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def test_sends_429s_and_failures_are_counted(app, http, bot, session):
    def method() -> SendMessage:
        return SendMessage(chat_id=1, text="x")

    users = {name: await make_user(app, 6100 + i) for i, name in enumerate("BCDA")}
    for name, user in users.items():
        await _owe(app, user, name)
    # Rows go out in order, one at a time: B blocked the bot, C's text is refused, D meets
    # a 502, A a 429 (retry after 5 s) and then goes.
    session.fail_next(SendMessage, TelegramForbiddenError(method(), "bot was blocked by the user"))
    session.fail_next(SendMessage, TelegramBadRequest(method(), "can't parse entities"))
    session.fail_next(SendMessage, TelegramServerError(method(), "Bad Gateway"))
    session.fail_next(SendMessage, TelegramRetryAfter(method(), "Too Many Requests", 5))
    config = DeliveryConfig(concurrency=1, private_interval=0.0, per_second=10_000)
    sender = OutboxSender(
        bot, app.database, app.translator, app.clock, config, metrics=app.metrics
    )
    fake = FakeTime()  # the 429's pause passes in virtual time
    sender.limiter = RateLimiter(config, fake.monotonic, fake.sleep)
    stats = await sender.drain()
    assert (stats.sent, stats.unreachable, stats.dead, stats.retried) == (1, 1, 1, 1)
    assert fake.now >= 105

    samples = await scrape(http)
    deliveries = {
        dict(labels)["outcome"]: v
        for (name, labels), v in samples.items()
        if name == "kam_outbox_deliveries_total"
    }
    assert deliveries == {"sent": 1, "unreachable": 1, "dead": 1, "retried": 1, "failed": 0}
    assert value(samples, "kam_outbox_rate_limited_total") == 1
    assert value(samples, "kam_outbox_rate_limited_seconds_total") == 5
    # D waits for its retry (2 s back-off): held for later, not due.
    assert value(samples, "kam_outbox_depth", due="later") == 1


# /metrics: jobs


async def test_job_runs_are_counted_by_job_and_outcome(app, http, bot):
    scheduler = create_scheduler()
    register_jobs(scheduler, app.job_context(bot), app.clock)
    job = scheduler.get_job("housekeeping")
    assert job is not None
    await job.func(*job.args)  # what the scheduler calls at each run
    await job.func(*job.args)
    with pytest.raises(RuntimeError, match="needs a bot"):
        await run_job("deliver", app.job_context(None), app.clock)

    samples = await scrape(http)
    assert value(samples, "kam_job_runs_total", job="housekeeping", outcome="ok") == 2
    assert value(samples, "kam_job_runs_total", job="deliver", outcome="error") == 1
    assert value(samples, "kam_job_duration_seconds_count", job="housekeeping") == 2
    assert value(samples, "kam_job_duration_seconds_count", job="deliver") == 1
    assert value(samples, "kam_job_duration_seconds_bucket", job="housekeeping", le="+Inf") == 2


# /metrics: imports


async def test_import_rows_are_counted_by_kind_where_the_run_ends(app, http, tmp_path):
    async with app.database.transaction() as s:
        _, token = await create_api_token(Repos(s), "1C exchange", now=app.clock())
    rows = [
        {"code": "K-1", "name": "ООО Альфа Секрет"},
        {"code": "K-2", "name": "ООО Бета"},
        {"code": "K-3"},  # no name: rejected
    ]
    answers = []
    for changed in ("ООО Бета", "ООО Бета-2"):
        rows[1]["name"] = changed
        response = await http.post(
            "/api/v1/import/clients", json=rows, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status == 200
        answers.append(await response.json())
    assert [(a["inserted"], a["updated"], a["unchanged"]) for a in answers] == [
        (2, 0, 0),
        (0, 1, 1),
    ]
    # A file that cannot be read fails its run.
    broken = tmp_path / "clients.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ErpFileError):
        await run_import(
            app.database,
            "clients",
            broken,
            file_name=broken.name,
            snapshot=False,
            actor_id=None,
            now=app.clock(),
            texts=app.translator,
        )

    samples = await scrape(http)
    rows_counted = {
        dict(labels)["result"]: v
        for (name, labels), v in samples.items()
        if name == "kam_import_rows_total" and dict(labels)["kind"] == "clients"
    }
    assert rows_counted == {
        "read": sum(a["read"] for a in answers),
        "inserted": 2,
        "updated": 1,
        "unchanged": 1,
        "rejected": sum(a["rejected_count"] for a in answers),
    }
    assert rows_counted["read"] == 6 and rows_counted["rejected"] == 2
    assert value(samples, "kam_import_runs_total", kind="clients", outcome="applied") == 2
    assert value(samples, "kam_import_runs_total", kind="clients", outcome="failed") == 1
    assert not {"ООО Альфа Секрет", "1C exchange", token} & label_values(samples)


# JSON logs


@contextlib.contextmanager
def logging_as_configured() -> Iterator[None]:
    """configure_logging takes over the root logger: put pytest's handlers back after."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    quiet = {name: logging.getLogger(name).level for name in ("aiohttp", "asyncio")}
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, was in quiet.items():
            logging.getLogger(name).setLevel(was)


def test_json_logs_are_one_object_a_line_with_the_token_redacted(capsys) -> None:
    url = f"https://api.telegram.org/bot{TEST_TOKEN}/sendMessage"
    with logging_as_configured():
        configure_logging("INFO", "json")
        log = logging.getLogger("bot.test")
        log.info("sending to %s: «привет»", url)
        try:
            raise ConnectionError(f"cannot reach {url}")
        except ConnectionError:
            log.exception("delivery failed")
        log.debug("not at INFO")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert set(first) == {"time", "level", "logger", "message"}
    assert set(second) == {"time", "level", "logger", "message", "exception"}
    moment = datetime.fromisoformat(first["time"])
    assert moment.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - moment) < timedelta(minutes=5)
    assert (first["level"], first["logger"]) == ("INFO", "bot.test")
    assert (
        first["message"]
        == f"sending to https://api.telegram.org/bot{REDACTED}/sendMessage: «привет»"
    )
    assert second["level"] == "ERROR" and second["message"] == "delivery failed"
    assert second["exception"].startswith("Traceback") and "ConnectionError" in second["exception"]
    assert REDACTED in second["exception"]
    assert all(TEST_TOKEN.split(":")[1] not in line for line in lines)


def test_text_logs_still_redact_the_token(capsys) -> None:
    with logging_as_configured():
        configure_logging("INFO")
        logging.getLogger("bot.test").warning("token %s", TEST_TOKEN)
    err = capsys.readouterr().err
    assert REDACTED in err and TEST_TOKEN not in err
    with pytest.raises(json.JSONDecodeError):
        json.loads(err.splitlines()[0])
