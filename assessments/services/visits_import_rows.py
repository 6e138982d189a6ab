"""What an import says about a row: a refusal's messages as the file's reader needs them, how
to make a choice at the door the import came through, and how a row differs from the visit
already recorded."""

from django.core.exceptions import ValidationError

from ..imports import ImportRow
from ..models import LATE_VISIT, Visit


def messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    found = []
    for name, errors in error.error_dict.items():
        prefix = "" if name == "__all__" else f"{name}: "
        for each in errors:
            if each.code == LATE_VISIT:  # the file's way to give the reason, not the form's
                message = f"{each.params['late']} Give it in the deviation_reason column."
            else:
                message = next(iter(each))
            found.append(f"{prefix}{message}")
    return found


# Each choice an import needs, as each door offers it: the command's flags, the page's controls.
_HOW_TO = {
    "create_patients": (
        "import with --create-patients",
        "tick “Register unknown patients” on this page and import again",
    ),
    "sts_convention": (
        "choose it for the whole file with --sts-convention fifth_stand or fifth_sit",
        "choose “Sit-to-stand timing in this file” on this page for the whole file",
    ),
}


def how_to(choice: str, *, via_command: bool) -> str:
    command, page = _HOW_TO[choice]
    return command if via_command else page


def differences(visit: Visit, row: ImportRow) -> list[str]:
    """What the file says that the recorded visit does not (the file's columns only)."""
    found = []
    if visit.assessed_on != row.assessed_on:
        found.append(f"assessed_on {row.assessed_on} here, {visit.assessed_on} recorded")
    if visit.tinetti_answers != row.tinetti_lines:
        found.append(
            f"Tinetti total {_total(row.tinetti_lines)} here, "
            f"{visit.tinetti_total if visit.tinetti_total is not None else 'not done'} recorded"
        )
    if visit.deviation_reason != row.deviation_reason:
        found.append(
            f"deviation_reason {_shown(row.deviation_reason or None)!s} here, "
            f"{_shown(visit.deviation_reason or None)} recorded"
        )
    recorded = {
        "walk_distance_m": visit.walk_distance_m,
        "chair_stands": visit.chair_score,
        "sts_seconds": visit.sts_seconds,
        "pain_nrs": visit.pain_nrs,
        "height_cm": visit.height_cm,
        "weight_kg": visit.weight_kg,
    }
    for name, value in recorded.items():
        if value != row.measures.get(name):
            found.append(f"{name} {_shown(row.measures.get(name))} here, {_shown(value)} recorded")
    # How the measures were taken: only when the file says (an older file has no such columns).
    for name in ("sts_convention", "chair_arms_needed", "walk_aid"):
        if name in row.measures and row.measures[name] != getattr(visit, name):
            found.append(
                f"{name} {_shown(row.measures[name])} here, {_shown(getattr(visit, name))} recorded"
            )
    return found


def _total(lines) -> str:
    return str(sum(lines.values())) if lines else "not done"


def _shown(value) -> str:
    return "empty" if value is None else str(value)
