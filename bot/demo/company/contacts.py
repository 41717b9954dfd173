"""A year of contacts per client at about its tier's cadence, each with the next step the
following contact answered; and each client's latest contact, whose next step is due
today, missed, later, or not set (so `/today` and the digest have something to show)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from bot.demo.company.story import Pair, Story, StoryClient
from bot.services import accounts
from bot.services.dates import When
from storage.demo import PastContact
from storage.dto import Channel, ContactCreate, FollowUpCreate, Outcome, Tier

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
# The company's default contact cadence per tier, in days.
CADENCE = {Tier.A: 14, Tier.B: 30, Tier.C: 60}
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


def _follow_up_plan(story: Story) -> dict[int, tuple[int, When | None]]:
    """Per client: how many days ago the last contact was, and its next step (due today,
    missed, later, or none)."""
    plan: dict[int, tuple[int, When | None]] = {}
    by_manager: dict[int, list[StoryClient]] = defaultdict(list)
    for client in story.clients:
        by_manager[client.owner.id].append(client)
    for mine in by_manager.values():
        order = story.rnd.sample(mine, len(mine))
        regular = [c for c in order if "neglected" not in c.roles]
        today_due, missed = regular[:2], regular[2:4]
        for index, client in enumerate(today_due):
            at = (
                time(story.rnd.choice((11, 12, 14, 15, 16)), story.rnd.choice((0, 30)))
                if index == 0
                else None
            )
            plan[client.id] = (
                story.rnd.randint(2, min(10, CADENCE[client.tier] - 1)),
                When(story.today, at),
            )
        for client in missed:
            late = story.calendar.add_business_days(story.today, -story.rnd.randint(1, 6))
            ago = (story.today - late).days + story.rnd.randint(2, 6)
            plan[client.id] = (min(ago, CADENCE[client.tier] - 1), When(late))
        for client in order:
            if client.id in plan:
                continue
            if "neglected" in client.roles:
                plan[client.id] = (CADENCE[client.tier] + story.rnd.randint(4, 20), None)
                continue
            ago = story.rnd.randint(1, CADENCE[client.tier] - 1)
            later = (
                When(story.today + timedelta(days=story.rnd.randint(1, 21)))
                if story.rnd.random() < 0.7
                else None
            )
            plan[client.id] = (ago, later)
    return plan


async def contact_history(story: Story) -> None:
    """A year of contacts per client at about its tier's cadence, each with a next step
    that the following contact answered. The past goes in bulk (storage.demo writes the
    rows the contact log leaves behind); each client's latest contact goes through the
    contact log itself, so its open next step is exactly what /log makes."""
    plan = _follow_up_plan(story)
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
    latest: list[tuple[StoryClient, datetime, When | None]] = []
    for client in story.clients:
        ago, last_next = plan[client.id]
        days: list[date] = []
        day = story.business_on_or_before(story.today - timedelta(days=ago))
        while day >= client.start:
            days.append(day)
            step = max(3, round(CADENCE[client.tier] * story.rnd.uniform(0.5, 1.1)))
            day = story.business_on_or_before(day - timedelta(days=step))
        days.reverse()
        days = days or [story.business_on_or_before(story.today - timedelta(days=ago))]
        moments = [
            story.at(d, story.rnd.randint(10, 17), story.rnd.choice((0, 15, 30, 45))) for d in days
        ]
        for index, moment in enumerate(moments[:-1]):
            # The next step was due about when the next contact came (a few late).
            due = max(
                days[index + 1] - timedelta(days=story.rnd.choice((0, 0, 1, 3))),
                days[index] + timedelta(days=1),
            )
            outcome = story.rnd.choice(outcomes)
            past.append(
                PastContact(
                    ContactCreate(
                        client_id=client.id,
                        author_id=client.owner.id,
                        person_id=_person(story, client),
                        channel=story.rnd.choice(channels),
                        summary=story.t(story.rnd.choice(SUMMARIES[outcome])),
                        outcome=outcome,
                        happened_at=moment,
                    ),
                    FollowUpCreate(
                        client_id=client.id,
                        owner_id=client.owner.id,
                        text=story.t(story.rnd.choice(NEXT_STEPS)),
                        due_date=due,
                    ),
                    closed_at=moments[index + 1],
                )
            )
        latest.append((client, moments[-1], last_next))
    story.count("contacts", await story.demo.past_contacts(past))
    for client, moment, next_when in latest:
        outcome = story.rnd.choice(outcomes)
        await accounts.log_contact(
            story.repos,
            client.owner,
            client.id,
            channel=story.rnd.choice(channels),
            outcome=outcome,
            summary=story.t(story.rnd.choice(SUMMARIES[outcome])),
            person_id=_person(story, client),
            next_step=story.t(story.rnd.choice(NEXT_STEPS)) if next_when else None,
            next_when=next_when,
            now=moment,
        )
        story.count("contacts")


def _person(story: Story, client: StoryClient) -> int | None:
    return story.rnd.choice(client.persons) if story.rnd.random() < 0.6 else None
