"""Writes to programmes, plans and session logs. Views, commands and the demo call these.

Each is one transaction and validates before it writes, so a refusal saves nothing. Every change
to a programme's plan or status takes the programme row with SELECT ... FOR UPDATE, compares the
version the clinician's form was rendered with, records a PlanChange (who, when, why, which loads)
and raises the version: a concurrent edit is refused, never silently overwritten.

Callers use `programmes.services.<name>`; the modules split the writes by what they change.
"""

from ..selectors import programme_week
from ._common import DUPLICATE_SESSION, STALE
from .assignment import check_start_date, prescribed_plan, programme_assign
from .library import (
    SHIPPED_READ_ONLY,
    exercise_create,
    exercise_set_retired,
    exercise_update,
    prescription_problem,
    template_copy,
    template_save,
    template_set_retired,
)
from .plan import (
    PLAN_CHANGE_KINDS,
    plan_change,
    plan_deload_week,
    plan_hold_week,
    plan_set_load,
    plan_shift_load,
)
from .retest import RetestPlan, retest_plan, strength_retest
from .sessions import (
    HOME_FIELDS,
    NOTHING_DONE,
    SESSION_FIELDS,
    home_session_report,
    home_session_update,
    session_record,
    session_update,
)
from .status import (
    patient_withdraw_from_programme,
    programme_complete,
    programme_pause,
    programme_resume,
    programme_withdraw,
)
from .suggestions import suggestion_accept, suggestion_dismiss

__all__ = [
    "check_start_date",
    "PLAN_CHANGE_KINDS",
    "plan_change",
    "DUPLICATE_SESSION",
    "HOME_FIELDS",
    "NOTHING_DONE",
    "RetestPlan",
    "SESSION_FIELDS",
    "SHIPPED_READ_ONLY",
    "prescribed_plan",
    "prescription_problem",
    "STALE",
    "exercise_create",
    "exercise_set_retired",
    "exercise_update",
    "home_session_report",
    "home_session_update",
    "patient_withdraw_from_programme",
    "plan_deload_week",
    "plan_hold_week",
    "plan_set_load",
    "plan_shift_load",
    "programme_assign",
    "programme_complete",
    "programme_pause",
    "programme_resume",
    "programme_week",
    "programme_withdraw",
    "retest_plan",
    "session_record",
    "session_update",
    "strength_retest",
    "suggestion_accept",
    "suggestion_dismiss",
    "template_copy",
    "template_save",
    "template_set_retired",
]
