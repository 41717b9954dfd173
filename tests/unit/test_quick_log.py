"""The one-message contact form behind /log."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.services.dates import When, parse_when
from bot.services.quick_log import (
    MAX_TEXT,
    QuickLog,
    QuickLogError,
    parse_quick_log,
    split_trailing_when,
)

MOSCOW = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday, 12:00 in Moscow


def parse(text: str) -> QuickLog:
    return parse_quick_log(text, now=NOW, tz=MOSCOW)


def split(text: str) -> tuple[str, str | None]:
    return split_trailing_when(text, now=NOW, tz=MOSCOW)


def test_the_example() -> None:
    assert parse("Ромашка: discussed Q1 volumes; next: send offer +2") == QuickLog(
        client_query="Ромашка",
        summary="discussed Q1 volumes",
        next_step="send offer",
        next_when_text="+2",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Russian markers, any case, spaces around the colon
        (
            "Ромашка: обсудили объёмы; далее: отправить КП завтра",
            QuickLog("Ромашка", "обсудили объёмы", "отправить КП", "завтра"),
        ),
        (
            "Ромашка: обсудили объёмы; след: позвонить пт",
            QuickLog("Ромашка", "обсудили объёмы", "позвонить", "пт"),
        ),
        (
            "Ромашка: обсудили объёмы; следующий шаг: встреча в пятницу в 11:00",
            QuickLog("Ромашка", "обсудили объёмы", "встреча", "в пятницу в 11:00"),
        ),
        (
            "Ромашка: обсудили объёмы; Шаг: выставить счёт +3д",
            QuickLog("Ромашка", "обсудили объёмы", "выставить счёт", "+3д"),
        ),
        (
            "Ромашка: обсудили объёмы; ДАЛЕЕ : отправить КП 25.12",
            QuickLog("Ромашка", "обсудили объёмы", "отправить КП", "25.12"),
        ),
        (
            "Ромашка: обсудили объёмы; Следующий  шаг:отправить КП +2н",
            QuickLog("Ромашка", "обсудили объёмы", "отправить КП", "+2н"),
        ),
        # English markers
        (
            "Acme: call went well; NEXT: send contract tomorrow 9:30",
            QuickLog("Acme", "call went well", "send contract", "tomorrow 9:30"),
        ),
        (
            "Acme: call went well; next step: send contract day after tomorrow",
            QuickLog("Acme", "call went well", "send contract", "day after tomorrow"),
        ),
        (
            "Acme: call went well; next: demo on friday at 11:00",
            QuickLog("Acme", "call went well", "demo", "on friday at 11:00"),
        ),
        # a multi-word date
        (
            "Ромашка: встреча; next: отправить КП 25.12 14:30",
            QuickLog("Ромашка", "встреча", "отправить КП", "25.12 14:30"),
        ),
        (
            "Ромашка: встреча; next: отправить КП 25.12.2026 9:05",
            QuickLog("Ромашка", "встреча", "отправить КП", "25.12.2026 9:05"),
        ),
        # the date keeps the user's spelling; punctuation before it is dropped
        (
            "Ромашка: встреча; next: отправить КП, Завтра В 10:00",
            QuickLog("Ромашка", "встреча", "отправить КП", "Завтра В 10:00"),
        ),
        (
            "Ромашка: встреча; next: отправить КП — +2",
            QuickLog("Ромашка", "встреча", "отправить КП", "+2"),
        ),
        # a next step without a date
        (
            "Ромашка: встреча; next: send offer",
            QuickLog("Ромашка", "встреча", "send offer", None),
        ),
        (
            "Ромашка: встреча; далее: ждать ответа",
            QuickLog("Ромашка", "встреча", "ждать ответа", None),
        ),
        # numbers that are not dates stay in the step
        (
            "Ромашка: встреча; next: send 2 pallets",
            QuickLog("Ромашка", "встреча", "send 2 pallets", None),
        ),
        (
            "Ромашка: встреча; next: call at 14:30",
            QuickLog("Ромашка", "встреча", "call at 14:30", None),
        ),
        # no next step
        (
            "Ромашка: встреча прошла хорошо",
            QuickLog("Ромашка", "встреча прошла хорошо", None, None),
        ),
        ("Ромашка: встреча;", QuickLog("Ромашка", "встреча", None, None)),
        ("Ромашка: встреча; next:", QuickLog("Ромашка", "встреча", None, None)),
        ("Ромашка: встреча; next:   ", QuickLog("Ромашка", "встреча", None, None)),
        # a summary mentioning a date keeps it: only the next step has a date split off
        ("Ромашка: встреча завтра", QuickLog("Ромашка", "встреча завтра", None, None)),
        # several summary parts are kept, wherever the next step is
        (
            "Ромашка: обсудили цены; согласовали объём; next: КП +2",
            QuickLog("Ромашка", "обсудили цены; согласовали объём", "КП", "+2"),
        ),
        (
            "Ромашка: обсудили цены; next: КП +2; согласовали объём",
            QuickLog("Ромашка", "обсудили цены; согласовали объём", "КП", "+2"),
        ),
        (
            "Ромашка: обсудили цены;; ;согласовали объём",
            QuickLog("Ромашка", "обсудили цены; согласовали объём", None, None),
        ),
        # only the first colon separates the client; later ones belong to the text
        (
            "Ромашка: встреча в 14:30: всё хорошо; next: call пт 11:00",
            QuickLog("Ромашка", "встреча в 14:30: всё хорошо", "call", "пт 11:00"),
        ),
        # the client query is taken as typed (quotes, legal forms) and stripped
        (
            '  ООО "Ромашка"  :  встреча  ',
            QuickLog('ООО "Ромашка"', "встреча", None, None),
        ),
        # the summary may span lines
        (
            "Ромашка: строка один\nстрока два; next: позвонить\nзавтра",
            QuickLog("Ромашка", "строка один\nстрока два", "позвонить", "завтра"),
        ),
        # "next" only counts as a marker at the start of a part, with a colon
        (
            "Ромашка: next time bring samples",
            QuickLog("Ромашка", "next time bring samples", None, None),
        ),
        (
            "Ромашка: обсудили next steps; next: КП",
            QuickLog("Ромашка", "обсудили next steps", "КП", None),
        ),
    ],
)
def test_parse_quick_log(text: str, expected: QuickLog) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Ромашка встреча прошла хорошо",  # no colon
        ": встреча",  # empty client
        "   : встреча",
        "Ромашка:",  # empty summary
        "Ромашка:   ",
        "Ромашка: ;",
        "Ромашка: ; next: send offer +2",  # only a next step
        "Ромашка: next: send offer +2",
        "Ромашка: встреча; next: КП +2; далее: звонок пт",  # two next steps
        "Ромашка: встреча; next: +2",  # a date but no step
        "Ромашка: встреча; next: завтра 10:00",
    ],
)
def test_format_errors(text: str) -> None:
    with pytest.raises(QuickLogError) as info:
        parse(text)
    assert info.value.reason == "quicklog-error-format"
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("text", "value", "reason"),
    [
        # An impossible or unreadable date is refused with what could not be read, never
        # kept as words of the step (the step would lose its date without a word).
        ("Ромашка: встреча; next: send offer 31.02", "31.02", "date-error-invalid"),
        ("Ромашка: встреча; next: call 25.12 25:61", "25:61", "date-error-time"),
        ("Ромашка: встреча; next: call завтра в 9:61", "9:61", "date-error-time"),
        ("Ромашка: встреча; next: call 29.02.2027", "29.02.2027", "date-error-invalid"),
        ("Ромашка: встреча; next: call 2026-13-01", "2026-13-01", "date-error-invalid"),
        ("Ромашка: встреча; next: call +2x", "+2x", "date-error-format"),
    ],
)
def test_unreadable_dates_are_refused(text: str, value: str, reason: str) -> None:
    with pytest.raises(QuickLogError) as info:
        parse(text)
    assert (info.value.reason, info.value.value, info.value.date_reason) == (
        "quicklog-error-date",
        value,
        reason,
    )


def test_summary_too_long() -> None:
    assert parse("Ромашка: " + "x" * MAX_TEXT).summary == "x" * MAX_TEXT
    with pytest.raises(QuickLogError) as info:
        parse("Ромашка: " + "x" * (MAX_TEXT + 1))
    assert info.value.reason == "text-error-too-long"


def test_length_is_counted_after_stripping() -> None:
    assert parse("Ромашка:    " + "x" * MAX_TEXT + "   ").summary == "x" * MAX_TEXT


def test_next_step_too_long() -> None:
    step = "y" * MAX_TEXT
    assert parse(f"Ромашка: встреча; next: {step} +2").next_step == step
    with pytest.raises(QuickLogError) as info:
        parse(f"Ромашка: встреча; next: {step}y +2")
    assert info.value.reason == "text-error-too-long"


def test_naive_now_is_rejected() -> None:
    naive = datetime(2026, 11, 23, 9, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="aware"):
        parse_quick_log("Ромашка: встреча", now=naive, tz=MOSCOW)
    with pytest.raises(ValueError, match="aware"):
        split_trailing_when("send offer +2", now=naive, tz=MOSCOW)


def test_next_when_text_parses_to_the_intended_date() -> None:
    log = parse("Ромашка: встреча; next: отправить КП 25.12 14:30")
    assert log.next_when_text is not None
    when = parse_when(log.next_when_text, now=NOW, tz=MOSCOW)
    assert when.day.isoformat() == "2026-12-25"
    assert when.at is not None and when.at.isoformat() == "14:30:00"


# ----------------------------------------------------------------------------- split


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("send offer +2", ("send offer", "+2")),
        ("send offer +2н", ("send offer", "+2н")),
        ("send offer 25.12", ("send offer", "25.12")),
        ("send offer 25.12 14:30", ("send offer", "25.12 14:30")),
        ("send offer 25.12.2026 14:30", ("send offer", "25.12.2026 14:30")),
        ("send offer 2026-12-25", ("send offer", "2026-12-25")),
        ("позвонить завтра", ("позвонить", "завтра")),
        ("позвонить завтра в 10:00", ("позвонить", "завтра в 10:00")),
        ("позвонить послезавтра", ("позвонить", "послезавтра")),
        ("call day after tomorrow", ("call", "day after tomorrow")),
        ("call day after tomorrow at 9:30", ("call", "day after tomorrow at 9:30")),
        ("call the day after tomorrow", ("call the", "day after tomorrow")),
        ("позвонить в пятницу", ("позвонить", "в пятницу")),
        ("позвонить пт 11:00", ("позвонить", "пт 11:00")),
        ("meet +2 15:00", ("meet", "+2 15:00")),
        ("встреча, сегодня.", ("встреча", "сегодня.")),
        ("  send   offer   +2  ", ("send   offer", "+2")),
        ("+2", ("", "+2")),
        ("завтра", ("", "завтра")),
        # no date at the end
        ("send offer", ("send offer", None)),
        ("  send offer  ", ("send offer", None)),
        ("send offer at 14:30", ("send offer at 14:30", None)),  # a bare time is no date
        ("завтра send offer", ("завтра send offer", None)),  # only a trailing date
        ("send offer 31.02", ("send offer 31.02", None)),
        ("send 3 offers", ("send 3 offers", None)),
        ("", ("", None)),
    ],
)
def test_split_trailing_when(text: str, expected: tuple[str, str | None]) -> None:
    assert split(text) == expected


def test_split_result_parses() -> None:
    head, when_text = split("отправить КП в пятницу в 11:00")
    assert head == "отправить КП"
    assert when_text is not None
    assert parse_when(when_text, now=NOW, tz=MOSCOW).day.isoformat() == "2026-11-27"
    assert isinstance(parse_when(when_text, now=NOW, tz=MOSCOW), When)


def test_quick_log_is_frozen() -> None:
    log = parse("Ромашка: встреча")
    with pytest.raises(AttributeError):
        log.summary = "other"  # type: ignore[misc]
