"""What each role can do: the command list Telegram shows and the main-menu keyboard."""

from __future__ import annotations

from dataclasses import dataclass

from storage.dto import Role

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class Feature:
    command: str
    roles: frozenset[Role]
    in_menu: bool = True


# Order is the order of the command list and of the menu keyboard.
WORKS_ACCOUNTS = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.ADMIN})
LEADS = frozenset({Role.SUPERVISOR, Role.ADMIN})

FEATURES: tuple[Feature, ...] = (
    Feature("today", frozenset({Role.MANAGER, Role.SUPERVISOR})),
    Feature("clients", WORKS_ACCOUNTS),
    Feature("log", frozenset({Role.MANAGER, Role.ADMIN})),
    Feature("claim", frozenset({Role.MANAGER, Role.ADMIN})),
    Feature("claims", ALL_ROLES),
    Feature("plan", WORKS_ACCOUNTS),
    Feature("team", LEADS),
    Feature("report", LEADS),
    Feature("export", LEADS, in_menu=False),
    Feature("debts", WORKS_ACCOUNTS),
    Feature("orders", WORKS_ACCOUNTS),
    Feature("order", WORKS_ACCOUNTS, in_menu=False),
    Feature("prices", WORKS_ACCOUNTS, in_menu=False),
    Feature("neworder", WORKS_ACCOUNTS, in_menu=False),
    Feature("stock", WORKS_ACCOUNTS, in_menu=False),
    Feature("import", frozenset({Role.ADMIN}), in_menu=False),
    Feature("sync", frozenset({Role.ADMIN}), in_menu=False),
    Feature("client", WORKS_ACCOUNTS, in_menu=False),
    Feature("history", WORKS_ACCOUNTS, in_menu=False),
    Feature("help", ALL_ROLES),
    Feature("settings", ALL_ROLES),
    Feature("invite", frozenset({Role.ADMIN})),
    Feature("users", frozenset({Role.ADMIN})),
    Feature("menu", ALL_ROLES, in_menu=False),
    Feature("cancel", ALL_ROLES, in_menu=False),
    Feature("start", ALL_ROLES, in_menu=False),
)

# What the default command scope offers everyone, registered or not.
PUBLIC_COMMANDS = ("start", "help")


def features_for(role: Role) -> list[Feature]:
    return [f for f in FEATURES if role in f.roles]


def menu_commands(role: Role) -> list[str]:
    return [f.command for f in features_for(role) if f.in_menu]
