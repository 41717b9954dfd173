"""Callback data carries codes as enums, not strings (issue 15): a field that names an
action, a step, a status, a kind, a target, a field, a list filter, a subject or a period
is a StrEnum, so a forged code fails to unpack (and the catch-all answers "not
available"), while the packed data stays what the string fields packed: buttons already
sent keep working."""

from __future__ import annotations

import types
import typing
from enum import Enum

import pytest
from aiogram.filters.callback_data import CallbackData

from bot.services.bank_import import BANK_KIND
from bot.views.accounts.callbacks import (
    EditCallback,
    EditField,
    EditTarget,
    NewClientAction,
    NewClientCallback,
    NewClientStart,
    PersonAction,
    PersonCallback,
)
from bot.views.analytics.callbacks import AbcAction, AbcCallback, AbcPeriod, AbcSubject
from bot.views.claims.callbacks import (
    ClaimAction,
    ClaimCallback,
    ClaimDialogCallback,
    ClaimListCallback,
    ClaimStep,
    DepartmentCallback,
)
from bot.views.common.callbacks import ReportPeriod
from bot.views.erp.callbacks import ImportCallback, ImportKind, OrdersCallback
from bot.views.plans.callbacks import PlanCallback, PlanStep
from bot.views.reminders.callbacks import ReminderCallback, ReminderKind
from bot.views.reports.callbacks import ReportCallback
from storage.dto import BuyingRole, Tier
from tests.helpers import callback_data_classes

CALLBACK_CLASSES = callback_data_classes()

# Names that mean "a code": such a field is an enum, never a plain str.
CODED_NAMES = {
    "action",
    "step",
    "status",
    "kind",
    "target",
    "field",
    "state",
    "subject",
    "period",
}
# `value: str` carries data of several meanings (an id or a code, by the action), checked by
# the handler of each action. A new class with a `value: str` is a decision to make here:
# an enum when it holds codes only (as PersonCallback's roles), else listed with its reason.
FREE_VALUE = {
    "ClaimDialogCallback": "a client's id, a related document, a category",
    "DepartmentCallback": "a category or a member's id",
    "EditCallback": "a tier, the key flag, a holding's id, a buying role",
    "InviteCallback": "a role or a supervisor's id",
    "LogCallback": "a client's or person's id, a channel, an outcome, a date shortcut",
    "PlanCallback": "a manager's id, a manager and a period, a client's id",
    "SettingsCallback": "a language, a time zone's index, an hour, a setting's key",
}
FORGED = "zz"


def _hints(cls: type[CallbackData]) -> dict[str, object]:
    return typing.get_type_hints(cls, include_extras=True)


def _enums(annotation: object) -> list[type[Enum]]:
    """The enums a field's type admits (`Tier | NewClientStart | None` gives two)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [e for arg in typing.get_args(annotation) for e in _enums(arg)]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [annotation]
    return []


def _sample(cls: type[CallbackData], **given: object) -> CallbackData:
    """A valid instance: each required field not given gets a plain value of its type."""
    hints = _hints(cls)
    values: dict[str, object] = dict(given)
    for name, info in cls.model_fields.items():
        if name in values or not info.is_required():
            continue
        annotation = hints[name]
        base = (
            typing.get_args(annotation)[0] if hasattr(annotation, "__metadata__") else annotation
        )
        enums = _enums(base)
        values[name] = next(iter(enums[0])) if enums else 1 if base is int else "1"
    return cls(**values)


def _enum_fields(cls: type[CallbackData]) -> list[tuple[str, list[type[Enum]]]]:
    hints = _hints(cls)
    return [(name, enums) for name in cls.model_fields if (enums := _enums(hints[name]))]


def test_the_classes_with_codes_are_found() -> None:
    names = {cls.__name__ for cls in CALLBACK_CLASSES}
    assert {"PlanCallback", "ClaimCallback", "OrdersCallback", "ReminderCallback"} <= names


@pytest.mark.parametrize("cls", CALLBACK_CLASSES, ids=lambda cls: cls.__name__)
def test_no_code_is_a_plain_string(cls: type[CallbackData]) -> None:
    hints = _hints(cls)
    coded = [name for name in cls.model_fields if name in CODED_NAMES and hints[name] is str]
    assert coded == [], f"{cls.__name__}: {coded} carry codes: make them StrEnum fields"
    if hints.get("value") is str:
        assert cls.__name__ in FREE_VALUE, (
            f"{cls.__name__}.value is a plain str: an enum if it holds codes only, "
            "else name what it carries in FREE_VALUE"
        )


def test_the_checks_see_a_coded_string() -> None:
    """The check itself: a class with `step: str` or an unlisted `value: str` is caught."""

    class Planted(CallbackData, prefix="zz"):
        step: str
        value: str = ""

    hints = _hints(Planted)
    assert [n for n in Planted.model_fields if n in CODED_NAMES and hints[n] is str] == ["step"]
    assert hints["value"] is str and "Planted" not in FREE_VALUE


@pytest.mark.parametrize("cls", CALLBACK_CLASSES, ids=lambda cls: cls.__name__)
def test_every_code_round_trips_and_a_forged_one_fails(cls: type[CallbackData]) -> None:
    names = list(cls.model_fields)
    for name, enums in _enum_fields(cls):
        position = 1 + names.index(name)
        for enum in enums:
            for member in enum:
                sample = _sample(cls, **{name: member})
                packed = sample.pack()
                assert packed.split(cls.__separator__)[position] == str(member.value)
                unpacked = cls.unpack(packed)
                assert unpacked == sample and getattr(unpacked, name) is member
        assert all(m.value != FORGED for e in enums for m in e)
        parts = _sample(cls).pack().split(cls.__separator__)
        parts[position] = FORGED
        # aiogram's filter treats TypeError and ValueError (pydantic's ValidationError is
        # one) as "not this button": no handler takes it, the catch-all says "not available".
        with pytest.raises((TypeError, ValueError)):
            cls.unpack(cls.__separator__.join(parts))


@pytest.mark.parametrize(
    "forged",
    [
        *("pl:zz:", "pl::", "pl:S:", "cm:1:zz", "cd:zz:", "cs:all", "dp:1:zz:", "or:0:zz:0"),
        *("im:zz", "ed:zz:1::", "ed:c:1:zz:", "ab:s:zz:q", "ab:s:c:zz", "ex:zz", "rp:zz"),
        *("rm:zz:1:o:0", "nc:t:zz", "pe:r:zz"),
    ],
)
def test_a_forged_code_fails_to_unpack(forged: str) -> None:
    [cls] = [c for c in CALLBACK_CLASSES if c.__prefix__ == forged.split(":")[0]]
    with pytest.raises((TypeError, ValueError)):
        cls.unpack(forged)


@pytest.mark.parametrize(
    ("data", "packed"),
    [
        # What the str fields packed (the literals the code passed before): the same bytes.
        (PlanCallback(step=PlanStep.SET), "pl:s:"),
        (PlanCallback(step=PlanStep.PERIOD, value="17|11.2026"), "pl:p:17|11.2026"),
        (PlanCallback(step=PlanStep.BOOK, value="17|Q4 2026"), "pl:w:17|Q4 2026"),
        (PlanCallback(step=PlanStep.CLIENT, value="5"), "pl:c:5"),
        (ClaimCallback(claim_id=3), "cm:3:o"),
        (ClaimCallback(claim_id=3, action=ClaimAction.REJECT), "cm:3:x"),
        (ClaimDialogCallback(step=ClaimStep.RELATED, value="s12"), "cd:r:s12"),
        (ClaimListCallback(), "cs:open"),
        (DepartmentCallback(action="n"), "dp:0:n:"),
        (DepartmentCallback(department_id=4, action="c", value="price"), "dp:4:c:price"),
        (OrdersCallback(client_id=2), "or:2:a:0"),
        (OrdersCallback(client_id=2, status="o", page=1), "or:2:o:1"),
        (ImportCallback(kind=ImportKind.ORDER_LINES), "im:order_lines"),
        (EditCallback(target=EditTarget.CLIENT, item_id=4), "ed:c:4::"),
        (EditCallback(target=EditTarget.OPPORTUNITY, item_id=4, field="title"), "ed:o:4:title:"),
        (
            EditCallback(target=EditTarget.PERSON, item_id=4, field=EditField.BUYING_ROLE),
            "ed:p:4:buying_role:",
        ),
        (AbcCallback(action=AbcAction.PERIODS), "ab:o:c:q"),
        (AbcCallback(action=AbcAction.SHOW, subject="p", period="y"), "ab:s:p:y"),
        (ReportCallback(period=ReportPeriod.LAST_WEEK), "rp:l"),
        (ReminderCallback(kind=ReminderKind.FOLLOW_UP, item_id=1), "rm:f:1:o:0"),
        (NewClientCallback(action=NewClientAction.SKIP_INN), "nc:i:"),
        (NewClientCallback(action=NewClientAction.TIER, value=NewClientStart.NEW), "nc:t:new"),
        (NewClientCallback(action=NewClientAction.TIER, value=Tier.B), "nc:t:B"),
        (PersonCallback(action=PersonAction.SKIP), "pe:s:"),
        (PersonCallback(action=PersonAction.ROLE, value=BuyingRole.GATEKEEPER), "pe:r:gatekeeper"),
    ],
)
def test_packed_data_is_what_the_strings_packed(data: CallbackData, packed: str) -> None:
    assert data.pack() == packed
    assert type(data).unpack(packed) == data


def test_an_empty_value_unpacks_as_none() -> None:
    """The skips carry no value: packed empty, as the empty string was, read back as None."""
    assert NewClientCallback.unpack("nc:k:").value is None
    assert PersonCallback.unpack("pe:s:").value is None
    assert NewClientCallback.unpack("nc:t:A").value is Tier.A


def test_the_enums_hold_the_codes_the_services_know() -> None:
    """Each enum mirrors the service's own list of codes, in its order where screens offer
    them in that order."""
    from bot.services import reminders
    from bot.services.analytics import ABC_PERIODS, SUBJECTS
    from bot.services.claim_rules import Action
    from bot.services.editing import OPPORTUNITY_FIELDS
    from bot.services.erp_import import KINDS
    from bot.services.plans import REPORT_PERIODS
    from bot.views.accounts.keyboards import PERSON_FIELDS
    from bot.views.claims.callbacks import ACTION_CODES
    from bot.views.reminders.texts import KIND_CODE
    from handlers.editing import CLIENT_BUTTON_FIELDS, PROMPTS

    assert tuple(ImportKind) == (*KINDS, BANK_KIND)
    assert tuple(ReportPeriod) == REPORT_PERIODS
    assert tuple(AbcPeriod) == ABC_PERIODS
    assert tuple(AbcSubject) == SUBJECTS
    assert set(ReminderKind) == set(reminders.ITEM_KINDS) == set(KIND_CODE.values())
    assert {reminders.ITEM_KINDS[code] for code in ReminderKind} == set(KIND_CODE)
    assert set(ACTION_CODES) == set(Action)
    assert set(ClaimAction) == {ClaimAction.OPEN, *ACTION_CODES.values()}
    fields = {*PERSON_FIELDS, *OPPORTUNITY_FIELDS, *PROMPTS, *CLIENT_BUTTON_FIELDS}
    assert set(EditField) == {EditField.MENU, *fields}
