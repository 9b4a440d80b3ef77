"""The monthly series of an evaluation as a chart, drawn on the server with matplotlib. No Django.

Same approach as the indicator chart (`trygg.programme.charts`): SVG with text kept as text and no
timestamp, so the same data gives the same bytes. The page shows the same numbers in a table.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass

from trygg.programme.charts import STYLE, pyplot

TREATED = "#0b4f8a"
CONTROL = "#8a4b00"
PERIOD = "#e8eef5"
MARK = "#222222"


@dataclass(frozen=True)
class ChartText:
    """The chart's words, already in the reader's language."""

    title: str
    treated_label: str
    control_label: str
    intervention_label: str
    before_label: str
    after_label: str
    y_label: str


def series_svg(
    months: Sequence[dt.date],
    treated: Sequence[int],
    control: Sequence[int] | None,
    periods: tuple[dt.date, dt.date, dt.date, dt.date],
    intervention_on: dt.date,
    text: ChartText,
) -> str:
    """SVG of monthly counts (one per month in `months`) with the before and after periods shaded and
    the intervention marked by a vertical line. `periods` = (before start, before end, after start,
    after end), ends exclusive, all first days of months inside or at the end of `months`.

    The same data gives the same bytes, so the last `CHARTS_KEPT` charts drawn are kept in this process
    and served again (drawing takes about 0.1 s, most of an evaluation page)."""
    return _drawn(
        tuple(months), tuple(treated), None if control is None else tuple(control), periods, intervention_on, text
    )


CHARTS_KEPT = 64


@functools.lru_cache(maxsize=CHARTS_KEPT)
def _drawn(
    months: tuple[dt.date, ...],
    treated: tuple[int, ...],
    control: tuple[int, ...] | None,
    periods: tuple[dt.date, dt.date, dt.date, dt.date],
    intervention_on: dt.date,
    text: ChartText,
) -> str:
    from matplotlib.ticker import MaxNLocator

    plt = pyplot()
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(7.2, 3.2), dpi=100)
        x = list(range(len(months)))
        index = {month: i for i, month in enumerate(months)}

        def position(day: dt.date) -> float:
            first = day.replace(day=1)
            if first in index:
                return index[first] - 0.5 + (day.day - 1) / 31
            return len(months) - 0.5

        before_start, before_end, after_start, after_end = periods
        axes.axvspan(position(before_start), position(before_end), color=PERIOD, label=text.before_label)
        axes.axvspan(position(after_start), position(after_end), color="#eaf3e6", label=text.after_label)
        axes.plot(x, list(treated), marker="o", markersize=3, color=TREATED, linewidth=1.8, label=text.treated_label)
        if control is not None:
            axes.plot(
                x,
                list(control),
                marker="s",
                markersize=3,
                color=CONTROL,
                linewidth=1.2,
                linestyle="--",
                label=text.control_label,
            )
        axes.axvline(position(intervention_on), color=MARK, linewidth=1.5, label=text.intervention_label)
        ticks = [i for i, month in enumerate(months) if month.month in (1, 7)]
        axes.set_xticks(ticks, [f"{months[i]:%Y-%m}" for i in ticks])
        axes.set_title(text.title, loc="left", fontsize=10)
        axes.set_ylabel(text.y_label)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        top = max([*treated, *(control or []), 1])
        axes.set_ylim(0, top * 1.35 + 0.5)
        axes.set_xlim(-0.5, len(months) - 0.5)
        axes.grid(axis="y", color="#dddddd")
        axes.legend(loc="upper left", frameon=False, ncols=3, fontsize=8)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]
