"""Bank statements (1CClientBankExchange) imported as payments: the client found by ИНН and
КПП, the shipment its purpose names paid (else FIFO), an unknown payer rejected with its
reason, an outgoing payment left out, a payment already known from 1C not counted twice,
the same statement twice changing nothing, in Windows-1251 and DOS encodings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bot.services.bank_import import import_bank_statement
from bot.services.bank_statement import BankStatementError
from bot.services.receivables import open_amounts
from storage.repositories import Repos
from tests.erp.test_import_sources import _rows

OURS = "40702810900000012345"
ROMASHKA = ("7707083893", "770701001", "40702810400000054321")
LUTIK = ("7736207543", "", "40702810500000011111")


def document(
    number: str,
    day: str,
    amount: str,
    payer: tuple[str, str, str],
    purpose: str,
    *,
    received: str | None = None,
    outgoing: bool = False,
) -> str:
    inn, kpp, account = payer
    payer_account, recipient_account = (OURS, account) if outgoing else (account, OURS)
    lines = [
        "СекцияДокумент=Платежное поручение",
        f"Номер={number}",
        f"Дата={day}",
        f"Сумма={amount}",
        f"ПлательщикСчет={payer_account}",
        f"ДатаСписано={day}",
        f"Плательщик=ИНН {inn} ООО Плательщик",
        f"ПлательщикИНН={inn}",
        f"ПлательщикКПП={kpp}",
        "Плательщик1=ООО Плательщик",
        f"ПлательщикРасчСчет={payer_account}",
        "ПлательщикБанк1=ПАО СБЕРБАНК",
        "ПлательщикБИК=044525225",
        "ПлательщикКорсчет=30101810400000000225",
        f"ПолучательСчет={recipient_account}",
        f"ДатаПоступило={received or day}",
        "Получатель=ИНН 7701234567 ООО Упаковка",
        "ПолучательИНН=7701234567",
        "ПолучательКПП=770101001",
        "Получатель1=ООО Упаковка",
        f"ПолучательРасчСчет={recipient_account}",
        "ПолучательБанк1=АО АЛЬФА-БАНК",
        "ПолучательБИК=044525593",
        "ВидПлатежа=электронно",
        "ВидОплаты=01",
        "Очередность=5",
        f"НазначениеПлатежа={purpose}",
        "КонецДокумента",
    ]
    return "\r\n".join(lines)


def statement(*documents: str, encoding: str = "Windows") -> str:
    head = [
        "1CClientBankExchange",
        "ВерсияФормата=1.03",
        f"Кодировка={encoding}",
        "Отправитель=Бухгалтерия предприятия, редакция 3.0",
        "Получатель=",
        "ДатаСоздания=03.12.2026",
        "ВремяСоздания=09:12:45",
        "ДатаНачала=01.12.2026",
        "ДатаКонца=02.12.2026",
        f"РасчСчет={OURS}",
        "Документ=Платежное поручение",
        "СекцияРасчСчет",
        "ДатаНачала=01.12.2026",
        "ДатаКонца=02.12.2026",
        f"РасчСчет={OURS}",
        "НачальныйОстаток=0.00",
        "КонецРасчСчет",
    ]
    return "\r\n".join([*head, *documents, "КонецФайла", ""])


async def _company(app) -> None:
    await _rows(
        app,
        "clients",
        {"code": "К-001", "name": "ООО «Ромашка»", "inn": ROMASHKA[0], "kpp": ROMASHKA[1]},
        {"code": "К-002", "name": "ПАО «Лютик»", "inn": LUTIK[0]},
    )
    await _rows(
        app,
        "shipments",
        {"number": "0000", "date": date(2026, 7, 1), "client_code": "К-001", "amount": "50000"},
        {"number": "0001", "date": date(2026, 8, 1), "client_code": "К-001", "amount": "100000"},
        {
            "number": "ТД00-000123",
            "date": date(2026, 9, 1),
            "client_code": "К-002",
            "amount": "7000",
        },
    )


async def _open(app) -> dict[str, Decimal]:
    async with app.database.read() as s:
        facts = await Repos(s).erp.receivable_facts(None)
    numbers = {row.id: row.number for row in facts.shipments}
    return {numbers[o.id]: o.amount for o in open_amounts(facts.shipments, facts.payments)}


async def _import(app, tmp_path: Path, text: str, codec: str = "cp1251"):
    path = tmp_path / "kl_to_1c.txt"
    path.write_bytes(text.encode(codec))
    return await import_bank_statement(
        app.database,
        path,
        file_name=path.name,
        actor_id=None,
        now=app.clock(),
        texts=app.translator,
    )


@pytest.mark.parametrize(("encoding", "codec"), [("Windows", "cp1251"), ("DOS", "cp866")])
async def test_a_statement_pays_what_its_purposes_name_else_fifo(app, tmp_path, encoding, codec):
    await _company(app)
    text = statement(
        # Names УПД 0001: pays it, though 0000 is older.
        document(
            "105",
            "01.12.2026",
            "100000.00",
            ROMASHKA,
            "Оплата по УПД № 0001 от 01.08.2026, в т.ч. НДС 22%",
            received="02.12.2026",
        ),
        # Names nothing: first in, first out (0000).
        document("106", "02.12.2026", "20000.00", ROMASHKA, "Оплата за товар, НДС не облагается"),
        # Names "123" for the stored ТД00-000123 of that client.
        document("7", "02.12.2026", "7000.00", LUTIK, "Оплата по счет-фактуре 123 от 01.09.2026"),
        # An unknown payer: rejected with its reason.
        document(
            "9",
            "02.12.2026",
            "500.00",
            ("7710140679", "", "40702810000000099999"),
            "Оплата по счету 5",
        ),
        # Money we paid: not a payment of a client.
        document("300", "02.12.2026", "1000.00", ROMASHKA, "Возврат переплаты", outgoing=True),
        encoding=encoding,
    )
    summary = await _import(app, tmp_path, text, codec)
    assert summary.statement_documents == 5
    payments = summary.payments
    assert (payments.read, payments.inserted) == (4, 3)
    assert [(r.column, r.reason) for r in payments.rejected] == [("inn", "unknown client")]
    assert await _open(app) == {
        "0000": Decimal(30000),
        "0001": Decimal(0),
        "ТД00-000123": Decimal(0),
    }
    # The same statement again: nothing changes.
    again = await _import(app, tmp_path, text, codec)
    assert (again.payments.inserted, again.payments.updated, again.payments.unchanged) == (0, 0, 3)
    assert (await _open(app))["0000"] == Decimal(30000)


async def test_a_payment_known_from_1c_is_not_counted_twice(app, tmp_path):
    await _company(app)
    # 1C's own receipt of the payer's order 105, posted a day after the bank credited it.
    await _rows(
        app,
        "payments",
        {
            "number": "0000-000045",
            "date": date(2026, 12, 3),
            "client_code": "К-001",
            "amount": "100000",
            "shipment": "0001",
        },
    )
    text = statement(
        document(
            "105", "01.12.2026", "100000.00", ROMASHKA, "Оплата по УПД 0001", received="02.12.2026"
        ),
        document("106", "02.12.2026", "100000.00", ROMASHKA, "Оплата по УПД 0001 (повторно)"),
    )
    summary = await _import(app, tmp_path, text)
    # The first is 1C's receipt; the second, of the same amount, is money 1C has not seen.
    assert [p.number for p in summary.known] == ["105"]
    assert summary.payments.inserted == 1
    assert await _open(app) == {
        "0000": Decimal(0),
        "0001": Decimal(0),
        "ТД00-000123": Decimal(7000),
    }


async def test_not_a_statement_changes_nothing(app, tmp_path):
    await _company(app)
    before = await _open(app)
    with pytest.raises(BankStatementError):
        await _import(app, tmp_path, "Номер;Дата;Сумма\r\n1;01.12.2026;100\r\n")
    broken = statement(document("105", "01.12.2026", "100000.00", ROMASHKA, "x")).replace(
        "КонецДокумента", ""
    )
    with pytest.raises(BankStatementError):
        await _import(app, tmp_path, broken)
    assert await _open(app) == before
