"""The storage tests' `database` fixture (SQLite and PostgreSQL) for the digest's queries."""

from tests.storage.conftest import database

__all__ = ["database"]
