"""Importing ERP (1C) exports: prepare, then switch.

Reading and validating (into the staging area: validate.py), then resolving every row
against what is stored (new, changed, unchanged, removed by a snapshot) and computing what
follows from it (open amounts after payments, returns' bases) all happen in short
transactions of one batch each, written as resolved operations to the run's pending tables
(prepare.py). The switch then applies them in one transaction of a few set-based statements
(switch.py), so readers see the file wholly or not at all, and the bot's own writes wait
only for the switch (about a second for 100,000 shipments), never for the preparation.
Imports run one at a time; a run killed mid-way is found by its old heartbeat, cleared, and
the admins are told (runs.py). Managers are matched by the names the ERP writes
(managers.py). The statements themselves are the repositories' (storage/erp.py,
storage/imports.py)."""

from bot.services.erp_import.managers import attach_erp_clients, manager_index, match_manager
from bot.services.erp_import.prepare import keep_open_amounts
from bot.services.erp_import.runs import (
    ImportObserver,
    clear_abandoned_imports,
    observe_imports,
    run_import,
)
from bot.services.erp_import.summary import ImportSummary, Rejected, rejected_csv
from bot.services.erp_import.switch import ImportAbandonedError
from bot.services.erp_import.validate import KINDS

__all__ = [
    "KINDS",
    "ImportAbandonedError",
    "ImportObserver",
    "ImportSummary",
    "Rejected",
    "attach_erp_clients",
    "clear_abandoned_imports",
    "keep_open_amounts",
    "manager_index",
    "match_manager",
    "observe_imports",
    "rejected_csv",
    "run_import",
]
