"""The dashboard's charts and the tables beside them, made from one `ChartTable` each so the
picture and the table can never show different numbers.

Charts are pygal SVG drawn on the server with no JavaScript (our CSP would block it, and a
chart must work on a desk PC with scripts off), in ink on white so they print, and drawn
400 px wide with 16 px text so they stay readable when a 360 px phone scales them down.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from dataclasses import dataclass
from typing import Any

import pygal
from pygal.style import Style

from casework.dashboard import DashboardFigures
from casework.i18n import format_day

# pygal puts a finder for its map plugins (which we do not use) on sys.meta_path. It has
# no find_spec(), so on Python 3.11 every import that misses, anywhere in the process
# (an optional backend a library probes for), raises an ImportWarning: off it comes.
sys.meta_path[:] = [
    finder for finder in sys.meta_path if not isinstance(finder, pygal.PluginImportFixer)
]

CHARTS = ("status", "channel", "district", "category", "trend")
WIDTH = 400
ROW_HEIGHT = 36  # per bar: room for a 16 px label with space around it

CHANNEL_NAMES = {
    "web": "Web",
    "ussd": "USSD",
    "sms": "SMS",
    "assisted": "Assisted by staff",
    "api": "Partner system (API)",
}

# Ink on white, two colours that stay apart in greyscale print; the second series is
# also dashed, so no one needs to tell the colours apart.
PRINT_STYLE = Style(
    background="#fff",
    plot_background="#fff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#484949",
    font_family='system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    label_font_size=16,
    major_label_font_size=16,
    value_font_size=16,
    legend_font_size=16,
    no_data_font_size=20,
    colors=("#1d4f91", "#b35c00"),
    opacity="1",
    opacity_hover="1",
    transition="0ms",
    stroke_width="3",
    guide_stroke_color="#b1b4b6",
    major_guide_stroke_color="#b1b4b6",
)


@dataclass(frozen=True)
class ChartTable:
    name: str
    heading: str
    label_heading: str  # the first column's heading, e.g. "Status"
    series: tuple[str, ...]  # the other columns, one per series
    rows: tuple[tuple[str, tuple[int, ...]], ...]  # (label, one number per series)
    chart_labels: tuple[str, ...]  # the rows' labels as the chart shows them (may be shorter)

    @property
    def height(self) -> int:
        """The chart's height in pixels (the page reserves it, so nothing jumps on load)."""
        return 300 if self.name == "trend" else 60 + ROW_HEIGHT * max(len(self.rows), 1)

    @property
    def alt(self) -> str:
        shape = "Line chart" if self.name == "trend" else "Bar chart"
        return f"{shape}: {self.heading.lower()}. The same numbers are in the table below."


def chart_tables(figures: DashboardFigures) -> dict[str, ChartTable]:
    """Every chart's numbers, in the order the page shows them."""
    weeks = figures.trend
    return {
        "status": _single(
            "status",
            "Complaints by status",
            "Status",
            [(status.replace("_", " "), n) for status, n in figures.by_status],
        ),
        "channel": _single(
            "channel",
            "Complaints by channel",
            "Channel",
            [(CHANNEL_NAMES.get(channel, channel), n) for channel, n in figures.by_channel],
        ),
        "district": _single("district", "Complaints by district", "District", figures.by_district),
        "category": _single("category", "Complaints by category", "Category", figures.by_category),
        "trend": ChartTable(
            "trend",
            "Complaints lodged and resolved, week by week",
            "Week starting",
            ("Lodged", "Resolved"),
            tuple((format_day(w.week_start, "en"), (w.lodged, w.resolved)) for w in weeks),
            tuple(_short_day(w.week_start) for w in weeks),
        ),
    }


def _single(
    name: str, heading: str, label_heading: str, rows: list[tuple[str, int]] | tuple
) -> ChartTable:
    return ChartTable(
        name,
        heading,
        label_heading,
        ("Complaints",),
        tuple((label, (count,)) for label, count in rows),
        tuple(_shortened(label) for label, _count in rows),
    )


def _shortened(label: str, limit: int = 22) -> str:
    """A label that leaves the bars room on a phone (the table beside has it in full)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _short_day(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def render_svg(table: ChartTable) -> bytes:
    """The chart as a standalone SVG document (UTF-8), with no script in it."""
    common = {
        "style": PRINT_STYLE,
        "width": WIDTH,
        # pygal's default loads its tooltip script from the internet, and it writes its
        # config into a <script> of its own even with no script to read it: both go.
        "js": [],
        "disable_xml_declaration": False,  # a standalone file says it is UTF-8 XML
        "explicit_size": True,
        "truncate_label": -1,  # labels come shortened by us; pygal's cut "10" to "…"
        "no_data_text": "No complaints yet",
        "margin": 8,
    }
    if table.name == "trend":
        chart = pygal.Line(
            **common,
            height=table.height,
            show_legend=True,
            legend_at_bottom=True,
            legend_at_bottom_columns=2,
            x_label_rotation=-45,
            show_minor_x_labels=False,
            x_labels_major_every=2,
            min_scale=1,
        )
        series_styles = ({}, {"dasharray": "8, 4"})
    else:
        chart = pygal.HorizontalBar(
            **common,
            height=table.height,
            show_legend=False,
            print_values=True,
            # At the bar's end, ink on white: inside a dark bar it could not be read.
            print_values_position="top",
            # Each bar carries its number; an axis of numbers too would crowd a phone.
            show_x_labels=False,
            # Headroom past the longest bar, so its number is not cut off at the edge.
            range=(0, max(1, math.ceil(_largest(table) * 1.15))),
        )
        series_styles = ({},)
    # pygal stacks horizontal bars from the bottom up; reversed, they read top down in
    # the same order as the table.
    order = list(zip(table.chart_labels, (numbers for _label, numbers in table.rows), strict=True))
    if table.name != "trend":
        order.reverse()
    chart.add_xml_filter(_without_scripts)
    chart.x_labels = [label for label, _numbers in order]
    for index, name in enumerate(table.series):
        values = [numbers[index] for _label, numbers in order]
        chart.add(name, values, stroke_style=series_styles[index] or None)
    return chart.render(is_unicode=True).encode("utf-8")


def _without_scripts(root: Any) -> Any:
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rpartition("}")[2] == "script":
                parent.remove(child)
    return root


def _largest(table: ChartTable) -> int:
    return max((max(numbers) for _label, numbers in table.rows), default=0)
