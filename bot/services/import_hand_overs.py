"""What an import that gives clients to managers tells each of them: one message per
manager per import run (how many clients they got, from whom, how many they lost, and
some of the names), not one per client: a first import of 500 clients would otherwise
send a manager 500 messages. A hand-over of one client in the chat is told as before
(accounts.reassign_client)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from storage.dto import UserDTO
from storage.erp_dto import FirstOwner

NAMES_SHOWN = 10  # names listed in the message; the rest as "and N more"


@dataclass
class Tally:
    """One manager's side of an import's hand-overs."""

    got_new: int = 0  # clients that had no manager before
    got_from: dict[int, int] = field(default_factory=dict)  # previous owner → clients
    got_names: list[str] = field(default_factory=list)  # the first NAMES_SHOWN
    lost_to: dict[int, int] = field(default_factory=dict)  # new owner → clients
    lost_names: list[str] = field(default_factory=list)

    @property
    def got(self) -> int:
        return self.got_new + sum(self.got_from.values())

    @property
    def lost(self) -> int:
        return sum(self.lost_to.values())


def _name(names: list[str], name: str) -> None:
    if len(names) < NAMES_SHOWN:
        names.append(name)


def tally(
    new_clients: Mapping[int, FirstOwner], moves: Iterable[tuple[str, int | None, int]]
) -> dict[int, Tally]:
    """Per manager: the new clients the switch inserted with them as owner, then the
    owner changes (client name, owner it had, new owner) in the order applied."""
    out: dict[int, Tally] = {}
    for owner, new in new_clients.items():
        mine = out.setdefault(owner, Tally())
        mine.got_new += new.count
        for name in new.names:
            _name(mine.got_names, name)
    for name, previous, owner in moves:
        mine = out.setdefault(owner, Tally())
        _name(mine.got_names, name)
        if previous is None:
            mine.got_new += 1
            continue
        mine.got_from[previous] = mine.got_from.get(previous, 0) + 1
        theirs = out.setdefault(previous, Tally())
        theirs.lost_to[owner] = theirs.lost_to.get(owner, 0) + 1
        _name(theirs.lost_names, name)
    return out


def tally_text(counted: Tally, people: Mapping[int, UserDTO], l10n: Callable[..., str]) -> str:
    """The one message of a manager, in their language."""

    def managers(counts: dict[int, int]) -> str:
        return ", ".join(
            l10n("handover-import-manager", name=_full_name(people, u), count=n)
            for u, n in counts.items()
        )

    def listed(names: list[str], total: int) -> str:
        shown = ", ".join(names)
        if total > len(names):
            shown = l10n("handover-import-more", names=shown, count=total - len(names))
        return l10n("handover-import-clients", names=shown)

    lines = [l10n("handover-import-title")]
    if counted.got:
        lines.append(l10n("handover-import-got", count=counted.got))
        if counted.got_new and counted.got_from:
            lines.append(l10n("handover-import-got-new", count=counted.got_new))
        if counted.got_from:
            lines.append(l10n("handover-import-got-from", managers=managers(counted.got_from)))
        lines.append(listed(counted.got_names, counted.got))
    if counted.lost:
        lines.append(
            l10n("handover-import-lost", count=counted.lost, managers=managers(counted.lost_to))
        )
        lines.append(listed(counted.lost_names, counted.lost))
    return "\n".join(lines)


def _full_name(people: Mapping[int, UserDTO], user_id: int) -> str:
    person = people.get(user_id)
    return person.full_name if person else "—"
