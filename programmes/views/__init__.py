"""The programme pages, a module per subject; urls.py reaches them through this package."""

from .library import (
    exercise_add,
    exercise_edit,
    exercise_list,
    exercise_retire,
    template_add,
    template_copy,
    template_detail,
    template_edit,
    template_list,
    template_retire,
)
from .plan import (
    plan_change,
    programme_complete,
    programme_pause,
    programme_resume,
    programme_retest,
    programme_withdraw,
    suggestion_accept,
    suggestion_dismiss,
)
from .programme import (
    attention,
    print_handout,
    print_week,
    programme_assign,
    programme_detail,
)
from .sessions import (
    session_edit,
    session_record,
)

__all__ = [
    "exercise_list",
    "exercise_add",
    "exercise_edit",
    "exercise_retire",
    "template_list",
    "template_detail",
    "template_add",
    "template_edit",
    "template_copy",
    "template_retire",
    "plan_change",
    "programme_retest",
    "programme_pause",
    "programme_resume",
    "programme_complete",
    "programme_withdraw",
    "suggestion_accept",
    "suggestion_dismiss",
    "programme_assign",
    "programme_detail",
    "attention",
    "print_week",
    "print_handout",
    "session_record",
    "session_edit",
]
