"""What the bot already told while the story happened: the price changes announced six days
ago (some clients informed since), and everything the services owed people, delivered."""

from __future__ import annotations

from datetime import timedelta

from bot.demo.company.story import Story
from bot.services.reminders import run_price_changes
from bot.views.reminders.texts import ReminderTexts
from storage.dto import OutboxStatus


async def told_of_prices(story: Story) -> None:
    """The `prices` job ran six days ago: managers were told of the changes then and
    have informed some clients since."""
    moment = story.at(story.today - timedelta(days=6), 10, 30)
    await run_price_changes(story.repos, moment, ReminderTexts(story.translator))
    reminders = story.repos.reminders
    for row in await reminders.price_notices(pending_only=True):
        if story.rnd.random() < 0.4:
            await reminders.mark_informed(
                row[0], row[1], row[3], story.at(story.today - timedelta(days=3), 12)
            )


async def delivered_history(story: Story) -> None:
    """What the services owed people while the story happened (claims to departments,
    status changes, price notices) went out at the time: nothing old floods the chat."""
    owner = "demo-generator"
    rows = await story.repos.outbox.claim(
        owner=owner,
        now=story.stamp,
        lease_until=story.stamp + timedelta(minutes=5),
        limit=100_000,
    )
    for row in rows:
        await story.repos.outbox.finish(
            row.id, owner, status=OutboxStatus.SENT, now=row.not_before
        )
