"""Numbers from outside are bounded before they reach a query or Decimal arithmetic (issue
14, item 15): every number field of every callback data class refuses what no row can
have, ids carried as text are ASCII digits in range, and a typed amount is refused, never
an InvalidOperation."""

from __future__ import annotations

import typing
from decimal import Decimal
from enum import Enum

import pytest
from aiogram.filters.callback_data import CallbackData

from bot.services.money import AmountError, parse_amount
from bot.services.numbers import MAX_ID, parse_id, parse_index
from bot.views.accounts.callbacks import ClientCallback
from bot.views.reports.callbacks import TeamCallback
from tests.helpers import callback_data_classes

HOSTILE = [str(2**63), str(2**63 - 1), str(2**64), str(10**20), str(MAX_ID + 1), "-2", "9" * 60]

CALLBACK_CLASSES = callback_data_classes()


def _sample(cls: type[CallbackData]) -> CallbackData:
    """A valid instance: each required field gets a plain value of its type."""
    hints = typing.get_type_hints(cls, include_extras=True)
    values: dict[str, object] = {}
    for name, info in cls.model_fields.items():
        if not info.is_required():
            continue
        kind = (
            typing.get_args(hints[name])[0]
            if hasattr(hints[name], "__metadata__")
            else hints[name]
        )
        if isinstance(kind, type) and issubclass(kind, Enum):
            values[name] = next(iter(kind))
        elif kind is int:
            values[name] = 1
        else:
            values[name] = "x"
    return cls(**values)


def _int_fields(cls: type[CallbackData]) -> list[str]:
    hints = typing.get_type_hints(cls, include_extras=True)
    return [
        name
        for name in cls.model_fields
        if (
            typing.get_args(hints[name])[0]
            if hasattr(hints[name], "__metadata__")
            else hints[name]
        )
        is int
    ]


def test_the_callback_classes_are_found() -> None:
    names = {cls.__name__ for cls in CALLBACK_CLASSES}
    assert {"ClientCallback", "HandOverCallback", "OrdersCallback", "TeamCallback"} <= names


@pytest.mark.parametrize("cls", CALLBACK_CLASSES, ids=lambda cls: cls.__name__)
def test_every_number_in_callback_data_is_bounded(cls: type[CallbackData]) -> None:
    sample = _sample(cls)
    packed = sample.pack()
    assert cls.unpack(packed) == sample
    names = list(cls.model_fields)
    for name in _int_fields(cls):
        for hostile in HOSTILE:
            parts = packed.split(":")
            parts[1 + names.index(name)] = hostile
            forged = ":".join(parts)
            # aiogram's filter treats TypeError and ValueError (pydantic's ValidationError
            # is one) as "not this button": the catch-all then answers "not available".
            with pytest.raises((TypeError, ValueError)):
                cls.unpack(forged)


def test_a_real_id_still_unpacks() -> None:
    client = ClientCallback.unpack(f"cl:o:{MAX_ID}:0")
    assert client.client_id == MAX_ID
    team = TeamCallback.unpack("tm:0:-1")
    assert team.team == -1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[("1", 1), ("42", 42), (str(MAX_ID), MAX_ID), ("0", None), ("", None), ("-1", None)],
        *[(text, None) for text in ("²", "٣", "1_000", " 1", "1e3", str(MAX_ID + 1), "9" * 5000)],
    ],
)
def test_parse_id(text: str, expected: int | None) -> None:
    assert parse_id(text) == expected


def test_parse_index_takes_zero() -> None:
    assert parse_index("0") == 0
    assert parse_index("23") == 23
    assert parse_index("²") is None
    assert parse_index(str(2**63)) is None


@pytest.mark.parametrize(
    "text",
    [
        *("1" + "0" * 30, "1e30", "1E+999999999", "9" * 5000, "99999999999999999999999999,99"),
        *("10000000000000", "1e13", "-0,01", "Infinity", "sNaN", "1e-5"),
    ],
)
def test_a_huge_or_odd_amount_is_refused_not_an_error(text: str) -> None:
    with pytest.raises(AmountError):
        parse_amount(text)


def test_the_largest_amount_and_minus_zero() -> None:
    assert parse_amount("9 999 999 999 999,99") == Decimal("9999999999999.99")
    zero = parse_amount("-0")
    assert zero == 0 and not zero.is_signed()
