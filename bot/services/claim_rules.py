"""Business rules of claims (претензии): who may move a claim where, claim numbers,
deadlines and reminders, and the outgoing payment claim letter.

Two kinds of claims live side by side:

* **incoming** — a client complains about a delivery (quality, short delivery, late
  delivery, damage, documents, price). The claim is registered by its manager and worked
  on by the responsible department; it starts as ``new``.
* **outgoing** — our company demands payment of an overdue debt from a client. The
  letter is produced here (plain text and .docx); once the manager has sent it the claim
  is recorded as ``sent`` and waits for the client's answer.

Everything here is pure: no clock, no database, no I/O except building bytes in memory.
Dates are plain ``datetime.date`` values (the caller converts "now" to the user's local
date first), so there is nothing naive to get wrong about time zones.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from bot.services import formatting
from bot.services.business_calendar import BusinessCalendar
from bot.services.receivables import penalty

__all__ = [
    "LANGUAGES",
    "REASON_NOT_ALLOWED",
    "REASON_TRANSITION",
    "Action",
    "Actor",
    "Category",
    "ClaimStatus",
    "Deadlines",
    "Direction",
    "OverdueItem",
    "PaymentClaimDraft",
    "TransitionError",
    "allowed_actions",
    "asks_for_text",
    "claim_deadlines",
    "claim_number",
    "days_left",
    "due_reminders",
    "format_amount",
    "initial_status",
    "is_open",
    "may",
    "means_no_order",
    "next_status",
    "parse_claim_number",
    "payment_claim_docx",
    "payment_claim_draft",
    "payment_claim_eligible",
    "payment_claim_text",
    "text_line_key",
]

# The languages the letter is written in. Kept explicit instead of falling back to
# English: a legal letter silently produced in the wrong language is worse than an error.
LANGUAGES = ("ru", "en")

# Translation keys carried by TransitionError.reason.
REASON_TRANSITION = "claim-error-transition"
REASON_NOT_ALLOWED = "claim-error-not-allowed"

_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")


# ---------------------------------------------------------------------- vocabulary


class ClaimStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REJECTED = "rejected"
    SENT = "sent"  # an outgoing payment claim is recorded once it has been sent
    ANSWERED = "answered"  # the client answered an outgoing claim


class Direction(StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"


class Category(StrEnum):
    QUALITY = "quality"
    QUANTITY = "quantity"  # short delivery
    DELIVERY_DATE = "delivery_date"
    DAMAGED = "damaged"
    DOCUMENTS = "documents"
    PRICE = "price"
    OTHER = "other"


class Actor(StrEnum):
    """The role in which a user acts on one particular claim (a user may be the manager
    of one claim and a department member for another; the caller decides)."""

    MANAGER = "manager"  # the claim's manager
    DEPARTMENT = "department"  # a member of the responsible department
    SUPERVISOR = "supervisor"  # sees claims but does not move them
    ADMIN = "admin"


class Action(StrEnum):
    TAKE = "take"
    RESOLVE = "resolve"
    REJECT = "reject"
    REOPEN = "reopen"
    ANSWERED = "answered"
    QUESTION = "question"  # a question or comment: no status change


# ---------------------------------------------------------------------- transitions


class TransitionError(ValueError):
    """A refused status change. ``reason`` is a translation key:

    * ``claim-error-transition`` — the action makes no sense in the claim's current
      status (or for its direction), whoever asks;
    * ``claim-error-not-allowed`` — the move exists, but this actor may not make it.
    """

    def __init__(
        self,
        reason: str,
        *,
        direction: Direction,
        current: ClaimStatus,
        action: Action,
        actor: Actor,
    ) -> None:
        super().__init__(
            f"{reason}: {direction.value} claim in {current.value!r}, "
            f"action {action.value!r} by {actor.value}"
        )
        self.reason = reason
        self.direction = direction
        self.current = current
        self.action = action
        self.actor = actor


@dataclass(frozen=True, slots=True)
class _Rule:
    sources: frozenset[ClaimStatus]
    target: ClaimStatus
    actors: frozenset[Actor]


_S = ClaimStatus
_A = Actor
_DEPT_ADMIN = frozenset({_A.DEPARTMENT, _A.ADMIN})
_MANAGER_ADMIN = frozenset({_A.MANAGER, _A.ADMIN})

# Supervisors appear nowhere on purpose: they watch claims, they do not work on them.
_RULES: dict[tuple[Direction, Action], _Rule] = {
    # Incoming: the department does the work; the manager (who speaks to the client)
    # may only reopen a claim the client is not satisfied with.
    (Direction.INCOMING, Action.TAKE): _Rule(frozenset({_S.NEW}), _S.IN_PROGRESS, _DEPT_ADMIN),
    (Direction.INCOMING, Action.RESOLVE): _Rule(
        frozenset({_S.NEW, _S.IN_PROGRESS}), _S.RESOLVED, _DEPT_ADMIN
    ),
    (Direction.INCOMING, Action.REJECT): _Rule(
        frozenset({_S.NEW, _S.IN_PROGRESS}), _S.REJECTED, _DEPT_ADMIN
    ),
    (Direction.INCOMING, Action.REOPEN): _Rule(
        frozenset({_S.RESOLVED, _S.REJECTED}),
        _S.IN_PROGRESS,
        frozenset({_A.MANAGER, _A.DEPARTMENT, _A.ADMIN}),
    ),
    # Outgoing: the manager owns the whole conversation with the debtor. A claim may be
    # resolved without an answer (the client simply paid), hence RESOLVE from SENT.
    (Direction.OUTGOING, Action.ANSWERED): _Rule(
        frozenset({_S.SENT}), _S.ANSWERED, _MANAGER_ADMIN
    ),
    (Direction.OUTGOING, Action.RESOLVE): _Rule(
        frozenset({_S.SENT, _S.ANSWERED}), _S.RESOLVED, _MANAGER_ADMIN
    ),
    (Direction.OUTGOING, Action.REOPEN): _Rule(frozenset({_S.RESOLVED}), _S.SENT, _MANAGER_ADMIN),
}

_OPEN = frozenset({_S.NEW, _S.IN_PROGRESS, _S.SENT, _S.ANSWERED})

# Questions and comments on a client's claim pass between the department and the manager
# (who speaks to the client), in any status; a supervisor watches. An outgoing claim is the
# manager's own conversation with the debtor: nobody to ask.
_QUESTIONS: dict[Direction, frozenset[Actor]] = {
    Direction.INCOMING: frozenset({_A.MANAGER, _A.DEPARTMENT, _A.ADMIN}),
}

# Closing a claim says why: the resolution, or the reason it was rejected.
_NEEDS_TEXT = frozenset({Action.RESOLVE, Action.REJECT})
_TEXT_LINES = {_S.RESOLVED: "claim-resolution-line", _S.REJECTED: "claim-rejection-line"}


def initial_status(direction: Direction) -> ClaimStatus:
    """The status a claim is registered with: an incoming claim is ``new`` until the
    department takes it; an outgoing one is only recorded once sent."""
    return ClaimStatus.NEW if direction is Direction.INCOMING else ClaimStatus.SENT


def next_status(
    direction: Direction, current: ClaimStatus, action: Action, actor: Actor
) -> ClaimStatus:
    """The status after ``actor`` performs ``action`` on a claim in ``current``.

    Incoming: take new→in_progress (department, admin); resolve / reject from new or
    in_progress (department, admin); reopen resolved/rejected→in_progress (manager,
    department, admin). Outgoing: answered sent→answered (manager, admin); resolve
    sent/answered→resolved (manager, admin); reopen resolved→sent (manager, admin).

    The state is checked before the actor: a stale button pressed after someone else
    already moved the claim should say "the claim has moved on", not "you may not",
    because the latter would send the user to ask for rights they do not need.
    """
    rule = _RULES.get((direction, action))
    if rule is None or current not in rule.sources:
        raise TransitionError(
            REASON_TRANSITION, direction=direction, current=current, action=action, actor=actor
        )
    if actor not in rule.actors:
        raise TransitionError(
            REASON_NOT_ALLOWED, direction=direction, current=current, action=action, actor=actor
        )
    return rule.target


def may(direction: Direction, current: ClaimStatus, action: Action, actor: Actor) -> bool:
    """Whether ``actor`` may perform ``action`` on a claim in ``current`` now: the one rule
    behind both the buttons a card offers and the check when one is pressed."""
    if action is Action.QUESTION:
        return actor in _QUESTIONS.get(direction, frozenset())
    rule = _RULES.get((direction, action))
    return rule is not None and current in rule.sources and actor in rule.actors


def allowed_actions(direction: Direction, current: ClaimStatus, actor: Actor) -> list[Action]:
    """The actions ``actor`` may perform now, in ``Action`` declaration order — what the
    claim card should offer as buttons."""
    return [action for action in Action if may(direction, current, action, actor)]


def asks_for_text(action: Action) -> bool:
    """Resolve and reject take the resolution or the reason before they move the claim."""
    return action in _NEEDS_TEXT


def text_line_key(status: ClaimStatus) -> str:
    """The translation key of the line that shows the text given with a move into
    ``status``: the resolution, the reason for a rejection, else a comment."""
    return _TEXT_LINES.get(status, "claim-comment-line")


# What a manager types at the order step to say the claim is about no order: the words
# the prompt invites in either language, and the dashes people type for "nothing".
_NO_ORDER = frozenset({"нет", "без заказа", "none", "no", "no order", "-", "–", "—"})


def means_no_order(text: str) -> bool:
    """«нет», "none", "no" or a dash, in any case, with or without spaces around."""
    return " ".join(text.split()).strip(".!").casefold() in _NO_ORDER


def is_open(status: ClaimStatus) -> bool:
    """Whether the claim still needs work (new, in_progress, sent, answered)."""
    return status in _OPEN


# ---------------------------------------------------------------------- numbers

_NUMBER_RE = re.compile(r"(?:CL-)?(\d{4})-(\d{1,9})", re.IGNORECASE)


def claim_number(year: int, sequence: int) -> str:
    """``CL-2026-0042``: the sequence is zero-padded to 4 digits so numbers sort and
    read evenly, and simply grows wider past 9999 (never truncated)."""
    if not 1000 <= year <= 9999:
        raise ValueError(f"claim year must have four digits: {year}")
    if sequence < 1:
        raise ValueError(f"claim sequence must be positive: {sequence}")
    return f"CL-{year:04d}-{sequence:04d}"


def parse_claim_number(text: str) -> tuple[int, int]:
    """(year, sequence) from what a user types: ``CL-2026-0042``, ``cl-2026-42`` or
    ``2026-42``. Raises ValueError for anything else, including sequence 0."""
    match = _NUMBER_RE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a claim number: {text!r}")
    year, sequence = int(match.group(1)), int(match.group(2))
    if year < 1000 or sequence < 1:
        raise ValueError(f"not a claim number: {text!r}")
    return year, sequence


# ---------------------------------------------------------------------- deadlines


@dataclass(frozen=True, slots=True)
class Deadlines:
    internal: date  # our own service level, in business days
    legal: date  # the statutory pre-trial period, in calendar days


def _calendar_days_deadline(start: date, days: int, calendar: BusinessCalendar) -> date:
    # Russian procedural periods count calendar days, but a period ending on a day off
    # ends on the next business day (cf. art. 114 APC RF, art. 193 Civil Code RF).
    return calendar.next_business_day(start + timedelta(days=days), include_today=True)


def claim_deadlines(
    registered: date,
    *,
    calendar: BusinessCalendar,
    internal_business_days: int = 10,
    legal_calendar_days: int = 30,
) -> Deadlines:
    """Deadlines of a claim registered on ``registered``.

    * internal — ``internal_business_days`` business days after registration (the n-th
      business day strictly after it), our own promise to the client;
    * legal — ``legal_calendar_days`` calendar days after registration: the pre-trial
      claim period of the Arbitration Procedure Code (art. 4 part 5 APC RF) counts
      calendar days; when it ends on a day off it moves to the next business day.
    """
    if internal_business_days < 1 or legal_calendar_days < 1:
        raise ValueError("claim deadlines must be at least one day after registration")
    return Deadlines(
        internal=calendar.add_business_days(registered, internal_business_days),
        legal=_calendar_days_deadline(registered, legal_calendar_days, calendar),
    )


def days_left(deadline: date, today: date) -> int:
    """Calendar days until ``deadline``: 0 on the day itself, negative when late."""
    return (deadline - today).days


def due_reminders(
    *,
    today: date,
    internal: date,
    legal: date,
    calendar: BusinessCalendar,
    status: ClaimStatus,
) -> list[str]:
    """Reminder keys due *today* for a claim; empty for a closed claim.

    The reminder job runs every day (weekends included), so each rule names exactly one
    day on which it fires — nothing is repeated and nothing needs remembering:

    * ``internal-soon`` — today is the business day 2 business days before the internal
      deadline (``calendar.add_business_days(today, 2) == internal`` with today a
      business day; computed as ``add_business_days(internal, -2)`` so that a weekend
      day, which also satisfies the forward formula, never fires it a second time);
    * ``internal-today`` — today is the internal deadline;
    * ``legal-soon`` — the legal deadline is exactly 5 calendar days away (the legal
      period itself counts calendar days);
    * ``legal-passed`` — today is the first day after the legal deadline: the client
      can now be taken to court (outgoing) or can take us there (incoming).

    Keys are returned in the order above.
    """
    if not is_open(status):
        return []
    keys: list[str] = []
    if today == calendar.add_business_days(internal, -2):
        keys.append("internal-soon")
    if today == internal:
        keys.append("internal-today")
    if (legal - today).days == 5:
        keys.append("legal-soon")
    if today == legal + timedelta(days=1):
        keys.append("legal-passed")
    return keys


# ---------------------------------------------------------------------- payment claims


@dataclass(frozen=True, slots=True)
class OverdueItem:
    number: str  # the shipment document's number (УПД / накладная)
    shipped_on: date
    due_on: date
    amount: Decimal  # what is still owed on it
    days_overdue: int


@dataclass(frozen=True, slots=True)
class PaymentClaimDraft:
    client_name: str
    client_inn: str | None
    contract_number: str | None
    items: tuple[OverdueItem, ...]
    total: Decimal
    penalty: Decimal | None  # None when the contract has no penalty rate
    penalty_rate: Decimal | None  # percent of the debt per day of delay
    answer_deadline: date
    date: date  # the letter's date
    company_manager: str


def payment_claim_eligible(days_overdue: int, threshold_days: int = 30) -> bool:
    """Whether a debt is overdue long enough to offer a payment claim: at least
    ``threshold_days`` days (``>=``, so "30 days overdue" qualifies on the 30th day —
    the threshold reads as "a month late", and a month late is late enough)."""
    return days_overdue >= threshold_days


def payment_claim_draft(
    *,
    client_name: str,
    client_inn: str | None,
    contract_number: str | None,
    items: Iterable[OverdueItem],
    penalty_rate: Decimal | None,
    today: date,
    answer_days: int = 30,
    calendar: BusinessCalendar,
    manager_name: str,
) -> PaymentClaimDraft:
    """Everything the payment claim letter states, computed once.

    total — the sum of the items; penalty — the contract penalty summed per item
    (each shipment is late by its own number of days), None without a rate; answer
    deadline — ``answer_days`` calendar days after today, moved to the next business
    day like the legal deadline of a claim.
    """
    frozen = tuple(items)
    if not frozen:
        raise ValueError("a payment claim needs at least one overdue shipment")
    if answer_days < 1:
        raise ValueError(f"answer_days must be positive: {answer_days}")
    if penalty_rate is not None and penalty_rate < 0:
        raise ValueError(f"penalty rate must not be negative: {penalty_rate}")
    total = sum((item.amount for item in frozen), _ZERO).quantize(_CENT)
    accrued: Decimal | None = None
    if penalty_rate is not None:
        # max(…, 0): a shipment not yet overdue must not reduce the penalty.
        accrued = sum(
            (penalty(item.amount, penalty_rate, max(item.days_overdue, 0)) for item in frozen),
            _ZERO,
        )
    return PaymentClaimDraft(
        client_name=client_name.strip(),
        client_inn=(client_inn or "").strip() or None,
        contract_number=(contract_number or "").strip() or None,
        items=frozen,
        total=total,
        penalty=accrued,
        penalty_rate=penalty_rate,
        answer_deadline=_calendar_days_deadline(today, answer_days, calendar),
        date=today,
        company_manager=manager_name.strip(),
    )


# ---------------------------------------------------------------------- formatting


def format_amount(amount: Decimal, language: str) -> str:
    """``1 250 000,00 руб.`` in Russian, ``1,250,000.00 RUB`` in English.

    Plain spaces (not non-breaking ones) as thousands separators: the letter is copied
    into e-mail and other documents, where a stray U+00A0 causes more trouble than a
    number wrapped across lines. Decimal throughout — never float — so kopecks are exact.
    """
    return formatting.document_money(amount, language)


def _format_rate(rate: Decimal, language: str) -> str:
    # "0,1 %" with every place the contract gives (a legal rate is not rounded to a tenth
    # like the percentages on screens), in the locale's percent form.
    # Plain spaces, as in document_money.
    text = formatting.percent_text(formatting.number(rate, language), language)
    return text.replace(formatting.NBSP, " ")


def _format_date(day: date) -> str:
    return formatting.day(day, "ru")


def _ru_days(n: int) -> str:
    # Russian plural: 1 день, 2–4 дня, 5–20 дней, 21 день, 22 дня, 111 дней…
    tail = abs(n) % 100
    if 11 <= tail <= 14:
        word = "дней"
    elif tail % 10 == 1:
        word = "день"
    elif 2 <= tail % 10 <= 4:
        word = "дня"
    else:
        word = "дней"
    return f"{n} {word}"


def _en_days(n: int) -> str:
    return f"{n} day" if abs(n) == 1 else f"{n} days"


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported letter language: {language!r}")


@dataclass(frozen=True, slots=True)
class _Letter:
    """The letter split into blocks, so that the plain text and the .docx say exactly
    the same thing and differ only in layout."""

    addressee: tuple[str, ...]
    title: str
    intro: str
    item_lines: tuple[str, ...]
    table_header: tuple[str, ...]
    table_rows: tuple[tuple[str, ...], ...]
    total: str
    penalty: tuple[str, ...]
    demand: str
    warning: str
    date_line: str
    signature_intro: str
    signature: str


def _letter_ru(draft: PaymentClaimDraft) -> _Letter:
    def amount(value: Decimal) -> str:
        return format_amount(value, "ru")

    addressee = [f"Кому: {draft.client_name}"]
    if draft.client_inn:
        addressee.append(f"ИНН: {draft.client_inn}")
    # "по договору № …" only when the contract is known: a claim without one still
    # stands on the shipment documents themselves.
    contract = f" по договору № {draft.contract_number}" if draft.contract_number else ""
    intro = (
        f"Наша компания поставила в адрес {draft.client_name} товар{contract}, однако в "
        "установленные сроки он не оплачен. Задолженность образовалась по следующим "
        "отгрузкам:"
    )
    item_lines = tuple(
        f"{index}. Отгрузка № {item.number} от {_format_date(item.shipped_on)}, срок оплаты "
        f"{_format_date(item.due_on)}, сумма {amount(item.amount)}, просрочка "
        f"{_ru_days(item.days_overdue)}"
        for index, item in enumerate(draft.items, start=1)
    )
    penalty_lines: list[str] = []
    if draft.penalty is not None and draft.penalty_rate is not None:
        penalty_lines.append(
            "Условиями договора за просрочку оплаты предусмотрена неустойка (пеня) в размере "
            f"{_format_rate(draft.penalty_rate, 'ru')} от неоплаченной суммы за каждый день "
            f"просрочки. Неустойка по состоянию на {_format_date(draft.date)} составляет "
            f"{amount(draft.penalty)}"
        )
        # Art. 330 of the Civil Code is the basis of a contractual penalty.
        articles = "статьями 309, 310, 330, 516"
        demand_sum = (
            f"погасить задолженность в размере {amount(draft.total)} и уплатить неустойку "
            f"в размере {amount(draft.penalty)}"
        )
        recover = "задолженности, неустойки (пени), а также судебных расходов"
    else:
        articles = "статьями 309, 310, 516"
        demand_sum = f"погасить задолженность в размере {amount(draft.total)}"
        # Without a contractual penalty the law still grants interest on the debt.
        recover = (
            "задолженности, процентов за пользование чужими денежными средствами "
            "(ст. 395 ГК РФ), а также судебных расходов"
        )
    return _Letter(
        addressee=tuple(addressee),
        title="ПРЕТЕНЗИЯ о погашении задолженности",
        intro=intro,
        item_lines=item_lines,
        table_header=("№ документа", "Дата отгрузки", "Срок оплаты", "Сумма", "Дней просрочки"),
        table_rows=_table_rows(draft, "ru"),
        # No closing period: the amount already ends with the one of "руб.".
        total=f"Общая сумма задолженности: {amount(draft.total)}",
        penalty=tuple(penalty_lines),
        demand=(
            f"На основании изложенного, руководствуясь {articles} Гражданского кодекса "
            f"Российской Федерации, требуем в срок до {_format_date(draft.answer_deadline)} "
            f"{demand_sum}, а также направить ответ на настоящую претензию."
        ),
        warning=(
            "В случае неудовлетворения требований в указанный срок мы будем вынуждены "
            f"обратиться в арбитражный суд с иском о взыскании {recover}, включая расходы "
            "на уплату государственной пошлины и на оплату услуг представителя."
        ),
        date_line=f"Дата: {_format_date(draft.date)}",
        signature_intro="С уважением,",
        signature=f"Менеджер ____________________ / {draft.company_manager} /",
    )


def _letter_en(draft: PaymentClaimDraft) -> _Letter:
    def amount(value: Decimal) -> str:
        return format_amount(value, "en")

    addressee = [f"To: {draft.client_name}"]
    if draft.client_inn:
        addressee.append(f"Taxpayer ID (INN): {draft.client_inn}")
    contract = f" under contract No. {draft.contract_number}" if draft.contract_number else ""
    intro = (
        f"Our company delivered goods to {draft.client_name}{contract}, which have not been "
        "paid for within the agreed terms. The debt consists of the following shipments:"
    )
    item_lines = tuple(
        f"{index}. Shipment No. {item.number} of {_format_date(item.shipped_on)}, due "
        f"{_format_date(item.due_on)}, amount {amount(item.amount)}, "
        f"{_en_days(item.days_overdue)} overdue"
        for index, item in enumerate(draft.items, start=1)
    )
    penalty_lines: list[str] = []
    if draft.penalty is not None and draft.penalty_rate is not None:
        penalty_lines.append(
            "The contract provides for a penalty for late payment of "
            f"{_format_rate(draft.penalty_rate, 'en')} of the unpaid amount for each day of "
            f"delay. As of {_format_date(draft.date)} the penalty amounts to "
            f"{amount(draft.penalty)}."
        )
        articles = "Articles 309, 310, 330 and 516"
        demand_sum = (
            f"pay the debt of {amount(draft.total)} and the penalty of {amount(draft.penalty)}"
        )
        recover = "the debt, the penalty and legal costs"
    else:
        articles = "Articles 309, 310 and 516"
        demand_sum = f"pay the debt of {amount(draft.total)}"
        recover = (
            "the debt, interest for the use of another's funds (Article 395 of the Civil "
            "Code of the Russian Federation) and legal costs"
        )
    return _Letter(
        addressee=tuple(addressee),
        title="PAYMENT CLAIM for the repayment of debt",
        intro=intro,
        item_lines=item_lines,
        table_header=("Document No.", "Shipped on", "Due on", "Amount", "Days overdue"),
        table_rows=_table_rows(draft, "en"),
        total=f"Total debt: {amount(draft.total)}.",
        penalty=tuple(penalty_lines),
        demand=(
            f"In view of the above and pursuant to {articles} of the Civil Code of the "
            f"Russian Federation, we demand that you {demand_sum} by "
            f"{_format_date(draft.answer_deadline)} and reply to this claim."
        ),
        warning=(
            "Should the claim not be satisfied by that date, we will have to file a lawsuit "
            f"with the arbitration court to recover {recover}, including the state fee and "
            "the cost of legal representation."
        ),
        date_line=f"Date: {_format_date(draft.date)}",
        signature_intro="Sincerely,",
        signature=f"Manager ____________________ / {draft.company_manager} /",
    )


def _table_rows(draft: PaymentClaimDraft, language: str) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            item.number,
            _format_date(item.shipped_on),
            _format_date(item.due_on),
            format_amount(item.amount, language),
            str(item.days_overdue),
        )
        for item in draft.items
    )


def _letter(draft: PaymentClaimDraft, language: str) -> _Letter:
    _check_language(language)
    return _letter_ru(draft) if language == "ru" else _letter_en(draft)


def payment_claim_text(draft: PaymentClaimDraft, language: str) -> str:
    """The payment claim as a plain-text letter in ``language`` ("ru" or "en")."""
    letter = _letter(draft, language)
    blocks = [
        "\n".join(letter.addressee),
        letter.title,
        letter.intro,
        "\n".join(letter.item_lines),
        letter.total,
        *letter.penalty,
        letter.demand,
        letter.warning,
        letter.date_line,
        f"{letter.signature_intro}\n{letter.signature}",
    ]
    return "\n\n".join(blocks) + "\n"


def payment_claim_docx(draft: PaymentClaimDraft, language: str) -> bytes:
    """The payment claim as a .docx document (bytes), built in memory."""
    letter = _letter(draft, language)
    document = Document()
    normal = document.styles["Normal"].font
    normal.name = "Times New Roman"  # the customary font of Russian business letters
    normal.size = Pt(12)

    # Russian business letters put the addressee in the top right corner.
    for line in letter.addressee:
        paragraph = document.add_paragraph(line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_run = title.add_run(letter.title)
    title_run.bold = True
    title_run.font.size = Pt(14)

    document.add_paragraph(letter.intro).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    table = document.add_table(rows=1, cols=len(letter.table_header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(table.rows[0].cells, letter.table_header, strict=True):
        # A fresh cell holds one empty paragraph without runs; add a bold run to it
        # (assigning cell.text would leave an extra, non-bold run behind).
        cell.paragraphs[0].add_run(heading).bold = True
    for values in letter.table_rows:
        cells = table.add_row().cells
        for column, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.text = value
            if column >= 3:  # amounts and day counts read best right-aligned
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT

    total = document.add_paragraph()
    total.add_run(letter.total).bold = True
    for line in (*letter.penalty, letter.demand, letter.warning):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    document.add_paragraph(letter.date_line)
    document.add_paragraph(letter.signature_intro)
    document.add_paragraph(letter.signature)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
