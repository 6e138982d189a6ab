"""Demo data for `make demo`, added to the demo clinic."""


def load_demo_programmes(clinic, staff) -> None:
    return None
