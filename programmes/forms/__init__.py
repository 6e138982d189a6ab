"""Forms: each field carries its rule, so a refusal shows next to the field and nothing is saved.

The rules live in the models and the services (every door gets them); these forms derive from them
and only make the message appear where the clinician typed. One module per subject; callers import
from this package.
"""

from .assign import (
    AssignChoiceForm,
    AssignForm,
    BaselineForm,
)
from .library import (
    MAX_TEMPLATE_EXERCISES,
    ExerciseForm,
    TemplateExerciseForm,
    TemplateExerciseFormSet,
    TemplateForm,
)
from .plan import (
    DismissForm,
    PlanChangeForm,
    RetestForm,
    StatusForm,
    SuggestionAcceptForm,
)
from .sessions import (
    SessionForm,
)

__all__ = [
    "AssignChoiceForm",
    "AssignForm",
    "BaselineForm",
    "ExerciseForm",
    "TemplateForm",
    "TemplateExerciseForm",
    "MAX_TEMPLATE_EXERCISES",
    "TemplateExerciseFormSet",
    "PlanChangeForm",
    "RetestForm",
    "StatusForm",
    "SuggestionAcceptForm",
    "DismissForm",
    "SessionForm",
]
