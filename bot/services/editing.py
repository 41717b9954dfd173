"""Editing a client card's or a key person's fields: one validated field at a time."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.services.access import AccessDenied, client_for
from bot.services.accounts import AccountsError
from bot.services.client_search import search_key
from bot.services.dates import DateParseError, parse_future_when
from bot.services.money import AmountError, parse_amount
from bot.services.numbers import parse_id
from bot.services.requisites import valid_kpp
from storage.dto import (
    BuyingRole,
    ClientDTO,
    ClientUpdate,
    OpportunityDTO,
    PersonDTO,
    Tier,
    UserDTO,
)
from storage.repositories import Repos

CLIENT_TEXT_FIELDS = ("name", "kpp")
PERSON_TEXT_FIELDS = ("full_name", "position", "phone", "email", "birthday", "note")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _person_value(field: str, text: str) -> Any:
    text = text.strip()
    if field != "full_name" and text in ("", "-"):
        return None  # "-" clears an optional field
    if field == "full_name":
        if not text or len(text) > 256:
            raise AccountsError("person-error-name")
        return text
    if field == "phone":
        if len(text) > 64 or not any(ch.isdigit() for ch in text):
            raise AccountsError("person-error-phone")
        return text
    if field == "email":
        if len(text) > 256 or not EMAIL.match(text):
            raise AccountsError("person-error-email")
        return text
    if field == "birthday":
        try:
            return datetime.strptime(text, "%d.%m.%Y").date()  # noqa: DTZ007 - a date
        except ValueError:
            raise AccountsError("person-error-birthday") from None
    if len(text) > (4000 if field == "note" else 256):
        raise AccountsError("text-error-too-long")
    return text


async def edit_person(
    repos: Repos, user: UserDTO, person_id: int, field: str, value: str, *, now: datetime
) -> PersonDTO:
    person = await repos.persons.get(person_id)
    if person is None or person.is_removed:
        raise AccessDenied
    await client_for(repos, user, person.client_id, change=True)
    if field == "buying_role":
        if value not in {r.value for r in BuyingRole}:
            raise AccessDenied
        new: Any = value
    elif field in PERSON_TEXT_FIELDS:
        new = _person_value(field, value)
    else:
        raise AccessDenied
    return await repos.persons.change(
        person_id, {field: new}, action="update", actor_id=user.id, now=now
    )


async def edit_client(
    repos: Repos, user: UserDTO, client_id: int, field: str, value: str, *, now: datetime
) -> ClientDTO:
    client = await client_for(repos, user, client_id, change=True)
    update: ClientUpdate
    if field == "name":
        name = value.strip()
        if not name or len(name) > 512:
            raise AccountsError("client-error-name")
        update = ClientUpdate(name=name, search_key=search_key(name))
    elif field == "kpp":
        kpp = value.strip().upper()
        if kpp not in ("", "-") and not valid_kpp(kpp):
            raise AccountsError("client-error-kpp")
        kpp = "" if kpp == "-" else kpp
        if client.inn and kpp != client.kpp and await repos.clients.by_inn_kpp(client.inn, kpp):
            raise AccountsError("client-error-duplicate")
        update = ClientUpdate(kpp=kpp)
    elif field == "tier":
        if value not in {t.value for t in Tier}:
            raise AccessDenied
        update = ClientUpdate(tier=Tier(value))
    elif field == "key":
        update = ClientUpdate(is_key=not client.is_key)
    elif field == "holding":
        holding_id = parse_id(value) or 0
        if holding_id:
            holding = await client_for(repos, user, holding_id)
            if holding.id == client.id or holding.holding_id is not None:
                # One level only: a holding is not itself a member of another.
                raise AccountsError("holding-error")
            update = ClientUpdate(holding_id=holding.id)
        else:
            update = ClientUpdate(holding_id=None)
    else:
        raise AccessDenied
    return await repos.clients.update(client.id, update, actor_id=user.id, now=now)


def birthday_text(day: date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else "—"


OPPORTUNITY_FIELDS = ("title", "amount", "expected_close")


async def edit_opportunity(
    repos: Repos,
    user: UserDTO,
    opportunity_id: int,
    field: str,
    value: str,
    *,
    now: datetime,
    tz: ZoneInfo,
) -> OpportunityDTO:
    opportunity = await repos.opportunities.get(opportunity_id)
    if opportunity is None or field not in OPPORTUNITY_FIELDS:
        raise AccessDenied
    await client_for(repos, user, opportunity.client_id, change=True)
    new: Any
    if field == "title":
        new = value.strip()
        if not new or len(new) > 512:
            raise AccountsError("text-error-too-long" if new else "text-error-empty")
    elif field == "amount":
        try:
            new = parse_amount(value)
        except AmountError:
            raise AccountsError("amount-error") from None
    else:
        try:
            when = parse_future_when(value, now=now, tz=tz)
        except DateParseError as exc:
            raise AccountsError(exc.reason) from None
        new = when.day
    return await repos.opportunities.change(
        opportunity.id, {field: new}, actor_id=user.id, now=now
    )
