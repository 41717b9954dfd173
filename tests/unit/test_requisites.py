"""INN check digits and the KPP format."""

from __future__ import annotations

import pytest

from bot.services.requisites import normalize_inn, valid_inn, valid_kpp

# Real taxpayers' INNs (public data) and a 12-digit example whose check digits are
# worked out by hand below.
VALID_10 = ["7707083893", "7736207543", "7710140679", "7702070139"]
VALID_12 = ["500100732259"]


def test_twelve_digit_example_by_hand() -> None:
    # 5 0 0 1 0 0 7 3 2 2 | 5 9
    # 11th: 7*5 + 2*0 + 4*0 + 10*1 + 3*0 + 5*0 + 9*7 + 4*3 + 6*2 + 8*2 = 148;
    #       148 % 11 = 5 -> "5"
    # 12th: 3*5 + 7*0 + 2*0 + 4*1 + 10*0 + 3*0 + 5*7 + 9*3 + 4*2 + 6*2 + 8*5 = 141;
    #       141 % 11 = 9 -> "9"
    assert 7 * 5 + 10 * 1 + 9 * 7 + 4 * 3 + 6 * 2 + 8 * 2 == 148
    assert 3 * 5 + 4 * 1 + 5 * 7 + 9 * 3 + 4 * 2 + 6 * 2 + 8 * 5 == 141
    assert (148 % 11, 141 % 11) == (5, 9)
    assert valid_inn("500100732259")


@pytest.mark.parametrize("inn", VALID_10 + VALID_12)
def test_valid_inn(inn: str) -> None:
    assert valid_inn(inn)


def _flip_last(inn: str) -> str:
    return inn[:-1] + str((int(inn[-1]) + 1) % 10)


@pytest.mark.parametrize(
    "inn",
    [
        *[_flip_last(inn) for inn in VALID_10],
        *[_flip_last(inn) for inn in VALID_12],
        "500100732269",  # wrong 11th digit
        "7707083839",  # two digits swapped
        "1234567890",
        "123456789012",
    ],
)
def test_wrong_check_digits(inn: str) -> None:
    assert not valid_inn(inn)


def test_remainder_ten_becomes_zero() -> None:
    # Weighted sum 2*5 = 10; 10 % 11 = 10 does not fit in a digit, so the check
    # digit is 10 % 10 = 0.
    assert valid_inn("5000000000")
    assert not valid_inn("5000000001")


@pytest.mark.parametrize("inn", ["0000000000", "000000000000"])
def test_all_zeros_rejected(inn: str) -> None:
    # The arithmetic accepts them; they are placeholders, not taxpayers.
    assert not valid_inn(inn)


@pytest.mark.parametrize(
    "inn",
    [
        "",
        "7",
        "770708389",  # 9 digits
        "77070838931",  # 11 digits
        "5001007322590",  # 13 digits
        "77070838930000",
        "7707O83893",  # Latin O for a zero
        "77070838a3",
        "7707 083893",  # spaces are for normalize_inn
        " 7707083893",
        "7707083893\n",
        "-707083893",
        "+707083893",
        "７７０７０８３８９３",  # full-width digits
        "\u0667\u0667\u0660\u0667\u0660\u0668\u0663\u0668\u0669\u0663",  # Arabic-Indic
    ],
)
def test_malformed_inn(inn: str) -> None:
    assert not valid_inn(inn)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7707083893", "7707083893"),
        (" 7707 083 893 ", "7707083893"),
        ("7707\u00a0083\u00a0893", "7707083893"),  # non-breaking spaces
        ("5001\u2009007\u2009322\u200959", "500100732259"),  # thin spaces
        ("\t7707083893\n", "7707083893"),
        ("", ""),
        ("   ", ""),
        ("77-07", "77-07"),  # only whitespace is removed
    ],
)
def test_normalize_inn(text: str, expected: str) -> None:
    assert normalize_inn(text) == expected


def test_normalized_inn_validates() -> None:
    assert valid_inn(normalize_inn(" 7707 083 893 "))


@pytest.mark.parametrize(
    "kpp",
    [
        "773601001",  # Yandex
        "770701001",
        "7736AB001",
        "77360Z001",
        "7736Z0001",
        "000000000",
    ],
)
def test_valid_kpp(kpp: str) -> None:
    assert valid_kpp(kpp)


@pytest.mark.parametrize(
    "kpp",
    [
        "",
        "77360100",  # 8
        "7736010011",  # 10
        "A73601001",  # letter in the tax office code
        "773601A01",  # letter in the sequence number
        "7736ab001",  # lower case
        "7736АБ001",  # Cyrillic letters
        "7736-1001",
        "7736 01001",
        " 773601001",
        "773601001\n",
        "７７３６０１００１",  # full-width digits
    ],
)
def test_invalid_kpp(kpp: str) -> None:
    assert not valid_kpp(kpp)
