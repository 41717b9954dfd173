"""/export: an Excel workbook of a period for supervisors (their team) and admins (all).

`export_data` reads everything (a fixed number of queries); `build_workbook` is a pure
function of what was read, run off the event loop by the caller (openpyxl is synchronous
and a big company's workbook takes a while)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.services.access import AccessDenied, visible_owners
from bot.services.analytics import AbcResult, classify
from bot.services.business_settings import load_settings
from bot.services.local_time import at_local_time, local_date
from bot.services.money import CURRENCY_SIGNS
from bot.services.plans import (
    ClientPlanLine,
    Fulfilment,
    Period,
    PlanLine,
    client_plan_lines,
    plan_lines,
)
from bot.services.receivables import aging_bucket
from storage.analytics import ClaimRow, ContactRow, OpenShipmentRow, OrderRow
from storage.dto import Role, UserDTO
from storage.repositories import Repos

Texts = Callable[..., str]
HEADER_FILL = "DDEBF7"
DATE_FORMAT = "DD.MM.YYYY"
MOMENT_FORMAT = "DD.MM.YYYY HH:MM"
PERCENT_FORMAT = "0.00%"


def money_format(currency: str) -> str:
    """`#,##0.00 "₽"`: Excel shows the sign; the cell keeps the exact number."""
    return f'#,##0.00 "{CURRENCY_SIGNS.get(currency, currency)}"'


@dataclass(frozen=True)
class ExportData:
    period: Period
    today: date
    timezone: str
    contacts: list[ContactRow]
    orders: list[OrderRow]
    receivables: list[OpenShipmentRow]
    claims: list[ClaimRow]
    plans: list[PlanLine]
    client_plans: list[ClientPlanLine]
    people: dict[int, str]  # user id → name
    client_owners: dict[int, int | None]  # client id → owner, for the ABC sheet
    abc_clients: AbcResult
    abc_products: AbcResult

    @property
    def empty(self) -> bool:
        """Nothing happened in the period: no contact, order, claim, shipment or plan (the
        receivables alone, a picture of today, do not make a workbook)."""
        return not (
            self.contacts
            or self.orders
            or self.claims
            or self.client_plans
            or any(line.result.plan or line.result.actual for line in self.plans)
            or any(item.revenue for item in self.abc_clients.items)
            or self.abc_products.items
        )


def may_export(user: UserDTO) -> bool:
    return user.role in (Role.ADMIN, Role.SUPERVISOR)


async def export_data(repos: Repos, user: UserDTO, period: Period, *, now: datetime) -> ExportData:
    """What the workbook holds, for what the user may see: a supervisor the team's clients,
    an admin everyone's; anyone else is refused (checked here, not only by the menu)."""

    if not may_export(user):
        raise AccessDenied
    zone = ZoneInfo(user.timezone)
    today = local_date(now, zone)
    owners = await visible_owners(repos, user)
    # The period's days are the user's days: contacts and claims are moments in UTC.
    start = at_local_time(period.start, time(0), zone)
    end = at_local_time(period.end + timedelta(days=1), time(0), zone)
    settings = await load_settings(repos)
    thresholds: tuple[int, int] = settings["abc_thresholds"]
    clients = await repos.analytics.client_revenue(owners, period.start, period.end)
    products = await repos.analytics.product_revenue(owners, period.start, period.end)
    return ExportData(
        period=period,
        today=today,
        timezone=user.timezone,
        contacts=await repos.analytics.contacts(owners, start, end),
        orders=await repos.analytics.orders(owners, period.start, period.end),
        receivables=await repos.analytics.open_shipments(owners),
        claims=await repos.analytics.claims(owners, start, end),
        plans=await plan_lines(repos, user, period, today=today),
        client_plans=await client_plan_lines(repos, user, period, today=today),
        people={u.id: u.full_name for u in await repos.users.list_users()},
        client_owners={c.client_id: c.owner_id for c in clients},
        abc_clients=classify(((c.client_id, c.name, c.revenue) for c in clients), thresholds),
        abc_products=classify(((p.code, p.name, p.revenue) for p in products), thresholds),
    )


def export_file_name(period: Period) -> str:
    """kam-2026-11.xlsx (a month), kam-2026-Q4.xlsx, kam-2026-W47.xlsx (a week), kam-2026.xlsx."""
    label = period.label
    if period.end - period.start == timedelta(days=6):
        year, week, _ = period.start.isocalendar()
        return f"kam-{year}-W{week:02d}.xlsx"
    if label.startswith("Q"):
        quarter, quarter_year = label.split()
        return f"kam-{quarter_year}-{quarter}.xlsx"
    if "." in label:
        month, month_year = label.split(".")
        return f"kam-{month_year}-{month}.xlsx"
    return f"kam-{label}.xlsx"


@dataclass(frozen=True)
class Column:
    header: str  # a translation key
    width: int
    kind: str = "text"  # text, date, moment, money, percent, int


class _Sheets:
    """A write-only workbook: bold filled headers, frozen first row, column widths."""

    def __init__(self, texts: Texts) -> None:
        from openpyxl import Workbook

        self.texts = texts
        self.book = Workbook(write_only=True)

    def sheet(
        self, title_key: str, columns: Sequence[Column], rows: Sequence[Sequence[Any]]
    ) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        # Excel limits sheet names to 31 characters and forbids a few symbols.
        title = "".join(ch for ch in self.texts(title_key) if ch not in "[]:*?/\\")[:31]
        sheet = self.book.create_sheet(title)
        # Write-only sheets take panes and widths before the first row only.
        sheet.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        bold, fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, self.texts(column.header))
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append([self._cell(sheet, c, v) for c, v in zip(columns, row, strict=True)])

    @staticmethod
    def _cell(sheet: Any, column: Column, value: Any) -> Any:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        if value is None:
            return None
        if isinstance(value, str):
            # Control characters (a name typed or imported with one) cannot be stored in
            # the sheet's XML: openpyxl raises IllegalCharacterError and the whole workbook
            # is lost. They carry no meaning in a name: dropped.
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if column.kind == "money":
            amount, currency = value
            cell = WriteOnlyCell(sheet, amount)  # a Decimal: written exactly as a number
            cell.number_format = money_format(currency)
            return cell
        cell = WriteOnlyCell(sheet, value)
        if column.kind == "date":
            cell.number_format = DATE_FORMAT
        elif column.kind == "moment":
            cell.number_format = MOMENT_FORMAT
        elif column.kind == "percent":
            cell.number_format = PERCENT_FORMAT
        return cell

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def _fraction(percent: Decimal) -> Decimal:
    """12.34 (percent) → 0.1234, what a percent-formatted cell holds."""
    return percent / 100


def build_workbook(data: ExportData, texts: Texts) -> bytes:
    """The workbook's bytes; sheet names and headers in the texts' language, money as
    numbers with a currency format, dates as date cells, moments in the user's zone."""
    zone = ZoneInfo(data.timezone)
    book = _Sheets(texts)

    def local(moment: datetime) -> datetime:
        # Excel has no time zones: the user's wall-clock time, without a zone.
        return moment.astimezone(zone).replace(tzinfo=None)

    def name(user_id: int | None) -> str:
        return data.people.get(user_id, "") if user_id is not None else ""

    book.sheet(
        "export-sheet-contacts",
        [
            Column("export-col-when", 17, "moment"),
            Column("export-col-client", 32),
            Column("export-col-manager", 22),
            Column("export-col-channel", 14),
            Column("export-col-outcome", 14),
            Column("export-col-summary", 60),
        ],
        [
            (
                local(c.happened_at),
                c.client,
                c.author,
                texts(f"channel-{c.channel}"),
                texts(f"outcome-{c.outcome}"),
                c.summary,
            )
            for c in data.contacts
        ],
    )
    book.sheet(
        "export-sheet-orders",
        [
            Column("export-col-number", 14),
            Column("export-col-date", 12, "date"),
            Column("export-col-client", 32),
            Column("export-col-manager", 22),
            Column("export-col-status", 16),
            Column("export-col-amount", 18, "money"),
            Column("export-col-ship-date", 12, "date"),
        ],
        [
            (
                o.number,
                o.order_date,
                o.client,
                o.manager,
                o.status,
                (o.amount, o.currency),
                o.ship_date,
            )
            for o in data.orders
        ],
    )
    receivables = []
    for s in data.receivables:
        overdue = max((data.today - s.due_on).days, 0)
        bucket = texts("export-bucket-not-due") if overdue == 0 else aging_bucket(overdue)
        receivables.append(
            (
                s.client,
                s.manager,
                s.number,
                s.shipped_on,
                s.due_on,
                (s.open_amount, s.currency),
                overdue,
                bucket.replace("-", "–"),
            )
        )
    book.sheet(
        "export-sheet-receivables",
        [
            Column("export-col-client", 32),
            Column("export-col-manager", 22),
            Column("export-col-shipment", 14),
            Column("export-col-date", 12, "date"),
            Column("export-col-due", 12, "date"),
            Column("export-col-open-amount", 18, "money"),
            Column("export-col-days-overdue", 10, "int"),
            Column("export-col-aging", 12),
        ],
        receivables,
    )
    book.sheet(
        "export-sheet-claims",
        [
            Column("export-col-number", 14),
            Column("export-col-registered", 17, "moment"),
            Column("export-col-client", 32),
            Column("export-col-manager", 22),
            Column("export-col-direction", 20),
            Column("export-col-category", 20),
            Column("export-col-status", 14),
            Column("export-col-amount", 18, "money"),
            Column("export-col-internal-deadline", 12, "date"),
            Column("export-col-legal-deadline", 12, "date"),
            Column("export-col-description", 60),
        ],
        [
            (
                f"CL-{c.year}-{c.sequence:04d}",
                local(c.created_at),
                c.client,
                c.manager,
                texts(f"claim-direction-{c.direction}"),
                texts(f"claim-category-{c.category}") if c.category else "",
                texts(f"claim-status-{c.status}"),
                (c.amount, c.currency) if c.amount is not None else None,
                c.internal_deadline,
                c.legal_deadline,
                c.description,
            )
            for c in data.claims
        ],
    )
    plan_rows: list[tuple[Any, ...]] = []
    for line in data.plans:
        plan_rows.append(_plan_row(line.name, "", line.result))
        plan_rows += [
            _plan_row(line.name, c.client_name, c.result)
            for c in data.client_plans
            if c.user_id == line.user_id
        ]
    shown = {line.user_id for line in data.plans}
    plan_rows += [
        _plan_row(name(c.user_id), c.client_name, c.result)
        for c in data.client_plans
        if c.user_id not in shown
    ]
    book.sheet(
        "export-sheet-plan",
        [
            Column("export-col-manager", 22),
            Column("export-col-client", 32),
            Column("export-col-plan", 18, "money"),
            Column("export-col-actual", 18, "money"),
            Column("export-col-fulfilment", 12, "percent"),
            Column("export-col-forecast", 18, "money"),
            Column("export-col-gap", 18, "money"),
            Column("export-col-days-left", 10, "int"),
        ],
        plan_rows,
    )
    book.sheet(
        "export-sheet-abc-clients",
        [
            Column("export-col-class", 8),
            Column("export-col-client", 32),
            Column("export-col-manager", 22),
            Column("export-col-revenue", 18, "money"),
            Column("export-col-share", 10, "percent"),
            Column("export-col-cumulative", 10, "percent"),
        ],
        [
            (
                i.abc.value,
                i.name,
                name(data.client_owners.get(i.key) if isinstance(i.key, int) else None),
                (i.revenue, "RUB"),
                _fraction(i.share),
                _fraction(i.cumulative),
            )
            for i in data.abc_clients.items
        ],
    )
    book.sheet(
        "export-sheet-abc-products",
        [
            Column("export-col-class", 8),
            Column("export-col-article", 16),
            Column("export-col-product", 40),
            Column("export-col-revenue", 18, "money"),
            Column("export-col-share", 10, "percent"),
            Column("export-col-cumulative", 10, "percent"),
        ],
        [
            (
                i.abc.value,
                str(i.key) if str(i.key) != i.name else "",
                i.name,
                (i.revenue, "RUB"),
                _fraction(i.share),
                _fraction(i.cumulative),
            )
            for i in data.abc_products.items
        ],
    )
    return book.save()


def _plan_row(manager: str, client: str, result: Fulfilment) -> tuple[Any, ...]:
    return (
        manager,
        client,
        (result.plan, "RUB"),
        (result.actual, "RUB"),
        _fraction(result.percent),
        (result.forecast, "RUB"),
        (result.gap_per_day, "RUB"),
        result.days_left,
    )
