"""Russian tax identifiers of a client: INN and KPP.

Only the format and the check digits are verified here; whether the organisation
exists (or is still active) is a question for the tax service, not for a pure check.
The validators are strict about their input (digits only, no spaces) so that what is
stored is canonical: run user input through ``normalize_inn`` first.
"""

from __future__ import annotations

import re

__all__ = ["normalize_inn", "valid_inn", "valid_kpp"]

# [0-9] rather than \d or str.isdigit(): those also accept other scripts' digits and
# superscripts, which int() would convert and no tax form contains.
_INN_RE = re.compile(r"[0-9]{10}|[0-9]{12}")
# KPP: 4 digits (tax office code), 2 digits or Latin capitals (reason code; letters
# are allowed since 2013), 3 digits (sequence number).
_KPP_RE = re.compile(r"[0-9]{4}[0-9A-Z]{2}[0-9]{3}")

# Check-digit weights from the Federal Tax Service's algorithm.
_WEIGHTS_10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_WEIGHTS_12_FIRST = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_WEIGHTS_12_SECOND = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int:
    # The remainder mod 11 can be 10, which does not fit in one digit; the algorithm
    # then uses 0, hence the second "% 10".
    return sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def valid_inn(inn: str) -> bool:
    """Whether ``inn`` is a well-formed INN with correct check digits.

    10 digits: a legal entity, one check digit. 12 digits: an individual or sole
    trader, two check digits. An all-zero number passes the arithmetic but is a
    placeholder, never a real taxpayer, so it is rejected.
    """
    if _INN_RE.fullmatch(inn) is None or not inn.strip("0"):
        return False
    digits = [int(ch) for ch in inn]
    if len(digits) == 10:
        return _check_digit(digits, _WEIGHTS_10) == digits[9]
    return (
        _check_digit(digits, _WEIGHTS_12_FIRST) == digits[10]
        and _check_digit(digits, _WEIGHTS_12_SECOND) == digits[11]
    )


def valid_kpp(kpp: str) -> bool:
    """Whether ``kpp`` has the KPP shape: 4 digits, 2 of 0-9/A-Z, 3 digits (9 chars)."""
    return _KPP_RE.fullmatch(kpp) is not None


def normalize_inn(text: str) -> str:
    """The INN as typed, without the spaces people use to group digits.

    Any whitespace is removed, not only ASCII spaces: numbers pasted from documents
    often contain non-breaking or thin spaces.
    """
    return "".join(text.split())
