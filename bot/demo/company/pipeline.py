"""The pipeline: open opportunities of A and B clients (some past their close date, a few
won or lost), and competitor notes."""

from __future__ import annotations

from datetime import timedelta

from bot.demo.company.story import RUB, Pair, Story, money
from bot.services import accounts
from storage.dto import CompetitorNoteCreate, OpportunityCreate, Stage, Tier

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


async def pipeline(story: Story) -> None:
    open_stages = (Stage.LEAD, Stage.QUALIFIED, Stage.PROPOSAL, Stage.NEGOTIATION)
    candidates = [c for c in story.clients if c.tier is not Tier.C]
    for client in candidates:
        if client.tier is Tier.B and story.rnd.random() < 0.4:
            continue
        title, low, high = story.rnd.choice(OPPORTUNITIES)
        created = story.at(story.today - timedelta(days=story.rnd.randint(10, 90)), 12)
        late = story.rnd.random() < 0.15
        close = story.today + timedelta(
            days=-story.rnd.randint(3, 20) if late else story.rnd.randint(7, 100)
        )
        stage = story.rnd.choice(open_stages)
        if story.rnd.random() < 0.15:
            stage = story.rnd.choice((Stage.WON, Stage.LOST))
            close = story.today - timedelta(days=story.rnd.randint(5, 40))
        await accounts.add_opportunity(
            story.repos,
            client.owner,
            OpportunityCreate(
                client_id=client.id,
                owner_id=client.owner.id,
                title=story.t(title),
                amount=money(story.rnd.randrange(low, high, 50_000)),
                stage=stage,
                expected_close=close,
            ),
            now=created,
        )
        story.count("opportunities")
    for client in story.rnd.sample(candidates, 14):
        text, price = story.rnd.choice(COMPETITOR_NOTES)
        await accounts.add_competitor_note(
            story.repos,
            client.owner,
            CompetitorNoteCreate(
                client_id=client.id,
                author_id=client.owner.id,
                competitor=story.rnd.choice(COMPETITORS),
                note=story.t(text),
                price_seen=money(price) if price else None,
                currency=RUB if price else None,
            ),
            now=story.at(story.today - timedelta(days=story.rnd.randint(2, 60)), 16),
        )
        story.count("competitor_notes")
