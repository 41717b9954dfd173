"""`python -m bot demo`: a generated demo company, and the real bot over a terminal chat
(without a BOT_TOKEN) or on Telegram (with one). A command-line tool: nothing the bot runs
imports it (tests/demo/test_runtime_path.py checks).

run.py      the command: prepare the demo database, then chat or poll
marker.py   the mark that makes a database the demo's
company/    the deterministic company (a seed and a date give the same company)
terminal/   the terminal transport: a Bot API session that prints, and the chat loop
"""
