"""The clients (60 in tiers A/B/C, with a holding of two branches sharing an ИНН) as the
ERP's client list leaves them, and their key persons."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import partial

from bot.demo.company.prices import CORE_PRODUCTS, PRODUCTS
from bot.demo.company.story import Pair, Story, StoryClient
from bot.services.client_search import search_key
from storage.demo import DemoClient
from storage.dto import BuyingRole, ClientUpdate, PersonCreate, Tier, UserDTO

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


async def client_list(story: Story) -> None:
    names = list(CLIENT_NAMES)
    story.rnd.shuffle(names)
    slots = (Tier.A, Tier.A, Tier.B, Tier.B, Tier.B, Tier.C, Tier.C, Tier.C, Tier.C, Tier.C)
    plan: list[tuple[str, Tier, UserDTO, str]] = []
    used: set[str] = set()
    for index, manager in enumerate(story.managers):
        region = REGIONS[index % len(REGIONS)]
        for slot, tier in enumerate(slots):
            if index == 0 and slot in (0, 2, 3):
                continue  # the holding takes one A and two B places of the first manager
            plan.append((names.pop(), tier, manager, region))
    head_inn = _unique(used, lambda: legal_inn(story.rnd, "36"))
    holding = [
        (HOLDING[0], Tier.A, head_inn, "366601001"),
        (HOLDING[1], Tier.B, head_inn, "366643001"),
        (HOLDING[2], Tier.B, head_inn, "312343001"),
    ]
    entries: list[tuple[str, Tier, UserDTO, str, str]] = [
        (name, tier, story.managers[0], inn, kpp) for name, tier, inn, kpp in holding
    ]
    for name, tier, manager, region in plan:
        if name.startswith("ИП "):
            inn, kpp = _unique(used, partial(personal_inn, story.rnd, region)), ""
        else:
            inn = _unique(used, partial(legal_inn, story.rnd, region))
            kpp = f"{inn[:4]}01001"
        entries.append((name, tier, manager, inn, kpp))
    created = story.at(story.today - timedelta(days=430), 9)
    ids = await story.demo.erp_clients(
        [
            DemoClient(
                external_id=f"{100100 + number}",
                name=name,
                search_key=search_key(name),
                inn=inn,
                kpp=kpp,
                tier=tier,
                is_key=tier is Tier.A,
                owner_id=manager.id,
                erp_manager=manager.erp_name,
                created_at=created,
            )
            for number, (name, tier, manager, inn, kpp) in enumerate(entries, start=1)
        ]
    )
    for client_id, (name, tier, manager, _inn, _kpp) in zip(ids, entries, strict=True):
        days = story.rnd.randint(120, 200) if tier is Tier.C and story.rnd.random() < 0.15 else 0
        start = story.today - timedelta(days=days or story.rnd.randint(370, 400))
        client = StoryClient(client_id, name, tier, manager, start)
        client.products = _preferences(story, tier)
        story.clients.append(client)
    head = story.clients[0]
    for branch in story.clients[1:3]:
        await story.repos.clients.update(
            branch.id, ClientUpdate(holding_id=head.id), actor_id=None, now=created
        )
    story.count("clients", len(story.clients))


def _unique(used: set[str], make: Callable[[], str]) -> str:
    while True:
        value = make()
        if value not in used:
            used.add(value)
            return value


def _preferences(story: Story, tier: Tier) -> list[str]:
    others = [p[0] for p in PRODUCTS if p[0] not in CORE_PRODUCTS]
    core = story.rnd.sample(CORE_PRODUCTS, {Tier.A: 4, Tier.B: 3, Tier.C: 2}[tier])
    extra = story.rnd.sample(others, {Tier.A: 6, Tier.B: 4, Tier.C: 2}[tier])
    return core + extra


async def key_persons(story: Story) -> None:
    domains: dict[int, str] = {}
    for client in story.clients:
        slug = translit(search_key(client.name).replace(" ", "")) or "client"
        domains[client.id] = f"{slug[:20]}.ru"
        count = {Tier.A: story.rnd.randint(3, 4), Tier.B: 2, Tier.C: story.rnd.randint(1, 2)}
        for role in BUYING_ORDER[: count[client.tier]]:
            female = story.rnd.random() < 0.45
            first = story.rnd.choice(FEMALE if female else MALE)
            surname = story.rnd.choice(SURNAMES)
            last = (surname[0] + "а", surname[1] + "a") if female else surname
            person = await story.repos.persons.add(
                PersonCreate(
                    client_id=client.id,
                    full_name=f"{story.t(first)} {story.t(last)}",
                    position=story.t(story.rnd.choice(POSITIONS[role])),
                    buying_role=role,
                    phone=f"+7 9{story.rnd.randint(10, 99)} {story.rnd.randint(100, 999)}-"
                    f"{story.rnd.randint(10, 99)}-{story.rnd.randint(10, 99)}",
                    email=f"{translit(first[0])[:1]}.{translit(last[0])}@{domains[client.id]}",
                    birthday=(
                        date(
                            story.rnd.randint(1965, 1995),
                            story.rnd.randint(1, 12),
                            story.rnd.randint(1, 28),
                        )
                        if story.rnd.random() < 0.4
                        else None
                    ),
                ),
                actor_id=client.owner.id,
                now=story.at(client.start, 11),
            )
            client.persons.append(person.id)
            story.count("persons")
