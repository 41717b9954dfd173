"""1C's side of the live sync: its standard OData interface (REST, OData v3, JSON).

`odata.py` is the HTTP client (paging, retries, errors, the `$metadata` reader), `profiles.py`
says what the sync reads in each configuration family (УТ 11 / КА 2 / ERP 2) and what a
base has not published, `reading.py` turns 1C's catalogs, documents and registers into the
rows the importer validates (`bot.services.erp_files.RawRow`, keyed by the columns of
`bot.services.erp_import.validate.COLUMNS`)."""

from bot.services.onec.odata import (
    ODataAuthError,
    ODataClient,
    ODataError,
    ODataMetadata,
    ODataUnreachable,
)
from bot.services.onec.profiles import MissingPart, Profile, choose_profile, missing
from bot.services.onec.reading import OneCReader, Skip, SkippedKind

__all__ = [
    "MissingPart",
    "ODataAuthError",
    "ODataClient",
    "ODataError",
    "ODataMetadata",
    "ODataUnreachable",
    "OneCReader",
    "Profile",
    "Skip",
    "SkippedKind",
    "choose_profile",
    "missing",
]
