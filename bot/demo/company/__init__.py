"""The demo company, generated from a seed and a day (generator.py runs the steps in order).

story.py      what the steps share: options, the random source, the calendar, the cast
people.py     the staff and the claim departments
clients.py    the clients, the holding, key persons
prices.py     the price list and its upcoming changes
documents.py  who owes what; contracts, orders, shipments, payments (the ERP's documents)
contacts.py   a year of contacts and next steps
pipeline.py   opportunities and competitor notes
claims.py     claims in every status, payment claims
plans.py      sales plans
reminders.py  what the bot already told: price changes announced, the outbox delivered
"""
