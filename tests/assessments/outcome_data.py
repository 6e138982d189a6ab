"""A small clinic with known outcomes, for the results table, the exports and the import."""

from datetime import date, timedelta
from decimal import Decimal

from programmes.models import Arm
from tests.assessments.factories import make_visit
from tests.factories import PatientFactory, ProgrammeFactory

START = date(2025, 1, 6)  # a Monday, long past, so every visit date is allowed


def programme_with_visits(clinic, by, *, study_id, arm, visits, start=START, **patient):
    """visits: {timepoint: (balance, gait, extra measures)}; dated baseline on the start day,
    week 6 on day 35 and week 12 on day 77."""
    patient = PatientFactory(clinic=clinic, study_id=study_id, **patient)
    programme = ProgrammeFactory(patient=patient, arm=arm, start_date=start)
    days = {"baseline": 0, "week6": 35, "week12": 77}
    for timepoint, (balance, gait, extra) in visits.items():
        make_visit(
            programme=programme,
            timepoint=timepoint,
            assessed_on=start + timedelta(days=days[timepoint]),
            balance=balance,
            gait=gait,
            by=by,
            **extra,
        )
    return programme


def build(clinic, by):
    """Three intervention patients and two control ones. Tinetti totals by hand:

    intervention baseline 17, 19, 21 (median 19, IQR 18-20); week 6 22, 24 (KAN-0003 missed it);
    week 12 26, 27, 25 -> changes from baseline +9, +8, +4 (median 8, IQR 6-8.5).
    control baseline 18, 20; week 12 17, 21 -> changes -1, +1.
    """
    walk = {"walk_distance_m": 400, "height_cm": Decimal("170.0"), "weight_kg": Decimal("70.0")}
    made = [
        programme_with_visits(
            clinic,
            by,
            study_id="KAN-0001",
            arm=Arm.INTERVENTION,
            sex="male",
            visits={
                "baseline": (10, 7, {**walk, "pain_nrs": 6}),
                "week6": (13, 9, {"pain_nrs": 4}),
                "week12": (15, 11, {"walk_distance_m": 460, "pain_nrs": 3}),
            },
        ),
        programme_with_visits(
            clinic,
            by,
            study_id="KAN-0002",
            arm=Arm.INTERVENTION,
            visits={
                "baseline": (
                    11,
                    8,
                    {
                        "chair_stands": 8,
                        "sts_seconds": Decimal("16.5"),
                        "sts_convention": "fifth_stand",
                    },
                ),
                "week6": (14, 10, {"chair_stands": 10}),
                "week12": (16, 11, {"chair_stands": 12}),
            },
        ),
        programme_with_visits(
            clinic,
            by,
            study_id="KAN-0003",
            arm=Arm.INTERVENTION,
            date_of_birth=date(1930, 3, 1),  # 94 at the start: "90+" once de-identified
            visits={"baseline": (12, 9, {}), "week12": (14, 11, {})},
        ),
        programme_with_visits(
            clinic,
            by,
            study_id="KAN-0004",
            arm=Arm.CONTROL,
            visits={"baseline": (10, 8, {}), "week12": (9, 8, {})},
        ),
        programme_with_visits(
            clinic,
            by,
            study_id="KAN-0005",
            arm=Arm.CONTROL,
            visits={"baseline": (12, 8, {}), "week12": (12, 9, {})},
        ),
    ]
    return made
