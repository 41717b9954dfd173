# python -m bot demo: what the terminal chat prints itself (the bot's own texts are elsewhere)
demo-welcome =
    KAM Assistant demo: the real bot over a made-up company, TechnoPak (packaging wholesale).
    Talk to the bot as in Telegram: /help, /today, /clients, /debts черноземье, /log, /claims, /plan.
    Demo commands start with a colon: :as, :users, :job digest, :help, :quit.
demo-prompt = { $name } ›
demo-prompt-buttons = { $name } [{ $numbers }] ›
demo-bye = Bye! The demo database is kept: the next run carries on where you left off.
demo-you-are = You are now { $name }: { $who }.
demo-while-away = While you were someone else, messages arrived: { $count }.
demo-stranger = a stranger: the bot lets them in by invitation only (/start <code>)
demo-stranger-name = Guest
demo-team-of = team of { $name }
demo-team = managers: { $names }
demo-users-title = The demo company's people (:as <number>, name or role):
demo-help =
    Demo commands (anything else goes to the bot as a message):
      :as <name or role> — become someone else: :as Petrov, :as manager 2, :as supervisor, :as admin, :as department, :as 4 (a number from :users), :as new (a stranger, for an invitation link)
      :users — who works at the demo company
      :job <job> [time] — run a scheduled job as if it were that time: { $jobs }
          time: 09:05, tomorrow 09:05, 2026-12-07T09:05 (in the current person's zone); none: now, and the digest at your digest hour on the nearest business day
      :lang ru|en — the current person's language
      :send <file> [caption] — send the bot a file, e.g. a 1C export captioned /import shipments
      :press <number> — press a button of an older message: the latest one that has buttons (as you would scroll up in Telegram to tap it)
      :help — this help, :quit — leave (or Ctrl-D)
    Buttons are numbered. A number you type presses a button of the bot's latest message, and only while that message has buttons: the prompt then shows their numbers, "Ivan Petrov [1–8] ›". Otherwise (the bot's latest message has none, or the number is beyond them) the number goes to the bot as text; \12 is always text (an hour or an amount, say).
    Menu items can be typed as words, without the emoji: clients, debts, today.
    Documents and charts are saved to a folder; the path is printed.
    Messages to other people show as one line "→ name: …", in full once you become them (:as).
demo-unknown-command = No such demo command: :{ $command }. See :help.
demo-no-such-person = Nobody matches "{ $query }". See :users.
demo-several-people = Several match: { $names }. Be more specific.
demo-lang-usage = Language: :lang ru or :lang en.
demo-lang-set = Language: { $language }.
demo-job-usage = Which job? :job <job> [time]; jobs: { $jobs }.
demo-job-unknown = No job "{ $name }". Jobs: { $jobs }.
demo-job-bad-time = Cannot read the time "{ $text }". For example: 09:05, tomorrow 09:05, 2026-12-07T09:05.
demo-job-ran = ⚙ Job { $name } as of { $moment } ({ $zone }): { $result }
demo-held = ⏳ → { $name }: "{ $text }" arrives { $at } (quiet hours)
demo-send-usage = Send a file: :send <path> [caption], e.g. :send export.csv /import shipments
demo-number-as-text = ({ $number } goes to the bot as text: its latest message has no buttons. :press { $number } would press "{ $button }" of "{ $message }".)
demo-pressing = ↑ [{ $number }] { $button } — of "{ $message }"
demo-press-usage = :press <number> presses a button of the latest message that has buttons; no message has that button.
demo-button-url = That is a link, not a button: { $text } → { $url }
demo-alert = ⚠️ { $text }
demo-notice = 💬 { $text }
demo-to-other = → { $name }: { $text }
demo-file-document = 📎 document: { $path }
demo-file-photo = 🖼 image: { $path }
demo-file-voice = 🎤 voice note: { $path }
demo-reply-expected = ↩ the bot waits for a reply to this message: the next text goes as the reply
demo-menu = Menu (type an item): { $items }
demo-not-a-demo = { $path } is not a demo database (it has no demo company mark): the demo will not touch it. Choose another file: --database <path>.
demo-reused = The demo company in { $path } (seed { $seed }, dated { $date }); --reset makes it anew.
demo-stale = It was made for { $date }: its "today" is that day. --reset remakes it for today.
demo-other-language = The demo people speak { $made }, as the company was made; --reset --language { $wanted } remakes it in { $wanted } (or :lang { $wanted } for one person).
demo-generated = Made the demo company in { $path } in { $seconds } s: { $people } people, { $clients } clients, { $orders } orders, { $contacts } contacts, { $claims } claims.
demo-telegram-title = Open a link in Telegram to become that person of the demo company (each link works once; another link switches you to someone else):
demo-telegram-link = { $role } — { $name }: { $link }
demo-telegram-running = The bot runs over the demo company. Stop it with Ctrl-C.
