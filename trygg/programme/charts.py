"""The indicator's time-series chart, drawn on the server with matplotlib. No Django.

One figure gives SVG for the web page and the PDF (text kept as text, so it is searchable and
readable by screen readers, and no timestamp, so the same data gives the same bytes) and PNG for
the DOCX. Every caller shows the same numbers in a table next to the chart.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def pyplot() -> ModuleType:
    """matplotlib's pyplot on the Agg backend (no screen), imported on the first chart: it takes about
    a second, which a process that draws no chart (the admin, the API) should not pay."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot

    return matplotlib.pyplot


STYLE = {
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "trygg",
}
LINE = "#0b4f8a"
TARGET = "#8a4b00"


@dataclass(frozen=True)
class ChartText:
    """The chart's words, already in the reader's language."""

    title: str
    value_label: str
    target_label: str
    y_label: str


def period_label(on: dt.date) -> str:
    """A year-end point is labelled with its year, any other date in full (2024-10-29)."""
    return str(on.year) if (on.month, on.day) == (12, 31) else on.isoformat()


def _figure(points: Sequence[tuple[dt.date, int]], targets: Mapping[int, int], text: ChartText) -> Figure:
    from matplotlib.ticker import MaxNLocator

    plt = pyplot()
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(6.4, 3.0), dpi=100)
        positions = list(range(len(points)))
        values = [value for _on, value in points]
        axes.plot(positions, values, marker="o", color=LINE, linewidth=2, label=text.value_label)
        for x, value in zip(positions, values, strict=True):
            axes.annotate(str(value), (x, value), textcoords="offset points", xytext=(0, 7), ha="center")
        # Each year's target sits at that year's point (the year end, or the date within the year).
        shown = [(x, targets[on.year]) for x, (on, _value) in zip(positions, points, strict=True) if on.year in targets]
        if shown:
            axes.plot(
                [x for x, _t in shown],
                [t for _x, t in shown],
                linestyle="none",
                marker="D",
                markersize=7,
                color=TARGET,
                label=text.target_label,
            )
        axes.set_xticks(positions, [period_label(on) for on, _value in points])
        axes.set_title(text.title, loc="left", fontsize=10)
        axes.set_ylabel(text.y_label)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        top = max([*values, *(t for _x, t in shown), 1])
        axes.set_ylim(0, top * 1.25 + 0.5)
        axes.set_xlim(-0.5, len(points) - 0.5)
        axes.grid(axis="y", color="#dddddd")
        axes.legend(loc="upper left", frameon=False, ncols=2)
        figure.tight_layout()
    return figure


def chart_svg(points: Sequence[tuple[dt.date, int]], targets: Mapping[int, int], text: ChartText) -> str:
    figure = _figure(points, targets, text)
    plt = pyplot()
    buffer = io.StringIO()
    with plt.rc_context(STYLE):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    svg = buffer.getvalue()
    # Inline in HTML: drop the XML prologue and the DOCTYPE, keep the <svg> element.
    return svg[svg.index("<svg") :]


def chart_png(points: Sequence[tuple[dt.date, int]], targets: Mapping[int, int], text: ChartText) -> bytes:
    figure = _figure(points, targets, text)
    plt = pyplot()
    buffer = io.BytesIO()
    with plt.rc_context(STYLE):
        figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()
