"""The demo company: a believable Russian B2B distributor of packaging, generated from a seed.

Same seed and same `today` give the same company, row for row: every choice comes from one
`random.Random(seed)` (the `Story`'s, drawn in the order below) and every date and moment is
counted from `today` (never from the wall clock). People-made records (contacts and their
next steps, key persons, opportunities, competitor notes, claims and their history, plans)
go through the product's own services and repositories, so they are exactly what the bot
itself would have written, audit trail included; ERP documents go in with the importer's
batched upsert (storage.demo) and the importer's open-amount step (`keep_open_amounts`), as
an import of 1C exports would leave them.

What the newcomer should find, every case of the demo issue: an admin, 2 supervisors with 3
managers each, 2 claim-department members; 60 clients in tiers A/B/C (a holding with two
branches) with key persons; a year of orders with lines, shipments and payments, money
overdue in every aging bucket, a shipment that fell due yesterday, an advance; next steps
due today and missed; key clients past their contact cadence; open opportunities (some past
their close date); competitor notes; claims in every status; a price list with upcoming
changes (managers already told of some); monthly and quarterly plans for every manager.
"""

from __future__ import annotations

from bot.demo.company import (
    claims,
    clients,
    contacts,
    documents,
    people,
    pipeline,
    plans,
    prices,
    reminders,
)
from bot.demo.company.story import DemoOptions, DemoSummary, Story
from bot.demo.marker import DEMO_MARKER, DemoMarker
from bot.runtime.i18n import Translator
from bot.services.erp_import import keep_open_amounts
from storage.engine import Database
from storage.repositories import Repos


async def generate(
    database: Database, translator: Translator, options: DemoOptions
) -> DemoSummary:
    """Fill an empty, migrated database with the demo company in one transaction."""
    async with database.transaction() as session:
        repos = Repos(session)
        story = Story(repos, translator, options)
        await people.staff_and_departments(story)
        await clients.client_list(story)
        await clients.key_persons(story)
        product_ids = await prices.price_list(story)
        await prices.upcoming_prices(story, product_ids, latest=False)
        documents.cast_roles(story)
        await documents.contracts(story)
        await documents.erp_documents(story)
        # What every import of shipments or payments keeps: each shipment's open amount.
        await keep_open_amounts(Repos(session).erp, None)
        await contacts.contact_history(story)
        await pipeline.pipeline(story)
        await claims.claim_history(story)
        await plans.sales_plans(story)
        await reminders.told_of_prices(story)
        await prices.upcoming_prices(story, product_ids, latest=True)
        await reminders.delivered_history(story)
        marker = DemoMarker(options.seed, options.today, options.language)
        await repos.settings.put(
            DEMO_MARKER, marker.to_text(), previous="", actor_id=None, now=story.stamp
        )
    return story.summary
