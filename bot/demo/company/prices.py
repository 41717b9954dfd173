"""The distributor's price list: a year of prices, and four upcoming changes of core
products (managers were told of three six days ago; the fourth is news for `prices`)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from bot.demo.company.story import RUB, Story, money
from bot.services.client_search import search_key
from storage.demo import DemoPrice, DemoProduct

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


async def price_list(story: Story) -> dict[str, int]:
    """The products and their price history; product code → id."""
    first = (story.today - timedelta(days=430)).replace(day=1)
    products = [
        DemoProduct(code=code, name=name, search_key=search_key(name), unit=unit)
        for code, name, unit, _ in PRODUCTS
    ]
    product_ids = dict(
        zip((p.code for p in products), await story.demo.products(products), strict=True)
    )
    rows: list[DemoPrice] = []
    for code, _name, _unit, base in PRODUCTS:
        history = [(first, money(base))]
        if story.rnd.random() < 0.6:
            rise = Decimal(story.rnd.randint(3, 8)) / 100
            history.append(
                (
                    story.today - timedelta(days=story.rnd.randint(60, 200)),
                    money(Decimal(base) * (1 + rise)),
                )
            )
        story.prices[code] = history
        rows += [_price(story, product_ids[code], day, price) for day, price in history]
    await story.demo.prices(rows)
    story.count("products", len(products))
    story.count("prices", len(rows))
    return product_ids


async def upcoming_prices(story: Story, product_ids: dict[str, int], *, latest: bool) -> None:
    """The changes ahead of today: the last one (`latest`) or the others."""
    rows = []
    for (days, change), code in zip(UPCOMING, CORE_PRODUCTS, strict=False):
        if (days == UPCOMING[-1][0]) is not latest:
            continue
        current = story.price_on(code, story.today)
        new = money(current * (100 + Decimal(change)) / 100)
        rows.append(_price(story, product_ids[code], story.today + timedelta(days=days), new))
    story.count("prices", await story.demo.prices(rows))


def _price(story: Story, product_id: int, day: date, price: Decimal) -> DemoPrice:
    return DemoPrice(
        product_id=product_id,
        price=price,
        currency=RUB,
        effective_from=day,
        updated_at=story.stamp,
    )
