"""Outcome summaries as median (IQR), for small and skewed clinical samples.

Pure Python (no Django). Quartiles use the inclusive method so figures match a clinician
checking them in Excel (QUARTILE.INC) or R (quantile's default, type 7).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

METHOD_NOTE = (
    "Values are median (interquartile range); quartiles are calculated by the inclusive "
    "method (as Excel QUARTILE.INC and R's default, type 7), ignoring missing values."
)


@dataclass(frozen=True)
class Summary:
    n: int
    median: float | None
    q1: float | None
    q3: float | None


def summarise(values: Iterable[float | None]) -> Summary:
    """Median and quartiles of the values that are not None."""
    data = [float(v) for v in values if v is not None]
    if not data:
        return Summary(n=0, median=None, q1=None, q3=None)
    if len(data) == 1:
        # statistics.quantiles needs at least two points (Python 3.11).
        return Summary(n=1, median=data[0], q1=data[0], q3=data[0])
    q1, median, q3 = statistics.quantiles(data, n=4, method="inclusive")
    return Summary(n=len(data), median=median, q1=q1, q3=q3)


def changes(pairs: Iterable[tuple[float | None, float | None]]) -> list[float]:
    """Per-patient change (later minus baseline), skipping pairs with either value missing."""
    return [
        later - baseline for baseline, later in pairs if baseline is not None and later is not None
    ]
