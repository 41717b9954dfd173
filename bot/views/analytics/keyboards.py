"""Keyboards of the analysis screens: ABC periods, subjects and tiers; export periods."""

from __future__ import annotations

from datetime import date

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.runtime.i18n import L10n
from bot.services.analytics import AbcReport, abc_period
from bot.services.formatting import period_label
from bot.services.plans import report_period
from bot.views.analytics.callbacks import (
    AbcAction,
    AbcCallback,
    AbcPeriod,
    AbcSubject,
    ExportCallback,
)
from bot.views.common.callbacks import ReportPeriod


def abc_periods(l10n: L10n, today: date) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for code in AbcPeriod:
        b.button(
            text=l10n(
                f"analytics-period-{code}",
                label=period_label(abc_period(code, today), l10n.language),
            ),
            callback_data=AbcCallback(action=AbcAction.SUBJECTS, period=code),
        )
    b.adjust(2)
    return b.as_markup()


def abc_subjects(l10n: L10n, period: AbcPeriod) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for subject in AbcSubject:
        b.button(
            text=l10n(f"abc-subject-{subject}"),
            callback_data=AbcCallback(action=AbcAction.SHOW, subject=subject, period=period),
        )
    b.button(text=l10n("abc-back-periods"), callback_data=AbcCallback(action=AbcAction.PERIODS))
    b.adjust(2, 1)
    return b.as_markup()


def abc_result(l10n: L10n, report: AbcReport, period: AbcPeriod) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    other = AbcSubject.PRODUCTS if report.subject == AbcSubject.CLIENTS else AbcSubject.CLIENTS
    b.button(
        text=l10n(f"abc-subject-{other}"),
        callback_data=AbcCallback(action=AbcAction.SHOW, subject=other, period=period),
    )
    b.button(text=l10n("abc-back-periods"), callback_data=AbcCallback(action=AbcAction.PERIODS))
    rows = [2]
    if report.can_write_tiers and report.tier_changes and not report.result.empty:
        b.button(
            text=l10n("abc-write-tiers"),
            callback_data=AbcCallback(
                action=AbcAction.CONFIRM, subject=AbcSubject.CLIENTS, period=period
            ),
        )
        rows.append(1)
    b.adjust(*rows)
    return b.as_markup()


def abc_confirm(l10n: L10n, period: AbcPeriod) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    b.button(
        text=l10n("abc-write-yes"),
        callback_data=AbcCallback(
            action=AbcAction.APPLY, subject=AbcSubject.CLIENTS, period=period
        ),
    )
    b.button(
        text=l10n("abc-write-no"),
        callback_data=AbcCallback(
            action=AbcAction.SHOW, subject=AbcSubject.CLIENTS, period=period
        ),
    )
    b.adjust(2)
    return b.as_markup()


def export_periods(l10n: L10n, today: date) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for code in ReportPeriod:
        b.button(
            text=l10n(
                f"analytics-period-{code}",
                label=period_label(report_period(code, today), l10n.language),
            ),
            callback_data=ExportCallback(period=code),
        )
    b.adjust(2)
    return b.as_markup()
