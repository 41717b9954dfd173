## Commands (Telegram's command list; at most 256 characters each)
cmd-start = Start and show the main menu
cmd-help = What I can do for you
cmd-menu = Show the main menu
cmd-settings = Language, time zone, digest hour
cmd-invite = Invite a manager or supervisor
cmd-users = Users, roles and teams
cmd-cancel = Leave the current dialog

## Main menu buttons
menu-help = ❓ Help
menu-settings = ⚙️ Settings
menu-invite = ➕ Invite
menu-users = 👥 Users
menu-shown = Main menu.

## Roles and languages
role-admin = admin
role-supervisor = supervisor
role-manager = key account manager
role-department = department member
language-ru = Русский
language-en = English

## Access and admission
access-invite-only = KAM Assistant works by invitation only. Ask your administrator for an invitation link and open it.
start-welcome = Welcome, { $name }! You are signed in as { $role }. Use the menu below or /help.
start-invite-used = This invitation has already been used. Ask your administrator for a new one.
start-invite-expired = This invitation has expired. Ask your administrator for a new one.
start-invite-unknown = This invitation link is not valid. Check the link or ask your administrator for a new one.

## Help, cancel, fallbacks
help-title = You are signed in as { $role }. Commands:
help-claims-settings = /claims settings — the departments claims go to
cancel-done = Cancelled. Nothing was saved.
cancel-nothing = There is nothing to cancel.
unknown-message = I did not understand that. See /help for what I can do.
error-not-available = This is not available to you (or no longer exists).
error-not-allowed = You are not allowed to do this.
error-unexpected = Sorry, something went wrong on our side. It has been logged; please try again.

## Buttons
button-skip = Skip
button-back = « Back

## Personal settings
settings-current =
    Your settings
    Language: { $language }
    Time zone: { $timezone }
    Morning digest: { $hour }
settings-language = Language
settings-timezone = Time zone
settings-digest = Morning digest hour
settings-company = Company settings
settings-choose-language = Choose your language:
settings-language-changed = Language changed to English.
settings-choose-timezone = Choose your time zone, or type its IANA name (for example Europe/Moscow or Asia/Novosibirsk):
settings-timezone-invalid = "{ $value }" is not a time zone I know. Type an IANA name such as Europe/Moscow, or press a button.
settings-choose-digest = At what local hour should the morning digest arrive? Tap, or type the hour, such as 8.
settings-hour-invalid = I cannot read that hour. Type an hour from 0 to 23, such as 8 or 08:00, or tap a button.
settings-hour-minutes = The digest comes on the hour: type 8 or 9, say, or tap a button.
tz-Europe-Kaliningrad = Kaliningrad (MSK−1)
tz-Europe-Moscow = Moscow (MSK)
tz-Europe-Samara = Samara (MSK+1)
tz-Asia-Yekaterinburg = Yekaterinburg (MSK+2)
tz-Asia-Omsk = Omsk (MSK+3)
tz-Asia-Novosibirsk = Novosibirsk (MSK+4)
tz-Asia-Krasnoyarsk = Krasnoyarsk (MSK+4)
tz-Asia-Irkutsk = Irkutsk (MSK+5)
tz-Asia-Yakutsk = Yakutsk (MSK+6)
tz-Asia-Vladivostok = Vladivostok (MSK+7)
tz-Asia-Magadan = Magadan (MSK+8)
tz-Asia-Kamchatka = Kamchatka (MSK+9)
settings-saved = Saved.

## Company (business) settings
company-settings-title = Company settings (changes are audited):
company-setting-prompt =
    { $name }: now { $value }.
    Send the new value. { $hint }
    /cancel keeps the current value.
company-setting-saved = { $name } is now { $value }.
setting-invite_ttl_days = Invitation lifetime, days
setting-invite_ttl_days-hint = A whole number of days from 1 to 90.
setting-quiet_hours = Quiet hours
setting-quiet_hours-hint = Two local times, for example 21:00-08:00.
setting-cadence_a_days = Contact cadence for tier A, days
setting-cadence_a_days-hint = A whole number of days from 1 to 365.
setting-cadence_b_days = Contact cadence for tier B, days
setting-cadence_b_days-hint = A whole number of days from 1 to 365.
setting-cadence_c_days = Contact cadence for tier C, days
setting-cadence_c_days-hint = A whole number of days from 1 to 365.
setting-default_digest_hour = Default digest hour for new users
setting-default_digest_hour-hint = An hour from 0 to 23.
setting-calendar_country = Country of the production calendar
setting-calendar_country-hint = A two-letter country code, for example RU, KZ or BY.
setting-calendar_overrides = Company calendar overrides
setting-calendar_overrides-hint = Dates with "work" or "off", separated by semicolons, for example: 31.12.2026 off; 26.12.2026 work. Send - to clear.
setting-error-calendar = Write each date as DD.MM.YYYY followed by "work" or "off", separated by semicolons. Nothing was changed; send another value or /cancel.
setting-error-country = I do not know a production calendar for that country code. Nothing was changed; send another value or /cancel.
setting-digest_cutoff_hour = Latest hour for a late morning digest
setting-digest_cutoff_hour-hint = An hour from 0 to 23: after a restart, a missed digest is still sent until then.
setting-overdue_alert_amount = Overdue alert from, roubles
setting-overdue_alert_amount-hint = A whole number: shipments at least this large get an alert on their first overdue business day.
setting-price_buyers_months = Price changes: buyers of the last N months
setting-price_buyers_months-hint = A whole number of months from 1 to 60.
setting-price_reminder_days = Price changes: second notice N days ahead
setting-price_reminder_days-hint = A whole number of days from 1 to 60.
setting-claim_internal_days = Claims: internal deadline, business days
setting-claim_internal_days-hint = A whole number of business days from 1 to 120.
setting-claim_legal_days = Claims: legal answer period, calendar days
setting-claim_legal_days-hint = A whole number of days from 1 to 365 (30 is the pre-trial period of the arbitration procedure code).
setting-payment_claim_after_days = Payment claim offered after, days overdue
setting-payment_claim_after_days-hint = A whole number of days from 1 to 365.
setting-plan_actual_basis = Plan fulfilment counts
setting-plan_actual_basis-hint = "shipped" (shipments in the period) or "paid" (payments in the period).
setting-error-basis = Write "shipped" or "paid". Nothing was changed; send another value or /cancel.
setting-team_daily_hour = Daily team summary, local hour
setting-team_daily_hour-hint = An hour from 0 to 23, in each supervisor's own time zone, on business days.
setting-team_weekly_day = Weekly team summary, day of the week
setting-team_weekly_day-hint = 1 is Monday … 7 is Sunday (moved to the next business day when that day is off).
setting-team_weekly_hour = Weekly team summary, local hour
setting-team_weekly_hour-hint = An hour from 0 to 23, in each recipient's own time zone.
setting-abc_thresholds = ABC analysis thresholds, % of revenue
setting-abc_thresholds-hint = Two cumulative shares, for example 80/95: A is the first 80 % of revenue, B up to 95 %, C the rest.
setting-error-abc = Write two whole percentages with A below B, for example 80/95. Nothing was changed; send another value or /cancel.
setting-churn_drop_percent = Churn signal: revenue fall, %
setting-churn_drop_percent-hint = A key client whose last 90 days of revenue fell by more than this share against the 90 days before (1 to 100).
setting-churn_silence_factor = Churn signal: silence, times the usual gap
setting-churn_silence_factor-hint = A key client who has not ordered for longer than this many times their usual interval between orders (1 to 10).
setting-error-positive-int = That is not a whole number in the allowed range. Nothing was changed; send another value or /cancel.
setting-error-hour = That is not an hour from 0 to 23. Nothing was changed; send another value or /cancel.
setting-error-quiet-hours = Write quiet hours as two times, for example 21:00-08:00. Nothing was changed; send another value or /cancel.

## Invitations
invite-choose-role = Whom do you invite?
invite-role-chosen = Inviting a { $role }.
invite-no-supervisors = There is no supervisor yet. Invite a supervisor first, then their managers.
invite-choose-supervisor = Which supervisor's team will the manager join?
invite-ask-erp-name = Team: { $supervisor }. Send the manager's name or code as your ERP (1C) writes it, for example "Иванов Иван Иванович", or press Skip.
invite-erp-name-too-long = That name is too long (at most 256 characters). Send a shorter one, or press Skip.
invite-created =
    Invitation for a { $role }:
    { $link }
    It works once and expires in { $days ->
        [one] { $days } day
       *[other] { $days } days
    }. Send it to the person privately.
invite-error-role = Only managers and supervisors can be invited.
invite-error-no-supervisor = Choose an active supervisor for the manager.

## Users
users-list = Users: { $total } (page { $page }). Tap a user to change their role or team.
users-card =
    { $name } ({ $username })
    Role: { $role }
    { $team }
    Name in ERP: { $erp }
    Status: { $status }
    Language: { $language }, time zone: { $timezone }
users-card-team = Team ({ $count }): { $members }
users-card-supervisor = Supervisor: { $name }
users-status-active = active
users-status-inactive = deactivated
users-change-role = Change role
users-change-team = Change team
users-deactivate = Deactivate
users-activate = Reactivate
users-confirm-deactivate = Yes, deactivate
users-confirm-deactivate-text = Deactivate { $name }? They lose access at once; their history is kept.
users-choose-role = New role for { $name }:
users-choose-team = Whose team does { $name } join?
users-saved = Saved.
users-error-self = You cannot change your own role or deactivate yourself.
users-error-not-manager = Only a manager belongs to a team.

## Delivery
outbox-alert-failed = Delivery problem: notification #{ $id } ({ $kind }) to chat { $chat } could not be delivered after several attempts. Last error: { $error }
outbox-alert-dead = Delivery problem: Telegram refused notification #{ $id } ({ $kind }) to chat { $chat }: { $error }
outbox-user-unreachable = { $name } has blocked the bot (or left Telegram), so reminders cannot reach them. Please ask them to open the bot again and press Start.

## Accounts: commands and menu
cmd-today = Today's agenda: follow-ups, neglected key clients
cmd-clients = My clients by tier
cmd-log = Log a contact (or /log Client: what happened; next: step +2)
cmd-client = Find a client: /client <name, tax id or ERP code>
cmd-history = A client's timeline: /history <client>
menu-today = 📅 Today
menu-clients = 🏢 Clients
menu-log = ✍️ Log contact

## Domain words
tier-A = A — key
tier-B = B
tier-C = C
channel-call = Call
channel-meeting = Meeting
channel-visit = Visit
channel-email = Email
channel-messenger = Messenger
channel-presentation = Presentation
outcome-positive = 👍 Positive
outcome-neutral = ➖ Neutral
outcome-negative = 👎 Negative
stage-lead = Lead
stage-qualified = Qualified
stage-proposal = Proposal
stage-negotiation = Negotiation
stage-won = Won
stage-lost = Lost
buying-role-decision_maker = decision maker
buying-role-influencer = influencer
buying-role-user = user
buying-role-gatekeeper = gatekeeper
buying-role-other = other

## Client card
card-inn = Tax id (ИНН) { $inn }, КПП { $kpp }
card-owner = Manager: { $owner }
card-last-contact = Last contact: { $when }, { $channel }, { $outcome }: { $summary }
card-no-contact = No contact logged yet.
card-next-step = Next step { $when }: { $text }
card-persons = Key persons:
card-opportunities = Open opportunities ({ $count }):
card-competitors = Competitors:
card-btn-log = ✍️ Log contact
card-btn-history = 🕘 History
card-btn-persons = 👤 Persons
card-btn-opportunity = 💼 Opportunity
card-btn-competitor = 🥊 Competitor
card-btn-reassign = 🔁 Reassign

## Lists and search
clients-none = No clients yet. Add one with the button below, or type part of a name to search.
clients-title = Your clients: { $total }
clients-tier = — Tier { $tier } —
clients-new = ➕ New client
search-nothing = Nothing found for "{ $query }".
search-found = Found { $count } for "{ $query }":
client-ask-query = Type part of the client's name, its tax id (ИНН) or ERP code after /client, or just send it as a message.
history-ask-client = Which client? /history <part of the name or tax id>
history-empty = { $client }: nothing in the timeline yet.
history-title = { $client }: timeline ({ $total }), newest first
agenda-title = Agenda for { $date } ({ $total }):
agenda-empty = Nothing due on { $date }. 🎉
agenda-today = today
agenda-overdue = overdue by { $days ->
        [one] { $days } day
       *[other] { $days } days
    }
agenda-follow-up = { $client } — { $text } ({ $when })
agenda-neglected = { $client } — contact { $days ->
        [one] { $days } day
       *[other] { $days } days
    } overdue (tier { $tier })
agenda-opportunity = { $client }: "{ $title }" was to close by { $date }

## New client
newclient-ask-name = Name of the new client (as on the contract, e.g. ООО «Ромашка»):
newclient-ask-inn = Tax id (ИНН, 10 or 12 digits), or Skip for a foreign client:
newclient-ask-kpp = КПП (9 characters) for a branch, or Skip:
newclient-ask-tier = Tier:
newclient-created = Client added.
client-error-name = The name must be 1 to 512 characters. Send it again.
client-error-inn = That is not a valid tax id (ИНН): 10 or 12 digits with a correct check digit. Send it again or press Skip.
client-error-kpp = That is not a valid КПП: 9 characters (4 digits, 2 digits or letters, 3 digits). Send it again or press Skip.
client-error-duplicate = This client already exists: { $name }. Nothing was added.
client-duplicate-open = Open the existing card:

## Persons
persons-title = { $client }: key persons ({ $count })
persons-add = ➕ Add a person
persons-remove = Remove { $name }
persons-erase = Erase personal data of { $name }
persons-updated = Updated.
person-ask-name = { $client }: the person's full name, or share their contact from your phone's address book:
person-error-name = The name must be 1 to 256 characters. Send it again.
person-ask-position = Position (or Skip):
person-ask-role = Their role in buying decisions:
person-ask-phone = Phone (or Skip):
person-error-phone = That does not look like a phone number. Send it again or press Skip.
person-ask-email = Email (or Skip):
person-error-email = That does not look like an email address. Send it again or press Skip.
person-saved = { $name } added.

## Opportunities, competitors, reassignment
opportunity-ask-title = { $client }: what is the opportunity? (for example "Q1 volume contract")
opportunity-ask-amount = Amount in roubles (for example 1 250 000 or 99500,50):
opportunity-ask-close = Expected close date (25.12, 25.12.2026, +30…):
opportunity-choose-stage = Stage of "{ $title }":
competitor-ask-name = { $client }: which competitor?
competitor-ask-note = What did they do? (an offer, a discount, a visit…)
competitor-ask-price = The price you saw (or Skip):
reassign-choose = { $client }: to which manager?
saved = Saved.
handover-confirm = Give { $client } to { $owner }? Past results stay with { $previous }; from today on the client's results count for { $owner }. Its open next steps and opportunities go with it.
handover-confirm-first = Give { $client } to { $owner }? Its open next steps and opportunities go with it.
handover-yes = ✅ Yes, hand over
handover-no = ✖ Cancel
handover-done = { $client } now belongs to { $owner }. Past results stay with { $previous }. Both have been told.
handover-done-first = { $client } now belongs to { $owner }, who has been told.
handover-error-same = This manager has the client already.
handover-error-changed = The client's manager is no longer the one this question named, so nothing was done. The card as it is now:
handover-lost = { $client } was handed over to { $owner }, with its open next steps and opportunities. Your results with it so far stay yours.
handover-got = You are now the manager of { $client }, handed over from { $previous } with its open next steps and opportunities. Its past results stay with { $previous }; from today on they count for you.
handover-got-first = You are now the manager of { $client }, with its open next steps and opportunities.
handover-deactivated = { $name } was deactivated; their { $count } clients are now yours. Please reassign them (/clients → a card → Reassign).
handover-import-title = 📥 The import from the ERP changed your clients.
handover-import-got = { $count ->
        [one] You now manage { $count } more client, with its open next steps and opportunities.
       *[other] You now manage { $count } more clients, with their open next steps and opportunities.
    }
handover-import-got-new = New, with no manager before: { $count }.
handover-import-got-from = From other managers: { $managers }. Their past results stay with the previous managers; from today on they count for you.
handover-import-lost = { $count ->
        [one] { $count } of your clients went to another manager
       *[other] { $count } of your clients went to other managers
    }: { $managers }. Open next steps and opportunities went with them; your results with them so far stay yours.
handover-import-manager = { $name } — { $count }
handover-import-clients = Clients: { $names }.
handover-import-more = { $names } and { $count } more

## Logging a contact
log-ask-client = Which client? Tap a recent one or type part of a name:
log-ask-client-none = Which client? Type part of its name:
log-ask-channel = { $client }: how did you talk?
log-ask-person = With whom?
log-ask-summary = What happened? (a few words)
log-ask-outcome = Outcome:
log-ask-next-step = The next step (text), or no next step:
log-no-next-step = No next step
log-ask-when = When? Tap, or type 25.12, 25.12 14:30, tomorrow, +3, fri:
when-tomorrow = Tomorrow
when-3 = +3 days
when-7 = +1 week
when-14 = +2 weeks
log-saved = Contact logged.
log-saved-next = Contact logged. Next step { $when }: { $text }
log-quick-choose = Several clients match "{ $query }". Which one?
log-quick-nothing = None of your clients matches "{ $query }". Type another part of its name, its ИНН or ERP code, or /cancel. Nothing is saved yet.
log-quick-ask-when = When is the next step "{ $step }"? Tap, or type 25.12, 25.12 14:30, tomorrow, +3, fri. Nothing is saved until then.
quicklog-error-date = I cannot read "{ $value }" as the date of the next step: { $reason } Nothing was saved.
log-next-moved = { $day } is a day off, so the step moved to the next business day.
log-next-day-off = Note: that day is a day off in the company calendar.
quicklog-error-format = Write it as /log Client: what happened; next: next step +2
text-error-too-long = That text is too long (at most 4000 characters). Send a shorter one.
text-error-empty = Please send some text.
amount-error = That is not an amount. Write a number such as 1 250 000 or 99500,50.
date-error-format = I cannot read that date. Try 25.12, 25.12.2026, 25.12 14:30, tomorrow, +3 or fri.
date-error-invalid = There is no such date. Send another one.
date-error-time = That time does not exist. Use HH:MM, for example 14:30.
date-error-past = That moment has already passed. Send a future date.
date-why-invalid = there is no such date.
date-why-time = there is no such time (use HH:MM, e.g. 14:30).
date-why-format = it is not a date I know (try 25.12, 25.12.2026, tomorrow, +3 or fri).
dialog-use-buttons = Please choose with the buttons above, or /cancel.

## Editing
card-holding = Holding: { $holding }
card-members = The holding has { $count ->
        [one] { $count } company
       *[other] { $count } companies
    }: { $names }. Open pipeline of the group: { $pipeline }
card-btn-edit = ✏️ Edit
edit-client-menu = { $client }: what to change?
edit-field-name = Name
edit-field-kpp = КПП
edit-field-holding = Holding
edit-key-on = ★ Make it a key client
edit-key-off = ☆ Not a key client
edit-ask-name = The new name:
edit-ask-kpp = The new КПП (9 characters), or - to clear:
edit-ask-holding = Type part of the holding's name (the parent company), or - to leave the holding:
holding-error = A holding cannot be the client itself or a member of another holding.
edit-person-menu = { $name }: what to change?
edit-field-full_name = Name
edit-field-position = Position
edit-field-buying_role = Role in buying
edit-field-phone = Phone
edit-field-email = Email
edit-field-birthday = Birthday
edit-field-note = Note
edit-ask-person-field = { $field }: send the new value, or - to clear it.
edit-ask-birthday = Birthday as DD.MM.YYYY, or - to clear it:
person-error-birthday = Write the birthday as DD.MM.YYYY, for example 05.03.1980.
persons-edit = ✏️ { $name }

## ERP data
cmd-debts = Receivables: total, overdue, aging (/debts <client>)
cmd-orders = Recent orders (/orders <client>)
cmd-order = One order: /order <number>
cmd-prices = Prices: /prices <product or code>
cmd-import = Import an ERP export (send the file)
menu-debts = 💰 Debts
menu-orders = 📦 Orders
debts-none = No receivables: nothing is owed.
debts-title = Owed: { $total }, overdue: { $overdue }
debts-aging = Overdue by age: 1–30 d: { $b1 } · 31–60 d: { $b2 } · 61–90 d: { $b3 } · over 90 d: { $b4 }
debts-advance = Advances (paid ahead): { $amount }
debts-by-manager = By manager (owed / overdue):
debts-client = • { $client }: { $total }, overdue { $overdue } (up to { $days ->
        [one] { $days } day
       *[other] { $days } days
    })
debts-credit = Credit limit used: { $used } of { $limit }
debts-shipment = • shipment { $number } of { $date }: { $amount }, { $days ->
        [one] { $days } day
       *[other] { $days } days
    } overdue
orders-none = No orders.
orders-title = Orders ({ $total }):
orders-shipped = shipped { $date }
orders-not-shipped = not shipped
orders-filter-o = Open
orders-filter-s = Shipped
orders-filter-a = All
order-ask-number = Which order? /order <number>
order-not-found = No order { $number } among your clients' orders.
order-title = Order { $number } of { $date } — { $client }
order-status = Status: { $status }. Amount: { $amount }. Planned shipment: { $ship }
order-lines = Lines:
order-line = { $n }. { $product } — { $quantity } at { $price } = { $amount }
order-line-no-price = { $n }. { $product } — quantity { $quantity }, amount { $amount }
order-shipments = Shipments:
order-shipment = • { $number } of { $date }: { $amount }, due { $due }, paid { $paid }
order-no-shipments = Not shipped yet.
prices-ask = Which product? /prices <part of the name or the code>
prices-none = No product matches "{ $query }".
prices-title = Prices for "{ $query }":
prices-next = from { $date }: { $price }{ $change }
import-how = Send the export file (CSV or XLSX) with the caption /import <kind>, or just send it and choose the kind. Kinds: clients, contracts, orders, order_lines, shipments, payments, prices, plans; a bank statement (1CClientBankExchange, .txt) is recognised by itself.
import-choose-kind = What does this file hold?
import-kind-clients = Clients
import-kind-contracts = Contracts
import-kind-orders = Orders
import-kind-order_lines = Order lines
import-kind-shipments = Shipments
import-kind-payments = Payments
import-kind-prices = Prices
import-kind-chosen = Importing: { $kind }.
import-admins-only = Only an admin can import files.
import-started = Importing { $kind } from { $name }…
import-progress = Importing… { $rows } rows read.
import-summary = Import of { $kind } done: { $read } rows read, { $inserted } new, { $updated } updated, { $unchanged } unchanged, { $rejected } rejected.
import-removed = { $count } records no longer in the export were marked removed.
import-conflicts = { $count } clients keep the manager set in the chat (the export names another); admins were told.
import-rejected-file = Rejected rows ({ $count }) with the reason for each.
import-ownership-conflict = An import names another manager for { $count } clients whose manager was set in the chat ({ $codes }). They were left as they are; reassign them in the chat if the export is right.
import-error-format = This is not a CSV or XLSX file. Nothing was changed.
import-error-encoding = Row { $row } is not in { $encoding }, the encoding of the rest of the file, so it cannot be read without garbling it. Save the whole export in one encoding (UTF-8 or Windows-1251) and send it again. Nothing was changed.
import-error-too-large = The file is too large (over 20 MB, or it expands beyond a sane size). Nothing was changed.
import-error-no-header = I could not find the header row of this export. Nothing was changed.
import-error-missing-column = The export has no column { $column }. Nothing was changed.
import-error-kind = Unknown import kind { $kind }.
card-debt = Receivable: { $total }, overdue { $overdue } (up to { $days ->
        [one] { $days } day
       *[other] { $days } days
    })
card-btn-orders = 📦 Orders
card-btn-debts = 💰 Debts

## Calendar keyboard
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
weekday-0 = Mo
weekday-1 = Tu
weekday-2 = We
weekday-3 = Th
weekday-4 = Fr
weekday-5 = Sa
weekday-6 = Su
when-calendar = 📅 Pick a date
edit-field-title = Title
edit-field-amount = Amount
edit-field-expected_close = Close date
edit-ask-title = The new title:
edit-ask-amount = The new amount (for example 1 250 000):
edit-ask-expected_close = The new expected close date (25.12, 25.12.2026, +30…):
history-order = 📦 order { $number }
history-shipment = 🚚 shipment { $number }
history-payment = 💳 payment { $number }
order-status-history = Status changes seen in imports:

## Reminders
digest-title = Good morning! Your day, { $date }:
digest-followups = Next steps due:
digest-neglected = Key clients waiting for a contact:
digest-overdue = Newly overdue:
digest-prices = Price changes to announce:
digest-overdue-line = { $client }: shipment { $number }, { $amount }, { $days ->
        [one] { $days } day
       *[other] { $days } days
    } overdue
digest-price-line = { $client }: { $product } → { $price } from { $date }{ $change }
digest-overdue-total = Overdue in all: { $total } (1–30 d: { $b1 } · 31–60 d: { $b2 } · 61–90 d: { $b3 } · over 90 d: { $b4 })
followup-due = ⏰ { $when }: { $client } — { $text }
overdue-alert = ⚠️ { $client }: shipment { $number } of { $date } for { $amount } became overdue today (due { $due }).
price-title = 💲 Price change: { $product } from { $date }. Tell these clients:
price-soon-title = 💲 Reminder: { $product } changes price on { $date }. Not yet informed:
price-client-line = • { $client }: { $old } → { $new }{ $change }
price-informed = ✓ Informed: { $client }
price-marked = Marked as informed.
reminder-open-card = Open the card
reminder-snooze-1 = Snooze 1 day
reminder-snooze-3 = 3 days
reminder-snooze-7 = 1 week
reminder-done = ✓ Done
reminder-snoozed = Snoozed until { $date }.
reminder-finished = Done: it will not come back.
reminder-item-followup = Next step with { $client }:
reminder-item-neglected = { $client } is waiting for a contact:
reminder-item-overdue = Overdue money of { $client }:
reminder-item-price = Price change of { $client }:

## Claims
cmd-claim = Register a client's claim
cmd-claims = Claims: open, overdue, closed
menu-claim = 📝 Claim
menu-claims = 📋 Claims
card-btn-claim = 📝 Claim
claim-title = Claim { $number } ({ $direction }) — { $client }
claim-direction-incoming = from the client
claim-direction-outgoing = to the client, for payment
claim-status-line = Status: { $status }
claim-status-new = new
claim-status-in_progress = in progress
claim-status-resolved = resolved
claim-status-rejected = rejected
claim-status-sent = sent
claim-status-answered = answered
claim-category-line = Category: { $category }
claim-category-quality = Quality
claim-category-quantity = Quantity / short delivery
claim-category-delivery_date = Delivery date
claim-category-damaged = Damaged goods
claim-category-documents = Documents
claim-category-price = Price
claim-category-other = Other
claim-amount-line = Amount claimed: { $amount }
claim-internal-line = Internal deadline: { $date }
claim-legal-line = Legal answer deadline: { $date }
claim-action-take = ▶️ Take it
claim-action-resolve = ✅ Resolve
claim-action-reject = ⛔ Reject
claim-action-reopen = 🔁 Reopen
claim-action-answered = 📨 The client answered
claim-action-question = ❓ Ask a question
claim-new-for-department = 📝 A new claim for your department:
claim-days-left = { $days ->
        [one] { $days } day
       *[other] { $days } days
    } left
claim-days-late = { $days ->
        [one] { $days } day
       *[other] { $days } days
    } late
claim-history = History:
claim-event-question = question
claim-event-comment = comment
claims-none = No claims ({ $state }).
claims-title = Claims ({ $state }): { $count }
claims-filter-open = open
claims-filter-overdue = overdue
claims-filter-closed = closed
claim-ask-client = Which client? Type part of its name or ИНН:
claim-choose-client = Choose the client:
claim-ask-related = Which order or shipment is it about? Tap one, type the order number, or type "none":
claim-related-order = Order { $number }
claim-related-none = None
claim-ask-category = What kind of claim?
claim-ask-description = Describe the claim (what is wrong, how much, what the client asks):
claim-ask-amount = The amount claimed (or Skip):
claim-ask-files = Send photos (an album is fine), documents or voice notes, then press Done:
claim-files-done = Done
claim-files-expected = Send a photo, a document or a voice note, or press Done.
claim-file-added = Attached: { $count }.
claim-album-added = { $album ->
        [one] 1 photo
       *[other] { $album } photos
    } from the album attached, { $count ->
        [one] 1 file
       *[other] { $count } files
    } in all. Send more or press Done.
claim-album-files-added = { $album ->
        [one] 1 file
       *[other] { $album } files
    } from the album attached, { $count } in all. Send more or press Done.
claim-confirm = ✅ Register the claim
claim-confirm-title = Check the claim, then register it:
claim-client-line = Client: { $client }
claim-order-line = Order: { $number } of { $date }
claim-shipment-line = Shipment: { $number } of { $date }
claim-no-order-line = Order: none
claim-no-amount-line = Amount claimed: not given
claim-files-line = Attachments: { $count }
claim-description-line = What is wrong: { $text }
claim-registered = Claim { $number } registered and sent to the department. Internal deadline { $internal }, legal answer deadline { $legal }.
claim-registered-no-department = Claim { $number } registered. No department handles this category yet: an admin can set one in /claims settings. Legal answer deadline { $legal }.
claim-not-yours = You may not act on this claim.
claim-ask-question = Your question or comment on claim { $number }
claim-question-saved = Sent: claim { $number }.
claim-question = ❓ { $actor } on claim { $number }: { $text }
claim-status-changed = Claim { $number }: { $status } ({ $actor }).
claim-ask-resolution = ✅ How was claim { $number } resolved? Reply to this message: the resolution goes into the claim's history and to its manager.
claim-ask-rejection = ⛔ Why is claim { $number } rejected? Reply to this message: the reason goes into the claim's history and to its manager.
claim-resolution-line = Resolution: { $text }
claim-rejection-line = Reason for rejection: { $text }
claim-comment-line = Comment: { $text }
claim-decision-saved = Saved: claim { $number } is { $status }.
claim-reminder-internal-soon = ⏳ Claim { $number }: the internal deadline is in 2 business days.
claim-reminder-internal-today = ⏳ Claim { $number }: the internal deadline is today.
claim-reminder-legal-soon = ⚖️ Claim { $number }: the legal answer deadline is in 5 days.
claim-reminder-legal-passed = ⚖️ Claim { $number }: the legal answer deadline has passed.
claim-error-transition = This claim cannot move that way now (it may have been moved already).
claim-error-not-allowed = You may not do this with this claim.
departments-title = Departments handling claims:
departments-new = ➕ New department
departments-ask-name = The department's name (for example "Quality"):
departments-exists = A department with that name exists.
departments-card = { $name } (id { $id }). Members: { $members }. Group chat: { $chat }. Toggle the categories it handles; add members below (users given the role "department member" in /users). To use a group chat, add the bot to it and send /claims_chat { $id } there.
departments-add-member = ➕ { $name }
departments-chat-usage = Send /claims_chat <department id> (see /claims settings).
departments-chat-bound = Claims of { $name } will come to this chat.
payment-claim-prepare = ⚖️ Prepare a payment claim
payment-claim-nothing = Nothing is overdue long enough for a payment claim yet.
payment-claim-recorded = Payment claim { $number } is recorded as sent; the answer is due by { $deadline }. Copy the text above or print this file.
digest-claims = Claims with a deadline near or past:
digest-claim-left = { $number } · { $client }: { $days ->
        [one] { $days } day
       *[other] { $days } days
    } left
digest-claim-late = { $number } · { $client }: { $days ->
        [one] { $days } day
       *[other] { $days } days
    } late
reminder-item-claim = Claim of { $client }:
claim-related-shipment = Shipment { $number }
history-claim = 📝 claim { $number }

## Plans
cmd-plan = Sales plan: fulfilment and forecast
menu-plan = 🎯 Plan
plan-period = Plan for { $period }:
plan-line = • { $name }: { $actual } of { $plan } ({ $percent }), forecast { $forecast }; needed { $gap } a business day for { $left ->
        [one] { $left } business day
       *[other] { $left } business days
    }
plan-none = No plans yet.
plan-set = ✏️ Set a plan
plan-choose-manager = Whose plan?
plan-choose-period = { $name }: for which period?
plan-ask-amount = The plan for { $period }, in roubles:
plan-error-amount = The plan must be a positive amount, for example 2 500 000. Nothing was changed.
plan-saved = Plan for { $period } set: { $amount }.

## --- imports: one at a time, and runs that did not finish (issue 14, item 5) ---
import-error-busy = Another import is running ({ $kind }, { $file }). Send the file again when it has finished.
import-abandoned = The import of { $file } ({ $kind }) did not finish: it stopped before it was applied, so nothing of that file was loaded. Send the file again.
