"""The weekly summary's chart: plan vs actual per manager and receivables aging, as PNG
bytes. Drawn with matplotlib's object API on an Agg canvas: pyplot's global state is not
safe off the main thread, and charts are rendered in a worker thread so the event loop
keeps answering."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot.services import formatting

MAX_BARS = 25  # more managers than this and the labels stop being readable on a phone
PLAN_COLOR = "#c7d3e3"
ACTUAL_COLOR = "#2f6db5"
AGING_COLORS = ("#f2c14e", "#f08a4b", "#d9534f", "#8e2c2c")


@dataclass(frozen=True)
class ChartTexts:
    """Every word on the chart, already in the recipient's language."""

    title: str
    plan_title: str
    plan: str
    actual: str
    aging_title: str
    unit: str  # the money axis, e.g. "thousand ₽"
    buckets: Sequence[str]
    no_plans: str
    language: str = formatting.DEFAULT_LOCALE  # how the figures on the bars are written


@dataclass(frozen=True)
class ChartData:
    names: Sequence[str]
    plan: Sequence[Decimal]
    actual: Sequence[Decimal]
    aging: Sequence[Decimal]  # in the order of ChartTexts.buckets


def _thousands(values: Sequence[Decimal]) -> list[float]:
    # Floats only for drawing: the figures in the text stay exact.
    return [float(v / 1000) for v in values]


def render_chart(data: ChartData, texts: ChartTexts) -> bytes:
    # Loaded on the first chart, not at start: matplotlib and numpy hold some 40 MB that
    # the processes which never draw (`python -m bot job digest`, imports) do not need.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = sorted(
        zip(data.names, data.plan, data.actual, strict=True),
        key=lambda r: (r[1], r[2]),
        reverse=True,
    )[:MAX_BARS]
    rows.reverse()  # the largest plan on top of a horizontal bar chart
    height = 2.6 + 0.32 * max(len(rows), 3)
    figure = Figure(figsize=(8, height + 2.6), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(texts.title, fontsize=13, fontweight="bold")
    plan_axes, aging_axes = figure.subplots(2, 1, height_ratios=[height, 2.6], squeeze=True)
    plan_axes.set_title(texts.plan_title, fontsize=11, loc="left")
    if rows:
        positions = range(len(rows))
        names = [r[0] if len(r[0]) <= 24 else r[0][:23] + "…" for r in rows]
        plan_axes.barh(
            positions, _thousands([r[1] for r in rows]), color=PLAN_COLOR, label=texts.plan
        )
        plan_axes.barh(
            positions,
            _thousands([r[2] for r in rows]),
            height=0.45,
            color=ACTUAL_COLOR,
            label=texts.actual,
        )
        plan_axes.set_yticks(list(positions), labels=names, fontsize=9)
        for position, (_, plan, actual) in zip(positions, rows, strict=True):
            if plan > 0:
                share = formatting.percent(actual / plan * 100, texts.language)
                end = float(max(plan, actual) / 1000)
                plan_axes.annotate(
                    share,
                    (end, position),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=8,
                )
        plan_axes.margins(x=0.12)
        plan_axes.legend(loc="lower right", fontsize=9, frameon=False)
    else:
        plan_axes.set_yticks([])
        plan_axes.text(0.5, 0.5, texts.no_plans, ha="center", va="center")
    plan_axes.set_xlabel(texts.unit, fontsize=9)
    plan_axes.grid(axis="x", alpha=0.3)
    aging_axes.set_title(texts.aging_title, fontsize=11, loc="left")
    aging_values = _thousands(data.aging)
    bars = aging_axes.bar(list(texts.buckets), aging_values, color=AGING_COLORS)
    aging_axes.bar_label(
        bars,
        labels=[formatting.number(v / 1000, texts.language, decimals=0) for v in data.aging],
        fontsize=9,
    )
    aging_axes.set_ylabel(texts.unit, fontsize=9)
    aging_axes.grid(axis="y", alpha=0.3)
    aging_axes.margins(y=0.2)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
