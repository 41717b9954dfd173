# Supervisors: team summaries, /report, /team
cmd-report = Team summary with a chart, for a period
cmd-team = My team: each manager's key figures
cmd-export = Excel workbook of a period: contacts, orders, debts, claims, plan, ABC
menu-report = 📊 Report
menu-team = 🧑‍💼 Team
