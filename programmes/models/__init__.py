"""Exercise library, programme templates, assigned programmes, weekly plan and session logs.

Rows with ``clinic = NULL`` (exercises, templates) are the shipped defaults, created by a data
migration and available to every clinic; the UI never edits them. Assigning a template copies its
prescription into the programme (ProgrammeExercise, PlannedLoad), so editing a template later never
changes a programme already assigned.
"""

from .library import (
    EXERCISE_NAME_UNIQUE,
    LOAD_STEP_MAX_KG,
    MAX_LOAD_KG,
    MAX_LOGGED_REPS,
    MAX_SESSIONS_PER_WEEK,
    Equipment,
    Exercise,
    Formula,
    Laterality,
    MuscleGroup,
    ProgrammeTemplate,
    ShippedOrOwnQuerySet,
    TemplateExercise,
)
from .plan import (
    OPEN_STATUSES,
    RECORDED_VISIT_FIELDS,
    SESSION_SUMMARY_FIELDS,
    Arm,
    ChangeKind,
    PlanChange,
    PlannedLoad,
    Programme,
    ProgrammeExercise,
    ProgrammeStatus,
    RetestOccasion,
    StrengthRetest,
)
from .prescription import (
    PRESCRIPTION_FIELDS,
    PRESCRIPTION_LIMITS,
    Prescription,
    parse_weeks,
)
from .sessions import (
    Completion,
    ExerciseSession,
    LoggedSet,
    ReportedExercise,
    SessionSource,
    Suggestion,
    SuggestionStatus,
)

__all__ = [
    "LOAD_STEP_MAX_KG",
    "MAX_SESSIONS_PER_WEEK",
    "EXERCISE_NAME_UNIQUE",
    "PRESCRIPTION_LIMITS",
    "MAX_LOAD_KG",
    "MAX_LOGGED_REPS",
    "OPEN_STATUSES",
    "PRESCRIPTION_FIELDS",
    "RECORDED_VISIT_FIELDS",
    "SESSION_SUMMARY_FIELDS",
    "Arm",
    "ChangeKind",
    "Completion",
    "Equipment",
    "Exercise",
    "ExerciseSession",
    "Formula",
    "Laterality",
    "LoggedSet",
    "MuscleGroup",
    "PlanChange",
    "PlannedLoad",
    "Prescription",
    "Programme",
    "ProgrammeExercise",
    "ProgrammeStatus",
    "ProgrammeTemplate",
    "ReportedExercise",
    "RetestOccasion",
    "SessionSource",
    "StrengthRetest",
    "ShippedOrOwnQuerySet",
    "Suggestion",
    "SuggestionStatus",
    "TemplateExercise",
    "parse_weeks",
]
