"""`python -m bot demo`: a generated demo company, and the real bot over a terminal chat
(without a BOT_TOKEN) or on Telegram (with one).

generator.py  the deterministic company (a seed and a date give the same company)
terminal.py   the terminal transport: a Bot API session that prints, and the chat loop
run.py        the command: prepare the demo database, then chat or poll
"""
