"""Clients, prices and plans prepared and switched like the documents (issue 14, item 5): a
large clients or prices file is answered around with a 1 s busy timeout; an owner set in the
chat between the preparation and the switch wins and is reported; prospects get their ERP
code, holdings their parent, hand-overs their ownership periods, follow-ups and notices."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

import bot.services.erp_import.runs as erp_import
from bot.runtime.factory import App
from bot.services.accounts import reassign_client
from bot.services.client_search import search_key
from bot.views.settings.callbacks import SettingsAction, SettingsCallback
from storage.dto import ClientCreate, FollowUpCreate, Role, UserDTO, UserUpdate
from storage.imports import ImportRepo
from storage.models import (
    PENDING,
    AuditEntry,
    Client,
    ClientOwnership,
    OutboxMessage,
    Price,
    ProcessedUpdate,
    Product,
    StagedRow,
)
from storage.reminders import ReminderRepo
from storage.repositories import Repos
from tests.erp.files import csv_1c
from tests.erp.test_import_switch import app, db_url  # noqa: F401 - the fixtures, both databases
from tests.factories import make_user
from tests.helpers import alerts, texts

CLIENTS = ["Код", "Наименование", "ИНН", "КПП", "Ответственный", "Головной контрагент"]
PRICES = ["Артикул", "Номенклатура", "Цена", "Дата начала действия"]


async def _manager(
    app: App, telegram_id: int, name: str, erp_name: str, language: str = "en"
) -> UserDTO:
    user = await make_user(app, telegram_id, Role.MANAGER, name=name, language=language)
    async with app.database.transaction() as s:
        return await Repos(s).users.update(
            user.id, UserUpdate(erp_name=erp_name), actor_id=None, now=app.clock()
        )


async def _run(app: App, kind: str, path: Path, *, actor_id: int | None = None):
    return await erp_import.run_import(
        app.database,
        kind,
        path,
        file_name=path.name,
        snapshot=False,
        actor_id=actor_id,
        now=app.clock(),
        texts=app.translator,
    )


async def _answered_meanwhile(app: App, admin, job) -> tuple[object, list[list[str]]]:
    """A read (/help) and a write (the digest hour, pressed) every few tens of ms for as
    long as the job runs: reads never wait for its lock, writes get it between batches."""
    task = asyncio.create_task(job)
    answers: list[list[str]] = []
    while not task.done():
        answers.append(texts(await admin.send("/help")))
        answers.append(alerts(await admin.press(None, _digest_hour(7 + len(answers) % 2))))
        await asyncio.sleep(0.02)
    return await task, answers


def _digest_hour(hour: int) -> str:
    return SettingsCallback(action=SettingsAction.SET_DIGEST, value=str(hour)).pack()


def _expected(app: App, answers: list[list[str]]) -> bool:
    saved = [app.translator.get("en")("settings-saved")]
    return all(
        a == saved if n % 2 else bool(a) and a[0].startswith("You are signed in as admin")
        for n, a in enumerate(answers)
    )


async def _left_behind(app: App) -> int:
    async with app.database.read() as s:
        left = await s.scalar(select(func.count(StagedRow.id))) or 0
        for table in PENDING.values():
            left += await s.scalar(select(func.count()).select_from(table)) or 0
    return left


async def test_large_clients_and_prices_files_while_users_are_answered(app, tmp_path, admin):
    ivan = await _manager(app, 7001, "Иван Иванов", "Иванов Иван Иванович")
    olga = await _manager(app, 7002, "Ольга Петрова", "Петрова Ольга Сергеевна")
    count = 6000
    clients = csv_1c(
        tmp_path / "clients.csv",
        CLIENTS,
        [
            [
                f"К-{n:05d}",
                f"ООО «Клиент {n}»",
                "",
                "",
                "Иванов И.И." if n % 2 else "Петрова О.С.",
                "К-00000" if n % 10 == 5 else "",
            ]
            for n in range(count)
        ],
        title="Контрагенты",
    )
    summary, answers = await _answered_meanwhile(app, admin, _run(app, "clients", clients))
    prices = csv_1c(
        tmp_path / "prices.csv",
        PRICES,
        [
            [f"А-{n // 4:05d}", f"Товар {n // 4}", f"{100 + n % 4},00", f"{1 + n % 4:02d}.12.2026"]
            for n in range(4 * count)
        ],
        title="Цены",
    )
    priced, more = await _answered_meanwhile(app, admin, _run(app, "prices", prices))
    answers += more
    assert len(answers) > 5
    assert _expected(app, answers), answers[:4]
    async with app.database.read() as s:
        recorded = await s.scalar(select(func.count(ProcessedUpdate.update_id)))
        grouped = select(Client.owner_id, func.count()).group_by(Client.owner_id)
        owners = dict((await s.execute(grouped)).all())
        in_holding = await s.scalar(select(func.count()).where(Client.holding_id.is_not(None)))
        periods = await s.scalar(select(func.count(ClientOwnership.id)))
        notices = await s.scalar(select(func.count()).where(OutboxMessage.kind == "handover"))
        reassigned = await s.scalar(select(func.count()).where(AuditEntry.action == "reassign"))
        products = await s.scalar(select(func.count(Product.id)))
        stored = await s.scalar(select(func.count(Price.id)))
    # Every write recorded with its update (and the first /help, which admitted the admin);
    # the other reads wrote nothing, not even their mark.
    assert recorded == len(answers) // 2 + 1
    assert (summary.inserted, summary.rejected, summary.conflicts) == (count, [], [])
    assert (priced.inserted, priced.rejected) == (4 * count, [])
    # How long the switch holds the lock is measured by bench/import_lock.py, not asserted
    # here: a timed assertion fails on a loaded machine (1.03 s at load 5 in CI).
    assert summary.switch_seconds > 0 and priced.switch_seconds > 0
    assert owners == {ivan.id: count // 2, olga.id: count // 2}
    assert in_holding == count // 10
    # Every client's first owner, with its period and audit row, as one by one; each
    # manager told once for the whole file, not once per client.
    assert periods == reassigned == count
    assert notices == 2
    assert (products, stored) == (count, 4 * count)
    assert await _left_behind(app) == 0


async def test_an_owner_set_in_the_chat_before_the_switch_wins_and_is_reported(
    app, tmp_path, admin, monkeypatch
):
    await admin.send("/start")
    ivan = await _manager(app, 7001, "Иван Иванов", "Иванов Иван Иванович")
    olga = await _manager(app, 7002, "Ольга Петрова", "Петрова Ольга Сергеевна")
    petr = await _manager(app, 7003, "Пётр Сидоров", "Сидоров Пётр Павлович")
    first = csv_1c(
        tmp_path / "a.csv",
        CLIENTS,
        [
            ["К-1", "ООО «Ромашка»", "7707083893", "770701001", "Иванов И.И.", ""],
            ["К-2", "ПАО «Лютик»", "7736207543", "", "Иванов И.И.", ""],
        ],
    )
    await _run(app, "clients", first)
    async with app.database.read() as s:
        ids = dict((await s.execute(select(Client.external_id, Client.id))).all())
    async with app.database.transaction() as s:
        await Repos(s).follow_ups.add(
            FollowUpCreate(
                client_id=ids["К-2"], owner_id=ivan.id, due_date=date(2026, 12, 1), text="call"
            ),
            now=app.clock(),
        )
    # К-1 stays Ivan's in the file (nothing to do when prepared), К-2 goes to Petr; a
    # supervisor hands К-1 over to Olga in the chat after the preparation.
    second = csv_1c(
        tmp_path / "b.csv",
        CLIENTS,
        [
            ["К-1", "ООО «Ромашка»", "7707083893", "770701001", "Иванов И.И.", ""],
            ["К-2", "ПАО «Лютик»", "7736207543", "", "Сидоров П.П.", ""],
        ],
    )
    prepare = erp_import.prepare_clients

    async def then_a_hand_over(*args, **kwargs):
        await prepare(*args, **kwargs)
        async with app.database.transaction() as s:
            await reassign_client(
                Repos(s), None, ids["К-1"], olga.id, now=app.clock(), texts=app.translator
            )

    monkeypatch.setattr(erp_import, "prepare_clients", then_a_hand_over)
    app.clock.set(app.clock() + timedelta(days=3))
    summary = await _run(app, "clients", second)
    assert summary.conflicts == ["К-1"]
    async with app.database.read() as s:
        repos = Repos(s)
        kept, moved = await repos.clients.get(ids["К-1"]), await repos.clients.get(ids["К-2"])
        periods = await repos.clients.ownership(ids["К-2"])
        follow_up = await repos.follow_ups.next_for_client(ids["К-2"])
        owed = (
            await s.execute(
                select(OutboxMessage.kind, OutboxMessage.chat_id, OutboxMessage.payload)
            )
        ).all()
    assert kept is not None and (kept.owner_id, kept.owner_source) == (olga.id, "chat")
    assert moved is not None and (moved.owner_id, moved.owner_source) == (petr.id, "erp")
    day = app.clock().date()
    assert [(p.owner_id, p.since, p.until) for p in periods] == [
        (ivan.id, None, day),
        (petr.id, day, None),
    ]
    assert follow_up is not None and follow_up.owner_id == petr.id
    told = {(kind, chat) for kind, chat, _ in owed}
    assert {("handover", 7001), ("handover", 7003), ("import_conflict", admin.user.id)} <= told
    conflict = next(p["text"] for k, _, p in owed if k == "import_conflict")
    assert "К-1" in conflict


async def test_prospects_get_their_code_and_holdings_their_parent(app, tmp_path, monkeypatch):
    await _manager(app, 7001, "Иван Иванов", "Иванов Иван Иванович")
    async with app.database.transaction() as s:
        prospect = await Repos(s).clients.create(
            ClientCreate(
                name="Ромашка (из чата)",
                search_key=search_key("Ромашка (из чата)"),
                inn="7707083893",
                kpp="770701001",
            ),
            actor_id=None,
            now=app.clock(),
        )
    rows = [
        ["К-2", "ООО «Ромашка-Юг»", "", "", "Иванов И.И.", "К-1"],  # parent later in the file
        ["К-1", "ООО «Ромашка»", "7707083893", "770701001", "Иванов И.И.", ""],
        ["К-3", "ПАО «Лютик»", "7736207543", "", "", ""],
    ]
    prepare = erp_import.prepare_clients

    async def then_a_prospect(*args, **kwargs):
        # Made in the chat after the preparation saw no client with this ИНН: the switch
        # attaches the code to it instead of failing on the ИНН/КПП pair.
        await prepare(*args, **kwargs)
        async with app.database.transaction() as s:
            await Repos(s).clients.create(
                ClientCreate(
                    name="Лютик (из чата)", search_key=search_key("Лютик"), inn="7736207543"
                ),
                actor_id=None,
                now=app.clock(),
            )

    monkeypatch.setattr(erp_import, "prepare_clients", then_a_prospect)
    summary = await _run(app, "clients", csv_1c(tmp_path / "c.csv", CLIENTS, rows))
    async with app.database.read() as s:
        stored = {
            code: (cid, name, holding)
            for cid, code, name, holding in await s.execute(
                select(Client.id, Client.external_id, Client.name, Client.holding_id)
            )
        }
        audited = (
            await s.execute(
                select(AuditEntry.entity_id, AuditEntry.changes).where(
                    AuditEntry.action == "update"
                )
            )
        ).all()
    assert summary.rejected == []
    assert len(stored) == 3  # no second Ромашка, no second Лютик
    assert stored["К-1"][:2] == (prospect.id, "ООО «Ромашка»")
    assert stored["К-3"][1] == "ПАО «Лютик»"
    assert stored["К-2"][2] == prospect.id
    assert (str(stored["К-2"][0]), {"holding_id": [None, prospect.id]}) in [
        tuple(a) for a in audited
    ]
    assert await _left_behind(app) == 0


async def test_later_prices_are_seen_as_price_changes(app, tmp_path):
    today = app.clock().date()
    rows = [
        ["А-1", "Гайка", "10,00", today.strftime("%d.%m.%Y")],
        ["А-1", "Гайка", "12,50", (today + timedelta(days=10)).strftime("%d.%m.%Y")],
        ["А-2", "Болт", "5,00", today.strftime("%d.%m.%Y")],
    ]
    first = await _run(app, "prices", csv_1c(tmp_path / "p.csv", PRICES, rows))
    again = await _run(app, "prices", csv_1c(tmp_path / "p.csv", PRICES, rows))
    rows[2] = ["А-2", "Болт М6", "6,00", today.strftime("%d.%m.%Y")]
    changed = await _run(app, "prices", csv_1c(tmp_path / "q.csv", PRICES, rows))
    assert (first.inserted, again.unchanged, changed.updated) == (3, 3, 1)
    async with app.database.read() as s:
        upcoming = await ReminderRepo(s).upcoming_prices(today)
        names = dict((await s.execute(select(Product.code, Product.name))).all())
    assert [(r[2], r[4], r[7]) for r in upcoming] == [("А-1", 12.5, 10)]
    assert names == {"А-1": "Гайка", "А-2": "Болт М6"}


@pytest.mark.parametrize("kind", ["clients", "prices", "plans"])
async def test_a_failed_switch_leaves_nothing_of_the_file(app, tmp_path, monkeypatch, kind):
    await _manager(app, 7001, "Иван Иванов", "Иванов Иван Иванович")
    files = {
        "clients": (CLIENTS, [["К-1", "ООО «Ромашка»", "", "", "Иванов И.И.", ""]]),
        "prices": (PRICES, [["А-1", "Гайка", "10,00", "01.12.2026"]]),
        "plans": (["Менеджер", "Период", "Сумма"], [["Иванов И.И.", "12.2026", "1 000 000"]]),
    }
    header, rows = files[kind]

    async def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ImportRepo, "finish_run", broken)
    with pytest.raises(RuntimeError):
        await _run(app, kind, csv_1c(tmp_path / "f.csv", header, rows))
    async with app.database.read() as s:
        audited = await s.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.entity != "user")
        )
        clients = await s.scalar(select(func.count(Client.id)))
        prices = await s.scalar(select(func.count(Price.id)))
    assert (clients, prices) == (0, 0)
    assert audited == 0


async def test_an_import_tells_each_manager_once_with_the_counts_and_some_names(app, tmp_path):
    """12 clients to Ivan (5 new in the file, 7 from Olga): one message to Ivan in Russian
    and one to Olga in English, not one per client; ten names and the rest counted."""
    ivan = await _manager(app, 7001, "Иван Иванов", "Иванов Иван Иванович", "ru")
    await _manager(app, 7002, "Olga Petrova", "Петрова Ольга Сергеевна", "en")
    names = [f"ООО «Клиент {n}»" for n in range(1, 13)]
    rows = [[f"К-{n}", names[n - 1], "", "", "Петрова О.С.", ""] for n in range(1, 8)]
    await _run(app, "clients", csv_1c(tmp_path / "a.csv", CLIENTS, rows))
    async with app.database.read() as s:
        before = await s.scalar(select(func.max(OutboxMessage.id)))
    handed = [[*row[:4], "Иванов И.И.", ""] for row in rows]
    new = [[f"К-{n}", names[n - 1], "", "", "Иванов И.И.", ""] for n in range(8, 13)]
    app.clock.set(app.clock() + timedelta(days=1))
    summary = await _run(app, "clients", csv_1c(tmp_path / "b.csv", CLIENTS, handed + new))
    async with app.database.read() as s:
        owed = (
            await s.execute(
                select(OutboxMessage.chat_id, OutboxMessage.key, OutboxMessage.payload).where(
                    OutboxMessage.id > before
                )
            )
        ).all()
        owners = dict(
            (
                await s.execute(select(Client.owner_id, func.count()).group_by(Client.owner_id))
            ).all()
        )
    assert (summary.inserted, summary.updated, summary.rejected) == (5, 7, [])
    assert owners == {ivan.id: 12}
    assert sorted(chat for chat, _, _ in owed) == [7001, 7002]
    assert len({key for _, key, _ in owed}) == 2
    told = {chat: payload["text"] for chat, _, payload in owed}
    listed = [n for n in names if n in told[7001]]
    assert len(listed) == 10, told[7001]
    assert "К вам перешли 12 клиентов" in told[7001]
    assert "Новых, без менеджера: 5." in told[7001]
    assert "От других менеджеров: Olga Petrova — 7." in told[7001]
    assert "и ещё 2." in told[7001]
    assert "7 of your clients went to other managers: Иван Иванов — 7." in told[7002]
    assert all(n in told[7002] for n in names[:7]) and "more" not in told[7002]
