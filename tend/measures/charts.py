"""Trend charts as plain geometry for a server-rendered SVG (no JavaScript library).

One chart per instrument: its line over time, its severity bands shaded behind it. The
template `measures/trend_chart.html` draws what `trend_chart` returns, with a <title>,
a <desc> and a table of the same numbers for people who cannot see the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tend.measures.instruments import Instrument

WIDTH = 640
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 12, 30


@dataclass(frozen=True)
class ChartBand:
    y: float
    height: float
    label: str
    tone: str  # "calm", "mild", "moderate", "severe": the CSS class suffix
    label_y: float


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    total: float
    when: datetime
    band: str


@dataclass(frozen=True)
class ChartTick:
    y: float
    label: str


@dataclass(frozen=True)
class TrendChart:
    key: str
    title: str
    description: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    plot_width: int
    plot_height: int
    center_x: float
    center_y: float
    bands: tuple[ChartBand, ...]
    ticks: tuple[ChartTick, ...]
    points: tuple[ChartPoint, ...]
    polyline: str
    first_label: str
    last_label: str


def _tones(count: int, higher_is_better: bool) -> list[str]:
    # The mildest band is calm, the most severe is severe, whatever the number of bands.
    scale = ["calm", "mild", "moderate", "severe"]
    if count == 1:
        tones = ["calm"]
    else:
        tones = [scale[round(i * (len(scale) - 1) / (count - 1))] for i in range(count)]
    return list(reversed(tones)) if higher_is_better else tones


def trend_chart(
    instrument: Instrument, points: Sequence[tuple[datetime, float, str]]
) -> TrendChart:
    """The chart for one instrument's totals, oldest first: (when, total, band label)."""
    low, high = instrument.score_range or (0.0, 1.0)
    plot_bottom = HEIGHT - BOTTOM
    plot_right = WIDTH - RIGHT
    span = high - low

    def y_of(value: float) -> float:
        return round(plot_bottom - (value - low) / span * (plot_bottom - TOP), 2)

    bands = []
    tones = _tones(len(instrument.bands), instrument.higher_is_better)
    for index, band in enumerate(instrument.bands):
        upper = instrument.bands[index + 1].min if index + 1 < len(instrument.bands) else band.upper
        top, bottom = y_of(upper), y_of(band.min)
        bands.append(
            ChartBand(
                y=top,
                height=round(bottom - top, 2),
                label=band.label,
                tone=tones[index],
                label_y=round((top + bottom) / 2 + 4, 2),
            )
        )
    ticks = [ChartTick(y=y_of(band.min), label=f"{band.min:g}") for band in instrument.bands]
    ticks.append(ChartTick(y=y_of(high), label=f"{high:g}"))

    chart_points: list[ChartPoint] = []
    if points:
        start = points[0][0]
        seconds = (points[-1][0] - start).total_seconds()
        for when, total, band_label in points:
            if seconds > 0:
                fraction = (when - start).total_seconds() / seconds
                x = LEFT + fraction * (plot_right - LEFT)
            else:
                x = (LEFT + plot_right) / 2
            chart_points.append(
                ChartPoint(x=round(x, 2), y=y_of(total), total=total, when=when, band=band_label)
            )
    abbreviation = instrument.abbreviation
    if not chart_points:
        description = f"No {abbreviation} scores recorded yet."
    else:
        first, last = chart_points[0], chart_points[-1]
        description = (
            f"{len(chart_points)} {abbreviation} score{'s' if len(chart_points) != 1 else ''} "
            f"from {first.when:%b %-d, %Y} to {last.when:%b %-d, %Y}; "
            f"first {first.total:g} ({first.band or 'no band'}), "
            f"latest {last.total:g} ({last.band or 'no band'}). "
            f"Scale {low:g} to {high:g}; "
            + ("higher is better." if instrument.higher_is_better else "lower is better.")
        )
    return TrendChart(
        key=instrument.id,
        title=f"{abbreviation} over time",
        description=description,
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=plot_right,
        plot_top=TOP,
        plot_bottom=plot_bottom,
        plot_width=plot_right - LEFT,
        plot_height=plot_bottom - TOP,
        center_x=(LEFT + plot_right) / 2,
        center_y=(TOP + plot_bottom) / 2,
        bands=tuple(bands),
        ticks=tuple(ticks),
        points=tuple(chart_points),
        polyline=" ".join(f"{point.x},{point.y}" for point in chart_points),
        first_label=f"{chart_points[0].when:%b %-d, %Y}" if chart_points else "",
        last_label=f"{chart_points[-1].when:%b %-d, %Y}" if len(chart_points) > 1 else "",
    )
