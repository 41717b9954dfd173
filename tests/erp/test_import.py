"""The importer on files the tests generate: 1C headers, cp1251, XLSX date cells, broken rows,
FIFO payments, advances, idempotent re-imports, snapshots, crashes, ownership."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bot.services.erp_files import ErpFileError
from bot.services.erp_import import run_import
from bot.services.erp_views import debts
from storage.dto import Role
from storage.repositories import Repos
from tests.erp.files import csv_1c, xlsx_1c
from tests.factories import make_user

CLIENTS_HEADER = ["Код", "Наименование", "ИНН", "КПП", "Ответственный", "Категория"]
TODAY = date(2026, 11, 23)


async def _import(app, kind: str, path: Path, *, snapshot: bool = False, **kw):
    return await run_import(
        app.database,
        kind,
        path,
        file_name=path.name,
        snapshot=snapshot,
        actor_id=None,
        now=app.clock(),
        texts=app.translator,
        **kw,
    )


async def _company(app, tmp_path: Path):
    boss = await make_user(app, 5000, Role.SUPERVISOR, name="Boss")
    ivan = await make_user(app, 5001, name="Иван Иванов", supervisor=boss)
    async with app.database.transaction() as s:
        from storage.dto import UserUpdate

        await Repos(s).users.update(
            ivan.id, UserUpdate(erp_name="Иванов Иван Иванович"), actor_id=None, now=app.clock()
        )
    clients = csv_1c(
        tmp_path / "clients.csv",
        CLIENTS_HEADER,
        [
            ["К-001", "ООО «Ромашка»", "7707083893", "770701001", "Иванов И.И.", "A"],
            ["К-002", 'ПАО "Лютик"', "7736207543", "", "Петров П.П.", "B"],
            ["К-003", "Битый ИНН", "1234567890", "", "Иванов И.И.", "C"],
        ],
    )
    summary = await _import(app, "clients", clients)
    contracts = csv_1c(
        tmp_path / "contracts.csv",
        ["Код контрагента", "Договор", "Отсрочка, дней", "Кредитный лимит", "Пени, % в день"],
        [
            ["К-001", "Договор № 15/2026 от 01.01.2026", "30", "1 000 000,00", "0,1"],
            ["К-002", "7", "14", "", ""],
        ],
        title="Договоры",
    )
    await _import(app, "contracts", contracts)
    return ivan, summary


async def test_clients_from_cp1251_with_titles_totals_and_broken_rows(app, tmp_path):
    ivan, summary = await _company(app, tmp_path)
    assert (summary.read, summary.inserted, len(summary.rejected)) == (3, 2, 1)
    assert (summary.rejected[0].row, summary.rejected[0].column) == (7, "inn")
    async with app.database.read() as s:
        repos = Repos(s)
        [romashka] = await repos.clients.search("ромашка", None, None, 5)
        [lutik] = await repos.clients.search("лютик", None, None, 5)
    assert romashka.owner_id == ivan.id and romashka.tier.value == "A"
    assert lutik.owner_id is None  # Петров has no user yet: kept, attached when he registers

    again = await _import(app, "clients", tmp_path / "clients.csv")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)


async def test_erp_manager_attached_when_that_user_registers(app, tmp_path, chat):
    await _company(app, tmp_path)
    boss = await make_user(app, 5100, Role.SUPERVISOR, name="Second boss")
    from datetime import timedelta

    from bot.services.people import create_invite

    async with app.database.transaction() as s:
        invite = await create_invite(
            Repos(s),
            role=Role.MANAGER,
            supervisor_id=boss.id,
            erp_name="Петров Пётр Петрович",
            created_by_id=None,
            ttl=timedelta(days=7),
            now=app.clock(),
        )
    await chat(5101, first_name="Пётр").send(f"/start {invite.code}")
    async with app.database.read() as s:
        repos = Repos(s)
        petr = await repos.users.by_telegram_id(5101)
        [lutik] = await repos.clients.search("лютик", None, None, 5)
    assert lutik.owner_id == petr.id


async def test_shipments_payments_fifo_advance_and_debts(app, tmp_path):
    ivan, _ = await _company(app, tmp_path)
    shipments = csv_1c(
        tmp_path / "ship.csv",
        ["Номер", "Дата", "Код контрагента", "Договор", "Сумма"],
        [
            ["0001", "01.08.2026", "К-001", "15/2026", "100 000,00"],  # due 31.08: 84 days overdue
            ["0002", "01.10.2026", "К-001", "15/2026", "50 000,00"],  # due 31.10: 23 days overdue
            ["0003", "20.11.2026", "К-001", "15/2026", "30 000,00"],  # due 20.12: not yet
            ["0004", "01.11.2026", "К-002", "7", "10 000,00"],  # due 15.11: 8 days overdue
        ],
    )
    assert (await _import(app, "shipments", shipments)).inserted == 4
    payments = csv_1c(
        tmp_path / "pay.csv",
        ["Номер", "Дата", "ИНН", "Договор", "Документ расчетов", "Сумма"],
        [
            [
                "П-1",
                "10.11.2026",
                "7707083893",
                "15/2026",
                "",
                "120 000,00",
            ],  # FIFO: 0001 then 0002
            [
                "П-2",
                "12.11.2026",
                "7707083893",
                "15/2026",
                "Реализация 0003 от 20.11.2026",
                "30 000,00",
            ],
            ["П-3", "15.11.2026", "7736207543", "7", "", "12 500,00"],  # advance 2 500
        ],
    )
    assert (await _import(app, "payments", payments)).inserted == 3
    admin = await make_user(app, 5300, Role.ADMIN)
    async with app.database.read() as s:
        repos = Repos(s)
        boss = await repos.users.get(ivan.supervisor_id)
        [team_report] = await debts(repos, boss, today=TODAY)
        [report] = await debts(repos, admin, today=TODAY)
    # Лютик has no manager yet: the company's view has it, the team's does not.
    assert team_report.advance == Decimal("0.00") and len(team_report.lines) == 1
    assert report.total == Decimal("30000.00") and report.overdue == Decimal("30000.00")
    assert report.buckets["1-30"] == Decimal("30000.00") and report.advance == Decimal("2500.00")
    [line] = [line for line in report.lines if line.money.open]
    assert [o.shipment.number for o in line.money.open] == ["0002"]
    assert line.money.open[0].days_overdue == 23


async def test_xlsx_with_date_cells_and_numbers(app, tmp_path):
    await _company(app, tmp_path)
    path = xlsx_1c(
        tmp_path / "ship.xlsx",
        ["Номер", "Дата", "ИНН", "Договор", "Сумма", "Срок оплаты"],
        [
            ["0010", date(2026, 9, 1), 7707083893, "15/2026", 1500.5, date(2026, 9, 15)],
            ["0011", "02.09.2026", 7707083893, "15/2026", 700, None],
            ["0012", "not a date", 7707083893, "15/2026", 1, None],
        ],
    )
    summary = await _import(app, "shipments", path)
    assert (summary.inserted, [(r.row, r.column) for r in summary.rejected]) == (2, [(6, "date")])
    from storage.erp import ErpRepo

    async with app.database.read() as s:
        ships, _ = await ErpRepo(s).receivable_facts(None)
    by_number = {r.number: r for r in ships}
    assert by_number["0010"].amount == Decimal("1500.50") and by_number["0010"].due_on == date(
        2026, 9, 15
    )
    assert by_number["0011"].due_on == date(2026, 10, 2)  # shipment date + the contract's 30 days


async def test_unknown_client_and_contract_rejected_with_reason(app, tmp_path):
    await _company(app, tmp_path)
    path = csv_1c(
        tmp_path / "bad.csv",
        ["Номер", "Дата", "Код контрагента", "Договор", "Сумма"],
        [
            ["0100", "01.10.2026", "К-999", "", "10,00"],
            ["0101", "01.10.2026", "К-001", "НЕТ-ТАКОГО", "10,00"],
            ["0102", "01.10.2026", "К-001", "", "десять"],
        ],
    )
    summary = await _import(app, "shipments", path)
    assert [(r.row, r.column, r.reason) for r in summary.rejected] == [
        (5, "client_code", "unknown client"),
        (6, "contract", "unknown contract"),
        (7, "amount", summary.rejected[2].reason),
    ]
    assert summary.rejected[2].reason.startswith("not an amount")
    assert summary.inserted == 0


async def test_snapshot_marks_missing_as_removed(app, tmp_path):
    await _company(app, tmp_path)
    rows = [
        ["0001", "01.10.2026", "К-001", "", "10,00"],
        ["0002", "02.10.2026", "К-001", "", "20,00"],
    ]
    await _import(
        app,
        "shipments",
        csv_1c(
            tmp_path / "s1.csv", ["Номер", "Дата", "Код контрагента", "Договор", "Сумма"], rows
        ),
    )
    summary = await _import(
        app,
        "shipments",
        csv_1c(
            tmp_path / "s2.csv", ["Номер", "Дата", "Код контрагента", "Договор", "Сумма"], rows[:1]
        ),
        snapshot=True,
    )
    assert (summary.unchanged, summary.removed) == (1, 1)
    from storage.erp import ErpRepo

    async with app.database.read() as s:
        ships, _ = await ErpRepo(s).receivable_facts(None)
    assert [r.number for r in ships] == ["0001"]


async def test_crash_mid_import_leaves_nothing_half_written(app, tmp_path):
    await _company(app, tmp_path)
    rows = [[f"{n:05d}", "01.10.2026", "К-001", "", "10,00"] for n in range(2500)]
    path = csv_1c(
        tmp_path / "big.csv", ["Номер", "Дата", "Код контрагента", "Договор", "Сумма"], rows
    )

    async def crash(read: int) -> None:
        if read >= 2000:
            raise RuntimeError("killed mid-file")

    with pytest.raises(RuntimeError):
        await _import(app, "shipments", path, progress=crash)
    from storage.erp import ErpRepo
    from storage.erp_dto import ErpShipment
    from storage.imports import ImportRepo

    async with app.database.read() as s:
        ships, _ = await ErpRepo(s).receivable_facts(None)
        staged = await ImportRepo(s).staged(1, ErpShipment, after_id=0, limit=10)
    assert ships == [] and staged == []
    summary = await _import(app, "shipments", path)
    assert summary.inserted == 2500


async def test_apply_failure_rolls_back_everything(app, tmp_path, monkeypatch):
    await _company(app, tmp_path)
    rows = [[f"{n:05d}", "01.10.2026", "К-001", "", "10,00"] for n in range(1500)]
    path = csv_1c(
        tmp_path / "big.csv", ["Номер", "Дата", "Код контрагента", "Договор", "Сумма"], rows
    )
    import storage.erp

    real = storage.erp.upsert
    calls = 0

    async def failing_second_batch(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError("disk full")  # a fault injected into the apply step
        return await real(*args, **kwargs)

    monkeypatch.setattr("storage.imports.upsert", failing_second_batch)
    with pytest.raises(OSError, match="disk full"):
        await _import(app, "shipments", path)
    from storage.erp import ErpRepo

    async with app.database.read() as s:
        ships, _ = await ErpRepo(s).receivable_facts(None)
    assert ships == []


async def test_malformed_files_change_nothing(app, tmp_path):
    await _company(app, tmp_path)
    garbage = tmp_path / "x.bin"
    garbage.write_bytes(b"\x00\x01\x02" * 1000)
    with pytest.raises(ErpFileError) as caught:
        await _import(app, "shipments", garbage)
    assert caught.value.reason == "import-error-format"
    headerless = csv_1c(tmp_path / "h.csv", ["что-то", "другое"], [["1", "2"]])
    with pytest.raises(ErpFileError) as caught:
        await _import(app, "shipments", headerless)
    assert caught.value.reason == "import-error-no-header"
    with pytest.raises(ErpFileError) as caught:
        await _import(app, "nonsense", headerless)
    assert caught.value.reason == "import-error-kind"


async def test_ownership_set_in_chat_wins_and_admin_told(app, tmp_path):
    await _company(app, tmp_path)
    admin = await make_user(app, 5200, Role.ADMIN, name="Admin")
    other = await make_user(
        app, 5201, name="Other", supervisor=await make_user(app, 5202, Role.SUPERVISOR)
    )
    from bot.services.accounts import reassign_client

    async with app.database.transaction() as s:
        repos = Repos(s)
        [romashka] = await repos.clients.search("ромашка", None, None, 5)
        await reassign_client(
            repos, admin, romashka.id, other.id, now=app.clock(), texts=app.translator
        )
    summary = await _import(app, "clients", tmp_path / "clients.csv")
    assert summary.conflicts == ["К-001"]
    async with app.database.read() as s:
        repos = Repos(s)
        assert (await repos.clients.get(romashka.id)).owner_id == other.id
        told = [r for r in await repos.outbox.list() if r.kind == "import_conflict"]
    assert told and told[0].chat_id == admin.telegram_id


async def test_orders_lines_and_prices(app, tmp_path):
    await _company(app, tmp_path)
    orders = csv_1c(
        tmp_path / "o.csv",
        ["Номер", "Дата", "Код контрагента", "Статус", "Сумма"],
        [
            ["4512", "01.11.2026", "К-001", "В работе", "2 500,00"],
        ],
    )
    lines = csv_1c(
        tmp_path / "l.csv",
        [
            "Номер заказа",
            "Дата заказа",
            "N",
            "Артикул",
            "Номенклатура",
            "Количество",
            "Цена",
            "Сумма",
        ],
        [
            ["4512", "01.11.2026", "1", "A-1", "Болт М8", "100", "20,00", "2 000,00"],
            ["4512", "01.11.2026", "2", "A-2", "Гайка М8", "2,5", "200,00", "500,00"],
        ],
    )
    assert (await _import(app, "orders", orders)).inserted == 1
    assert (await _import(app, "order_lines", lines)).inserted == 2
    prices = csv_1c(
        tmp_path / "p.csv",
        ["Артикул", "Номенклатура", "Цена", "Дата начала действия"],
        [
            ["A-1", "Болт М8", "20,00", "01.01.2026"],
            ["A-1", "Болт М8", "22,00", "01.12.2026"],
        ],
    )
    assert (await _import(app, "prices", prices)).inserted == 2
    from storage.erp import ErpRepo

    async with app.database.read() as s:
        [row] = await ErpRepo(s).prices("болт", "болт", TODAY, 5)
    assert (
        row[3] == Decimal("20.00") and row[6] == Decimal("22.00") and row[7] == date(2026, 12, 1)
    )


@pytest.mark.parametrize(
    ("written", "erp_name", "matches"),
    [
        ("Иванов Иван Иванович", "Иванов Иван Иванович", True),
        ("Иванов И.И.", "Иванов Иван Иванович", True),
        ("Иванов И. И.", "Иванов Иван Иванович", True),
        ("ИВАНОВ И.", "Иванов Иван", True),
        ("Иванов И.И.", "Иванов Иван", True),
        ("Петров П.П.", "Иванов Иван Иванович", False),
        ("Ёлкин Е.Е.", "Елкин Егор Егорович", True),
    ],
)
def test_manager_names_as_the_erp_writes_them(written: str, erp_name: str, matches: bool) -> None:
    from bot.services.erp_import import manager_index, match_manager

    assert (match_manager(written, manager_index([(1, erp_name)])) == 1) is matches


def test_namesakes_are_not_confused() -> None:
    from bot.services.erp_import import manager_index, match_manager

    index = manager_index([(1, "Иванов Иван Петрович"), (2, "Иванов Игорь Сергеевич")])
    assert match_manager("Иванов И.", index) is None
    assert (
        match_manager("Иванов И.П.", index) == 1
        and match_manager("Иванов Игорь Сергеевич", index) == 2
    )


async def test_bot_answers_while_a_long_import_runs(app, tmp_path, admin):
    await _company(app, tmp_path)
    rows = [[f"{n:06d}", "01.10.2026", "К-001", "", "10,00"] for n in range(30_000)]
    path = csv_1c(
        tmp_path / "long.csv", ["Номер", "Дата", "Код контрагента", "Договор", "Сумма"], rows
    )
    started = asyncio.Event()

    async def progress(read: int) -> None:
        started.set()

    task = asyncio.create_task(_import(app, "shipments", path, progress=progress))
    await asyncio.wait_for(started.wait(), 30)
    from tests.helpers import texts

    reply = await asyncio.wait_for(admin.send("/help"), 5)
    assert texts(reply)[0].startswith("You are signed in as admin") and not task.done()
    assert (await task).inserted == 30_000


async def test_return_in_the_same_file_reduces_its_shipment(app, tmp_path):
    await _company(app, tmp_path)
    path = csv_1c(
        tmp_path / "r.csv",
        ["Номер", "Дата", "Код контрагента", "Договор", "Сумма", "Основание"],
        [
            ["В-1", "05.10.2026", "К-001", "15/2026", "-400,00", "Реализация 0001 от 01.10.2026"],
            ["0001", "01.10.2026", "К-001", "15/2026", "1 000,00", ""],
        ],
    )
    assert (await _import(app, "shipments", path)).inserted == 2
    admin = await make_user(app, 5400, Role.ADMIN)
    async with app.database.read() as s:
        [report] = await debts(Repos(s), admin, today=TODAY)
    assert report.total == Decimal("600.00")


async def test_the_readme_example_imports(app, tmp_path):
    """The shipments example in the README, as written there, imports as described."""
    await _company(app, tmp_path)
    orders = csv_1c(
        tmp_path / "o.csv",
        ["Номер", "Дата", "Код контрагента", "Сумма"],
        [["4512", "20.07.2026", "К-001", "100 000,00"]],
    )
    await _import(app, "orders", orders)
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("Example (`shipments.csv`")[1].split("```")[1].strip("\n")
    path = tmp_path / "shipments.csv"
    path.write_text(block + "\n", encoding="cp1251")
    summary = await _import(app, "shipments", path)
    assert (summary.read, summary.inserted, summary.rejected) == (2, 2, [])
    admin = await make_user(app, 5500, Role.ADMIN)
    async with app.database.read() as s:
        [report] = await debts(Repos(s), admin, today=TODAY)
    assert report.total == Decimal("96000.00")


async def test_open_amounts_follow_payments_and_snapshots(app, tmp_path):
    from storage.models import Shipment

    await _company(app, tmp_path)
    header = ["Номер", "Дата", "Код контрагента", "Договор", "Сумма"]
    await _import(
        app,
        "shipments",
        csv_1c(
            tmp_path / "s.csv",
            header,
            [
                ["0001", "01.10.2026", "К-001", "15/2026", "1 000,00"],
                ["0002", "05.10.2026", "К-001", "15/2026", "500,00"],
            ],
        ),
    )

    async def open_amounts() -> dict[str, Decimal]:
        from sqlalchemy import select

        async with app.database.read() as s:
            rows = await s.execute(select(Shipment.number, Shipment.open_amount))
        return {n: a for n, a in rows}  # noqa: C416 - Row pairs

    assert await open_amounts() == {"0001": Decimal("1000.00"), "0002": Decimal("500.00")}
    pay_header = ["Номер", "Дата", "Код контрагента", "Договор", "Сумма"]
    await _import(
        app,
        "payments",
        csv_1c(
            tmp_path / "p.csv", pay_header, [["П-1", "10.10.2026", "К-001", "15/2026", "1 200,00"]]
        ),
    )
    assert await open_amounts() == {"0001": Decimal("0.00"), "0002": Decimal("300.00")}
    # A full export of payments without П-1: it is removed, and the debt comes back.
    await _import(
        app,
        "payments",
        csv_1c(
            tmp_path / "p2.csv", pay_header, [["П-2", "11.10.2026", "К-001", "15/2026", "100,00"]]
        ),
        snapshot=True,
    )
    assert await open_amounts() == {"0001": Decimal("900.00"), "0002": Decimal("500.00")}
