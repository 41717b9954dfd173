# Supervisors: team summaries, /report, /team
cmd-report = Team summary with a chart, for a period
cmd-team = My team: each manager's key figures
cmd-export = Excel workbook of a period: contacts, orders, debts, claims, plan, ABC
menu-report = 📊 Report
menu-team = 🧑‍💼 Team
report-title-daily = 📊 Team summary for { $date } · { $scope }
report-title-weekly = 📊 Weekly team summary, { $period } · { $scope }
report-title = 📊 Team summary, { $period } (as of { $date }) · { $scope }
report-scope-company = whole company
report-manager = 👤 { $name }
report-team = 👥 Team total
report-channel = { $name } { $count }
report-contacts = Contacts: { $total }{ $channels } · key clients contacted: { $contacted } of { $due } due
report-missed = Missed next steps: { $missed } · overdue { $overdue } (new { $new })
report-claims = Claims: { $opened } opened, { $closed } closed, { $late } late · deals won { $won } ({ $won_amount }), lost { $lost }
report-plan = Plan { $period }: { $percent } ({ $actual } of { $plan }), forecast { $forecast }
report-no-plan = Plan { $period }: not set
report-aging = Overdue by age: 1–30 d: { $b1 } · 31–60 d: { $b2 } · 61–90 d: { $b3 } · over 90 d: { $b4 }
report-attention = ⚠️ Needs attention (tap a number):
report-attention-overdue = { $n }. { $client }: { $amount } overdue ({ $manager })
report-attention-neglected = { $n }. { $client }: contact { $days ->
        [one] { $days } day
       *[other] { $days } days
    } overdue ({ $manager })
report-attention-claim = { $n }. Claim { $number }, { $client }: deadline { $deadline }, { $days ->
        [one] { $days } day
       *[other] { $days } days
    } left ({ $manager })
report-attention-claim-late = { $n }. Claim { $number }, { $client }: deadline { $deadline } passed { $days ->
        [one] { $days } day
       *[other] { $days } days
    } ago ({ $manager })
report-attention-none = ✅ Nothing needs attention.
report-churn = 📉 Key clients at risk of leaving:
report-churn-fall = • { $client }: revenue of the last 90 days { $recent } against { $previous } before ({ $percent }) ({ $manager })
report-churn-silence = • { $client }: no order for { $days ->
        [one] { $days } day
       *[other] { $days } days
    }, usually every { $usual ->
        [one] { $usual } day
       *[other] { $usual } days
    } ({ $manager })
report-churn-more = … and { $count } more
report-empty = There are no managers in your team yet.
report-choose-period = Team summary for which period?
report-period-w = This week
report-period-l = Last week
report-period-m = This month
report-period-q = This quarter
report-not-yours = Reports are for supervisors and admins.
chart-title = Team, { $period }
chart-plan-title = Plan vs actual, { $period }
chart-plan = Plan
chart-actual = Actual
chart-aging-title = Overdue receivables by age, as of { $date }
chart-unit = thousand ₽
chart-no-plans = No plans set for this period
team-title = 🧑‍💼 Your team this week ({ $period }). Tap a number for a manager's view.
team-line = { $n }. { $name }: contacts { $contacts }, key clients { $contacted }/{ $due }, missed { $missed }, overdue { $overdue }, plan { $plan }
team-back = ← Team
report-team-row = 👥 Team of { $name }
report-no-team = 👥 Managers without a supervisor
report-no-team-short = No supervisor
report-company-total = 🏢 Company total
team-title-company = 🏢 Teams this week ({ $period }). Tap a number for a team.
team-title-of = 👥 Team of { $name } this week ({ $period }). Tap a number for a manager's view.
