"""A number typed in the terminal demo presses a button of the bot's latest message only
(issue 14, item 14). After a newer message without buttons (the bot asking for a value) the
number goes to the bot as text, with a line saying which older button it did not press;
the prompt shows while numbers press buttons; `:press N` reaches an older keyboard."""

from __future__ import annotations

import re

from bot.services.business_settings import SPECS
from tests.demo.conftest import Terminal
from tests.demo.test_terminal import button


async def test_a_number_after_a_message_without_buttons_is_text(terminal_en: Terminal) -> None:
    t = terminal_en
    await t.type(":as admin")
    screen = await t.type("/settings")
    screen = await t.type(button(screen, "Company settings"))
    assert "[8] Overdue alert from, roubles" in screen
    # The prompt says that numbers press the buttons just printed, and how many there are
    # (one per company setting, and « Back).
    count = len(SPECS) + 1
    assert screen.rstrip().endswith(f"Elena Sokolova [1–{count}] ›")

    screen = await t.type(button(screen, "Invitation lifetime, days"))
    assert "Invitation lifetime, days: now 7." in screen
    assert screen.rstrip().endswith("Elena Sokolova ›")  # no buttons: numbers are text

    screen = await t.type("8")
    assert (
        "(8 goes to the bot as text: its latest message has no buttons. :press 8 would press "
        '"Overdue alert from, roubles" of "Company settings (changes are audited):".)'
    ) in screen
    assert "🤖 Invitation lifetime, days is now 8." in screen
    assert "Overdue alert from, roubles: now" not in screen  # the old bug: button 8 pressed


async def test_press_reaches_the_buttons_above_in_russian(terminal_ru: Terminal) -> None:
    t = terminal_ru
    screen = await t.type("/log")
    screen = await t.type("воронеж")
    assert screen.rstrip().endswith("Иван Петров [1] ›")
    screen = await t.type(button(screen, "Агрохолдинг Черноземье, филиал Воронеж"))
    assert "как общались?" in screen
    channel = button(screen, "Встреча")
    screen = await t.type("просто текст")  # the step waits for a button
    assert "Выберите, пожалуйста, кнопкой выше или /cancel." in screen
    assert screen.rstrip().endswith("Иван Петров ›")

    screen = await t.type(channel)
    assert f"({channel} уходит боту текстом: у его последнего сообщения нет кнопок." in screen
    assert f":press {channel} нажмёт «Встреча»" in screen

    screen = await t.type(f":press {channel}")
    assert f"↑ [{channel}] Встреча — в сообщении «" in screen
    assert "С кем?" in screen
    assert re.search(r"Иван Петров \[1–\d+\] ›\s*$", screen)

    screen = await t.type(":press 99")
    assert ":press <номер> нажимает кнопку последнего сообщения, где есть кнопки" in screen
    screen = await t.type("²")  # not a button's number, and no crash: text to the bot
    assert "🤖 Выберите, пожалуйста, кнопкой выше или /cancel." in screen
    screen = await t.type(":as ²")  # nor a person's number in :users
    assert "Никого не нашлось по «²». Список — :users." in screen
