"""The demo company: a believable Russian B2B distributor of packaging, generated from a seed.

Same seed and same `today` give the same company, row for row: every choice comes from one
`random.Random(seed)` and every date and moment is counted from `today` (never from the wall
clock). People-made records (contacts and their next steps, key persons, opportunities,
competitor notes, claims and their history, plans) go through the product's own services
and repositories, so they are exactly what the bot itself would have written, audit trail
included; ERP documents go in with the importer's batched upsert and the importer's
open-amount step (`keep_open_amounts`), as an import of 1C exports would leave them.

What the newcomer should find, every case of the demo issue: an admin, 2 supervisors with 3
managers each, 2 claim-department members; 60 clients in tiers A/B/C (a holding with two
branches) with key persons; a year of orders with lines, shipments and payments, money
overdue in every aging bucket, a shipment that fell due yesterday, an advance; next steps
due today and missed; key clients past their contact cadence; open opportunities (some past
their close date); competitor notes; claims in every status; a price list with upcoming
changes (managers already told of some); monthly and quarterly plans for every manager.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from bot.render_claims import ClaimTexts
from bot.render_reminders import ReminderTexts
from bot.services import accounts, claims
from bot.services.business_settings import calendar_for
from bot.services.claim_rules import Action, Category
from bot.services.client_search import search_key
from bot.services.dates import When
from bot.services.erp_import import keep_open_amounts
from bot.services.local_time import at_local_time
from bot.services.people import placeholder_telegram_id
from bot.services.plans import Period, month_of, quarter_of
from bot.services.reminders import run_price_changes
from storage.demo import DemoRepo, PastContact
from storage.dto import (
    BuyingRole,
    Channel,
    ClientUpdate,
    CompetitorNoteCreate,
    ContactCreate,
    FollowUpCreate,
    OpportunityCreate,
    OutboxStatus,
    Outcome,
    PersonCreate,
    Role,
    Stage,
    Tier,
    UserCreate,
    UserDTO,
)
from storage.engine import Database
from storage.erp import ErpRepo, UpsertCounts, upsert
from storage.models import Client, Contract, Order, OrderLine, Payment, Price, Product, Shipment
from storage.reminders import ReminderRepo
from storage.repositories import Repos

DEFAULT_SEED = 2026
# The business-settings row that marks a database as the demo's (business settings ignore
# keys they do not know): the demo never overwrites or reuses a database without it.
DEMO_MARKER = "demo_company"
MARKER_VERSION = 1
RUB = "RUB"
CENT = Decimal("0.01")
Pair = tuple[str, str]  # (Russian, English)


@dataclass(frozen=True)
class DemoOptions:
    today: date
    seed: int = DEFAULT_SEED
    language: str = "ru"  # the demo people's language, and of the texts they wrote
    timezone: str = "Europe/Moscow"


@dataclass(frozen=True)
class DemoMarker:
    seed: int
    today: date
    language: str

    def to_text(self) -> str:
        return json.dumps(
            {
                "version": MARKER_VERSION,
                "seed": self.seed,
                "today": self.today.isoformat(),
                "language": self.language,
            },
            sort_keys=True,
        )

    @classmethod
    def from_text(cls, text: str) -> DemoMarker | None:
        try:
            data = json.loads(text)
            return cls(int(data["seed"]), date.fromisoformat(data["today"]), data["language"])
        except (ValueError, KeyError, TypeError):
            return None


async def read_marker(repos: Repos) -> DemoMarker | None:
    stored = (await repos.settings.stored()).get(DEMO_MARKER)
    return DemoMarker.from_text(stored) if stored is not None else None


@dataclass
class DemoSummary:
    counts: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------- the texts


@dataclass(frozen=True)
class Staff:
    role: Role
    name: Pair
    erp_name: str | None = None
    team: int | None = None  # index of the supervisor in SUPERVISORS order
    timezone: str | None = None  # None: the demo's zone
    department: int | None = None


STAFF: tuple[Staff, ...] = (
    Staff(Role.ADMIN, ("Елена Соколова", "Elena Sokolova")),
    Staff(Role.SUPERVISOR, ("Андрей Морозов", "Andrey Morozov")),
    Staff(Role.SUPERVISOR, ("Татьяна Волкова", "Tatyana Volkova")),
    Staff(Role.MANAGER, ("Иван Петров", "Ivan Petrov"), "Петров Иван Сергеевич", team=0),
    Staff(Role.MANAGER, ("Ольга Смирнова", "Olga Smirnova"), "Смирнова Ольга Николаевна", team=0),
    Staff(Role.MANAGER, ("Дмитрий Козлов", "Dmitry Kozlov"), "Козлов Дмитрий Андреевич", team=0),
    Staff(Role.MANAGER, ("Мария Новикова", "Maria Novikova"), "Новикова Мария Игоревна", team=1),
    Staff(
        Role.MANAGER,
        ("Алексей Лебедев", "Alexey Lebedev"),
        "Лебедев Алексей Викторович",
        team=1,
        timezone="Asia/Yekaterinburg",
    ),
    Staff(Role.MANAGER, ("Наталья Павлова", "Natalya Pavlova"), "Павлова Наталья Юрьевна", team=1),
    Staff(Role.DEPARTMENT, ("Сергей Кузнецов", "Sergey Kuznetsov"), department=0),
    Staff(Role.DEPARTMENT, ("Ирина Орлова", "Irina Orlova"), department=1),
)
DEPARTMENTS: tuple[tuple[Pair, tuple[Category, ...]], ...] = (
    (("Отдел качества", "Quality department"), (Category.QUALITY, Category.DAMAGED)),
    (
        ("Логистика и документы", "Logistics and documents"),
        (
            Category.QUANTITY,
            Category.DELIVERY_DATE,
            Category.DOCUMENTS,
            Category.PRICE,
            Category.OTHER,
        ),
    ),
)

# The holding is always there and always the first manager's (the README's examples use it).
HOLDING = (
    "АО «Агрохолдинг Черноземье»",
    "Агрохолдинг Черноземье, филиал Воронеж",
    "Агрохолдинг Черноземье, филиал Белгород",
)
CLIENT_NAMES: tuple[str, ...] = (
    "ООО «Агрокомплекс Кубань»",
    "АО «Вологодский молочный комбинат»",
    "ООО «Кондитерская фабрика «Заря»",
    "ООО «Логистик-Центр Восток»",
    "ООО «ТД Сибирь»",
    "ООО «МаркетПлейс Экспресс»",
    "АО «Пищекомбинат Волга»",
    "ООО «Хлебозавод № 5»",
    "ООО «Мясной двор»",
    "ООО «ФрешФуд»",
    "ООО «Северная птицефабрика»",
    "ООО «СтройМаркет»",
    "ООО «Фармацевт-Опт»",
    "ООО «Сладкий край»",
    "ООО «Семейный»",
    "ООО «Рыбный порт»",
    "АО «Кировский машзавод»",
    "ООО «ЭлектроКомплект»",
    "ООО «Сибирская мебельная компания»",
    "ООО «ПромХимСнаб»",
    "ООО «Зелёная долина»",
    "ООО «Экопродукт»",
    "ООО «Чайная компания Восток»",
    "ООО «Алтайские сыры»",
    "ООО «Мир напитков»",
    "ООО «Пивоварня Старый мост»",
    "ООО «Косметик-Про»",
    "ООО «Бытхим-Регион»",
    "ООО «Автозапчасть-Опт»",
    "ООО «Склад-Сервис»",
    "ООО «Курьер Плюс»",
    "ООО «ТК Магистраль»",
    "ООО «Овощная база № 1»",
    "ООО «Фабрика игрушек»",
    "ООО «Текстиль-Иваново»",
    "ООО «ОбувьТорг»",
    "ООО «Книжный склад»",
    "ООО «Метизы Урала»",
    "ИП Кузнецов Андрей Викторович",
    "ООО «Полимер-Юг»",
    "ООО «Зоомагазин Лапа»",
    "ООО «Карапуз»",
    "ООО «Свежий хлеб»",
    "ООО «ДальМоре»",
    "ООО «Садовый центр»",
    "ООО «Лакокраска»",
    "ООО «Керамика-Плюс»",
    "ООО «ИнтерСтрой»",
    "ООО «Быстрая доставка»",
    "ООО «Тепличный комбинат Подмосковье»",
    "ООО «Маслозавод Алтай»",
    "ООО «Орехи и сухофрукты»",
    "ООО «Мороженое Эскимо»",
    "ООО «ГрандМебель»",
    "ООО «Вкусный дом»",
    "ООО «Соки Кубани»",
    "ООО «Пельменная фабрика»",
    "ООО «Медтехника Опт»",
    "ИП Фёдорова Ольга Ивановна",
    "ООО «Спорттовары»",
    "ООО «Цветочная база»",
    "ООО «Колбасный цех Фермер»",
    "ООО «Кулинария Домашняя»",
    "ООО «Всё для дома»",
)
REGIONS = ("77", "50", "66", "54", "23", "61", "52", "16")
# code, name, unit, base price: the distributor's price list.
PRODUCTS: tuple[tuple[str, str, str, str], ...] = (
    ("СП-500-17", "Стрейч-плёнка 500 мм × 17 мкм, 2,2 кг", "рул", "390.00"),
    ("СП-500-20", "Стрейч-плёнка 500 мм × 20 мкм, 2,4 кг", "рул", "450.00"),
    ("СП-500-23М", "Стрейч-плёнка машинная 500 мм × 23 мкм, 16 кг", "рул", "1850.00"),
    ("СК-48-66", "Скотч прозрачный 48 мм × 66 м", "шт", "45.00"),
    ("СК-48-150", "Скотч прозрачный 48 мм × 150 м", "шт", "95.00"),
    ("СК-Л-50", "Скотч с логотипом 50 мм × 66 м", "шт", "120.00"),
    ("СК-Б-48", "Скотч бумажный 48 мм × 50 м", "шт", "130.00"),
    ("ГК-300-200-150", "Гофрокороб 300×200×150, Т-23", "шт", "27.00"),
    ("ГК-400-300-300", "Гофрокороб 400×300×300, Т-23", "шт", "48.00"),
    ("ГК-600-400-400", "Гофрокороб 600×400×400, Т-24", "шт", "86.00"),
    ("ГК-ПИЦ-330", "Коробка для пиццы 330×330×40", "шт", "19.00"),
    ("ЛТ-К-1", "Лоток картонный 300×200×60", "шт", "11.00"),
    ("ПД-1200-800", "Поддон деревянный 1200×800 (евро)", "шт", "650.00"),
    ("ПД-1200-1000", "Поддон деревянный 1200×1000", "шт", "720.00"),
    ("МП-55-105", "Мешок полипропиленовый 55×105", "шт", "14.50"),
    ("ПВД-100-60", "Пакет ПВД 60×100, 100 мкм", "шт", "9.80"),
    ("ЛН-ПП-16", "Лента полипропиленовая 16 мм, 1500 м", "бух", "1900.00"),
    ("ЛН-ПП-12", "Лента полипропиленовая 12 мм, 2000 м", "бух", "1450.00"),
    ("ЛН-ПЭТ-16", "Лента ПЭТ 16 мм, 1200 м", "бух", "2900.00"),
    ("ЭТ-58-40", "Термоэтикетка 58×40, 1000 шт", "рул", "210.00"),
    ("ЭТ-100-150", "Термоэтикетка 100×150, 300 шт", "рул", "260.00"),
    ("УГ-50", "Уголок защитный картонный 50×50×1200", "шт", "12.00"),
    ("ВПП-1500", "Воздушно-пузырчатая плёнка 1,5 × 100 м", "рул", "2300.00"),
    ("ТУП-450", "Термоусадочная плёнка 450 мм, 150 мкм", "рул", "2650.00"),
    ("КЛ-ГК-5", "Клей для гофроупаковки, 5 кг", "шт", "980.00"),
    ("ДС-СТР", "Диспенсер для стрейч-плёнки", "шт", "650.00"),
    ("ДС-СК", "Диспенсер для скотча", "шт", "380.00"),
)
CORE_PRODUCTS = ("СП-500-17", "СП-500-20", "СК-48-66", "ГК-400-300-300", "ГК-600-400-400")
# (days ahead, change in percent): upcoming changes of core products; the last one appears
# after the managers were told of the others, so the `prices` job has news to announce.
UPCOMING = ((2, "7"), (6, "5"), (10, "-4"), (20, "9"))

MALE: tuple[Pair, ...] = (
    ("Александр", "Alexander"),
    ("Сергей", "Sergey"),
    ("Дмитрий", "Dmitry"),
    ("Андрей", "Andrey"),
    ("Михаил", "Mikhail"),
    ("Игорь", "Igor"),
    ("Владимир", "Vladimir"),
    ("Николай", "Nikolay"),
    ("Павел", "Pavel"),
    ("Евгений", "Evgeny"),
    ("Роман", "Roman"),
    ("Олег", "Oleg"),
    ("Виктор", "Viktor"),
    ("Константин", "Konstantin"),
)
FEMALE: tuple[Pair, ...] = (
    ("Елена", "Elena"),
    ("Ольга", "Olga"),
    ("Наталья", "Natalya"),
    ("Ирина", "Irina"),
    ("Светлана", "Svetlana"),
    ("Анна", "Anna"),
    ("Марина", "Marina"),
    ("Юлия", "Yulia"),
    ("Екатерина", "Ekaterina"),
    ("Анастасия", "Anastasia"),
    ("Людмила", "Lyudmila"),
    ("Вера", "Vera"),
)
SURNAMES: tuple[Pair, ...] = (
    ("Иванов", "Ivanov"),
    ("Смирнов", "Smirnov"),
    ("Попов", "Popov"),
    ("Васильев", "Vasiliev"),
    ("Михайлов", "Mikhailov"),
    ("Фёдоров", "Fedorov"),
    ("Алексеев", "Alekseev"),
    ("Семёнов", "Semenov"),
    ("Егоров", "Egorov"),
    ("Степанов", "Stepanov"),
    ("Николаев", "Nikolaev"),
    ("Андреев", "Andreev"),
    ("Макаров", "Makarov"),
    ("Никитин", "Nikitin"),
    ("Захаров", "Zakharov"),
    ("Зайцев", "Zaitsev"),
    ("Борисов", "Borisov"),
    ("Яковлев", "Yakovlev"),
    ("Григорьев", "Grigoriev"),
    ("Романов", "Romanov"),
    ("Сергеев", "Sergeev"),
    ("Кузьмин", "Kuzmin"),
    ("Фролов", "Frolov"),
    ("Дмитриев", "Dmitriev"),
    ("Королёв", "Korolev"),
    ("Гусев", "Gusev"),
    ("Ильин", "Ilyin"),
    ("Максимов", "Maksimov"),
    ("Поляков", "Polyakov"),
    ("Белов", "Belov"),
    ("Медведев", "Medvedev"),
    ("Антонов", "Antonov"),
    ("Тарасов", "Tarasov"),
    ("Жуков", "Zhukov"),
)
POSITIONS: dict[BuyingRole, tuple[Pair, ...]] = {
    BuyingRole.DECISION_MAKER: (
        ("Генеральный директор", "CEO"),
        ("Коммерческий директор", "Commercial director"),
        ("Директор по закупкам", "Purchasing director"),
    ),
    BuyingRole.INFLUENCER: (
        ("Главный технолог", "Chief technologist"),
        ("Руководитель логистики", "Head of logistics"),
        ("Главный инженер", "Chief engineer"),
    ),
    BuyingRole.USER: (
        ("Менеджер по закупкам", "Purchasing manager"),
        ("Начальник склада", "Warehouse manager"),
        ("Специалист отдела снабжения", "Procurement specialist"),
    ),
    BuyingRole.GATEKEEPER: (
        ("Офис-менеджер", "Office manager"),
        ("Помощник руководителя", "Executive assistant"),
    ),
}
BUYING_ORDER = (
    BuyingRole.DECISION_MAKER,
    BuyingRole.USER,
    BuyingRole.INFLUENCER,
    BuyingRole.GATEKEEPER,
)
SUMMARIES: dict[Outcome, tuple[Pair, ...]] = {
    Outcome.POSITIVE: (
        (
            "Обсудили объёмы на квартал, готовы увеличить закупку стрейч-плёнки",
            "Discussed the quarter's volumes; ready to buy more stretch film",
        ),
        ("Согласовали график поставок на месяц", "Agreed the delivery schedule for the month"),
        (
            "Презентовали новую линейку гофрокоробов, интерес есть",
            "Presented the new corrugated box range; they are interested",
        ),
        ("Подписали спецификацию к договору", "Signed the contract specification"),
        (
            "Клиент доволен качеством последней партии",
            "The client is happy with the last batch",
        ),
        (
            "Обсудили переход на машинную плёнку, просят расчёт",
            "Discussed moving to machine film; they want a calculation",
        ),
    ),
    Outcome.NEUTRAL: (
        (
            "Уточнили остатки и потребность на неделю",
            "Checked their stock and the week's needs",
        ),
        (
            "Отправил коммерческое предложение по термоэтикеткам",
            "Sent a commercial offer for thermal labels",
        ),
        (
            "Встреча с закупщиком: просят скидку 5% за объём",
            "Met the buyer: they ask for a 5% volume discount",
        ),
        (
            "Напомнил о повышении цен со следующего месяца",
            "Reminded them of next month's price increase",
        ),
        ("Звонок без результата, ЛПР в отпуске", "No result: the decision maker is on leave"),
        (
            "Визит на склад, посмотрели, как используют нашу плёнку",
            "Visited their warehouse to see how they use our film",
        ),
    ),
    Outcome.NEGATIVE: (
        (
            "Клиент тестирует образцы конкурента, нужно удержать",
            "The client is testing a competitor's samples; we must keep them",
        ),
        (
            "Жалуются на сроки доставки, обещал разобраться",
            "They complain about delivery times; promised to sort it out",
        ),
        (
            "Обсудили просроченную оплату, обещали оплатить до пятницы",
            "Discussed the overdue payment; they promised to pay by Friday",
        ),
    ),
}
NEXT_STEPS: tuple[Pair, ...] = (
    ("Отправить КП", "Send the offer"),
    ("Позвонить по итогам тестов", "Call about the test results"),
    ("Согласовать спецификацию", "Agree the specification"),
    ("Уточнить оплату", "Check on the payment"),
    ("Привезти образцы", "Bring samples"),
    ("Встреча с коммерческим директором", "Meet the commercial director"),
    ("Напомнить о новых ценах", "Remind them of the new prices"),
    ("Сверка взаиморасчётов", "Reconcile the accounts"),
    ("Обсудить годовой контракт", "Discuss an annual contract"),
)
OPPORTUNITIES: tuple[tuple[Pair, int, int], ...] = (
    (("Годовой контракт на стрейч-плёнку", "Annual stretch film contract"), 1_200_000, 4_800_000),
    (("Переход на машинную плёнку", "Switch to machine film"), 600_000, 2_400_000),
    (("Гофрокороб под новую линейку", "Boxes for their new product line"), 400_000, 1_800_000),
    (("Термоэтикетки для маркировки", "Thermal labels for marking"), 150_000, 700_000),
    (("Поддоны для нового склада", "Pallets for the new warehouse"), 300_000, 1_500_000),
    (
        ("Тендер на упаковку на следующий год", "Next year's packaging tender"),
        2_000_000,
        6_000_000,
    ),
)
COMPETITORS = ("ПакСервис", "Упаковка-Центр", "ПолиПром", "СтрейчМаркет", "Гофра-Трейд")
COMPETITOR_NOTES: tuple[tuple[Pair, str | None], ...] = (
    (
        ("Предложили стрейч-плёнку 17 мкм на 6% дешевле", "Offered 17 µm stretch film 6% cheaper"),
        "367.00",
    ),
    (("Дают отсрочку 60 дней", "They give 60 days' deferral"), None),
    (
        ("Привезли бесплатные образцы термоэтикеток", "Brought free thermal label samples"),
        None,
    ),
    (
        ("Демпингуют на гофрокоробе 400×300×300", "Dumping prices on the 400×300×300 box"),
        "42.50",
    ),
    (
        ("Обещают доставку на следующий день", "They promise next-day delivery"),
        None,
    ),
)
CLAIM_TEXTS: dict[Category, Pair] = {
    Category.QUALITY: (
        "Плёнка рвётся при намотке, вся партия",
        "The film tears when wrapping, the whole batch",
    ),
    Category.QUANTITY: (
        "Недовоз 12 коробов по накладной",
        "12 boxes short against the delivery note",
    ),
    Category.DELIVERY_DATE: (
        "Поставка пришла на 3 дня позже согласованного срока",
        "The delivery came 3 days later than agreed",
    ),
    Category.DAMAGED: (
        "Повреждены при перевозке 2 паллеты гофрокороба",
        "2 pallets of boxes damaged in transit",
    ),
    Category.DOCUMENTS: (
        "В УПД неверный КПП грузополучателя",
        "Wrong consignee КПП on the invoice",
    ),
    Category.PRICE: (
        "Цена в счёте выше согласованной в спецификации",
        "The invoiced price is above the agreed one",
    ),
}
CLAIM_ANSWERS: dict[str, Pair] = {
    "question": (
        "Пришлите, пожалуйста, фото маркировки рулонов",
        "Please send a photo of the rolls' labels",
    ),
    "resolved": ("Заменили партию, клиент подтвердил", "Batch replaced, the client confirmed"),
    "rejected": (
        "Повреждение при разгрузке у клиента, акт без наших подписей",
        "Damaged while the client unloaded; their report lacks our signature",
    ),
}
TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "sch", "ы": "y", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip


def translit(text: str) -> str:
    return "".join(TRANSLIT.get(c, c if c.isascii() and c.isalnum() else "") for c in text.lower())


def _inn_check(digits: Sequence[int], weights: Sequence[int]) -> int:
    return sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def legal_inn(rnd: random.Random, region: str) -> str:
    """A 10-digit ИНН of an organisation with a valid check digit (not a real one)."""
    digits = [int(c) for c in region] + [rnd.randrange(10) for _ in range(7)]
    digits.append(_inn_check(digits, (2, 4, 10, 3, 5, 9, 4, 6, 8)))
    return "".join(map(str, digits))


def personal_inn(rnd: random.Random, region: str) -> str:
    """A 12-digit ИНН of a sole trader, both check digits valid."""
    digits = [int(c) for c in region] + [rnd.randrange(10) for _ in range(8)]
    digits.append(_inn_check(digits, (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)))
    digits.append(_inn_check(digits, (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)))
    return "".join(map(str, digits))


def _money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------- the company


@dataclass
class _Client:
    id: int
    name: str
    tier: Tier
    owner: UserDTO
    start: date  # first order
    contract_id: int = 0
    deferral: int = 30
    products: list[str] = field(default_factory=list)
    persons: list[int] = field(default_factory=list)
    # What the story asks of this client: "b1".."b4" (money overdue in that aging bucket),
    # "yesterday" (a shipment fell due yesterday), "advance", "stopped" (stopped paying and
    # ordering), "neglected" (a key client past its cadence).
    roles: set[str] = field(default_factory=set)


@dataclass
class _Shipment:
    number: str
    shipped_on: date
    client: _Client
    order_key: tuple[str, date]
    amount: Decimal
    due_on: date
    pay: str = "normal"  # "normal", "unpaid", "partial", "prepaid"


class _Builder:
    def __init__(self, repos: Repos, translator: Translator, options: DemoOptions) -> None:
        self.repos = repos
        self.translator = translator
        self.options = options
        self.rnd = random.Random(options.seed)
        self.today = options.today
        self.zone = ZoneInfo(options.timezone)
        self.en = options.language == "en"
        self.calendar = calendar_for("RU", {})
        # Every generated fact lies before today: the demo may be started at any hour.
        self.stamp = self.at(self.today - timedelta(days=1), 20)
        self.summary = DemoSummary()
        self.users: list[UserDTO] = []
        self.managers: list[UserDTO] = []
        self.clients: list[_Client] = []
        self.prices: dict[str, list[tuple[date, Decimal]]] = {}
        self.orders: list[dict[str, Any]] = []
        self.lines: dict[tuple[str, date], list[dict[str, Any]]] = {}
        self.shipments: list[_Shipment] = []
        self.order_seq = 4000
        self.shipment_seq = 0
        self.payment_seq = 0
        self.order_ids: dict[tuple[Any, ...], int] = {}
        self.shipment_ids: dict[tuple[Any, ...], int] = {}
        self.plan: dict[int, tuple[int, When | None]] = {}

    def t(self, pair: Pair) -> str:
        return pair[1] if self.en else pair[0]

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return at_local_time(day, time(hour, minute), self.zone)

    def business_on_or_before(self, day: date) -> date:
        return self.calendar.previous_business_day(day, include_today=True)

    def count(self, name: str, n: int = 1) -> None:
        self.summary.counts[name] = self.summary.counts.get(name, 0) + n

    # --- people ---------------------------------------------------------------------------

    async def people(self) -> None:
        supervisors: list[UserDTO] = []
        for ordinal, staff in enumerate(STAFF, start=1):
            user = await self.repos.users.create(
                UserCreate(
                    # Nobody's Telegram account: a person becomes someone's when an evaluator
                    # opens the demo's invitation (with a BOT_TOKEN) or `:as` in the terminal.
                    telegram_id=placeholder_telegram_id(ordinal),
                    role=staff.role,
                    full_name=self.t(staff.name),
                    language=self.options.language,
                    timezone=staff.timezone or self.options.timezone,
                    supervisor_id=supervisors[staff.team].id if staff.team is not None else None,
                    erp_name=staff.erp_name,
                ),
                actor_id=None,
                now=self.stamp - timedelta(days=400),
            )
            if user.id != ordinal:
                raise RuntimeError("the demo company is generated into an empty database only")
            self.users.append(user)
            if staff.role is Role.SUPERVISOR:
                supervisors.append(user)
            if staff.role is Role.MANAGER:
                self.managers.append(user)
        for index, (name, categories) in enumerate(DEPARTMENTS):
            department = await self.repos.departments.create(self.t(name), now=self.stamp)
            await self.repos.departments.set_categories(
                department.id, [c.value for c in categories]
            )
            for user, staff in zip(self.users, STAFF, strict=True):
                if staff.department == index:
                    await self.repos.departments.add_member(department.id, user.id)
        self.count("people", len(self.users))

    # --- clients and key persons ----------------------------------------------------------

    async def client_list(self) -> None:
        names = list(CLIENT_NAMES)
        self.rnd.shuffle(names)
        slots = (Tier.A, Tier.A, Tier.B, Tier.B, Tier.B, Tier.C, Tier.C, Tier.C, Tier.C, Tier.C)
        rows: list[dict[str, Any]] = []
        plan: list[tuple[str, Tier, UserDTO, str]] = []
        used: set[str] = set()
        for index, manager in enumerate(self.managers):
            region = REGIONS[index % len(REGIONS)]
            for slot, tier in enumerate(slots):
                if index == 0 and slot in (0, 2, 3):
                    continue  # the holding takes one A and two B places of the first manager
                plan.append((names.pop(), tier, manager, region))
        head_inn = self._unique(used, lambda: legal_inn(self.rnd, "36"))
        holding = [
            (HOLDING[0], Tier.A, head_inn, "366601001"),
            (HOLDING[1], Tier.B, head_inn, "366643001"),
            (HOLDING[2], Tier.B, head_inn, "312343001"),
        ]
        entries: list[tuple[str, Tier, UserDTO, str, str]] = [
            (name, tier, self.managers[0], inn, kpp) for name, tier, inn, kpp in holding
        ]
        for name, tier, manager, region in plan:
            if name.startswith("ИП "):
                inn, kpp = self._unique(used, lambda r=region: personal_inn(self.rnd, r)), ""
            else:
                inn = self._unique(used, lambda r=region: legal_inn(self.rnd, r))
                kpp = f"{inn[:4]}01001"
            entries.append((name, tier, manager, inn, kpp))
        created = self.at(self.today - timedelta(days=430), 9)
        for number, (name, tier, manager, inn, kpp) in enumerate(entries, start=1):
            rows.append(
                {
                    "external_id": f"{100100 + number}",
                    "name": name,
                    "search_key": search_key(name),
                    "inn": inn,
                    "kpp": kpp,
                    "tier": tier.value,
                    "is_key": tier is Tier.A,
                    "owner_id": manager.id,
                    "owner_source": "erp",
                    "erp_manager": manager.erp_name,
                    "removed_in_erp": False,
                    "created_at": created,
                    "updated_at": created,
                }
            )
        ids = await upsert(self.repos.session, Client, ("external_id",), rows, UpsertCounts())
        for row, (_name, tier, manager, _inn, _kpp) in zip(rows, entries, strict=True):
            days = self.rnd.randint(120, 200) if tier is Tier.C and self.rnd.random() < 0.15 else 0
            start = self.today - timedelta(days=days or self.rnd.randint(370, 400))
            client = _Client(ids[(row["external_id"],)], row["name"], tier, manager, start)
            client.products = self._preferences(tier)
            self.clients.append(client)
        head = self.clients[0]
        for branch in self.clients[1:3]:
            await self.repos.clients.update(
                branch.id, ClientUpdate(holding_id=head.id), actor_id=None, now=created
            )
        self.count("clients", len(self.clients))

    @staticmethod
    def _unique(used: set[str], make: Any) -> str:
        while True:
            value = str(make())
            if value not in used:
                used.add(value)
                return value

    def _preferences(self, tier: Tier) -> list[str]:
        others = [p[0] for p in PRODUCTS if p[0] not in CORE_PRODUCTS]
        core = self.rnd.sample(CORE_PRODUCTS, {Tier.A: 4, Tier.B: 3, Tier.C: 2}[tier])
        extra = self.rnd.sample(others, {Tier.A: 6, Tier.B: 4, Tier.C: 2}[tier])
        return core + extra

    async def key_persons(self) -> None:
        domains: dict[int, str] = {}
        for client in self.clients:
            slug = translit(search_key(client.name).replace(" ", "")) or "client"
            domains[client.id] = f"{slug[:20]}.ru"
            count = {Tier.A: self.rnd.randint(3, 4), Tier.B: 2, Tier.C: self.rnd.randint(1, 2)}
            for role in BUYING_ORDER[: count[client.tier]]:
                female = self.rnd.random() < 0.45
                first = self.rnd.choice(FEMALE if female else MALE)
                surname = self.rnd.choice(SURNAMES)
                last = (surname[0] + "а", surname[1] + "a") if female else surname
                person = await self.repos.persons.add(
                    PersonCreate(
                        client_id=client.id,
                        full_name=f"{self.t(first)} {self.t(last)}",
                        position=self.t(self.rnd.choice(POSITIONS[role])),
                        buying_role=role,
                        phone=f"+7 9{self.rnd.randint(10, 99)} {self.rnd.randint(100, 999)}-"
                        f"{self.rnd.randint(10, 99)}-{self.rnd.randint(10, 99)}",
                        email=f"{translit(first[0])[:1]}.{translit(last[0])}@{domains[client.id]}",
                        birthday=(
                            date(
                                self.rnd.randint(1965, 1995),
                                self.rnd.randint(1, 12),
                                self.rnd.randint(1, 28),
                            )
                            if self.rnd.random() < 0.4
                            else None
                        ),
                    ),
                    actor_id=client.owner.id,
                    now=self.at(client.start, 11),
                )
                client.persons.append(person.id)
                self.count("persons")

    # --- the price list -------------------------------------------------------------------

    async def price_list(self) -> dict[str, int]:
        first = (self.today - timedelta(days=430)).replace(day=1)
        products = [
            {"code": code, "name": name, "search_key": search_key(name), "unit": unit}
            for code, name, unit, _ in PRODUCTS
        ]
        product_ids = await upsert(
            self.repos.session, Product, ("code",), products, UpsertCounts()
        )
        rows: list[dict[str, Any]] = []
        for code, _name, _unit, base in PRODUCTS:
            history = [(first, _money(base))]
            if self.rnd.random() < 0.6:
                rise = Decimal(self.rnd.randint(3, 8)) / 100
                history.append(
                    (
                        self.today - timedelta(days=self.rnd.randint(60, 200)),
                        _money(Decimal(base) * (1 + rise)),
                    )
                )
            self.prices[code] = history
            rows += [self._price_row(product_ids[(code,)], day, price) for day, price in history]
        await upsert(
            self.repos.session, Price, ("product_id", "effective_from"), rows, UpsertCounts()
        )
        self.count("products", len(products))
        self.count("prices", len(rows))
        return {code: product_ids[(code,)] for code, *_ in PRODUCTS}

    def _price_row(self, product_id: int, day: date, price: Decimal) -> dict[str, Any]:
        return {
            "product_id": product_id,
            "price": price,
            "currency": RUB,
            "effective_from": day,
            "removed_in_erp": False,
            "updated_at": self.stamp,
        }

    def price_on(self, code: str, day: date) -> Decimal:
        return [price for since, price in self.prices[code] if since <= day][-1]

    async def upcoming_prices(self, product_ids: dict[str, int], *, latest: bool) -> None:
        rows = []
        for (days, change), code in zip(UPCOMING, CORE_PRODUCTS, strict=False):
            if (days == UPCOMING[-1][0]) is not latest:
                continue
            current = self.price_on(code, self.today)
            new = _money(current * (100 + Decimal(change)) / 100)
            rows.append(self._price_row(product_ids[code], self.today + timedelta(days=days), new))
        await upsert(
            self.repos.session, Price, ("product_id", "effective_from"), rows, UpsertCounts()
        )
        self.count("prices", len(rows))

    # --- the ERP: contracts, orders, shipments, payments ----------------------------------

    def cast_roles(self) -> None:
        """Who owes what: overdue money in every aging bucket for every team, a shipment
        that fell due yesterday for every manager, an advance and a client that stopped
        paying. The holding's head always has something overdue (the README uses it)."""
        by_manager: dict[int, list[_Client]] = defaultdict(list)
        for client in self.clients:
            by_manager[client.owner.id].append(client)
        buckets = ("b1", "b2", "b3", "b4")
        for index, manager in enumerate(self.managers):
            mine = by_manager[manager.id]
            a_clients = [c for c in mine if c.tier is Tier.A]
            others = [c for c in mine if c.tier is not Tier.A]
            late = self.rnd.sample(others, 2)
            late[0].roles.add(buckets[index % 4])
            late[1].roles.add(buckets[(index + 2) % 4])
            self.rnd.choice(a_clients).roles.add("yesterday")
            self.rnd.choice(
                [c for c in a_clients if "yesterday" not in c.roles] or a_clients
            ).roles.add("neglected")
        self.clients[0].roles |= {"b2"}
        self.clients[1].roles |= {"b1"}
        c_clients = [c for c in self.clients if c.tier is Tier.C and not c.roles]
        stopped, advance = self.rnd.sample(c_clients, 2)
        stopped.roles.add("stopped")
        advance.roles.add("advance")

    async def contracts(self) -> None:
        rows = []
        for number, client in enumerate(self.clients, start=1):
            client.deferral = {
                Tier.A: self.rnd.choice((30, 45)),
                Tier.B: self.rnd.choice((21, 30)),
                Tier.C: self.rnd.choice((7, 14)),
            }[client.tier]
            if "advance" in client.roles:
                client.deferral = 0
            signed = client.start - timedelta(days=self.rnd.randint(5, 30))
            rows.append(
                {
                    "client_id": client.id,
                    "number": f"{number}/{signed.year}",
                    "signed_on": signed,
                    "deferral_days": client.deferral,
                    "credit_limit": {
                        Tier.A: _money(self.rnd.choice((3_000_000, 4_000_000, 5_000_000))),
                        Tier.B: _money(self.rnd.choice((1_000_000, 1_500_000, 2_000_000))),
                        Tier.C: _money(self.rnd.choice((300_000, 500_000))),
                    }[client.tier],
                    "penalty_rate": "0.1"
                    if client.tier is not Tier.C or "stopped" in client.roles
                    else None,
                    "currency": RUB,
                    "removed_in_erp": False,
                    "updated_at": self.stamp,
                }
            )
        ids = await upsert(
            self.repos.session, Contract, ("client_id", "number"), rows, UpsertCounts()
        )
        for client, row in zip(self.clients, rows, strict=True):
            client.contract_id = ids[(client.id, row["number"])]

    def order(
        self,
        client: _Client,
        day: date,
        *,
        status: str,
        scale: float = 1.0,
        due_on: date | None = None,
        pay: str = "normal",
    ) -> None:
        """One order with its lines at the day's prices, and its shipment unless open."""
        self.order_seq += 1
        number = str(self.order_seq)
        size = {Tier.A: (3, 6), Tier.B: (2, 4), Tier.C: (1, 3)}[client.tier]
        volume = {Tier.A: 1.0, Tier.B: 0.35, Tier.C: 0.12}[client.tier] * scale
        lines: list[dict[str, Any]] = []
        amount = Decimal("0.00")
        codes = self.rnd.sample(
            client.products, min(len(client.products), self.rnd.randint(*size))
        )
        for line_no, code in enumerate(codes, start=1):
            price = self.price_on(code, day)
            # A client buys film by the roll and boxes by the thousand.
            low, high, step = (
                (4, 30, 1) if price > 1000 else (20, 150, 5) if price > 200 else (100, 900, 50)
            )
            qty = Decimal(max(step, round(self.rnd.uniform(low, high) * volume / step) * step))
            lines.append(
                {
                    "line_no": line_no,
                    "product_code": code,
                    "product_name": next(p[1] for p in PRODUCTS if p[0] == code),
                    "quantity": qty,
                    "price": price,
                    "amount": _money(qty * price),
                    "removed_in_erp": False,
                }
            )
            amount += lines[-1]["amount"]
        ship_day = self.calendar.next_business_day(day)
        key = (number, day)
        self.orders.append(
            {
                "number": number,
                "order_date": day,
                "client_id": client.id,
                "contract_id": client.contract_id,
                "status": status,
                "amount": amount,
                "currency": RUB,
                "ship_date": ship_day,
                "removed_in_erp": False,
                "updated_at": self.stamp,
            }
        )
        self.lines[key] = lines
        if status == "Закрыт":
            self.shipment_seq += 1
            self.shipments.append(
                _Shipment(
                    number=f"РТ-{self.shipment_seq:05d}",
                    shipped_on=ship_day,
                    client=client,
                    order_key=key,
                    amount=amount,
                    due_on=due_on or ship_day + timedelta(days=client.deferral),
                    pay=pay,
                )
            )

    def order_history(self) -> None:
        every = {Tier.A: (6, 11), Tier.B: (14, 24), Tier.C: (28, 45)}
        for client in self.clients:
            day = client.start
            end = self.today - timedelta(days=1)
            if "stopped" in client.roles:
                end = self.today - timedelta(days=client.deferral + 110)
            while day <= end:
                # Orders of the last two days are not shipped yet.
                status = "Закрыт" if day < self.today - timedelta(days=2) else "К отгрузке"
                # A client that stopped paying three months before it stopped ordering.
                stopped = "stopped" in client.roles and day >= end - timedelta(days=90)
                self.order(client, day, status=status, pay="unpaid" if stopped else "normal")
                day = self.calendar.next_business_day(
                    day + timedelta(days=self.rnd.randint(*every[client.tier]))
                )
        # The story's documents: overdue in a given bucket, due yesterday, an advance.
        overdue_days = {"b1": (12, 25), "b2": (38, 55), "b3": (65, 85), "b4": (100, 150)}
        for client in self.clients:
            for role, span in overdue_days.items():
                if role in client.roles:
                    due = self.today - timedelta(days=self.rnd.randint(*span))
                    shipped = self.business_on_or_before(due - timedelta(days=client.deferral))
                    self._story_order(
                        client, shipped, due, "partial" if role == "b1" else "unpaid"
                    )
            if "yesterday" in client.roles:
                due = self.today - timedelta(days=1)
                shipped = self.business_on_or_before(due - timedelta(days=client.deferral))
                self._story_order(client, shipped, due, "unpaid", scale=1.5)
        for client in self.clients:
            if "advance" in client.roles:
                self.order(
                    client,
                    self.business_on_or_before(self.today - timedelta(days=1)),
                    status="К отгрузке",
                )

    def _story_order(
        self, client: _Client, shipped: date, due: date, pay: str, scale: float = 1.5
    ) -> None:
        ordered = self.calendar.previous_business_day(shipped)
        self.order(client, ordered, status="Закрыт", scale=scale, due_on=due, pay=pay)
        # The order shipped on the day the story needs (not the next business day).
        self.shipments[-1].shipped_on = shipped
        self.orders[-1]["ship_date"] = shipped

    async def erp_documents(self) -> None:
        session = self.repos.session
        counts = UpsertCounts()
        order_ids = await upsert(session, Order, ("number", "order_date"), self.orders, counts)
        line_rows = [
            {**line, "order_id": order_ids[key]}
            for key, lines in self.lines.items()
            for line in lines
        ]
        await upsert(session, OrderLine, ("order_id", "line_no"), line_rows, counts)
        ship_rows = [
            {
                "number": s.number,
                "shipped_on": s.shipped_on,
                "client_id": s.client.id,
                "contract_id": s.client.contract_id,
                "order_id": order_ids[s.order_key],
                "amount": s.amount,
                "currency": RUB,
                "due_on": s.due_on,
                "removed_in_erp": False,
                "updated_at": self.stamp,
            }
            for s in self.shipments
        ]
        shipment_ids = await upsert(session, Shipment, ("number", "shipped_on"), ship_rows, counts)
        payments = []
        for s in self.shipments:
            sid = shipment_ids[(s.number, s.shipped_on)]
            if s.pay == "unpaid":
                continue
            if s.pay == "partial":
                payments.append(
                    (
                        s,
                        sid,
                        self.business_on_or_before(s.due_on - timedelta(days=3)),
                        _money(s.amount * Decimal("0.4")),
                    )
                )
                continue
            if s.client.deferral == 0:
                paid = self.business_on_or_before(s.shipped_on - timedelta(days=1))
            else:
                paid = self.business_on_or_before(
                    s.due_on + timedelta(days=self.rnd.choice((-9, -6, -4, -2, -1, 0, 1, 3, 4)))
                )
            if paid >= self.today:
                continue  # not paid yet: current debt, or a day or two late
            payments.append((s, sid, paid, s.amount))
        pay_rows = []
        for s, sid, paid, amount in sorted(payments, key=lambda p: (p[2], p[1])):
            self.payment_seq += 1
            pay_rows.append(self._payment_row(s.client, paid, amount, sid))
        for client in self.clients:
            if "advance" in client.roles:
                # Prepaid an order that has not shipped yet: an advance until it does.
                open_order = next(o for o in reversed(self.orders) if o["client_id"] == client.id)
                self.payment_seq += 1
                pay_rows.append(
                    self._payment_row(
                        client,
                        self.business_on_or_before(self.today - timedelta(days=1)),
                        open_order["amount"],
                        None,
                    )
                )
        await upsert(session, Payment, ("number", "paid_on"), pay_rows, counts)
        self.shipment_ids = shipment_ids
        self.order_ids = order_ids
        self.count("orders", len(self.orders))
        self.count("order_lines", len(line_rows))
        self.count("shipments", len(ship_rows))
        self.count("payments", len(pay_rows))

    def _payment_row(
        self, client: _Client, paid: date, amount: Decimal, shipment_id: int | None
    ) -> dict[str, Any]:
        return {
            "number": f"{self.payment_seq:06d}",
            "paid_on": paid,
            "client_id": client.id,
            "contract_id": client.contract_id,
            "shipment_id": shipment_id,
            "amount": amount,
            "currency": RUB,
            "removed_in_erp": False,
            "updated_at": self.stamp,
        }

    # --- contacts and next steps ----------------------------------------------------------

    def follow_up_plan(self) -> dict[int, tuple[int, When | None]]:
        """Per client: how many days ago the last contact was, and its next step (due today,
        missed, later, or none)."""
        cadence = {Tier.A: 14, Tier.B: 30, Tier.C: 60}
        plan: dict[int, tuple[int, When | None]] = {}
        by_manager: dict[int, list[_Client]] = defaultdict(list)
        for client in self.clients:
            by_manager[client.owner.id].append(client)
        for mine in by_manager.values():
            order = self.rnd.sample(mine, len(mine))
            regular = [c for c in order if "neglected" not in c.roles]
            today_due, missed = regular[:2], regular[2:4]
            for index, client in enumerate(today_due):
                at = (
                    time(self.rnd.choice((11, 12, 14, 15, 16)), self.rnd.choice((0, 30)))
                    if index == 0
                    else None
                )
                plan[client.id] = (
                    self.rnd.randint(2, min(10, cadence[client.tier] - 1)),
                    When(self.today, at),
                )
            for client in missed:
                late = self.calendar.add_business_days(self.today, -self.rnd.randint(1, 6))
                ago = (self.today - late).days + self.rnd.randint(2, 6)
                plan[client.id] = (min(ago, cadence[client.tier] - 1), When(late))
            for client in order:
                if client.id in plan:
                    continue
                if "neglected" in client.roles:
                    plan[client.id] = (cadence[client.tier] + self.rnd.randint(4, 20), None)
                    continue
                ago = self.rnd.randint(1, cadence[client.tier] - 1)
                later = (
                    When(self.today + timedelta(days=self.rnd.randint(1, 21)))
                    if self.rnd.random() < 0.7
                    else None
                )
                plan[client.id] = (ago, later)
        return plan

    async def contacts(self) -> None:
        """A year of contacts per client at about its tier's cadence, each with a next step
        that the following contact answered. The past goes in bulk (storage.demo writes the
        rows the contact log leaves behind); each client's latest contact goes through the
        contact log itself, so its open next step is exactly what /log makes."""
        cadence = {Tier.A: 14, Tier.B: 30, Tier.C: 60}
        channels = (
            [Channel.CALL] * 8
            + [Channel.EMAIL] * 3
            + [Channel.MEETING] * 3
            + [Channel.VISIT] * 3
            + [Channel.MESSENGER] * 2
            + [Channel.PRESENTATION]
        )
        outcomes = [Outcome.POSITIVE] * 9 + [Outcome.NEUTRAL] * 8 + [Outcome.NEGATIVE] * 3
        past: list[PastContact] = []
        latest: list[tuple[_Client, datetime, When | None]] = []
        for client in self.clients:
            ago, last_next = self.plan[client.id]
            days: list[date] = []
            day = self.business_on_or_before(self.today - timedelta(days=ago))
            while day >= client.start:
                days.append(day)
                step = max(3, round(cadence[client.tier] * self.rnd.uniform(0.5, 1.1)))
                day = self.business_on_or_before(day - timedelta(days=step))
            days.reverse()
            days = days or [self.business_on_or_before(self.today - timedelta(days=ago))]
            moments = [
                self.at(d, self.rnd.randint(10, 17), self.rnd.choice((0, 15, 30, 45)))
                for d in days
            ]
            for index, moment in enumerate(moments[:-1]):
                # The next step was due about when the next contact came (a few late).
                due = max(
                    days[index + 1] - timedelta(days=self.rnd.choice((0, 0, 1, 3))),
                    days[index] + timedelta(days=1),
                )
                outcome = self.rnd.choice(outcomes)
                past.append(
                    PastContact(
                        ContactCreate(
                            client_id=client.id,
                            author_id=client.owner.id,
                            person_id=self._person(client),
                            channel=self.rnd.choice(channels),
                            summary=self.t(self.rnd.choice(SUMMARIES[outcome])),
                            outcome=outcome,
                            happened_at=moment,
                        ),
                        FollowUpCreate(
                            client_id=client.id,
                            owner_id=client.owner.id,
                            text=self.t(self.rnd.choice(NEXT_STEPS)),
                            due_date=due,
                        ),
                        closed_at=moments[index + 1],
                    )
                )
            latest.append((client, moments[-1], last_next))
        self.count("contacts", await DemoRepo(self.repos.session).past_contacts(past))
        for client, moment, next_when in latest:
            outcome = self.rnd.choice(outcomes)
            await accounts.log_contact(
                self.repos,
                client.owner,
                client.id,
                channel=self.rnd.choice(channels),
                outcome=outcome,
                summary=self.t(self.rnd.choice(SUMMARIES[outcome])),
                person_id=self._person(client),
                next_step=self.t(self.rnd.choice(NEXT_STEPS)) if next_when else None,
                next_when=next_when,
                now=moment,
            )
            self.count("contacts")

    def _person(self, client: _Client) -> int | None:
        return self.rnd.choice(client.persons) if self.rnd.random() < 0.6 else None

    # --- opportunities, competitors -------------------------------------------------------

    async def pipeline(self) -> None:
        open_stages = (Stage.LEAD, Stage.QUALIFIED, Stage.PROPOSAL, Stage.NEGOTIATION)
        candidates = [c for c in self.clients if c.tier is not Tier.C]
        for client in candidates:
            if client.tier is Tier.B and self.rnd.random() < 0.4:
                continue
            title, low, high = self.rnd.choice(OPPORTUNITIES)
            created = self.at(self.today - timedelta(days=self.rnd.randint(10, 90)), 12)
            late = self.rnd.random() < 0.15
            close = self.today + timedelta(
                days=-self.rnd.randint(3, 20) if late else self.rnd.randint(7, 100)
            )
            stage = self.rnd.choice(open_stages)
            if self.rnd.random() < 0.15:
                stage = self.rnd.choice((Stage.WON, Stage.LOST))
                close = self.today - timedelta(days=self.rnd.randint(5, 40))
            await accounts.add_opportunity(
                self.repos,
                client.owner,
                OpportunityCreate(
                    client_id=client.id,
                    owner_id=client.owner.id,
                    title=self.t(title),
                    amount=_money(self.rnd.randrange(low, high, 50_000)),
                    stage=stage,
                    expected_close=close,
                ),
                now=created,
            )
            self.count("opportunities")
        for client in self.rnd.sample(candidates, 14):
            text, price = self.rnd.choice(COMPETITOR_NOTES)
            await accounts.add_competitor_note(
                self.repos,
                client.owner,
                CompetitorNoteCreate(
                    client_id=client.id,
                    author_id=client.owner.id,
                    competitor=self.rnd.choice(COMPETITORS),
                    note=self.t(text),
                    price_seen=_money(price) if price else None,
                    currency=RUB if price else None,
                ),
                now=self.at(self.today - timedelta(days=self.rnd.randint(2, 60)), 16),
            )
            self.count("competitor_notes")

    # --- claims ---------------------------------------------------------------------------

    async def claim_history(self) -> None:
        """Claims in every status, through the claims service (numbers, deadlines on the
        company calendar, routing to the department, history with who and when)."""
        members = {
            staff.department: user
            for user, staff in zip(self.users, STAFF, strict=True)
            if staff.department is not None
        }
        render = ClaimTexts(self.translator, self.options.language)
        # (category, business days ago, what happened since: (action, business days later))
        stories: tuple[tuple[Category, int, tuple[tuple[str, int], ...]], ...] = (
            (Category.QUALITY, 30, (("take", 1), ("question", 2), ("resolve", 6))),
            (Category.DAMAGED, 18, (("take", 1), ("reject", 3))),
            (Category.QUANTITY, 14, (("take", 1), ("resolve", 2))),
            (Category.QUALITY, 12, (("take", 2),)),  # its internal deadline has passed
            (Category.DELIVERY_DATE, 8, (("take", 1),)),  # 2 business days left
            (Category.DAMAGED, 6, (("take", 1), ("resolve", 2), ("reopen", 1))),
            (Category.PRICE, 2, ()),
            (Category.DOCUMENTS, 1, ()),
            (Category.QUALITY, 0, ()),
        )
        # A's and B's of several managers, the holding's head first.
        others = [c for c in self.clients[3:] if c.tier is not Tier.C]
        candidates = [self.clients[0], *self.rnd.sample(others, len(stories) - 1)]
        shipments_of: dict[int, list[_Shipment]] = defaultdict(list)
        for s in self.shipments:
            shipments_of[s.client.id].append(s)
        for (category, ago, events), client in zip(stories, candidates, strict=True):
            registered = (
                self.calendar.add_business_days(self.today, -ago)
                if ago
                else self.today - timedelta(days=1)
            )
            moment = self.at(registered, 10, 30)
            shipped = [s for s in shipments_of[client.id] if s.shipped_on < registered]
            shipment = shipped[-1] if shipped else None
            claim = await claims.register_claim(
                self.repos,
                client.owner,
                claims.ClaimDraft(
                    client_id=client.id,
                    category=category,
                    description=self.t(CLAIM_TEXTS[category]),
                    order_id=self.order_ids[shipment.order_key] if shipment else None,
                    shipment_id=self.shipment_ids[(shipment.number, shipment.shipped_on)]
                    if shipment
                    else None,
                    amount=_money(shipment.amount * Decimal("0.1")) if shipment else None,
                ),
                now=moment,
                texts=self.translator,
                render=render,
            )
            member = members[
                next(i for i, (_, cats) in enumerate(DEPARTMENTS) if category in cats)
            ]
            day = registered
            for action, later in events:
                day = self.calendar.add_business_days(day, later)
                when = self.at(day, 14)
                if action == "question":
                    await claims.add_comment(
                        self.repos,
                        member,
                        claim.id,
                        self.t(CLAIM_ANSWERS["question"]),
                        kind="question",
                        now=when,
                        texts=self.translator,
                    )
                    continue
                actor = client.owner if action == "reopen" else member
                # Resolve and reject carry their resolution or reason (claims.act asks).
                closing = {"resolve": "resolved", "reject": "rejected"}.get(action, action)
                comment = CLAIM_ANSWERS.get(closing)
                await claims.act(
                    self.repos,
                    actor,
                    claim.id,
                    Action(action),
                    now=when,
                    texts=self.translator,
                    comment=self.t(comment) if comment else None,
                )
            self.count("claims")
        # Payment claims (outgoing): drafted by the product from what is overdue.
        stopped = next(c for c in self.clients if "stopped" in c.roles)
        await claims.prepare_payment_claim(
            self.repos, stopped.owner, stopped.id, now=self.at(self.today - timedelta(days=9), 11)
        )
        self.count("claims")
        late = next(c for c in self.clients if "b4" in c.roles and c is not stopped)
        answered, _draft = await claims.prepare_payment_claim(
            self.repos, late.owner, late.id, now=self.at(self.today - timedelta(days=20), 11)
        )
        await claims.act(
            self.repos,
            late.owner,
            answered.id,
            Action.ANSWERED,
            now=self.at(self.today - timedelta(days=12), 15),
            texts=self.translator,
        )
        self.count("claims")

    # --- plans ----------------------------------------------------------------------------

    async def plans(self) -> None:
        shipped: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
        since = self.today - timedelta(days=182)
        for s in self.shipments:
            if s.shipped_on >= since:
                shipped[s.client.owner.id] += s.amount
        supervisors = {u.id: u for u in self.users if u.role is Role.SUPERVISOR}
        periods: list[tuple[Period, int]] = []
        this_month, this_quarter = month_of(self.today), quarter_of(self.today)
        periods += [(month_of(this_month.start - timedelta(days=1)), 1), (this_month, 1)]
        periods += [(quarter_of(this_quarter.start - timedelta(days=1)), 3), (this_quarter, 3)]
        for manager in self.managers:
            monthly = shipped[manager.id] / 6
            boss = supervisors[manager.supervisor_id] if manager.supervisor_id else None
            for period, months in periods:
                amount = monthly * months * Decimal(str(self.rnd.uniform(1.0, 1.2)))
                await self.repos.plans.set(
                    manager.id,
                    period.start,
                    period.end,
                    _money(round(amount, -4)),
                    actor_id=boss.id if boss else None,
                    now=self.at(period.start - timedelta(days=3), 12)
                    if period.start < self.today
                    else self.stamp,
                )
                self.count("plans")

    # --- what the bot already told ---------------------------------------------------------

    async def told_of_prices(self) -> None:
        """The `prices` job ran six days ago: managers were told of the changes then and
        have informed some clients since."""
        moment = self.at(self.today - timedelta(days=6), 10, 30)
        await run_price_changes(self.repos, moment, ReminderTexts(self.translator))
        reminders = ReminderRepo(self.repos.session)
        for row in await reminders.price_notices(pending_only=True):
            if self.rnd.random() < 0.4:
                await reminders.mark_informed(
                    row[0], row[1], row[3], self.at(self.today - timedelta(days=3), 12)
                )

    async def delivered_history(self) -> None:
        """What the services owed people while the story happened (claims to departments,
        status changes, price notices) went out at the time: nothing old floods the chat."""
        owner = "demo-generator"
        rows = await self.repos.outbox.claim(
            owner=owner,
            now=self.stamp,
            lease_until=self.stamp + timedelta(minutes=5),
            limit=100_000,
        )
        for row in rows:
            await self.repos.outbox.finish(
                row.id, owner, status=OutboxStatus.SENT, now=row.not_before
            )


async def generate(
    database: Database, translator: Translator, options: DemoOptions
) -> DemoSummary:
    """Fill an empty, migrated database with the demo company in one transaction."""
    async with database.transaction() as session:
        repos = Repos(session)
        builder = _Builder(repos, translator, options)
        await builder.people()
        await builder.client_list()
        await builder.key_persons()
        product_ids = await builder.price_list()
        await builder.upcoming_prices(product_ids, latest=False)
        builder.cast_roles()
        await builder.contracts()
        builder.order_history()
        await builder.erp_documents()
        # What every import of shipments or payments keeps: each shipment's open amount.
        await keep_open_amounts(ErpRepo(session), None)
        builder.plan = builder.follow_up_plan()
        await builder.contacts()
        await builder.pipeline()
        await builder.claim_history()
        await builder.plans()
        await builder.told_of_prices()
        await builder.upcoming_prices(product_ids, latest=True)
        await builder.delivered_history()
        marker = DemoMarker(options.seed, options.today, options.language)
        await repos.settings.put(
            DEMO_MARKER, marker.to_text(), previous="", actor_id=None, now=builder.stamp
        )
    return builder.summary
