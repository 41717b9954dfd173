"""Business rules of claims (претензии): who may move a claim where, and claim numbers.

Two kinds of claims live side by side:

* **incoming** — a client complains about a delivery (quality, short delivery, late
  delivery, damage, documents, price). The claim is registered by its manager and worked
  on by the responsible department; it starts as ``new``.
* **outgoing** — our company demands payment of an overdue debt from a client. Once the
  manager has sent the letter (bot/services/payment_claims.py) the claim is recorded as
  ``sent`` and waits for the client's answer.

Deadlines and their reminders live in bot/services/claim_deadlines.py. Everything here is
pure: no clock, no database, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "REASON_NOT_ALLOWED",
    "REASON_TRANSITION",
    "Action",
    "Actor",
    "Category",
    "ClaimStatus",
    "Direction",
    "TransitionError",
    "allowed_actions",
    "asks_for_text",
    "claim_number",
    "initial_status",
    "is_open",
    "may",
    "means_no_order",
    "next_status",
    "parse_claim_number",
    "text_line_key",
]

# Translation keys carried by TransitionError.reason.
REASON_TRANSITION = "claim-error-transition"
REASON_NOT_ALLOWED = "claim-error-not-allowed"


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
