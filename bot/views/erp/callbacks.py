"""Callback data: ids and short enum actions only (64-byte limit); never trusted."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.views.common.callbacks import Id, OptionalId, Page


class OrdersStatus(StrEnum):
    OPEN = "o"
    SHIPPED = "s"
    ALL = "a"


class OrdersCallback(CallbackData, prefix="or"):
    client_id: OptionalId = 0
    status: OrdersStatus = OrdersStatus.ALL
    page: Page = 0


class DebtsCallback(CallbackData, prefix="db"):
    client_id: OptionalId = 0


class OrderCallback(CallbackData, prefix="od"):
    """One order of a /orders page: opens it as /order does."""

    order_id: Id


class ImportKind(StrEnum):
    """What a file holds (bot.services.erp_import.KINDS, in that order, and a bank
    statement)."""

    CLIENTS = "clients"
    CONTRACTS = "contracts"
    ORDERS = "orders"
    ORDER_LINES = "order_lines"
    SHIPMENTS = "shipments"
    PAYMENTS = "payments"
    PRICES = "prices"
    PLANS = "plans"
    BANK = "bank"


class ImportCallback(CallbackData, prefix="im"):
    kind: ImportKind


class PaymentClaimCallback(CallbackData, prefix="pc"):
    client_id: Id
