"""Placeholder router; filled in by the supervisors issue."""

from __future__ import annotations

from aiogram import Router


def router() -> Router:
    return Router(name=__name__)
