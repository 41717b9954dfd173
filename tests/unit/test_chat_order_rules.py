"""The pure rules of the order dialog: quantities as people type them, piece units, the
stock warning, delivery days, the draft's lines, and what may still change."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bot.services import chat_orders as rules
from bot.services.access import AccessDenied
from bot.services.business_calendar import BusinessCalendar
from bot.services.chat_orders import ChatOrderError, OrderDraft, QuantityError
from storage.chat_orders import ChatOrderDTO, ChatOrderState, OrderItem

MONDAY = date(2026, 11, 23)
CALENDAR = BusinessCalendar("RU")


@pytest.mark.parametrize(
    ("text", "pieces", "expected"),
    [
        ("5", True, "5"),
        ("2,5", False, "2.5"),
        ("2.5", False, "2.5"),
        (" 12 ", True, "12"),
        ("1 000", True, "1000"),
        ("12 500,5", False, "12500.5"),
        ("1\u00a0250,5", False, "1250.5"),  # a no-break space, as the bot itself writes it
        ("0,125", False, "0.125"),
        ("2,5000", False, "2.5"),  # trailing zeros carry nothing
        ("5,0", True, "5"),  # a whole number of pieces, however written
        ("+3", True, "3"),
        ("9999999", True, "9999999"),
    ],
)
def test_quantities_people_type(text: str, pieces: bool, expected: str) -> None:
    assert rules.parse_quantity(text, pieces=pieces) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "pieces", "reason"),
    [
        ("0", False, rules.QTY_NOT_POSITIVE),
        ("0,000", False, rules.QTY_NOT_POSITIVE),
        ("-3", False, rules.QTY_NOT_POSITIVE),
        ("\u22122,5", False, rules.QTY_NOT_POSITIVE),  # a typographic minus
        ("abc", False, rules.QTY_FORMAT),
        ("5 шт", True, rules.QTY_FORMAT),  # letters
        ("пять", True, rules.QTY_FORMAT),
        ("", True, rules.QTY_FORMAT),
        ("1e3", False, rules.QTY_FORMAT),
        ("1_000", False, rules.QTY_FORMAT),  # Decimal() would take it
        ("٣", True, rules.QTY_FORMAT),  # int() would take it
        ("NaN", False, rules.QTY_FORMAT),
        ("1,2,3", False, rules.QTY_FORMAT),
        ("1,250.5", False, rules.QTY_FORMAT),  # two separators: ambiguous
        ("9" * 60, False, rules.QTY_FORMAT),
        ("1 2", True, rules.QTY_FORMAT),  # not a group of thousands: a typo
        ("10 00", True, rules.QTY_FORMAT),
        ("1,2345", False, rules.QTY_DECIMALS),
        ("2,5", True, rules.QTY_PIECES),
        ("0,5", True, rules.QTY_PIECES),
        ("10000000", False, rules.QTY_TOO_LARGE),
    ],
)
def test_quantities_refused(text: str, pieces: bool, reason: str) -> None:
    with pytest.raises(QuantityError) as caught:
        rules.parse_quantity(text, pieces=pieces)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("unit", "code", "pieces"),
    [
        ("шт", None, True),
        ("шт.", None, True),
        ("ШТ", None, True),
        ("штук", None, True),
        ("pcs", None, True),
        (None, "796", True),
        ("кг", "796", True),  # the OKEI code decides
        ("кг", "166", False),
        ("л", None, False),
        ("упак", None, False),
        (None, None, False),
    ],
)
def test_piece_units(unit: str | None, code: str | None, pieces: bool) -> None:
    assert rules.is_piece_unit(unit, code) is pieces


@pytest.mark.parametrize(
    ("quantity", "stock", "short"),
    [
        ("5", None, False),  # the exchange never stated it: no warning
        ("5", "10", False),
        ("10", "10", False),
        ("10.001", "10", True),
        ("1", "0", True),
        ("1", "-2", True),  # 1C may state a negative stock
    ],
)
def test_stock_warning(quantity: str, stock: str | None, short: bool) -> None:
    in_stock = Decimal(stock) if stock is not None else None
    assert rules.stock_short(Decimal(quantity), in_stock) is short


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 11, 20), rules.DATE_PAST),
        (date(2026, 11, 28), rules.DATE_DAY_OFF),  # a Saturday
        (date(2026, 11, 29), rules.DATE_DAY_OFF),  # a Sunday
        (date(2027, 1, 5), rules.DATE_DAY_OFF),  # the New Year holidays
        (date(2027, 12, 1), rules.DATE_TOO_FAR),
    ],
)
def test_delivery_days_refused(day: date, reason: str) -> None:
    with pytest.raises(ChatOrderError) as caught:
        rules.check_delivery(day, today=MONDAY, calendar=CALENDAR)
    assert caught.value.reason == reason and caught.value.values == {"date": day}


def test_delivery_days_accepted() -> None:
    assert rules.check_delivery(MONDAY, today=MONDAY, calendar=CALENDAR) == MONDAY  # today
    tuesday = date(2026, 11, 24)
    assert rules.check_delivery(tuesday, today=MONDAY, calendar=CALENDAR) == tuesday
    # A transferred working Saturday of the production calendar is a business day.
    saturday = date(2025, 11, 1)
    assert rules.check_delivery(saturday, today=date(2025, 10, 30), calendar=CALENDAR)
    # The company's own day off is not.
    closed = BusinessCalendar("RU", {tuesday: False})
    with pytest.raises(ChatOrderError):
        rules.check_delivery(tuesday, today=MONDAY, calendar=closed)


def _item(pid: int, *, unit: str = "шт", price: str | None = "20.00") -> OrderItem:
    return OrderItem(
        pid,
        f"P-{pid}",
        f"Product {pid}",
        unit,
        None,
        Decimal(price) if price is not None else None,
        "RUB",
        Decimal(100),
    )


def test_a_product_chosen_again_gets_the_new_quantity_in_its_place() -> None:
    draft = OrderDraft(client_id=1)
    draft = rules.with_line(draft, _item(1), Decimal(5))
    draft = rules.with_line(draft, _item(2, unit="кг"), Decimal("2.5"))
    draft = rules.with_line(draft, _item(1), Decimal(7))
    assert [(ln.product_id, ln.quantity) for ln in draft.lines] == [
        (1, Decimal(7)),
        (2, Decimal("2.5")),
    ]
    assert rules.without_line(draft, 1).lines[0].product_id == 2
    with pytest.raises(AccessDenied):  # a forged ✖: not a line of this draft
        rules.without_line(draft, 99)


def test_lines_are_checked_as_they_are_added() -> None:
    draft = OrderDraft(client_id=1)
    with pytest.raises(ChatOrderError, match="chat-order-no-price"):
        rules.with_line(draft, _item(1, price=None), Decimal(1))
    with pytest.raises(QuantityError, match="chat-order-qty-error-pieces"):
        rules.with_line(draft, _item(1), Decimal("1.5"))
    with pytest.raises(ChatOrderError, match="chat-order-error-amount"):
        rules.with_line(draft, _item(1, price="9999999999.99"), Decimal(9_999_999))
    full = draft
    for pid in range(1, rules.MAX_LINES + 1):
        full = rules.with_line(full, _item(pid), Decimal(1))
    with pytest.raises(ChatOrderError, match="chat-order-error-too-many-lines"):
        rules.with_line(full, _item(rules.MAX_LINES + 1), Decimal(1))
    # Changing the quantity of a line of a full order is still fine.
    assert rules.with_line(full, _item(1), Decimal(2)).lines[0].quantity == Decimal(2)


def test_the_draft_is_json_and_comes_back_the_same() -> None:
    draft = OrderDraft(
        client_id=3,
        order_id=8,
        lines=[rules.DraftLine(product_id=5, quantity=Decimal("12.125"))],
        delivery=date(2026, 11, 24),
        comment="до 12:00",
    )
    stored = json.loads(json.dumps(draft.model_dump(mode="json")))
    assert stored["lines"][0]["quantity"] == "12.125" and stored["delivery"] == "2026-11-24"
    assert OrderDraft.model_validate(stored) == draft


def _order(state: ChatOrderState, *, taken: bool) -> ChatOrderDTO:
    moment = datetime(2026, 11, 23, tzinfo=UTC)
    return ChatOrderDTO(
        1, "TG-000001", "site", 1, "Client", 1, state, MONDAY, None, Decimal(1), "RUB",
        taken, None, None, None, moment, moment,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("state", "taken", "editable"),
    [
        (ChatOrderState.WAITING, False, True),
        (ChatOrderState.WAITING, True, False),  # 1C confirmed taking it
        (ChatOrderState.ACCEPTED, True, False),
        (ChatOrderState.CANCELLED, False, False),
        (ChatOrderState.SHIPPED, True, False),
    ],
)
def test_what_may_still_change(state: ChatOrderState, taken: bool, editable: bool) -> None:
    assert rules.is_editable(_order(state, taken=taken)) is editable
