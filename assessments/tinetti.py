"""Tinetti Performance-Oriented Mobility Assessment (POMA), 28-point form.

Pure Python (no Django) so the scoring rules can be tested and reused by forms, imports and
exports alike. Item codes are canonical: exports name columns ``tinetti_<code>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

BALANCE = "balance"
GAIT = "gait"


@dataclass(frozen=True)
class Item:
    code: str
    section: str  # BALANCE or GAIT
    task: str
    choices: tuple[tuple[int, str], ...]

    @property
    def max_score(self) -> int:
        return max(value for value, _ in self.choices)

    @cached_property  # read for every line of every visit scored or exported
    def allowed(self) -> frozenset[int]:
        return frozenset(value for value, _ in self.choices)

    def label(self, score: int) -> str:
        """Return e.g. "1 = steady, safe" for a score on this item."""
        if not _is_int(score) or score not in self.allowed:
            raise ValueError(f"{self.code}: {score!r} is not one of {sorted(self.allowed)}")
        return f"{score} = {dict(self.choices)[score]}"


# Order matters: the paper form lists balance lines then gait lines, in this order.
ITEMS: tuple[Item, ...] = (
    Item(
        "sitting_balance",
        BALANCE,
        "Sitting balance",
        ((0, "leans or slides in the chair"), (1, "steady, safe")),
    ),
    Item(
        "arises",
        BALANCE,
        "Rising from the chair",
        ((0, "unable without help"), (1, "able, uses arms"), (2, "able without arms")),
    ),
    Item(
        "attempts_to_arise",
        BALANCE,
        "Attempts needed to rise",
        (
            (0, "unable without help"),
            (1, "able, needs more than one attempt"),
            (2, "able in one attempt"),
        ),
    ),
    Item(
        "immediate_standing",
        BALANCE,
        "Balance in the first 5 s of standing",
        (
            (0, "unsteady (staggers, moves feet, marked trunk sway)"),
            (1, "steady with walker, cane or other support"),
            (2, "steady without support"),
        ),
    ),
    Item(
        "standing_balance",
        BALANCE,
        "Standing balance",
        (
            (0, "unsteady"),
            (1, "steady but wide stance (heels more than about 10 cm apart) or uses support"),
            (2, "narrow stance without support"),
        ),
    ),
    Item(
        "nudged",
        BALANCE,
        "Light push on the sternum, feet together",
        ((0, "begins to fall"), (1, "staggers, grabs, catches self"), (2, "steady")),
    ),
    Item(
        "eyes_closed",
        BALANCE,
        "Eyes closed, feet together",
        ((0, "unsteady"), (1, "steady")),
    ),
    Item(
        "turn_steps",
        BALANCE,
        "Turning 360 degrees: steps",
        ((0, "discontinuous steps"), (1, "continuous steps")),
    ),
    Item(
        "turn_steadiness",
        BALANCE,
        "Turning 360 degrees: steadiness",
        ((0, "unsteady (grabs, staggers)"), (1, "steady")),
    ),
    Item(
        "sitting_down",
        BALANCE,
        "Sitting down",
        (
            (0, "unsafe (misjudges distance, falls into chair)"),
            (1, "uses arms or not a smooth motion"),
            (2, "safe, smooth motion"),
        ),
    ),
    Item(
        "initiation",
        GAIT,
        'Initiation after "go"',
        ((0, "any hesitancy or several attempts"), (1, "no hesitancy")),
    ),
    Item(
        "right_step_length",
        GAIT,
        "Right swing foot passes the left stance foot",
        ((0, "no"), (1, "yes")),
    ),
    Item(
        "right_foot_clearance",
        GAIT,
        "Right foot completely clears the floor",
        ((0, "no"), (1, "yes")),
    ),
    Item(
        "left_step_length",
        GAIT,
        "Left swing foot passes the right stance foot",
        ((0, "no"), (1, "yes")),
    ),
    Item(
        "left_foot_clearance",
        GAIT,
        "Left foot completely clears the floor",
        ((0, "no"), (1, "yes")),
    ),
    Item(
        "step_symmetry",
        GAIT,
        "Right and left step length",
        ((0, "unequal"), (1, "equal")),
    ),
    Item(
        "step_continuity",
        GAIT,
        "Continuity",
        ((0, "stopping or discontinuity between steps"), (1, "steps appear continuous")),
    ),
    Item(
        "path",
        GAIT,
        "Path over about 3 m",
        (
            (0, "marked deviation"),
            (1, "mild or moderate deviation, or uses aid"),
            (2, "straight without aid"),
        ),
    ),
    Item(
        "trunk",
        GAIT,
        "Trunk",
        (
            (0, "marked sway or uses aid"),
            (1, "no sway but flexes knees or back or spreads arms"),
            (2, "no sway, no flexion, no use of arms, no aid"),
        ),
    ),
    Item(
        "walking_stance",
        GAIT,
        "Stance while walking",
        ((0, "heels apart"), (1, "heels almost touching")),
    ),
)

BALANCE_ITEMS: tuple[Item, ...] = tuple(item for item in ITEMS if item.section == BALANCE)
GAIT_ITEMS: tuple[Item, ...] = tuple(item for item in ITEMS if item.section == GAIT)
CODES: tuple[str, ...] = tuple(item.code for item in ITEMS)
ITEMS_BY_CODE: dict[str, Item] = {item.code: item for item in ITEMS}

BALANCE_MAX = 16
GAIT_MAX = 12
TOTAL_MAX = 28

# Fall-risk banding: the cut-offs most clinical sheets use, named by the cut-offs themselves (no
# paper is credited: the original 1986 paper does not define these bands).
HIGH_RISK_MAX = 18
MODERATE_RISK_MAX = 23
BANDING_NAME = (
    f"≤{HIGH_RISK_MAX} high, {HIGH_RISK_MAX + 1}–{MODERATE_RISK_MAX} moderate, "
    f"≥{MODERATE_RISK_MAX + 1} low"
)
RISK_LABELS = {
    "high": "High fall risk",
    "moderate": "Moderate fall risk",
    "low": "Low fall risk",
}

# Subtotal cut-offs for the explanatory notes.
BALANCE_AID_BELOW = 12
GAIT_LIMITED_BELOW = 10
BALANCE_AID_NOTE = "may need a walking aid (Mitchell & Newton 2006)"
GAIT_LIMITED_NOTE = "usually associated with limited mobility (Merck Manual)"

# Minimal detectable change of the total is about 0.97 points, so a change of 1 point or
# less may be measurement noise.
MEASUREMENT_ERROR_POINTS = 1


def _is_int(value: object) -> bool:
    # bool is a subclass of int, but True/False on a form is a bug, not a score.
    return isinstance(value, int) and not isinstance(value, bool)


def risk_band(total: int) -> str:
    """Return "high", "moderate" or "low" fall risk for a total score (0-28)."""
    if not _is_int(total) or not 0 <= total <= TOTAL_MAX:
        raise ValueError(f"total: {total!r} is not a whole number from 0 to {TOTAL_MAX}")
    if total <= HIGH_RISK_MAX:
        return "high"
    if total <= MODERATE_RISK_MAX:
        return "moderate"
    return "low"


def notes_for(balance: int, gait: int) -> tuple[str, ...]:
    """Explanatory notes prompted by low subtotals."""
    notes = []
    if balance < BALANCE_AID_BELOW:
        notes.append(f"Balance {balance}/{BALANCE_MAX}: {BALANCE_AID_NOTE}")
    if gait < GAIT_LIMITED_BELOW:
        notes.append(f"Gait {gait}/{GAIT_MAX}: {GAIT_LIMITED_NOTE}")
    return tuple(notes)


def describe_change(delta: int) -> str:
    """Words for a change in total score (later minus earlier), shown beside the signed number.

    A change of 1 point or less is within measurement error. A larger one gets no words: calling
    it "improved" or "worse" needs a clinically important difference, and none is established for
    neuropathy (about 7 points is reported in stroke). The number speaks for itself."""
    if abs(delta) <= MEASUREMENT_ERROR_POINTS:
        return "within measurement error"
    return ""


@dataclass(frozen=True)
class TinettiScore:
    balance: int
    gait: int
    total: int
    risk: str  # "high", "moderate" or "low"

    @property
    def risk_label(self) -> str:
        return RISK_LABELS[self.risk]

    @property
    def notes(self) -> tuple[str, ...]:
        return notes_for(self.balance, self.gait)


def score(answers: Mapping[str, int]) -> TinettiScore:
    """Score a complete form; every error names the offending item code."""
    unknown = [code for code in answers if code not in ITEMS_BY_CODE]
    if unknown:
        raise ValueError(f"unknown Tinetti item: {', '.join(map(str, unknown))}")
    for item in ITEMS:
        if item.code not in answers:
            raise ValueError(f"{item.code}: missing")
        value = answers[item.code]
        if not _is_int(value) or value not in item.allowed:
            raise ValueError(f"{item.code}: {value!r} is not one of {sorted(item.allowed)}")
    balance = sum(answers[item.code] for item in BALANCE_ITEMS)
    gait = sum(answers[item.code] for item in GAIT_ITEMS)
    total = balance + gait
    return TinettiScore(balance=balance, gait=gait, total=total, risk=risk_band(total))


def subtotals_agree(
    answers: Mapping[str, int],
    balance: int | None = None,
    gait: int | None = None,
    total: int | None = None,
) -> TinettiScore:
    """Check subtotals stated on an imported form against its lines.

    Returns the computed score; raises ValueError naming the first stated figure that
    disagrees ("balance", "gait" or "total"). A stated figure of None is not checked.
    """
    computed = score(answers)
    for name, stated in (("balance", balance), ("gait", gait), ("total", total)):
        actual = getattr(computed, name)
        if stated is not None and stated != actual:
            raise ValueError(f"{name}: stated {stated!r} but the lines add up to {actual}")
    return computed
