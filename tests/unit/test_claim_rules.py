"""Claim rules: transitions, numbers, deadlines on the Russian calendar, reminders and
the payment claim letter (text and .docx)."""

from __future__ import annotations

import io
import itertools
from datetime import date, timedelta
from decimal import Decimal

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from bot.runtime.i18n import Translator
from bot.services.business_calendar import BusinessCalendar
from bot.services.claim_deadlines import Deadlines, claim_deadlines, days_left, due_reminders
from bot.services.claim_rules import (
    REASON_NOT_ALLOWED,
    REASON_TRANSITION,
    Action,
    Actor,
    ClaimStatus,
    Direction,
    TransitionError,
    allowed_actions,
    asks_for_text,
    claim_number,
    initial_status,
    is_open,
    may,
    means_no_order,
    next_status,
    parse_claim_number,
    text_line_key,
)
from bot.services.formatting import document_money
from bot.services.payment_claims import (
    OverdueItem,
    PaymentClaimDraft,
    payment_claim_docx,
    payment_claim_draft,
    payment_claim_eligible,
    payment_claim_text,
)

S = ClaimStatus
A = Actor
IN = Direction.INCOMING
OUT = Direction.OUTGOING


@pytest.fixture(scope="module")
def calendar() -> BusinessCalendar:
    return BusinessCalendar("RU")


TEXTS = Translator()  # the letter's wording comes from the catalogues


# ---------------------------------------------------------------------- transitions

# Written out independently of the module's table: (direction, from, action, to, actors).
ALLOWED = [
    (IN, S.NEW, Action.TAKE, S.IN_PROGRESS, {A.DEPARTMENT, A.ADMIN}),
    (IN, S.NEW, Action.RESOLVE, S.RESOLVED, {A.DEPARTMENT, A.ADMIN}),
    (IN, S.IN_PROGRESS, Action.RESOLVE, S.RESOLVED, {A.DEPARTMENT, A.ADMIN}),
    (IN, S.NEW, Action.REJECT, S.REJECTED, {A.DEPARTMENT, A.ADMIN}),
    (IN, S.IN_PROGRESS, Action.REJECT, S.REJECTED, {A.DEPARTMENT, A.ADMIN}),
    (IN, S.RESOLVED, Action.REOPEN, S.IN_PROGRESS, {A.MANAGER, A.DEPARTMENT, A.ADMIN}),
    (IN, S.REJECTED, Action.REOPEN, S.IN_PROGRESS, {A.MANAGER, A.DEPARTMENT, A.ADMIN}),
    (OUT, S.SENT, Action.ANSWERED, S.ANSWERED, {A.MANAGER, A.ADMIN}),
    (OUT, S.SENT, Action.RESOLVE, S.RESOLVED, {A.MANAGER, A.ADMIN}),
    (OUT, S.ANSWERED, Action.RESOLVE, S.RESOLVED, {A.MANAGER, A.ADMIN}),
    (OUT, S.RESOLVED, Action.REOPEN, S.SENT, {A.MANAGER, A.ADMIN}),
]
ALLOWED_CASES = [
    pytest.param(d, cur, act, who, to, id=f"{d}-{cur}-{act}-{who}")
    for d, cur, act, to, actors in ALLOWED
    for who in sorted(actors)
]


@pytest.mark.parametrize(("direction", "current", "action", "actor", "expected"), ALLOWED_CASES)
def test_allowed_transitions(
    direction: Direction, current: ClaimStatus, action: Action, actor: Actor, expected: ClaimStatus
) -> None:
    assert next_status(direction, current, action, actor) is expected


@pytest.mark.parametrize(
    ("direction", "current", "action", "actor", "reason"),
    [
        # wrong state
        (IN, S.IN_PROGRESS, Action.TAKE, A.DEPARTMENT, REASON_TRANSITION),
        (IN, S.RESOLVED, Action.RESOLVE, A.ADMIN, REASON_TRANSITION),
        (IN, S.REJECTED, Action.REJECT, A.DEPARTMENT, REASON_TRANSITION),
        (IN, S.NEW, Action.REOPEN, A.MANAGER, REASON_TRANSITION),
        (IN, S.IN_PROGRESS, Action.REOPEN, A.ADMIN, REASON_TRANSITION),
        (OUT, S.ANSWERED, Action.ANSWERED, A.MANAGER, REASON_TRANSITION),
        (OUT, S.RESOLVED, Action.RESOLVE, A.MANAGER, REASON_TRANSITION),
        (OUT, S.SENT, Action.REOPEN, A.ADMIN, REASON_TRANSITION),
        # wrong direction for the action
        (IN, S.NEW, Action.ANSWERED, A.ADMIN, REASON_TRANSITION),
        (OUT, S.SENT, Action.TAKE, A.MANAGER, REASON_TRANSITION),
        (OUT, S.SENT, Action.REJECT, A.MANAGER, REASON_TRANSITION),
        # the state check comes first: a stale button is not a rights problem
        (IN, S.RESOLVED, Action.TAKE, A.SUPERVISOR, REASON_TRANSITION),
        # wrong actor
        (IN, S.NEW, Action.TAKE, A.MANAGER, REASON_NOT_ALLOWED),
        (IN, S.NEW, Action.RESOLVE, A.MANAGER, REASON_NOT_ALLOWED),
        (IN, S.IN_PROGRESS, Action.REJECT, A.SUPERVISOR, REASON_NOT_ALLOWED),
        (IN, S.RESOLVED, Action.REOPEN, A.SUPERVISOR, REASON_NOT_ALLOWED),
        (OUT, S.SENT, Action.ANSWERED, A.DEPARTMENT, REASON_NOT_ALLOWED),
        (OUT, S.ANSWERED, Action.RESOLVE, A.SUPERVISOR, REASON_NOT_ALLOWED),
        (OUT, S.RESOLVED, Action.REOPEN, A.DEPARTMENT, REASON_NOT_ALLOWED),
    ],
)
def test_refused_transitions(
    direction: Direction, current: ClaimStatus, action: Action, actor: Actor, reason: str
) -> None:
    with pytest.raises(TransitionError) as info:
        next_status(direction, current, action, actor)
    assert info.value.reason == reason
    assert isinstance(info.value, ValueError)
    assert (info.value.direction, info.value.current, info.value.action, info.value.actor) == (
        direction,
        current,
        action,
        actor,
    )


def test_everything_outside_the_table_is_refused() -> None:
    moves = {(d, cur, act): (to, actors) for d, cur, act, to, actors in ALLOWED}
    for direction, current, action, actor in itertools.product(Direction, S, Action, A):
        move = moves.get((direction, current, action))
        if move is not None and actor in move[1]:
            assert next_status(direction, current, action, actor) is move[0]
            continue
        with pytest.raises(TransitionError) as info:
            next_status(direction, current, action, actor)
        assert info.value.reason == (REASON_TRANSITION if move is None else REASON_NOT_ALLOWED)


@pytest.mark.parametrize(
    ("direction", "current", "actor", "expected"),
    [
        (IN, S.NEW, A.DEPARTMENT, [Action.TAKE, Action.RESOLVE, Action.REJECT, Action.QUESTION]),
        (IN, S.NEW, A.MANAGER, [Action.QUESTION]),
        (IN, S.RESOLVED, A.MANAGER, [Action.REOPEN, Action.QUESTION]),
        (IN, S.IN_PROGRESS, A.SUPERVISOR, []),
        (IN, S.NEW, A.SUPERVISOR, []),
        (OUT, S.SENT, A.MANAGER, [Action.RESOLVE, Action.ANSWERED]),
        (OUT, S.ANSWERED, A.ADMIN, [Action.RESOLVE]),
        (OUT, S.RESOLVED, A.DEPARTMENT, []),
    ],
)
def test_allowed_actions(
    direction: Direction, current: ClaimStatus, actor: Actor, expected: list[Action]
) -> None:
    assert allowed_actions(direction, current, actor) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (S.NEW, True),
        (S.IN_PROGRESS, True),
        (S.SENT, True),
        (S.ANSWERED, True),
        (S.RESOLVED, False),
        (S.REJECTED, False),
    ],
)
def test_is_open(status: ClaimStatus, expected: bool) -> None:
    assert is_open(status) is expected


def test_initial_status() -> None:
    assert initial_status(IN) is S.NEW
    assert initial_status(OUT) is S.SENT


def test_enum_values_are_stable() -> None:
    # The values are stored in the database and in callback data.
    assert [s.value for s in S] == [
        "new",
        "in_progress",
        "resolved",
        "rejected",
        "sent",
        "answered",
    ]
    assert [a.value for a in Action] == [
        "take",
        "resolve",
        "reject",
        "reopen",
        "answered",
        "question",
    ]


def test_a_question_is_offered_and_allowed_by_the_one_rule() -> None:
    # Incoming claims: the manager, the department and an admin, in any status; a
    # supervisor never (it watches); an outgoing claim has nobody to ask.
    for current, actor in itertools.product(S, A):
        assert may(IN, current, Action.QUESTION, actor) is (actor is not A.SUPERVISOR)
        assert may(OUT, current, Action.QUESTION, actor) is False
        assert (Action.QUESTION in allowed_actions(IN, current, actor)) is (
            actor is not A.SUPERVISOR
        )


def test_may_agrees_with_next_status_for_every_move() -> None:
    for direction, current, action, actor in itertools.product(Direction, S, Action, A):
        if action is Action.QUESTION:
            continue
        try:
            next_status(direction, current, action, actor)
            moves = True
        except TransitionError:
            moves = False
        assert may(direction, current, action, actor) is moves


def test_resolve_and_reject_ask_for_a_text() -> None:
    assert {a for a in Action if asks_for_text(a)} == {Action.RESOLVE, Action.REJECT}
    assert text_line_key(S.RESOLVED) == "claim-resolution-line"
    assert text_line_key(S.REJECTED) == "claim-rejection-line"
    assert text_line_key(S.IN_PROGRESS) == "claim-comment-line"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("нет", True),
        ("Нет", True),
        (" НЕТ. ", True),
        ("none", True),
        ("None", True),
        ("NO", True),
        ("no  order", True),
        ("без заказа", True),
        ("-", True),
        ("—", True),
        ("4512", False),
        ("нет заказа 4512", False),
        ("", False),
        ("n", False),
    ],
)
def test_means_no_order(text: str, expected: bool) -> None:
    assert means_no_order(text) is expected


# ---------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("year", "sequence", "expected"),
    [
        (2026, 42, "CL-2026-0042"),
        (2026, 1, "CL-2026-0001"),
        (2026, 9999, "CL-2026-9999"),
        (2026, 12345, "CL-2026-12345"),
    ],
)
def test_claim_number(year: int, sequence: int, expected: str) -> None:
    assert claim_number(year, sequence) == expected
    assert parse_claim_number(expected) == (year, sequence)


@pytest.mark.parametrize(("year", "sequence"), [(2026, 0), (2026, -1), (999, 1), (10000, 1)])
def test_claim_number_rejects_bad_parts(year: int, sequence: int) -> None:
    with pytest.raises(ValueError, match="claim"):
        claim_number(year, sequence)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CL-2026-0042", (2026, 42)),
        ("cl-2026-42", (2026, 42)),
        ("2026-42", (2026, 42)),
        ("  Cl-2027-00001 ", (2027, 1)),
        ("CL-2026-12345", (2026, 12345)),
    ],
)
def test_parse_claim_number(text: str, expected: tuple[int, int]) -> None:
    assert parse_claim_number(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "CL", "CL-2026", "CL-2026-", "CL-26-42", "CL-2026-0", "XX-2026-42", "CL-2026-4a", "42"],
)
def test_parse_claim_number_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a claim number"):
        parse_claim_number(text)


# ---------------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("registered", "internal", "legal"),
    [
        # Hand-checked: Mon 23.11 + 10 business days = Mon 07.12; +30 days = Wed 23.12.
        (date(2026, 11, 23), date(2026, 12, 7), date(2026, 12, 23)),
        # Fri 25.12: 28, 29, 30 Dec; 31.12 and 1–10 Jan are off; 11–15 Jan, 18, 19 Jan.
        # +30 days is Sunday 24.01.2027, so the legal deadline moves to Monday 25.01.
        (date(2026, 12, 25), date(2027, 1, 19), date(2027, 1, 25)),
        # +30 days = Saturday 26.12.2026 → Monday 28.12.2026.
        (date(2026, 11, 26), date(2026, 12, 10), date(2026, 12, 28)),
        # +30 days = 01.01.2027, a holiday in the middle of the break → Monday 11.01.2027.
        (date(2026, 12, 2), date(2026, 12, 16), date(2027, 1, 11)),
    ],
)
def test_claim_deadlines_hand_checked(
    calendar: BusinessCalendar, registered: date, internal: date, legal: date
) -> None:
    assert claim_deadlines(registered, calendar=calendar) == Deadlines(internal, legal)


def test_claim_deadlines_over_new_year_agree_with_the_calendar(
    calendar: BusinessCalendar,
) -> None:
    registered = date(2026, 12, 25)  # a Friday
    deadlines = claim_deadlines(registered, calendar=calendar)
    assert deadlines.internal == calendar.add_business_days(registered, 10)
    assert calendar.business_days_between(registered, deadlines.internal) == 10
    assert calendar.is_business_day(deadlines.internal)
    # The holidays really are skipped: ten plain weekdays would end on 08.01.2027.
    assert deadlines.internal > date(2027, 1, 8)
    raw_legal = registered + timedelta(days=30)
    assert not calendar.is_business_day(raw_legal)
    assert deadlines.legal == calendar.next_business_day(raw_legal)


def test_legal_deadline_on_a_business_day_stays(calendar: BusinessCalendar) -> None:
    deadlines = claim_deadlines(date(2026, 11, 23), calendar=calendar)
    assert deadlines.legal == date(2026, 11, 23) + timedelta(days=30)


def test_saturday_legal_deadline_moves_to_monday(calendar: BusinessCalendar) -> None:
    legal = claim_deadlines(date(2026, 11, 26), calendar=calendar).legal
    assert (date(2026, 11, 26) + timedelta(days=30)).weekday() == 5  # Saturday
    assert legal.weekday() == 0  # Monday
    assert legal == date(2026, 12, 28)


def test_custom_deadline_lengths(calendar: BusinessCalendar) -> None:
    deadlines = claim_deadlines(
        date(2026, 11, 23), calendar=calendar, internal_business_days=1, legal_calendar_days=5
    )
    assert deadlines == Deadlines(date(2026, 11, 24), date(2026, 11, 30))  # 28.11 is Saturday


@pytest.mark.parametrize(("internal", "legal"), [(0, 30), (10, 0), (-1, 30)])
def test_claim_deadlines_reject_empty_periods(
    calendar: BusinessCalendar, internal: int, legal: int
) -> None:
    with pytest.raises(ValueError, match="at least one day"):
        claim_deadlines(
            date(2026, 11, 23),
            calendar=calendar,
            internal_business_days=internal,
            legal_calendar_days=legal,
        )


@pytest.mark.parametrize(
    ("deadline", "today", "expected"),
    [
        (date(2026, 12, 7), date(2026, 12, 1), 6),
        (date(2026, 12, 7), date(2026, 12, 7), 0),
        (date(2026, 12, 7), date(2026, 12, 9), -2),
        (date(2027, 1, 1), date(2026, 12, 31), 1),
    ],
)
def test_days_left(deadline: date, today: date, expected: int) -> None:
    assert days_left(deadline, today) == expected


# ---------------------------------------------------------------------- reminders

# Internal deadline Tuesday 08.12.2026: "soon" is Friday 04.12 (Fri + 2 business days =
# Tue). Saturday and Sunday + 2 business days are also Tuesday, yet they must not fire.
INTERNAL = date(2026, 12, 8)
LEGAL = date(2026, 12, 23)
TRIGGERS = {
    date(2026, 12, 4): ["internal-soon"],
    date(2026, 12, 8): ["internal-today"],
    date(2026, 12, 18): ["legal-soon"],
    date(2026, 12, 24): ["legal-passed"],
}
SCAN = [date(2026, 11, 20) + timedelta(days=i) for i in range(50)]


@pytest.mark.parametrize("today", SCAN, ids=[d.isoformat() for d in SCAN])
@pytest.mark.parametrize("status", [S.NEW, S.IN_PROGRESS, S.SENT, S.ANSWERED])
def test_due_reminders_fire_on_their_day_only(
    calendar: BusinessCalendar, today: date, status: ClaimStatus
) -> None:
    got = due_reminders(
        today=today, internal=INTERNAL, legal=LEGAL, calendar=calendar, status=status
    )
    assert got == TRIGGERS.get(today, [])


def test_internal_soon_not_on_the_weekend_before_a_tuesday(calendar: BusinessCalendar) -> None:
    for weekend_day in (date(2026, 12, 5), date(2026, 12, 6)):
        assert calendar.add_business_days(weekend_day, 2) == INTERNAL  # the trap
        assert (
            due_reminders(
                today=weekend_day, internal=INTERNAL, legal=LEGAL, calendar=calendar, status=S.NEW
            )
            == []
        )


def test_internal_soon_across_the_new_year_break(calendar: BusinessCalendar) -> None:
    # Internal deadline Tuesday 12.01.2027: two business days before is Wednesday
    # 30.12.2026 (31.12 and 1–10 January are days off).
    internal = date(2027, 1, 12)
    fired = [
        day
        for day in (date(2026, 12, 28) + timedelta(days=i) for i in range(16))
        if "internal-soon"
        in due_reminders(
            today=day, internal=internal, legal=date(2027, 3, 1), calendar=calendar, status=S.NEW
        )
    ]
    assert fired == [date(2026, 12, 30)]


def test_several_reminders_on_one_day(calendar: BusinessCalendar) -> None:
    day = date(2026, 12, 8)
    got = due_reminders(
        today=day, internal=day, legal=day + timedelta(days=5), calendar=calendar, status=S.NEW
    )
    assert got == ["internal-today", "legal-soon"]


@pytest.mark.parametrize("status", [S.RESOLVED, S.REJECTED])
@pytest.mark.parametrize("today", sorted(TRIGGERS))
def test_no_reminders_for_a_closed_claim(
    calendar: BusinessCalendar, status: ClaimStatus, today: date
) -> None:
    assert (
        due_reminders(
            today=today, internal=INTERNAL, legal=LEGAL, calendar=calendar, status=status
        )
        == []
    )


# ---------------------------------------------------------------------- payment claims

ITEM_A = OverdueItem(
    number="УПД-101",
    shipped_on=date(2026, 9, 1),
    due_on=date(2026, 10, 12),
    amount=Decimal("150000.00"),
    days_overdue=45,
)
ITEM_B = OverdueItem(
    number="УПД-117",
    shipped_on=date(2026, 10, 16),
    due_on=date(2026, 11, 16),
    amount=Decimal("1100000.00"),
    days_overdue=10,
)
TODAY = date(2026, 11, 26)  # + 30 days = Saturday 26.12.2026 → Monday 28.12.2026


def make_draft(
    calendar: BusinessCalendar,
    items: tuple[OverdueItem, ...] = (ITEM_A, ITEM_B),
    rate: Decimal | None = Decimal("0.1"),
    *,
    client_inn: str | None = "7701234567",
    contract_number: str | None = "15/2026",
    today: date = TODAY,
    answer_days: int = 30,
) -> PaymentClaimDraft:
    return payment_claim_draft(
        client_name="ООО «Ромашка»",
        client_inn=client_inn,
        contract_number=contract_number,
        items=items,
        penalty_rate=rate,
        today=today,
        answer_days=answer_days,
        calendar=calendar,
        manager_name="Иванов И. И.",
    )


def test_penalty_of_one_item(calendar: BusinessCalendar) -> None:
    # 150 000,00 × 0,1 % × 45 days = 6 750,00
    draft = make_draft(calendar, items=(ITEM_A,))
    assert draft.total == Decimal("150000.00")
    assert draft.penalty == Decimal("6750.00")
    assert draft.penalty_rate == Decimal("0.1")


def test_two_items_are_summed(calendar: BusinessCalendar) -> None:
    draft = make_draft(calendar)
    assert draft.items == (ITEM_A, ITEM_B)
    assert draft.total == Decimal("1250000.00")
    # 6 750,00 + 1 100 000,00 × 0,1 % × 10 = 6 750,00 + 11 000,00
    assert draft.penalty == Decimal("17750.00")
    assert draft.date == TODAY
    assert draft.company_manager == "Иванов И. И."
    assert draft.client_inn == "7701234567"
    assert draft.contract_number == "15/2026"


def test_penalty_rounds_per_item_to_the_kopeck(calendar: BusinessCalendar) -> None:
    items = (
        OverdueItem("1", date(2026, 9, 1), date(2026, 9, 30), Decimal("333.33"), 1),
        OverdueItem("2", date(2026, 9, 1), date(2026, 9, 30), Decimal("333.33"), 1),
    )
    draft = make_draft(calendar, items=items, rate=Decimal("0.5"))
    assert draft.penalty == Decimal("3.34")  # 1.67 (1.66665 rounded) twice


def test_not_yet_overdue_item_adds_no_penalty(calendar: BusinessCalendar) -> None:
    early = OverdueItem("3", date(2026, 11, 1), date(2026, 12, 1), Decimal("1000.00"), -5)
    draft = make_draft(calendar, items=(ITEM_A, early))
    assert draft.penalty == Decimal("6750.00")
    assert draft.total == Decimal("151000.00")


def test_no_rate_no_penalty(calendar: BusinessCalendar) -> None:
    draft = make_draft(calendar, rate=None)
    assert draft.penalty is None
    assert draft.penalty_rate is None


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 26), date(2026, 12, 28)),  # Saturday → Monday
        (date(2026, 11, 23), date(2026, 12, 23)),  # a business day stays
        (date(2026, 12, 2), date(2027, 1, 11)),  # 01.01.2027 → after the break
    ],
)
def test_answer_deadline(calendar: BusinessCalendar, today: date, expected: date) -> None:
    assert make_draft(calendar, today=today).answer_deadline == expected


def test_custom_answer_days(calendar: BusinessCalendar) -> None:
    # 26.11 + 10 days = Sunday 06.12 → Monday 07.12
    assert make_draft(calendar, answer_days=10).answer_deadline == date(2026, 12, 7)


def test_draft_needs_items(calendar: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="at least one"):
        make_draft(calendar, items=())


def test_draft_rejects_negative_rate(calendar: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="negative"):
        make_draft(calendar, rate=Decimal("-0.1"))


def test_blank_inn_and_contract_become_none(calendar: BusinessCalendar) -> None:
    draft = make_draft(calendar, client_inn="  ", contract_number="")
    assert draft.client_inn is None
    assert draft.contract_number is None


@pytest.mark.parametrize(
    ("days", "threshold", "expected"),
    [(29, 30, False), (30, 30, True), (31, 30, True), (0, 30, False), (14, 14, True)],
)
def test_payment_claim_eligible(days: int, threshold: int, expected: bool) -> None:
    assert payment_claim_eligible(days, threshold) is expected


def test_payment_claim_eligible_default_threshold() -> None:
    assert payment_claim_eligible(30)
    assert not payment_claim_eligible(29)


@pytest.mark.parametrize(
    ("amount", "ru", "en"),
    [
        (Decimal("1250000"), "1 250 000,00 руб.", "1,250,000.00 RUB"),
        (Decimal("150000.00"), "150 000,00 руб.", "150,000.00 RUB"),
        (Decimal("999.5"), "999,50 руб.", "999.50 RUB"),
        (Decimal("0.005"), "0,01 руб.", "0.01 RUB"),
        (Decimal("0"), "0,00 руб.", "0.00 RUB"),
        (Decimal("-1234.56"), "-1 234,56 руб.", "-1,234.56 RUB"),
    ],
)
def test_document_money(amount: Decimal, ru: str, en: str) -> None:
    assert document_money(amount, "ru") == ru
    assert document_money(amount, "en") == en


def test_russian_letter(calendar: BusinessCalendar) -> None:
    text = payment_claim_text(make_draft(calendar), "ru", texts=TEXTS)
    for phrase in (
        "ПРЕТЕНЗИЯ о погашении задолженности",
        "Кому: ООО «Ромашка»",
        "ИНН: 7701234567",
        "по договору № 15/2026",
        "1. Отгрузка № УПД-101 от 01.09.2026, срок оплаты 12.10.2026, "
        "сумма 150 000,00 руб., просрочка 45 дней",
        "2. Отгрузка № УПД-117 от 16.10.2026, срок оплаты 16.11.2026, "
        "сумма 1 100 000,00 руб., просрочка 10 дней",
        "Общая сумма задолженности: 1 250 000,00 руб.",
        "неустойка (пеня) в размере 0,1 %",
        "17 750,00 руб.",
        "до 28.12.2026",
        "арбитражный суд",
        "судебных расходов",
        "Дата: 26.11.2026",
        "Иванов И. И.",
    ):
        assert phrase in text, phrase
    assert "руб.." not in text


def test_russian_letter_plural_of_days(calendar: BusinessCalendar) -> None:
    items = tuple(
        OverdueItem(str(n), date(2026, 9, 1), date(2026, 9, 30), Decimal("1.00"), n)
        for n in (1, 3, 11, 21, 22, 112)
    )
    text = payment_claim_text(make_draft(calendar, items=items), "ru", texts=TEXTS)
    for phrase in ("1 день", "3 дня", "11 дней", "21 день", "22 дня", "112 дней"):
        assert f"просрочка {phrase}" in text


def test_russian_letter_without_rate_or_contract(calendar: BusinessCalendar) -> None:
    text = payment_claim_text(
        make_draft(calendar, rate=None, contract_number=None, client_inn=None), "ru", texts=TEXTS
    )
    assert "неустойк" not in text
    assert "ст. 395 ГК РФ" in text  # statutory interest instead of a contractual penalty
    assert "договору №" not in text
    assert "ИНН" not in text
    assert "арбитражный суд" in text


def test_english_letter(calendar: BusinessCalendar) -> None:
    text = payment_claim_text(make_draft(calendar), "en", texts=TEXTS)
    for phrase in (
        "PAYMENT CLAIM",
        "To: ООО «Ромашка»",
        "under contract No. 15/2026",
        "1. Shipment No. УПД-101 of 01.09.2026, due 12.10.2026, amount 150,000.00 RUB, "
        "45 days overdue",
        "Total debt: 1,250,000.00 RUB.",
        "0.1% of the unpaid amount",
        "17,750.00 RUB",
        "by 28.12.2026",
        "arbitration court",
        "Date: 26.11.2026",
        "Иванов И. И.",
    ):
        assert phrase in text, phrase
    assert "руб." not in text


@pytest.mark.parametrize("language", ["de", "", "RU"])
def test_unknown_language_is_refused(calendar: BusinessCalendar, language: str) -> None:
    draft = make_draft(calendar)
    with pytest.raises(ValueError, match="language"):
        payment_claim_text(draft, language, texts=TEXTS)
    with pytest.raises(ValueError, match="language"):
        payment_claim_docx(draft, language, texts=TEXTS)


@pytest.mark.parametrize(
    ("language", "title", "header", "total"),
    [
        (
            "ru",
            "ПРЕТЕНЗИЯ о погашении задолженности",
            "Сумма",
            "Общая сумма задолженности: 1 250 000,00 руб.",
        ),
        (
            "en",
            "PAYMENT CLAIM for the repayment of debt",
            "Amount",
            "Total debt: 1,250,000.00 RUB.",
        ),
    ],
)
def test_docx(
    calendar: BusinessCalendar, language: str, title: str, header: str, total: str
) -> None:
    draft = make_draft(calendar)
    data = payment_claim_docx(draft, language, texts=TEXTS)
    assert data.startswith(b"PK")  # a zip container
    document = docx.Document(io.BytesIO(data))

    assert len(document.tables) == 1
    table = document.tables[0]
    assert len(table.rows) == len(draft.items) + 1
    head = [cell.text for cell in table.rows[0].cells]
    assert header in head and len(head) == 5
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    first = [cell.text for cell in table.rows[1].cells]
    assert first == [
        "УПД-101",
        "01.09.2026",
        "12.10.2026",
        document_money(Decimal("150000.00"), language),
        "45",
    ]
    assert table.rows[2].cells[0].text == "УПД-117"

    paragraphs = document.paragraphs
    texts = [p.text for p in paragraphs]
    assert total in texts
    assert any("28.12.2026" in t for t in texts)
    assert any("Иванов И. И." in t for t in texts)
    assert any(document_money(Decimal("17750.00"), language) in t for t in texts)
    heading = next(p for p in paragraphs if p.text == title)
    assert heading.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert heading.runs and all(run.bold for run in heading.runs)
    # The addressee block comes first.
    assert texts[0] == ("Кому: ООО «Ромашка»" if language == "ru" else "To: ООО «Ромашка»")


def test_docx_without_penalty_has_one_row_per_item(calendar: BusinessCalendar) -> None:
    draft = make_draft(calendar, items=(ITEM_A,), rate=None)
    document = docx.Document(io.BytesIO(payment_claim_docx(draft, "ru", texts=TEXTS)))
    assert len(document.tables[0].rows) == 2
    assert not any("неустойка (пеня)" in p.text for p in document.paragraphs)
