"""Factories for assessment visits. Visits are made through the service, as the app makes them,
so their Tinetti subtotals and history are real."""

from datetime import date

from assessments import services, tinetti
from tests.factories import ClinicianFactory, ProgrammeFactory


def lines_totalling(balance: int, gait: int) -> dict[str, int]:
    """Tinetti lines adding up to the given subtotals, filling lines in the paper form's order."""
    answers = {}
    for section, wanted in ((tinetti.BALANCE_ITEMS, balance), (tinetti.GAIT_ITEMS, gait)):
        for item in section:
            answers[item.code] = min(item.max_score, wanted)
            wanted -= answers[item.code]
        assert wanted == 0, "subtotal out of range"
    return answers


def make_visit(
    *,
    programme=None,
    timepoint="baseline",
    assessed_on=date(2026, 9, 7),
    balance: int | None = 10,
    gait: int | None = 7,
    by=None,
    **measures,
):
    programme = programme or ProgrammeFactory()
    by = by or ClinicianFactory(clinic=programme.clinic)
    lines = lines_totalling(balance, gait) if balance is not None else None
    return services.visit_record(
        programme=programme,
        by=by,
        timepoint=timepoint,
        assessed_on=assessed_on,
        tinetti_lines=lines,
        **measures,
    )
