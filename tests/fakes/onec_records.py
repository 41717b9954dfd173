"""Builders of realistic 1C records (УТ 11) for `FakeOneC`: the fields 1C returns for each
object, with its empty values (empty reference `00000000-…`, empty date `0001-01-01T00:00:00`,
an empty composite reference's `StandardODATA.Undefined`), amounts as Decimals (the fake
writes them as JSON numbers, or strings), `LineNumber` as a string (Edm.Int64).

GUIDs come from `Ids(seed)`: the same seed gives the same GUIDs, shaped as 1C's (version 1).
Names of entity sets are `profiles`' constants."""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bot.services.onec.profiles import ORDERS, SHIPMENTS

Record = dict[str, Any]
EMPTY = "00000000-0000-0000-0000-000000000000"
NO_DATE = "0001-01-01T00:00:00"
UNDEFINED = "StandardODATA.Undefined"
CENT = Decimal("0.01")


class Ids:
    """Deterministic 1C-looking GUIDs: `ids = Ids(7); ids()`."""

    def __init__(self, seed: int = 1) -> None:
        self._random = random.Random(seed)

    def __call__(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=1))


def stamp(value: date | datetime | None) -> str:
    """1C's JSON date-time."""
    if value is None:
        return NO_DATE
    if isinstance(value, datetime):
        return value.replace(microsecond=0, tzinfo=None).isoformat()
    return f"{value.isoformat()}T00:00:00"


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _version(ids: Ids) -> str:
    return ids()[:8].upper() + "AAAA="  # shaped as 1C's base64 DataVersion


def _type(entity: str) -> str:
    return f"StandardODATA.{entity}"


# --- catalogs ----------------------------------------------------------------------------------


def currency(
    ids: Ids, *, code: str = "643", name: str = "RUB", full: str = "Российский рубль"
) -> Record:
    return {
        "Ref_Key": ids(),
        "Predefined": False,
        "PredefinedDataName": "",
        "DataVersion": _version(ids),
        "Description": name,
        "Code": code,
        "DeletionMark": False,
        "ЗагружаетсяИзИнтернета": code != "643",
        "НаименованиеПолное": full,
        "Наценка": Decimal(0),
        "ОсновнаяВалюта_Key": EMPTY,
        "ПараметрыПрописи": "рубль, рубля, рублей, м, копейка, копейки, копеек, ж, 2",
        "ФормулаРасчетаКурса": "",
        "СпособУстановкиКурса": "ЗагрузкаИзИнтернета" if code != "643" else "РучнойВвод",
    }


def user(ids: Ids, *, name: str) -> Record:
    return {
        "Ref_Key": ids(),
        "Predefined": False,
        "PredefinedDataName": "",
        "DataVersion": _version(ids),
        "Description": name,
        "DeletionMark": False,
        "Недействителен": False,
        "Подразделение_Key": EMPTY,
        "ФизическоеЛицо_Key": ids(),
        "Комментарий": "",
        "Служебный": False,
        "Подготовлен": False,
        "ИдентификаторПользователяИБ": ids(),
        "ИдентификаторПользователяСервиса": EMPTY,
    }


def partner(
    ids: Ids, *, name: str, manager: Record | None = None, code: str = "", client: bool = True
) -> Record:
    return {
        "Ref_Key": ids(),
        "Predefined": False,
        "PredefinedDataName": "",
        "DataVersion": _version(ids),
        "Description": name,
        "Code": code,
        "Parent_Key": EMPTY,
        "DeletionMark": False,
        "НаименованиеПолное": name,
        "ОсновнойМенеджер_Key": manager["Ref_Key"] if manager else EMPTY,
        "БизнесРегион_Key": EMPTY,
        "ДатаРегистрации": "2019-03-14T10:21:05",
        "ЮрФизЛицо": "Компания",
        "Комментарий": "",
        "ДополнительнаяИнформация": "",
        "Клиент": client,
        "Поставщик": not client,
        "Конкурент": False,
        "Перевозчик": False,
        "ПрочиеОтношения": False,
        "ОбслуживаетсяТорговымиПредставителями": False,
        "ГруппаДоступа_Key": ids(),
        "Пол": "",
        "ДатаРождения": NO_DATE,
        "ЗонаДоставки_Key": EMPTY,
        "ВидЦен_Key": EMPTY,
        "ИндивидуальныйВидЦены_Key": EMPTY,
        "КонтактнаяИнформация": [],
    }


def contractor(
    ids: Ids,
    *,
    name: str,
    inn: str = "",
    kpp: str = "",
    partner: Record | None = None,
    head: Record | None = None,
    deleted: bool = False,
    crm_code: str = "",
) -> Record:
    """A `Catalog_Контрагенты` item. УТ 11's contractors have no `Code` (and no folders)."""
    legal = len(inn) == 10
    key = ids()
    return {
        "Ref_Key": key,
        "Predefined": False,
        "PredefinedDataName": "",
        "DataVersion": _version(ids),
        "Description": name,
        "DeletionMark": deleted,
        "НаименованиеПолное": name,
        "ОбособленноеПодразделение": head is not None,
        "ЮридическоеФизическоеЛицо": "ЮридическоеЛицо" if legal else "ФизическоеЛицо",
        "СтранаРегистрации_Key": EMPTY,
        "ГоловнойКонтрагент_Key": head["Ref_Key"] if head else key,
        "ИНН": inn,
        "КПП": kpp,
        "ДополнительнаяИнформация": "",
        "Партнер_Key": partner["Ref_Key"] if partner else EMPTY,
        "ЮрФизЛицо": "ЮрЛицо" if legal else "ФизЛицо",
        "НДСПоСтавкам4и2": False,
        "КодПоОКПО": "",
        "РегистрационныйНомер": "",
        "НалоговыйНомер": "",
        "НаименованиеМеждународное": "",
        "Расш1_КодКлиентаCRM": crm_code,
        "КонтактнаяИнформация": [],
        "ДополнительныеРеквизиты": [],
    }


def contract(
    ids: Ids,
    *,
    contractor: Record,
    number: str,
    day: date,
    deferral_days: int = 0,
    credit_limit: Decimal | None = None,
    currency: Record | None = None,
    name: str | None = None,
    deleted: bool = False,
) -> Record:
    return {
        "Ref_Key": ids(),
        "Predefined": False,
        "PredefinedDataName": "",
        "DataVersion": _version(ids),
        "Description": name if name is not None else f"Договор № {number} от {day:%d.%m.%Y}",
        "DeletionMark": deleted,
        "Номер": number,
        "Дата": stamp(day),
        "ДатаНачалаДействия": stamp(day),
        "ДатаОкончанияДействия": NO_DATE,
        "Организация_Key": EMPTY,
        "Контрагент_Key": contractor["Ref_Key"],
        "Партнер_Key": contractor["Партнер_Key"],
        "ВалютаВзаиморасчетов_Key": currency["Ref_Key"] if currency else EMPTY,
        "Статус": "Действует",
        "ХозяйственнаяОперация": "РеализацияКлиенту",
        "ТипДоговора": "СПокупателем",
        "ПорядокРасчетов": "ПоДоговорамКонтрагентов",
        "ПорядокОплаты": "РасчетыВРубляхОплатаВРублях",
        "БанковскийСчет_Key": EMPTY,
        "СтатьяДвиженияДенежныхСредств_Key": EMPTY,
        "ГруппаФинансовогоУчета_Key": EMPTY,
        "НалогообложениеНДСОпределяетсяВДокументе": True,
        "ОграничиватьСуммуЗадолженности": credit_limit is not None,
        "ДопустимаяСуммаЗадолженности": credit_limit if credit_limit is not None else Decimal(0),
        "ДопустимоеЧислоДнейЗадолженности": str(deferral_days),
        "ЗапрещаетсяПросроченнаяЗадолженность": False,
        "Комментарий": "",
    }


def package(ids: Ids, *, name: str, owner: Record | None = None) -> Record:
    return {
        "Ref_Key": ids(),
        "Predefined": False,
        "PredefinedDataName": "",
        "DataVersion": _version(ids),
        "Description": name,
        "Code": "",
        "Owner": owner["Ref_Key"] if owner else EMPTY,
        "DeletionMark": False,
        "ЕдиницаИзмерения_Key": EMPTY,
        "Числитель": Decimal(1),
        "Знаменатель": Decimal(1),
        "ТипИзмеряемойВеличины": "Штучный",
        "НаименованиеПолное": name,
        "МеждународноеСокращение": "PCE",
        "Owner_Type": _type("Catalog_Номенклатура") if owner else UNDEFINED,
    }


def product(
    ids: Ids,
    *,
    name: str,
    article: str = "",
    code: str = "",
    unit: Record | None = None,
    folder: bool = False,
) -> Record:
    return {
        "Ref_Key": ids(),
        "Predefined": False,
        "PredefinedDataName": "",
        "DataVersion": _version(ids),
        "Description": name,
        "Code": code,
        "Parent_Key": EMPTY,
        "IsFolder": folder,
        "DeletionMark": False,
        "Артикул": article,
        "ВидНоменклатуры_Key": EMPTY if folder else ids(),
        "ЕдиницаИзмерения_Key": unit["Ref_Key"] if unit else EMPTY,
        "НаименованиеПолное": name,
        "ТипНоменклатуры": "" if folder else "Товар",
        "СтавкаНДС": "" if folder else "НДС20",
        "ИспользованиеХарактеристик": "НеИспользовать",
        "ИспользоватьУпаковки": False,
        "НаборУпаковок_Key": EMPTY,
        "Производитель_Key": EMPTY,
        "Марка_Key": EMPTY,
        "ТоварнаяКатегория_Key": EMPTY,
        "ГруппаДоступа_Key": EMPTY,
        "Описание": "",
        "КодДляПоиска": article,
        "Расш1_ДатаСоздания": "2024-02-01T09:30:00",
        "ДополнительныеРеквизиты": [],
    }


def price_type(
    ids: Ids, *, name: str, currency: Record | None = None, deleted: bool = False
) -> Record:
    return {
        "Ref_Key": ids(),
        "Predefined": False,
        "PredefinedDataName": "",
        "DataVersion": _version(ids),
        "Description": name,
        "Code": "",
        "DeletionMark": deleted,
        "ВалютаЦены_Key": currency["Ref_Key"] if currency else EMPTY,
        "ЦенаВключаетНДС": True,
        "ИспользоватьПриПродаже": True,
        "ИспользоватьПриПередачеМеждуОрганизациями": False,
        "ИспользоватьПриВыпускеПродукции": False,
        "УстанавливатьЦенуПриВводеНаОсновании": False,
        "СпособЗаданияЦены": "Вручную",
        "Статус": "Действует",
        "Комментарий": "",
    }


def settlement_object(ids: Ids, *, target: Record, entity: str) -> Record:
    """A `Catalog_ОбъектыРасчетов` item (11.5 / 2.5): what settlements are kept by."""
    return {
        "Ref_Key": ids(),
        "Predefined": False,
        "PredefinedDataName": "",
        "DataVersion": _version(ids),
        "Description": target.get("Number") or target.get("Description") or "",
        "DeletionMark": False,
        "Объект": target["Ref_Key"],
        "Организация_Key": EMPTY,
        "Подразделение_Key": EMPTY,
        "Партнер_Key": target.get("Партнер_Key", EMPTY),
        "ТипРасчетов": "РасчетыСКлиентом",
        "Объект_Type": _type(entity),
    }


# --- documents ---------------------------------------------------------------------------------


def goods(
    product: Record,
    quantity: Decimal | int | str,
    price: Decimal | int | str,
    *,
    cancelled: bool = False,
) -> Record:
    """A `Товары` row (without Ref_Key and LineNumber: the document sets them). Prices
    include VAT 20 %, as the default price type of УТ says."""
    amount = money(Decimal(quantity) * Decimal(price))
    vat = money(amount * 20 / 120)
    return {
        "Номенклатура_Key": product["Ref_Key"],
        "Характеристика_Key": EMPTY,
        "Упаковка_Key": EMPTY,
        "КоличествоУпаковок": Decimal(quantity),
        "Количество": Decimal(quantity),
        "ВидЦены_Key": EMPTY,
        "Цена": Decimal(price),
        "Сумма": amount,
        "СтавкаНДС_Key": EMPTY,
        "СуммаНДС": vat,
        "СуммаСНДС": amount,
        "СуммаРучнойСкидки": Decimal(0),
        "СуммаАвтоматическойСкидки": Decimal(0),
        "ПроцентРучнойСкидки": Decimal(0),
        "ПроцентАвтоматическойСкидки": Decimal(0),
        "Отменено": cancelled,
        "Склад_Key": EMPTY,
        "СтатусУказанияСерий": 0,
        "Серия_Key": EMPTY,
        "Подразделение_Key": EMPTY,
    }


def _numbered(key: str, rows: Sequence[Record]) -> list[Record]:
    out = []
    for number, row in enumerate(rows, 1):
        out.append({"Ref_Key": key, "LineNumber": str(number), **row, "КодСтроки": str(number)})
    return out


def _document(ids: Ids, number: str, day: date | datetime, posted: bool, deleted: bool) -> Record:
    # A document's time of day, as 1C keeps it (noon when only the day is given).
    moment = stamp(day) if isinstance(day, datetime) else f"{day.isoformat()}T12:00:00"
    return {
        "Ref_Key": ids(),
        "DataVersion": _version(ids),
        "Number": number,
        "Date": moment,
        "DeletionMark": deleted,
        "Posted": posted and not deleted,
    }


def order(
    ids: Ids,
    *,
    number: str,
    day: date | datetime,
    contractor: Record,
    lines: Sequence[Record],
    contract: Record | None = None,
    status: str = "КОтгрузке",
    ship_date: date | None = None,
    currency: Record | None = None,
    posted: bool = True,
    deleted: bool = False,
) -> Record:
    head = _document(ids, number, day, posted, deleted)
    rows = _numbered(head["Ref_Key"], lines)
    for row in rows:
        row["ДатаОтгрузки"] = stamp(ship_date)
    total = sum((row["СуммаСНДС"] for row in rows if not row["Отменено"]), Decimal("0.00"))
    return {
        **head,
        "Партнер_Key": contractor["Партнер_Key"],
        "Контрагент_Key": contractor["Ref_Key"],
        "Организация_Key": EMPTY,
        "Соглашение_Key": EMPTY,
        "Валюта_Key": currency["Ref_Key"] if currency else EMPTY,
        "ЦенаВключаетНДС": True,
        "Менеджер_Key": EMPTY,
        "Склад_Key": EMPTY,
        "ХозяйственнаяОперация": "РеализацияКлиенту",
        "Статус": status,
        "Согласован": status != "НеСогласован",
        "ДатаОтгрузки": stamp(ship_date),
        "СуммаДокумента": total,
        "Комментарий": "",
        "Договор_Key": contract["Ref_Key"] if contract else EMPTY,
        "ПорядокРасчетов": "ПоДоговорамКонтрагентов",
        "ОбъектРасчетов_Key": EMPTY,
        "ИШ_ЖелаемаяДатаДоставки": NO_DATE,
        "Товары": rows,
        "ЭтапыГрафикаОплаты": [],
        "ДокументОснование": "",
        "ДокументОснование_Type": UNDEFINED,
    }


def shipment(
    ids: Ids,
    *,
    number: str,
    day: date | datetime,
    contractor: Record,
    lines: Sequence[Record],
    contract: Record | None = None,
    order: Record | None = None,
    currency: Record | None = None,
    posted: bool = True,
    deleted: bool = False,
) -> Record:
    head = _document(ids, number, day, posted, deleted)
    rows = _numbered(head["Ref_Key"], lines)
    for row in rows:
        row["ЗаказКлиента"] = order["Ref_Key"] if order else ""
        row["ЗаказКлиента_Type"] = _type(ORDERS) if order else UNDEFINED
    total = sum((row["СуммаСНДС"] for row in rows), Decimal("0.00"))
    return {
        **head,
        "Валюта_Key": currency["Ref_Key"] if currency else EMPTY,
        "ВалютаВзаиморасчетов_Key": currency["Ref_Key"] if currency else EMPTY,
        "ЗаказКлиента": order["Ref_Key"] if order else "",
        "Организация_Key": EMPTY,
        "Контрагент_Key": contractor["Ref_Key"],
        "Менеджер_Key": EMPTY,
        "НалогообложениеНДС": "ПродажаОблагаетсяНДС",
        "СуммаДокумента": total,
        "Партнер_Key": contractor["Партнер_Key"],
        "Склад_Key": EMPTY,
        "Соглашение_Key": EMPTY,
        "СуммаВзаиморасчетов": total,
        "Комментарий": "",
        "ХозяйственнаяОперация": "РеализацияКлиенту",
        "ЦенаВключаетНДС": True,
        "РеализацияПоЗаказам": False,
        "Договор_Key": contract["Ref_Key"] if contract else EMPTY,
        "Статус": "Отгружено",
        "ПорядокРасчетов": "ПоДоговорамКонтрагентов",
        "ГрафикОплаты_Key": EMPTY,
        "Расш1_НомерЗаявкиСайта": "",
        "Товары": rows,
        "РасшифровкаПлатежа": [],
        "ЭтапыГрафикаОплаты": [],
        "ЗаказКлиента_Type": _type(ORDERS) if order else UNDEFINED,
        "ДопоставкаПоРеализации_Type": UNDEFINED,
    }


def breakdown(
    amount: Decimal | int | str,
    *,
    settlement: Record | None = None,
    document: tuple[Record, str] | None = None,
    basis: tuple[Record, str] | None = None,
    partner: Record | None = None,
) -> Record:
    """A `РасшифровкаПлатежа` row: what part of a payment pays. 11.5 / 2.5 name it by a
    `settlement` object (`ОбъектРасчетов_Key`), earlier releases by the `document` itself
    (`Заказ` / `Заказ_Type`); `basis` is `ОснованиеПлатежа` (a contract, an invoice)."""
    row: Record = {
        "Партнер_Key": partner["Ref_Key"] if partner else EMPTY,
        "ОснованиеПлатежа": basis[0]["Ref_Key"] if basis else "",
        "Сумма": money(amount),
        "СуммаВзаиморасчетов": money(amount),
        "СтатьяДвиженияДенежныхСредств_Key": EMPTY,
        "СтавкаНДС_Key": EMPTY,
        "СуммаНДС": money(Decimal(amount) * 20 / 120),
        "ВариантОплаты": "Постоплата",
        "ОснованиеПлатежа_Type": _type(basis[1]) if basis else UNDEFINED,
    }
    if settlement is not None:
        row["ОбъектРасчетов_Key"] = settlement["Ref_Key"]
    if document is not None:
        row["Заказ"] = document[0]["Ref_Key"]
        row["Заказ_Type"] = _type(document[1])
    return row


def bank_payment(
    ids: Ids,
    *,
    number: str,
    day: date | datetime,
    contractor: Record,
    amount: Decimal | int | str,
    rows: Sequence[Record] = (),
    operation: str = "ПоступлениеОплатыОтКлиента",
    incoming_number: str = "",
    incoming_date: date | None = None,
    currency: Record | None = None,
    posted: bool = True,
    deleted: bool = False,
) -> Record:
    """A `Document_ПоступлениеБезналичныхДенежныхСредств` (a bank statement's receipt)."""
    head = _document(ids, number, day, posted, deleted)
    return {
        **head,
        "Организация_Key": EMPTY,
        "БанковскийСчет_Key": EMPTY,
        "Контрагент_Key": contractor["Ref_Key"],
        "БанковскийСчетКонтрагента_Key": EMPTY,
        "СуммаДокумента": money(amount),
        "Валюта_Key": currency["Ref_Key"] if currency else EMPTY,
        "ХозяйственнаяОперация": operation,
        "НазначениеПлатежа": f"Оплата по счету № {number}. В т.ч. НДС (20%)",
        "Комментарий": "",
        "НомерВходящегоДокумента": incoming_number,
        "ДатаВходящегоДокумента": stamp(incoming_date),
        "ПроведеноБанком": True,
        "ДатаПроведенияБанком": head["Date"],
        "ТипПлатежногоДокумента": "ПлатежноеПоручение",
        "Ответственный_Key": EMPTY,
        "Подразделение_Key": EMPTY,
        "РасшифровкаПлатежа": _numbered(head["Ref_Key"], rows),
    }


def cash_payment(
    ids: Ids,
    *,
    number: str,
    day: date | datetime,
    contractor: Record,
    amount: Decimal | int | str,
    rows: Sequence[Record] = (),
    operation: str = "ПоступлениеОплатыОтКлиента",
    currency: Record | None = None,
    posted: bool = True,
) -> Record:
    """A `Document_ПриходныйКассовыйОрдер`."""
    head = _document(ids, number, day, posted, False)
    return {
        **head,
        "Организация_Key": EMPTY,
        "Касса_Key": EMPTY,
        "Контрагент_Key": contractor["Ref_Key"],
        "СуммаДокумента": money(amount),
        "Валюта_Key": currency["Ref_Key"] if currency else EMPTY,
        "ХозяйственнаяОперация": operation,
        "ПринятоОт": contractor["Description"],
        "Основание": "Оплата по договору",
        "Приложение": "",
        "Комментарий": "",
        "Ответственный_Key": EMPTY,
        "Кассир_Key": EMPTY,
        "РасшифровкаПлатежа": _numbered(head["Ref_Key"], rows),
    }


# --- register records --------------------------------------------------------------------------


def plan_payment(
    recorder: Record,
    *,
    line: int,
    due: date,
    amount: Decimal | int | str,
    settlement: Record | None = None,
    recorder_entity: str = SHIPMENTS,
    record_type: str = "Receipt",
    active: bool = True,
) -> Record:
    """An `AccumulationRegister_РасчетыСКлиентамиПланОплат` record: part of a shipment
    (its recorder) to be paid by `due`."""
    return {
        "Recorder": recorder["Ref_Key"],
        "Period": recorder["Date"],
        "LineNumber": str(line),
        "Active": active,
        "RecordType": record_type,
        "АналитикаУчетаПоПартнерам_Key": EMPTY,
        "ОбъектРасчетов_Key": settlement["Ref_Key"] if settlement else EMPTY,
        "Валюта_Key": EMPTY,
        "ДокументПлан": recorder["Ref_Key"],
        "ДатаПлановогоПогашения": stamp(due),
        "ДатаВозникновения": recorder["Date"],
        "ВариантОплаты": "КредитПослеОтгрузки",
        "НераспределенныйАванс": False,
        "КОплате": money(amount),
        "ПорядокОперации": "",
        "ДокументРегистратор": recorder["Ref_Key"],
        "ДокументОплаты": "",
        "Recorder_Type": _type(recorder_entity),
        "ДокументПлан_Type": _type(recorder_entity),
        "ДокументРегистратор_Type": _type(recorder_entity),
        "ДокументОплаты_Type": UNDEFINED,
    }


def price_record(
    recorder: str,
    *,
    line: int,
    period: date | datetime,
    price_type: Record,
    product: Record,
    price: Decimal | int | str,
    package: Record | None = None,
    characteristic: str = EMPTY,
    active: bool = True,
) -> Record:
    """An `InformationRegister_ЦеныНоменклатуры25` record (recorded by a
    `Document_УстановкаЦенНоменклатуры` whose Ref_Key is `recorder`)."""
    return {
        "Recorder": recorder,
        "Period": stamp(period),
        "LineNumber": str(line),
        "Active": active,
        "ВидЦены_Key": price_type["Ref_Key"],
        "Номенклатура_Key": product["Ref_Key"],
        "Характеристика_Key": characteristic,
        "Цена": Decimal(price),
        "Упаковка_Key": package["Ref_Key"] if package else EMPTY,
        "Recorder_Type": "StandardODATA.Document_УстановкаЦенНоменклатуры",
    }
