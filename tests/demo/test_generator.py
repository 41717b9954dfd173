"""The demo company: the same seed and day give the same company, and it holds every case
the demo issue lists, as the product's own services see it."""

from __future__ import annotations

import io
import sqlite3
from collections import Counter
from datetime import time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from bot.cli import CliError
from bot.demo.marker import DEMO_MARKER, DemoMarker
from bot.demo.run import DemoArgs, prepare, read_marker
from bot.runtime.i18n import Translator
from bot.services.business_settings import load_settings
from bot.services.local_time import at_local_time
from bot.services.plans import month_of, quarter_of
from bot.services.receivables import open_amounts, receivables
from bot.services.reminders import build_digests
from storage.dto import Role, Stage, Tier
from storage.engine import Database
from storage.migrate import upgrade
from storage.repositories import Repos
from tests.demo.conftest import TODAY, demo_settings, make_company

ZONE = ZoneInfo("Europe/Moscow")
# Kept by the product as it runs, not part of the company.
VOLATILE = {"processed_updates", "fsm_records", "alembic_version"}


def canonical_dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in primary-key order."""
    connection = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
            if name not in VOLATILE
        ]
        return {
            t: connection.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables
        }
    finally:
        connection.close()


async def test_same_seed_and_day_give_the_same_company(tmp_path: Path, template_ru: Path) -> None:
    again = tmp_path / "again.db"
    await make_company(again)
    first, second = canonical_dump(template_ru), canonical_dump(again)
    assert first == second
    assert len(first["clients"]) == 60 and len(first["shipments"]) > 500


async def test_another_seed_gives_another_company(tmp_path: Path, template_ru: Path) -> None:
    other = tmp_path / "other.db"
    await make_company(other, seed=7)
    names = {row[2] for row in canonical_dump(template_ru)["clients"]}
    other_names = {row[2] for row in canonical_dump(other)["clients"]}
    assert names != other_names and len(other_names) == 60


@pytest.fixture
async def repos(template_ru: Path):
    database = Database(f"sqlite+aiosqlite:///{template_ru}")
    try:
        async with database.read() as session:
            yield Repos(session)
    finally:
        await database.dispose()


async def test_people_and_teams(repos: Repos) -> None:
    admins = await repos.users.with_role(Role.ADMIN)
    supervisors = await repos.users.with_role(Role.SUPERVISOR)
    managers = await repos.users.with_role(Role.MANAGER)
    members = await repos.users.with_role(Role.DEPARTMENT)
    assert (len(admins), len(supervisors), len(managers), len(members)) == (1, 2, 6, 2)
    assert [len(await repos.users.team(s.id)) for s in supervisors] == [3, 3]
    assert {m.language for m in managers} == {"ru"}
    assert len({m.timezone for m in managers}) == 2  # one manager far from Moscow
    departments = await repos.departments.all()
    assert all([await repos.departments.members(d.id) for d in departments])
    assert set().union(*(d.categories for d in departments)) >= {"quality", "quantity"}


async def test_clients_across_tiers_with_key_persons_and_a_holding(repos: Repos) -> None:
    clients, total = await repos.clients.page(None, offset=0, limit=100)
    assert total == 60
    tiers = Counter(c.tier for c in clients)
    assert tiers[Tier.A] >= 10 and tiers[Tier.B] >= 15 and tiers[Tier.C] >= 25
    assert all(c.is_key for c in clients if c.tier is Tier.A)
    assert Counter(c.owner_id for c in clients).most_common()[-1][1] == 10  # 10 each
    for client in clients:
        persons = await repos.persons.of_client(client.id)
        assert persons, client.name
        assert persons[0].phone and persons[0].email
    [head] = await repos.clients.search("агрохолдинг черноземье", None, None, 1)
    assert len(await repos.clients.members(head.id)) == 2  # two branches, one ИНН


async def test_a_year_of_erp_documents_with_overdue_money_in_every_bucket(repos: Repos) -> None:
    erp = repos.erp
    shipments, payments = await erp.receivable_facts(None)
    assert min(s.shipped_on for s in shipments) <= TODAY - timedelta(days=360)
    owed = receivables(shipments, payments, TODAY)
    buckets: Counter[str] = Counter()
    for money in owed.values():
        for bucket, amount in money.buckets.items():
            if amount > 0:
                buckets[bucket] += 1
    assert set(buckets) == {"1-30", "31-60", "61-90", "90+"}, buckets
    assert any(money.advance > 0 for money in owed.values())
    # Each shipment's open amount is what the importer keeps (FIFO from the facts).
    kept = await repos.session.execute(text("SELECT id, open_amount FROM shipments"))
    assert {i: Decimal(a) / 100 for i, a in kept} == dict(open_amounts(shipments, payments))
    orders, count = await erp.orders(None, status_open=None, offset=0, limit=1)
    assert count > 500 and await erp.order_lines(orders[0].id)
    assert len(payments) > 500


async def test_every_manager_has_a_full_morning(repos: Repos) -> None:
    """The digest each manager gets at 09:05 today: next steps due today and missed, new
    overdue money, money overdue by bucket, price changes to announce; and key clients past
    their cadence somewhere in the company."""
    managers = await repos.users.with_role(Role.MANAGER)
    settings = await load_settings(repos)
    now = at_local_time(TODAY, time(9, 5), ZONE)
    digests = await build_digests(repos, managers, now, settings)
    for manager in managers:
        digest = digests[manager.id]
        followups = [line for line in digest.lines if line.kind == "followup"]
        assert any(line.due == digest.day for line in followups), manager.full_name
        assert any(line.due is not None and line.due < digest.day for line in followups)
        assert any(line.kind == "overdue" for line in digest.lines), manager.full_name
        assert any(line.kind == "price" for line in digest.lines), manager.full_name
        assert digest.overdue_total > 0
    kinds = {line.kind for d in digests.values() for line in d.lines}
    assert {"neglected", "claim"} <= kinds
    timed = await repos.reminders.timed_follow_ups(
        at_local_time(TODAY, time(0), ZONE), at_local_time(TODAY, time(23, 59), ZONE)
    )
    assert len(timed) == len(managers)  # one next step each with a time of day today


async def test_pipeline_competitors_claims_prices_and_plans(repos: Repos) -> None:
    managers = await repos.users.with_role(Role.MANAGER)
    clients, _ = await repos.clients.page(None, offset=0, limit=100)
    opportunities = [o for c in clients for o in await repos.opportunities.open_for_client(c.id)]
    assert len(opportunities) >= 10 and all(o.stage.is_open for o in opportunities)
    assert {o.stage for o in opportunities} >= {Stage.LEAD, Stage.PROPOSAL, Stage.NEGOTIATION}
    late = [o for m in managers for o in await repos.opportunities.overdue_for_owner(m.id, TODAY)]
    assert late
    notes = [n for c in clients for n in await repos.competitor_notes.latest_for_client(c.id)]
    assert len(notes) >= 10 and any(n.price_seen for n in notes)

    claims = [
        line.claim
        for state in ("open", "closed")
        for line in await repos.claims.lines(
            managers=None, departments=None, state=state, today=TODAY
        )
    ]
    statuses = {(c.direction, c.status) for c in claims}
    assert {("incoming", s) for s in ("new", "in_progress", "resolved", "rejected")} <= statuses
    assert {("outgoing", "sent"), ("outgoing", "answered")} <= statuses
    histories = [await repos.claims.events(c.id) for c in claims]
    assert any(e.from_status == "resolved" for events in histories for e, _ in events)  # reopened
    assert any(e.kind == "question" for events in histories for e, _ in events)

    upcoming = await repos.reminders.upcoming_prices(TODAY)
    assert len(upcoming) >= 3 and any(row[4] < row[7] for row in upcoming)  # one decrease
    noticed = {row[0] for row in await repos.reminders.price_notices()}
    assert any(row[0] not in noticed for row in upcoming)  # news for the `prices` job

    ids = [m.id for m in managers]
    for period in (quarter_of(TODAY), month_of(TODAY)):
        plans = await repos.plans.totals(ids, period.start, period.end)
        assert set(plans) == set(ids) and all(a > 0 for a in plans.values())
    previous = quarter_of(quarter_of(TODAY).start - timedelta(days=1))
    assert set(await repos.plans.totals(ids, previous.start, previous.end)) == set(ids)


async def test_nothing_old_is_owed_and_the_marker_says_what_was_made(repos: Repos) -> None:
    # What the services owed people while the story happened went out at the time.
    assert [r for r in await repos.outbox.list() if r.status.value != "sent"] == []
    marker = DemoMarker.from_text((await repos.settings.stored())[DEMO_MARKER])
    assert marker == DemoMarker(2026, TODAY, "ru")


# --- the database it writes to ----------------------------------------------------------------


async def test_refuses_a_database_that_is_not_the_demos(tmp_path: Path) -> None:
    production = tmp_path / "kam.db"
    database = Database(f"sqlite+aiosqlite:///{production}")
    await upgrade(database.engine)
    await database.dispose()
    text_file = tmp_path / "notes.db"
    text_file.write_text("my notes")
    for path in (production, text_file):
        before = path.read_bytes()
        for reset in (False, True):
            args = DemoArgs(database=path, today=TODAY, reset=reset, language="en")
            with pytest.raises(CliError, match="not a demo database"):
                await prepare(args, demo_settings(), Translator(), io.StringIO())
            assert path.read_bytes() == before
        assert read_marker(path) is None


async def test_reuses_the_demo_database_and_reset_makes_it_anew(company_ru: Path) -> None:
    out = io.StringIO()
    database = Database(f"sqlite+aiosqlite:///{company_ru}")
    async with database.transaction() as session:
        await session.execute(text("DELETE FROM opportunities"))
    await database.dispose()

    args = DemoArgs(database=company_ru, today=TODAY + timedelta(days=1))
    marker = await prepare(args, demo_settings(), Translator(), out)
    assert marker.today == TODAY  # reused as it was, with a word that it is a day old
    assert "Демо-компания из" in out.getvalue() and "--reset" in out.getvalue()
    assert canonical_dump(company_ru)["opportunities"] == []

    marker = await prepare(
        DemoArgs(database=company_ru, today=TODAY, reset=True), demo_settings(), Translator(), out
    )
    assert marker == DemoMarker(2026, TODAY, "ru")
    assert canonical_dump(company_ru)["opportunities"]
    assert not Path(f"{company_ru}.partial").exists()
