"""Statements both backends have under different spellings: INSERT … ON CONFLICT in the
dialect of the session (SQLite and PostgreSQL each have their own `insert`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def dialect_insert(dialect: str, model: Any) -> Any:
    """INSERT in the named dialect, which can say ON CONFLICT."""
    return (postgresql if dialect == "postgresql" else sqlite).insert(model)


def insert_ignoring_conflicts(session: AsyncSession, model: Any) -> Any:
    """INSERT … ON CONFLICT DO NOTHING."""
    return dialect_insert(session.get_bind().dialect.name, model).on_conflict_do_nothing()


def upsert_by_key(session: AsyncSession, model: Any, **values: Any) -> Any:
    """INSERT … ON CONFLICT (primary key) DO UPDATE the other columns."""
    stmt = dialect_insert(session.get_bind().dialect.name, model).values(**values)
    keys = [column.name for column in model.__table__.primary_key]
    return stmt.on_conflict_do_update(
        index_elements=keys, set_={k: v for k, v in values.items() if k not in keys}
    )
