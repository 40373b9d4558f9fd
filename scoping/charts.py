"""The report's charts: drawn by matplotlib into SVG text that the report carries inline.

Nothing is fetched when the report is viewed: text stays text (`svg.fonttype = none`, drawn
in the viewer's sans-serif font), and the same numbers give the same bytes (a fixed
`svg.hashsalt` for the element ids, no date in the metadata). The figure is drawn on its
own canvas, never through pyplot's global state.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any, cast

BAR = "#3b6ea8"
LINE = "#c0392b"
_STYLE = {
    "svg.hashsalt": "scoping",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    # Inline in HTML: the SVG element alone, without the XML declaration and doctype.
    return text[text.index("<svg") :].strip()


def _ticks(days: Sequence[str], most: int = 12) -> tuple[list[int], list[str]]:
    """At most `most` day labels along the axis, as month-day (no month names: none of
    them depends on a locale)."""
    step = max(1, -(-len(days) // most))
    positions = list(range(0, len(days), step))
    return positions, [days[i][5:] for i in positions]


def timeline(
    days: Sequence[str],
    events: Sequence[int],
    newly: Sequence[int],
    labels: tuple[str, str],
) -> str:
    """Events per day as bars and the newly exposed per day as a line, on two axes."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(cast(Any, _STYLE)):
        figure = Figure(figsize=(9, 3.2))
        axes = figure.add_subplot()
        x = list(range(len(days)))
        axes.bar(x, events, color=BAR, width=0.8, label=labels[0])
        axes.set_ylabel(labels[0])
        twin = axes.twinx()
        twin.plot(x, newly, color=LINE, linewidth=1.5, label=labels[1])
        twin.set_ylabel(labels[1])
        twin.spines["right"].set_visible(True)
        positions, names = _ticks(days)
        axes.set_xticks(positions, names, rotation=0)
        axes.set_xlim(-0.6, max(len(days), 1) - 0.4)
        axes.set_ylim(bottom=0)
        twin.set_ylim(bottom=0)
        figure.tight_layout()
        return _svg(figure)


def actor_days(days: Sequence[str], events: Sequence[int], label: str, title: str) -> str:
    """One actor's events per day, as bars, small."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(cast(Any, _STYLE)):
        figure = Figure(figsize=(4.4, 2.2))
        axes = figure.add_subplot()
        x = list(range(len(days)))
        axes.bar(x, events, color=BAR, width=0.8)
        axes.set_title(title, fontsize=9, loc="left")
        axes.set_ylabel(label)
        positions, names = _ticks(days, 5)
        axes.set_xticks(positions, names)
        axes.set_xlim(-0.6, max(len(days), 1) - 0.4)
        axes.set_ylim(bottom=0)
        figure.tight_layout()
        return _svg(figure)


def bars(names: Sequence[str], values: Sequence[int], label: str) -> str:
    """Horizontal bars, one per name (categories), largest at the top as given."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(cast(Any, _STYLE)):
        figure = Figure(figsize=(6, 0.45 * max(len(names), 1) + 0.8))
        axes = figure.add_subplot()
        y = list(range(len(names)))[::-1]
        axes.barh(y, values, color=BAR)
        axes.set_yticks(y, list(names))
        axes.set_xlabel(label)
        axes.set_xlim(left=0)
        figure.tight_layout()
        return _svg(figure)


def is_drawn(svg: str) -> bool:
    """Whether an SVG holds something drawn (a path with data)."""
    return re.search(r"<path [^>]*d=\"M", svg) is not None
