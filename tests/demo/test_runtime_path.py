"""The demo is a command-line tool: nothing the bot runs loads it. `bot/__main__.py` imports
it lazily, for `python -m bot demo` only; every other module of the bot (the runtime, the
handlers, the jobs, the services, the views, storage) is imported here in a fresh process,
and not one demo module may come along."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO = ("bot.demo", "storage.demo")

# Every module of the runtime's packages, except the demo's own and the migration scripts
# (Alembic loads those by path).
IMPORT_ALL = """
import importlib, json, pkgutil, sys
import bot.__main__
skip = ("bot.demo", "storage.demo", "storage.migrations")
imported = ["bot.__main__"]

def walk(name):
    # By hand, not pkgutil.walk_packages: that imports every package it passes, skipped or not.
    module = importlib.import_module(name)
    imported.append(name)
    for info in pkgutil.iter_modules(getattr(module, "__path__", []), name + "."):
        if not info.name.startswith(skip):
            walk(info.name)

for name in ("bot", "handlers", "jobs", "storage"):
    walk(name)
print(json.dumps({"imported": imported, "loaded": sorted(sys.modules)}))
"""


def test_no_runtime_module_loads_the_demo() -> None:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    imported = set(result["imported"])
    # The walk did reach the runtime: the composition root, handlers, jobs and services.
    assert {"bot.cli", "handlers", "jobs", "bot.services.people"} <= imported
    assert any(name.startswith("handlers.") for name in imported)
    assert any(name.endswith(".factory") for name in imported)
    loaded = [m for m in result["loaded"] if m.startswith(DEMO)]
    assert loaded == [], f"the runtime loads the demo: {loaded}"


def test_no_runtime_source_names_the_demo() -> None:
    """Nor does anything branch on the demo's mark: only the demo reads or writes it."""
    sources = [
        path
        for folder in ("bot", "handlers", "jobs", "storage")
        for path in (ROOT / folder).rglob("*.py")
        if "demo" not in path.relative_to(ROOT).parts
        and path.name != "demo.py"
        and "migrations" not in path.parts
    ]
    assert len(sources) > 50
    naming = [
        str(path.relative_to(ROOT))
        for path in sources
        if path != ROOT / "bot" / "__main__.py"
        and any(word in path.read_text(encoding="utf-8") for word in ("bot.demo", "demo_company"))
    ]
    assert naming == []
