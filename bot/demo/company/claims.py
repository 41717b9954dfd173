"""Claims in every status (new, in progress, resolved, rejected, one reopened) routed to
the departments, and outgoing payment claims, one sent and one answered."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from bot.demo.company.people import DEPARTMENTS, STAFF
from bot.demo.company.story import Pair, Story, StoryShipment, money
from bot.services import claims
from bot.services.claim_rules import Action, Category
from bot.views.claims.texts import ClaimTexts
from storage.dto import Tier

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


async def claim_history(story: Story) -> None:
    """Claims in every status, through the claims service (numbers, deadlines on the
    company calendar, routing to the department, history with who and when)."""
    members = {
        staff.department: user
        for user, staff in zip(story.users, STAFF, strict=True)
        if staff.department is not None
    }
    render = ClaimTexts(story.translator, story.options.language)
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
    others = [c for c in story.clients[3:] if c.tier is not Tier.C]
    candidates = [story.clients[0], *story.rnd.sample(others, len(stories) - 1)]
    shipments_of: dict[int, list[StoryShipment]] = defaultdict(list)
    for s in story.shipments:
        shipments_of[s.client.id].append(s)
    for (category, ago, events), client in zip(stories, candidates, strict=True):
        registered = (
            story.calendar.add_business_days(story.today, -ago)
            if ago
            else story.today - timedelta(days=1)
        )
        moment = story.at(registered, 10, 30)
        shipped = [s for s in shipments_of[client.id] if s.shipped_on < registered]
        shipment = shipped[-1] if shipped else None
        claim = await claims.register_claim(
            story.repos,
            client.owner,
            claims.ClaimDraft(
                client_id=client.id,
                category=category,
                description=story.t(CLAIM_TEXTS[category]),
                order_id=story.order_ids[shipment.order_key] if shipment else None,
                shipment_id=story.shipment_ids[(shipment.number, shipment.shipped_on)]
                if shipment
                else None,
                amount=money(shipment.amount * Decimal("0.1")) if shipment else None,
            ),
            now=moment,
            texts=story.translator,
            render=render,
        )
        member = members[next(i for i, (_, cats) in enumerate(DEPARTMENTS) if category in cats)]
        day = registered
        for action, later in events:
            day = story.calendar.add_business_days(day, later)
            when = story.at(day, 14)
            if action == "question":
                await claims.add_comment(
                    story.repos,
                    member,
                    claim.id,
                    story.t(CLAIM_ANSWERS["question"]),
                    kind="question",
                    now=when,
                    texts=story.translator,
                )
                continue
            actor = client.owner if action == "reopen" else member
            # Resolve and reject carry their resolution or reason (claims.act asks).
            closing = {"resolve": "resolved", "reject": "rejected"}.get(action, action)
            comment = CLAIM_ANSWERS.get(closing)
            await claims.act(
                story.repos,
                actor,
                claim.id,
                Action(action),
                now=when,
                texts=story.translator,
                comment=story.t(comment) if comment else None,
            )
        story.count("claims")
    # Payment claims (outgoing): drafted by the product from what is overdue.
    stopped = next(c for c in story.clients if "stopped" in c.roles)
    await claims.prepare_payment_claim(
        story.repos,
        stopped.owner,
        stopped.id,
        now=story.at(story.today - timedelta(days=9), 11),
        texts=story.translator,
    )
    story.count("claims")
    late = next(c for c in story.clients if "b4" in c.roles and c is not stopped)
    answered, _draft = await claims.prepare_payment_claim(
        story.repos,
        late.owner,
        late.id,
        now=story.at(story.today - timedelta(days=20), 11),
        texts=story.translator,
    )
    await claims.act(
        story.repos,
        late.owner,
        answered.id,
        Action.ANSWERED,
        now=story.at(story.today - timedelta(days=12), 15),
        texts=story.translator,
    )
    story.count("claims")
