"""The assessments app's models, one module per subject; import them from here
(`from assessments.models import Visit`)."""

from .export_log import ExportKind, ExportLog
from .import_runs import ImportRun
from .measures import (
    ARMS_NEEDED_MESSAGE,
    MEASURE_RANGES,
    MEASURED_FIELDS,
    NOTHING_MEASURED,
    WALK_DETAIL_FIELDS,
    StsConvention,
    WalkingAid,
    range_message,
    range_validators,
)
from .tinetti_lines import DERIVED_FIELDS, TINETTI_COLUMNS, TinettiLines
from .visit_checks import EARLIEST_VISIT_DATE
from .visit_timepoints import (
    LATE_VISIT,
    OTHER_TIMEPOINTS,
    SCHEDULED_TIMEPOINTS,
    WINDOWED_TIMEPOINTS,
    Timepoint,
)
from .visits import DEVIATION_REASON_MAX_CHARS, NOTES_MAX_CHARS, Visit

__all__ = [
    "ARMS_NEEDED_MESSAGE",
    "DERIVED_FIELDS",
    "DEVIATION_REASON_MAX_CHARS",
    "EARLIEST_VISIT_DATE",
    "LATE_VISIT",
    "MEASURED_FIELDS",
    "MEASURE_RANGES",
    "NOTES_MAX_CHARS",
    "NOTHING_MEASURED",
    "OTHER_TIMEPOINTS",
    "SCHEDULED_TIMEPOINTS",
    "TINETTI_COLUMNS",
    "WALK_DETAIL_FIELDS",
    "WINDOWED_TIMEPOINTS",
    "ExportKind",
    "ExportLog",
    "ImportRun",
    "StsConvention",
    "Timepoint",
    "TinettiLines",
    "Visit",
    "WalkingAid",
    "range_message",
    "range_validators",
]
