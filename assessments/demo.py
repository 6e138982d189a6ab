"""Demo data for `make demo`, added to the demo clinic."""


def load_demo_assessments(clinic, staff) -> None:
    return None
