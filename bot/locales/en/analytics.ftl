# Supervisors: plans per client, ABC analysis, churn signals, /export

## Plans per client
plan-choose-scope = { $name }, { $period }: a plan for the whole book or for one client?
plan-scope-book = 📒 Whole book
plan-scope-client = 🏢 One client
plan-ask-client = Which of { $name }'s clients? Type part of its name, its ИНН or ERP code.
plan-client-none = No client of this manager matches “{ $query }”. Type another name, or /cancel.
plan-client-several = { $count } clients match; which one?
plan-ask-client-amount = The plan of { $client } for { $period }, in roubles:
plan-saved-client = Plan of { $client } for { $period } set: { $amount }.
plan-client-line = { "  " }◦ { $client }: { $actual } of { $plan } ({ $percent }), forecast { $forecast }; needed { $gap } a business day
import-kind-plans = Plans

## ABC analysis
abc-button = 📊 ABC
abc-choose-period = ABC analysis: for which period?
abc-choose-subject = ABC analysis, { $period }: of clients or of products?
abc-subject-c = 👥 Clients
abc-subject-p = 📦 Products
abc-back-periods = « Periods
abc-title-clients = 📊 ABC of clients by shipped revenue, { $period }
abc-title-products = 📊 ABC of products by ordered revenue, { $period }
abc-empty = No revenue in this period: nothing to classify.
abc-total = Revenue: { $total }
abc-class-clients = { $abc }: { $count ->
        [one] { $count } client
       *[other] { $count } clients
    }, { $share } of revenue ({ $revenue })
abc-class-products = { $abc }: { $count ->
        [one] { $count } product
       *[other] { $count } products
    }, { $share } of revenue ({ $revenue })
abc-item = • { $name } — { $revenue } ({ $share })
abc-more = … and { $count } more
abc-tier-changes = Clients whose tier would change: { $count }.
abc-write-tiers = ✍️ Write into tiers
abc-confirm = Write the ABC classes of { $period } into the clients' tiers? { $count ->
        [one] 1 client changes
       *[other] { $count } clients change
    } (to A: { $a }, to B: { $b }, to C: { $c }). Each change is audited.
abc-write-yes = ✅ Yes, write
abc-write-no = ✖ No
abc-tiers-written = ✅ Tiers written: { $count ->
        [one] 1 client changed
       *[other] { $count } clients changed
    }.

## Periods of the analysis and the export
analytics-period-w = This week · { $label }
analytics-period-l = Last week · { $label }
analytics-period-m = This month · { $label }
analytics-period-q = This quarter · { $label }
analytics-period-p = Last quarter · { $label }
analytics-period-y = This year · { $label }

## Churn signals in the agenda
agenda-churn-fall = 📉 { $client } — revenue of the last 90 days fell { $percent } ({ $recent } against { $previous } before)
agenda-churn-silence = 📉 { $client } — no order for { $days ->
        [one] { $days } day
       *[other] { $days } days
    }, usually every { $gap ->
        [one] { $gap } day
       *[other] { $gap } days
    }

## /export
export-not-yours = The Excel export is for supervisors and admins.
export-choose-period = Excel workbook for which period?
export-empty = Nothing happened in { $period }: no contacts, orders, shipments, claims or plans. No file was made; choose another period.
export-preparing = ⏳ Preparing the workbook for { $period }…
export-sent = ✅ The workbook for { $period } is sent. Another period?
export-caption = 📎 KAM workbook, { $period }
export-sheet-contacts = Contacts
export-sheet-orders = Orders
export-sheet-receivables = Receivables
export-sheet-claims = Claims
export-sheet-plan = Plan fulfilment
export-sheet-abc-clients = ABC clients
export-sheet-abc-products = ABC products
export-col-when = When
export-col-client = Client
export-col-manager = Manager
export-col-channel = Channel
export-col-outcome = Outcome
export-col-summary = Summary
export-col-number = Number
export-col-date = Date
export-col-status = Status
export-col-amount = Amount
export-col-ship-date = Ship date
export-col-shipment = Shipment
export-col-due = Due
export-col-open-amount = Owed
export-col-days-overdue = Days overdue
export-col-aging = Aging
export-col-registered = Registered
export-col-direction = Direction
export-col-category = Category
export-col-internal-deadline = Internal deadline
export-col-legal-deadline = Legal deadline
export-col-description = Description
export-col-plan = Plan
export-col-actual = Actual
export-col-fulfilment = Fulfilment
export-col-forecast = Forecast
export-col-gap = Needed a business day
export-col-days-left = Business days left
export-col-class = Class
export-col-revenue = Revenue
export-col-share = Share
export-col-cumulative = Cumulative
export-col-article = Article
export-col-product = Product
export-bucket-not-due = not due
