"""Geometry of the patient's trajectory charts, drawn as inline SVG by templates/assessments/
_chart.html: no JavaScript, prints in black and white (each series has its own marker and dash as
well as its colour), and scales to a phone's width through its viewBox.

Pure Python (no Django): takes plain (day, value) points and returns coordinates and labels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from . import tinetti

WIDTH = 480
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 44, 84, 34, 44  # room for axis labels, legend and band labels
LEGEND_Y = 12

# Colour and dash per series, as SVG presentation attributes so the chart reads without CSS and in
# black and white (dark enough on white, told apart by dash and marker as well as colour).
STYLE = {
    "total": ("#1f3b73", ""),
    "balance": ("#a14d00", "7 4"),
    "gait": ("#2e6b30", "2 4"),
    "walk": ("#1f3b73", ""),
    "intervention": ("#1f3b73", ""),
    "control": ("#a14d00", "7 4"),
}


def marker_path(marker: str, x: float, y: float, size: float = 4.5) -> str:
    """SVG path data for a marker centred on (x, y): one <path> element draws any of them."""
    if marker == "square":
        return f"M{x - size:.1f},{y - size:.1f}h{2 * size:.1f}v{2 * size:.1f}h{-2 * size:.1f}Z"
    if marker == "triangle":
        r = size * 1.25
        return f"M{x:.1f},{y - r:.1f}L{x + r:.1f},{y + r * 0.8:.1f}L{x - r:.1f},{y + r * 0.8:.1f}Z"
    return (
        f"M{x - size:.1f},{y:.1f}a{size},{size} 0 1,0 {2 * size:.1f},0"
        f"a{size},{size} 0 1,0 {-2 * size:.1f},0Z"
    )


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    label: str  # e.g. "Total 24 at week 12 (day 77)", the point's tooltip and accessible name
    marker: str = "circle"

    @property
    def path(self) -> str:
        return marker_path(self.marker, self.x, self.y)


@dataclass(frozen=True)
class Series:
    key: str  # also the CSS class: chart-<key>
    label: str
    marker: str  # "circle", "square" or "triangle"
    points: tuple[Point, ...]
    legend_x: float

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def colour(self) -> str:
        return STYLE.get(self.key, ("#212529", ""))[0]

    @property
    def dash(self) -> str:
        return STYLE.get(self.key, ("#212529", ""))[1]

    @property
    def legend_path(self) -> str:
        return marker_path(self.marker, self.legend_x + 11, LEGEND_Y)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Reference:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    slug: str  # unique within the page, for the title/desc ids
    title: str
    desc: str
    x_label: str
    y_label: str
    series: tuple[Series, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    references: tuple[Reference, ...] = ()
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def plot_left(self) -> int:
        return LEFT

    @property
    def plot_right(self) -> int:
        return self.width - RIGHT

    @property
    def plot_top(self) -> int:
        return TOP

    @property
    def plot_bottom(self) -> int:
        return self.height - BOTTOM

    @property
    def x_label_x(self) -> float:
        return (LEFT + self.width - RIGHT) / 2

    @property
    def y_label_y(self) -> float:
        return (TOP + self.height - BOTTOM) / 2


@dataclass(frozen=True)
class SeriesData:
    key: str
    label: str
    marker: str
    values: Sequence[tuple[int, float | None]]  # (study day, value); None values are skipped


def _week_range(days: Sequence[int]) -> tuple[int, int]:
    """Weeks shown: at least the 12-week programme, widened to any visit outside it."""
    low = min([0, *[math.floor(d / 7) for d in days]])
    high = max([12, *[math.ceil(d / 7) for d in days]])
    return low, high


def _nice_ceiling(value: float, step: int) -> int:
    return max(step, int(math.ceil(value / step) * step))


def line_chart(
    *,
    slug: str,
    title: str,
    y_label: str,
    y_max: float,
    y_step: int,
    data: Sequence[SeriesData],
    references: Sequence[tuple[float, str]] = (),
    unit: str = "",
) -> Chart | None:
    """A chart of values by programme week; None when there is nothing to draw."""
    days = [day for s in data for day, value in s.values if value is not None]
    if not days:
        return None
    first_week, last_week = _week_range(days)
    left, right = LEFT, WIDTH - RIGHT
    top, bottom = TOP, HEIGHT - BOTTOM

    def x_of(day: float) -> float:
        return left + (day / 7 - first_week) / (last_week - first_week) * (right - left)

    def y_of(value: float) -> float:
        return bottom - value / y_max * (bottom - top)

    suffix = f" {unit}" if unit else ""
    series = []
    for index, s in enumerate(data):
        points = tuple(
            Point(
                round(x_of(day), 1),
                round(y_of(value), 1),
                value,
                f"{s.label} {value:g}{suffix} at week {day / 7:.1f} (day {day})",
                s.marker,
            )
            for day, value in s.values
            if value is not None
        )
        series.append(Series(s.key, s.label, s.marker, points, legend_x=left + index * 122))
    week_step = 2 if last_week - first_week <= 16 else 4
    x_ticks = tuple(
        Tick(round(x_of(week * 7), 1), str(week))
        for week in range(first_week, last_week + 1)
        if week % week_step == 0
    )
    y_ticks = tuple(
        Tick(round(y_of(value), 1), f"{value:g}") for value in range(0, int(y_max) + 1, y_step)
    )
    described = [
        f"{s.label}: " + ", ".join(f"{value:g}{suffix} on day {day}" for day, value in _present(s))
        for s in data
        if _present(s)
    ]
    return Chart(
        slug=slug,
        title=title,
        desc="; ".join(described) + ".",
        x_label="Week of the programme",
        y_label=y_label,
        series=tuple(series),
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        references=tuple(Reference(round(y_of(value), 1), label) for value, label in references),
    )


def _present(s: SeriesData) -> list[tuple[int, float]]:
    return [(day, value) for day, value in s.values if value is not None]


def tinetti_chart(visits: Sequence[tuple[int, int | None, int | None, int | None]]) -> Chart | None:
    """visits: (study day, balance, gait, total) for each visit of one programme."""
    return line_chart(
        slug="tinetti",
        title="Tinetti POMA over the programme",
        y_label="Score",
        y_max=28,
        y_step=4,
        data=[
            SeriesData("total", "Total /28", "circle", [(d, t) for d, _, _, t in visits]),
            SeriesData("balance", "Balance /16", "square", [(d, b) for d, b, _, _ in visits]),
            SeriesData("gait", "Gait /12", "triangle", [(d, g) for d, _, g, _ in visits]),
        ],
        # Where the fall-risk bands of the total begin (tinetti.BANDING_NAME's cut-offs).
        references=[
            (tinetti.HIGH_RISK_MAX + 1, f"moderate ≥{tinetti.HIGH_RISK_MAX + 1}"),
            (tinetti.MODERATE_RISK_MAX + 1, f"low risk ≥{tinetti.MODERATE_RISK_MAX + 1}"),
        ],
    )


def walk_chart(visits: Sequence[tuple[int, int | None]]) -> Chart | None:
    """visits: (study day, 6-minute walk distance in metres)."""
    distances = [distance for _, distance in visits if distance is not None]
    if not distances:
        return None
    return line_chart(
        slug="walk",
        title="6-minute walk distance over the programme",
        y_label="Metres",
        y_max=_nice_ceiling(max(distances), 100),
        y_step=100 if max(distances) <= 600 else 200,
        data=[SeriesData("walk", "6-minute walk", "circle", list(visits))],
        unit="m",
    )


def timepoint_chart(
    *,
    slug: str,
    title: str,
    y_label: str,
    y_max: float,
    y_step: int,
    labels: Sequence[str],
    data: Sequence[tuple[str, str, str, Sequence[float | None]]],
    references: Sequence[tuple[float, str]] = (),
) -> Chart | None:
    """A chart of one value per timepoint and series (e.g. each arm's median), the timepoints
    evenly spaced. data: (key, label, marker, one value or None per label)."""
    if not any(value is not None for _, _, _, values in data for value in values):
        return None
    left, right = LEFT, WIDTH - RIGHT
    top, bottom = TOP, HEIGHT - BOTTOM
    step = (right - left) / max(len(labels) - 1, 1)

    def y_of(value: float) -> float:
        return bottom - value / y_max * (bottom - top)

    series, described = [], []
    for index, (key, label, marker, values) in enumerate(data):
        points = tuple(
            Point(
                round(left + i * step, 1),
                round(y_of(value), 1),
                value,
                f"{label} {value:g} at {labels[i].lower()}",
                marker,
            )
            for i, value in enumerate(values)
            if value is not None
        )
        series.append(Series(key, label, marker, points, legend_x=left + index * 122))
        if points:
            described.append(
                f"{label}: "
                + ", ".join(
                    f"{labels[i].lower()} {v:g}" for i, v in enumerate(values) if v is not None
                )
            )
    return Chart(
        slug=slug,
        title=title,
        desc="; ".join(described) + ".",
        x_label="Timepoint",
        y_label=y_label,
        series=tuple(series),
        x_ticks=tuple(Tick(round(left + i * step, 1), label) for i, label in enumerate(labels)),
        y_ticks=tuple(
            Tick(round(y_of(value), 1), f"{value:g}") for value in range(0, int(y_max) + 1, y_step)
        ),
        references=tuple(Reference(round(y_of(value), 1), label) for value, label in references),
    )
