"""The terminal chat: the production dispatcher, handlers, storage and jobs, with only the
Telegram transport replaced.

session.py       the in-process Bot API: answers the bot's calls as Telegram would
screen.py        what the terminal prints of a chat, and what each chat holds for input
reader.py        the keyboard: lines read on a thread, one when asked
people.py        whom the terminal can be (`:as`, `:users`)
conversation.py  who types now, and the updates they send the bot; the outbox delivered
commands.py      the colon commands (`:as`, `:job`, `:press N`, `:send`, `:lang`, …)
chat.py          the loop: a line to the bot, or to a command
"""
