"""The boundaries of the house (issue 15), read from the imports of every module: a change
that crosses one fails here, with the module and the import named.

- storage/ imports nothing of the project above it; its ORM models stay inside it (bot/,
  handlers/, jobs/ and bench/ reach the database through repositories and DTOs);
- services import no aiogram: they are the rules and use cases, testable without Telegram;
- views (bot/views) read DTOs, never repositories, and never import handlers or jobs;
- handlers reach storage only through services or `Repos` (and its DTOs);
- a handler uses its own feature's views and the common ones; of another feature it may
  use only the callback data (to answer that feature's button, or to link to its screen);
- only the composition root (bot/runtime/factory.py) and the command line import handlers
  and jobs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "jobs", "storage", "bench")
# The feature whose views each handler module shows (bot/views/<feature>/).
HANDLER_VIEWS = {
    "admin_invite": "users",
    "admin_users": "users",
    "analytics": "analytics",
    "chat_orders": "chat_orders",
    "claims": "claims",
    "clients": "accounts",
    "contact_log": "accounts",
    "editing": "accounts",
    "erp": "erp",
    "plans": "plans",
    "reminders": "reminders",
    "reports": "reports",
    "settings": "settings",
    "stock": "stock",
    "sync": "sync",
    "today": "accounts",
}
# What a handler may take from storage: the DTOs, and the repositories through Repos.
# (and the database handle, to pass on to a service or open a read).
HANDLER_STORAGE = (
    "storage.dto",
    "storage.types",
    "storage.repositories.Repos",
    "storage.engine.Database",
)
# Repositories Repos does not hold, on purpose: the update's first read runs on the
# database's kept connection, not a session; the demo's own stays out of the runtime.
NOT_IN_REPOS = {"UpdateContextRepo", "DemoRepo"}
# Modules that compose the application or run it from the command line.
ROOTS = {"bot/runtime/factory.py", "bot/cli.py", "bot/__main__.py"}


def _modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), path


def _imports(path: Path) -> set[str]:
    """Every name a file imports: `import a.b` gives `a.b`, `from a import b` gives `a.b`
    (b may be a module or a name in it); function-local and TYPE_CHECKING ones included."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _is_dto(name: str) -> bool:
    """storage.dto, storage.erp_dto, …: the typed data crossing the storage boundary."""
    module = name.split(".")[1] if "." in name else ""
    return module in ("dto", "types") or module.endswith("_dto")


def _top(name: str) -> str:
    return name.split(".")[0]


MODULES = list(_modules())


def _violations() -> list[str]:
    problems: list[str] = []
    for rel, path in MODULES:
        for name in sorted(_imports(path)):
            top = _top(name)
            if rel.startswith("storage/") and top in ("bot", "handlers", "jobs"):
                problems.append(f"{rel}: storage imports {name}")
            if not rel.startswith("storage/") and (
                name == "storage.models" or name.startswith("storage.models.")
            ):
                problems.append(f"{rel}: an ORM model outside storage: {name}")
            if (
                rel.startswith("handlers/")
                and top == "storage"
                and not name.startswith(HANDLER_STORAGE)
            ):
                problems.append(f"{rel}: a handler reaches storage past Repos: {name}")
            if rel.startswith("bot/services/") and top == "aiogram":
                problems.append(f"{rel}: a service imports aiogram: {name}")
            if rel.startswith("bot/views/") and top == "storage" and not _is_dto(name):
                problems.append(f"{rel}: a view reaches past the DTOs: {name}")
            outside = (f"{top}/", *ROOTS, "bot/demo/", "bench/")  # the demo runs jobs itself
            if top in ("handlers", "jobs") and not rel.startswith(outside):
                problems.append(f"{rel}: imports {name} (only the composition root may)")
            if rel.startswith("handlers/") and name.startswith("bot.views."):
                parts = name.split(".")
                feature = parts[2] if len(parts) > 2 else ""
                own = HANDLER_VIEWS.get(Path(rel).stem)
                allowed = feature in ("common", own) or (
                    len(parts) > 3 and parts[3] == "callbacks"
                )
                if feature and not allowed:
                    problems.append(f"{rel}: another feature's views: {name}")
    return problems


def _repositories_built(path: Path) -> list[str]:
    """Repository classes constructed directly (`ErpRepo(session)`), not taken from Repos."""
    built = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id.endswith("Repo")
            and node.func.id not in NOT_IN_REPOS
        ):
            built.append(node.func.id)
    return built


def test_repos_holds_every_repository() -> None:
    """Outside storage a repository is reached through `Repos`, never built ad hoc."""
    built = [
        f"{rel}: builds {name}"
        for rel, path in MODULES
        if not rel.startswith("storage/")
        for name in _repositories_built(path)
    ]
    assert built == [], "\n".join(built)


def test_the_rules_see_the_whole_tree() -> None:
    names = {rel for rel, _ in MODULES}
    assert {"bot/services/accounts.py", "handlers/claims.py", "storage/models.py"} <= names
    assert any(rel.startswith("bot/views/claims/") for rel in names)


def test_every_handler_module_has_its_feature() -> None:
    handlers = {
        Path(rel).stem
        for rel, _ in MODULES
        if rel.startswith("handlers/") and Path(rel).stem not in ("__init__",)
    }
    for stem in handlers:
        imports = _imports(ROOT / "handlers" / f"{stem}.py")
        uses_feature_views = {
            name.split(".")[2]
            for name in imports
            if name.startswith("bot.views.") and name.count(".") >= 2
        } - {"common"}
        if uses_feature_views:
            assert stem in HANDLER_VIEWS, f"handlers/{stem}.py: name its feature in HANDLER_VIEWS"


def test_the_boundaries_hold() -> None:
    problems = _violations()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    ("rel", "source", "complaint"),
    [
        ("bot/services/x.py", "from aiogram import Bot\n", "a service imports aiogram"),
        ("handlers/x.py", "from storage.models import Client\n", "an ORM model outside"),
        ("bot/views/x/texts.py", "from storage.erp import ErpRepo\n", "past the DTOs"),
        ("handlers/clients.py", "from bot.views.claims.texts import a\n", "another feature"),
        ("storage/x.py", "from bot.services import money\n", "storage imports"),
        ("handlers/x.py", "from storage.erp import ErpRepo\n", "past Repos"),
    ],
)
def test_a_crossing_is_caught(
    rel: str, source: str, complaint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checker itself: each kind of crossing, planted in a file, is reported."""
    planted = tmp_path / "planted.py"
    planted.write_text(source, encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.MODULES", [(rel, planted)])
    assert any(complaint in problem for problem in _violations())
