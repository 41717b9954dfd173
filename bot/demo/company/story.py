"""What every step of the demo company's generation shares: the options, the one random
source, the calendar and the moments, and the cast the earlier steps made."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from bot.runtime.i18n import Translator
from bot.services.business_settings import calendar_for
from bot.services.local_time import at_local_time
from storage.demo import DemoRepo
from storage.dto import Tier, UserDTO
from storage.repositories import Repos

DEFAULT_SEED = 2026
RUB = "RUB"
CENT = Decimal("0.01")
Pair = tuple[str, str]  # (Russian, English)


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class DemoOptions:
    today: date
    seed: int = DEFAULT_SEED
    language: str = "ru"  # the demo people's language, and of the texts they wrote
    timezone: str = "Europe/Moscow"


@dataclass
class DemoSummary:
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class StoryClient:
    id: int
    name: str
    tier: Tier
    owner: UserDTO
    start: date  # first order
    contract_id: int = 0
    deferral: int = 30
    products: list[str] = field(default_factory=list)
    persons: list[int] = field(default_factory=list)
    # What the story asks of this client: "b1".."b4" (money overdue in that aging bucket),
    # "yesterday" (a shipment fell due yesterday), "advance", "stopped" (stopped paying and
    # ordering), "neglected" (a key client past its cadence).
    roles: set[str] = field(default_factory=set)


@dataclass
class StoryShipment:
    number: str
    shipped_on: date
    client: StoryClient
    order_key: tuple[str, date]  # the order's (number, date)
    amount: Decimal
    due_on: date
    pay: str = "normal"  # "normal", "unpaid", "partial", "prepaid"


class Story:
    """Same seed and same `today`, same company: every choice comes from `rnd`, in the
    order the steps run, and every date and moment is counted from `today` (never from
    the wall clock)."""

    def __init__(self, repos: Repos, translator: Translator, options: DemoOptions) -> None:
        self.repos = repos
        self.demo = DemoRepo(repos.session)
        self.translator = translator
        self.options = options
        self.rnd = random.Random(options.seed)
        self.today = options.today
        self.zone = ZoneInfo(options.timezone)
        self.en = options.language == "en"
        self.calendar = calendar_for("RU", {})
        # Every generated fact lies before today: the demo may be started at any hour.
        self.stamp = self.at(self.today - timedelta(days=1), 20)
        self.summary = DemoSummary()
        # The cast, as the steps make it.
        self.users: list[UserDTO] = []
        self.managers: list[UserDTO] = []
        self.clients: list[StoryClient] = []
        self.prices: dict[str, list[tuple[date, Decimal]]] = {}  # code → (since, price)
        self.shipments: list[StoryShipment] = []
        self.order_ids: dict[tuple[str, date], int] = {}
        self.shipment_ids: dict[tuple[str, date], int] = {}

    def t(self, pair: Pair) -> str:
        return pair[1] if self.en else pair[0]

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return at_local_time(day, time(hour, minute), self.zone)

    def business_on_or_before(self, day: date) -> date:
        return self.calendar.previous_business_day(day, include_today=True)

    def count(self, name: str, n: int = 1) -> None:
        self.summary.counts[name] = self.summary.counts.get(name, 0) + n

    def price_on(self, code: str, day: date) -> Decimal:
        return [price for since, price in self.prices[code] if since <= day][-1]
