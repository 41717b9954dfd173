"""The terminal chat, driven through its input and output streams as a newcomer would:
switch person, log a contact (buttons by number, and the one-line form), look up a debt,
run the morning digest, see a hand-over reach the other manager."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import text

from storage.engine import Database
from tests.demo.conftest import Terminal


def button(screen: str, label: str) -> str:
    """The number the terminal printed for the last button whose text starts with label."""
    found = re.findall(rf"\[(\d+)\] {re.escape(label)}", screen)
    assert found, f"no button {label!r} in:\n{screen}"
    return found[-1]


async def contacts_today(database: Path, client_like: str) -> list[tuple[str, str]]:
    db = Database(f"sqlite+aiosqlite:///{database}")
    try:
        async with db.read() as session:
            rows = await session.execute(
                text(
                    "SELECT k.summary, u.full_name FROM contacts k JOIN clients c ON c.id = "
                    "k.client_id JOIN users u ON u.id = k.author_id WHERE c.name LIKE :name "
                    "AND k.happened_at >= '2026-11-23' ORDER BY k.id"
                ),
                {"name": f"%{client_like}%"},
            )
            return [(s, n) for s, n in rows]
    finally:
        await db.dispose()


async def test_a_manager_logs_a_contact_looks_up_a_debt_and_gets_the_digest(
    terminal_ru: Terminal, company_ru: Path
) -> None:
    t = terminal_ru
    opening = t.screen.getvalue()
    assert "KAM Assistant — демо" in opening
    assert "Теперь вы — Иван Петров: менеджер по ключевым клиентам" in opening
    assert "🤖 Добро пожаловать, Иван Петров!" in opening  # the bot's own greeting
    assert "Меню (напишите пункт): 📅 Сегодня · 🏢 Клиенты" in opening

    screen = await t.type(":as Смирнова")
    assert "Теперь вы — Ольга Смирнова" in screen and "Добро пожаловать, Ольга Смирнова" in screen
    screen = await t.type(":as менеджер")  # by role: the first manager
    assert "Теперь вы — Иван Петров" in screen and "Добро пожаловать" not in screen

    # The contact log dialog: buttons pressed by number, texts typed.
    screen = await t.type("/log")
    assert "Какой клиент?" in screen
    screen = await t.type("воронеж")
    screen = await t.type(button(screen, "Агрохолдинг Черноземье, филиал Воронеж"))
    screen = await t.type(button(screen, "Встреча"))
    assert "С кем?" in screen
    screen = await t.type(button(screen, "Пропустить"))
    screen = await t.type("Обсудили поставки на декабрь")
    screen = await t.type(button(screen, "👍"))
    screen = await t.type("Отправить КП")
    screen = await t.type(button(screen, "Завтра"))
    assert "Контакт записан. Следующий шаг 24.11.2026: Отправить КП" in screen
    assert "Агрохолдинг Черноземье, филиал Воронеж · B" in screen
    # ... and in one message.
    screen = await t.type("/log воронеж: звонок о сроках; next: уточнить оплату +2")
    assert "Контакт записан. Следующий шаг 25.11.2026: уточнить оплату" in screen

    screen = await t.type("/debts воронеж")
    assert "Долг: " in screen and "просрочено:" in screen
    assert "Просрочка по срокам: 1–30 дн.: " in screen
    assert "⚖️ Подготовить претензию об оплате" in screen

    screen = await t.type(":job digest")
    assert (
        "⚙ Задача digest на 23.11.2026 09:05 (Europe/Moscow): 6 digests queued" in screen
    )  # all six managers
    assert "🤖 Доброе утро! Ваши дела на 23.11.2026:" in screen
    assert "Новая просрочка:" in screen and "Всего просрочено:" in screen
    assert "→ Ольга Смирнова: Доброе утро!" in screen  # the others' digests, one line each
    assert "[1] 1" in screen  # its items, as buttons to press
    screen = await t.type(":job digest")
    assert "0 digests queued" in screen  # owed once a day

    # The menu, typed as words (each of these used to need a command's arguments).
    assert "(открытые)" in await t.type("претензии")  # Petrov has none open
    assert "Какой клиент?" in await t.type("контакт")
    assert "Отменено. Ничего не сохранено." in await t.type("/cancel")
    assert "Какой клиент? Напишите часть названия или ИНН" in await t.type("претензия")
    await t.type("/cancel")

    screen = await t.quit()
    assert "До встречи!" in screen
    assert await contacts_today(company_ru, "Воронеж") == [
        ("Обсудили поставки на декабрь", "Иван Петров"),
        ("звонок о сроках", "Иван Петров"),
    ]


async def test_a_hand_over_reaches_the_other_manager_in_english(terminal_en: Terminal) -> None:
    t = terminal_en
    assert "You are now Ivan Petrov: key account manager · team of Andrey Morozov" in (
        t.screen.getvalue()
    )
    screen = await t.type(":as supervisor")
    assert "You are now Andrey Morozov: supervisor · managers:" in screen
    screen = await t.type("clients")  # a menu item, typed without its emoji
    assert "Your clients: 30" in screen
    screen = await t.type(button(screen, "1. "))
    old = re.search(r"Manager: (.+)", screen)
    assert old, screen
    screen = await t.type(button(screen, "🔁"))
    new = re.search(r"\[1\] (.+)", screen)
    assert new, screen
    screen = await t.type("1")
    assert f"to {new.group(1)}? Past results stay with {old.group(1)}" in screen
    screen = await t.type(button(screen, "✅ Yes, hand over"))
    assert f"Manager: {new.group(1)}" in screen
    assert f"→ {old.group(1)}: " in screen and f"→ {new.group(1)}: " in screen

    screen = await t.type(f":as {new.group(1)}")
    assert "While you were someone else, messages arrived: 1." in screen
    assert "🤖 You are now the manager of " in screen


async def test_help_users_jobs_language_and_plain_numbers(terminal_en: Terminal) -> None:
    t = terminal_en
    screen = await t.type(":help")
    assert ":as <name or role>" in screen and "digest, followups" in screen
    screen = await t.type(":users")
    assert re.search(r"▶ 4\. Ivan Petrov — key account manager", screen)
    assert "10. Sergey Kuznetsov — department member · Quality department" in screen
    screen = await t.type(":as 3")
    assert "You are now Tatyana Volkova" in screen
    screen = await t.type(":as nobody-like-this")
    assert 'Nobody matches "nobody-like-this"' in screen
    screen = await t.type(":job nightly")
    assert 'No job "nightly"' in screen and "team_weekly" in screen
    screen = await t.type(":job digest at noon")
    assert 'Cannot read the time "at noon"' in screen
    screen = await t.type(":job claims tomorrow 09:05")
    assert "⚙ Job claims as of 24.11.2026 09:05 (Europe/Moscow): " in screen
    # Quiet hours (21:00–08:00): a reminder owed at 22:05 waits for the morning.
    screen = await t.type(":job followups 22:05")
    assert re.search(r"⏳ → Ivan Petrov: .+ arrives 24\.11 08:00 \(quiet hours\)", screen)
    screen = await t.type(":frobnicate")
    assert "No such demo command" in screen

    screen = await t.type(":as Petrov")
    screen = await t.type("/today")
    assert "[1] 1" in screen
    screen = await t.type("99")  # beyond the buttons: text (a search), not a press
    assert 'Nothing found for "99"' in screen
    screen = await t.type("\\:users")  # escaped: to the bot, not a demo command
    assert 'Nothing found for ":users"' in screen

    screen = await t.type(":lang ru")
    assert "Язык: ru." in screen and "🤖 Главное меню." in screen
    screen = await t.type("долги")
    assert "Долг: " in screen


async def test_files_are_saved_and_a_stranger_needs_an_invitation(
    terminal_en: Terminal, tmp_path: Path
) -> None:
    t = terminal_en
    await t.type("/debts 100101")  # the holding's head: ERP code
    screen = t.screen.getvalue()
    screen = await t.type(button(screen, "⚖️"))
    saved = re.search(r"📎 document: (\S+\.docx)", screen)
    assert saved, screen
    assert Path(saved.group(1)).read_bytes().startswith(b"PK")  # a .docx is a zip

    screen = await t.type(":as new")
    assert "You are now Guest 1: a stranger" in screen
    screen = await t.type("/clients")
    assert "invitation" in screen.lower()

    prices = tmp_path / "prices.csv"
    prices.write_text(
        "Артикул;Номенклатура;Цена;Дата начала действия\n"
        "НОВ-1;Новинка: скотч цветной 48 мм;150,00;01.12.2026\n",
        encoding="utf-8",
    )
    screen = await t.type(":as admin")
    screen = await t.type(f":send {prices} /import prices")
    assert "Import of prices done: 1 rows read, 1 new" in screen, screen
