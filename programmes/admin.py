"""The Django admin is the installation operator's tool; clinics use the app's own pages.

Programme rows are read-only here: their writes go through the services (history, locking).
"""

from django.contrib import admin

from patients.admin import HistoryAdmin
from patients.admin import ReadOnlyAdmin as NoWritesAdmin

from .models import (
    Exercise,
    ExerciseSession,
    LoggedSet,
    PlanChange,
    PlannedLoad,
    Programme,
    ProgrammeExercise,
    ProgrammeTemplate,
    ReportedExercise,
    StrengthRetest,
    Suggestion,
    TemplateExercise,
)


class ReadOnlyAdmin(NoWritesAdmin, HistoryAdmin):
    """A model with history: its rows, and their old versions, are read here, never written."""


class ReadOnlyNoHistoryAdmin(NoWritesAdmin, admin.ModelAdmin):
    """A model without a history table (simple-history's pages fail without one): Django's own
    history page. PlanChange is itself the programme's record of changes."""


@admin.register(Exercise)
class ExerciseAdmin(ReadOnlyAdmin):
    list_display = ["name", "clinic", "muscle_group", "equipment", "load_step_kg", "retired_on"]
    list_filter = ["muscle_group", "clinic"]
    search_fields = ["name"]


class TemplateExerciseInline(admin.TabularInline):
    model = TemplateExercise
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProgrammeTemplate)
class ProgrammeTemplateAdmin(ReadOnlyAdmin):
    list_display = ["name", "clinic", "weeks", "sessions_per_week", "retired_on"]
    inlines = [TemplateExerciseInline]


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["patient", "name", "clinic", "arm", "status", "start_date", "version"]
    list_filter = ["status", "arm", "clinic"]
    list_select_related = ["patient", "clinic"]


@admin.register(ExerciseSession)
class ExerciseSessionAdmin(ReadOnlyAdmin):
    list_display = ["programme", "date", "week", "source", "pain_before", "pain_after"]
    list_select_related = ["programme__patient"]


@admin.register(ReportedExercise)
class ReportedExerciseAdmin(ReadOnlyAdmin):
    list_display = ["session", "programme_exercise", "completion", "target_load_kg"]
    list_select_related = ["session", "programme_exercise__exercise"]


@admin.register(PlanChange)
class PlanChangeAdmin(ReadOnlyNoHistoryAdmin):
    list_display = ["programme", "kind", "changed_by", "changed_at"]
    list_select_related = ["programme__patient", "changed_by"]


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyNoHistoryAdmin):
    list_display = ["programme_exercise", "suggested_load_kg", "status", "created_at"]
    list_select_related = ["programme_exercise__exercise", "programme_exercise__programme"]


@admin.register(TemplateExercise)
class TemplateExerciseAdmin(ReadOnlyAdmin):
    list_display = ["template", "exercise", "order", "sets", "target_reps"]
    list_select_related = ["template", "exercise"]


@admin.register(ProgrammeExercise)
class ProgrammeExerciseAdmin(ReadOnlyAdmin):
    list_display = ["programme", "exercise", "one_rm_kg", "start_pct", "ceiling_pct"]
    list_select_related = ["programme__patient", "exercise"]


@admin.register(PlannedLoad)
class PlannedLoadAdmin(ReadOnlyNoHistoryAdmin):
    list_display = ["programme_exercise", "week", "sets", "reps", "load_kg", "is_deload"]
    list_select_related = ["programme_exercise__exercise", "programme_exercise__programme"]


@admin.register(LoggedSet)
class LoggedSetAdmin(ReadOnlyAdmin):
    list_display = ["session", "programme_exercise", "set_number", "reps_done", "load_kg"]
    list_select_related = ["session", "programme_exercise__exercise"]


@admin.register(StrengthRetest)
class StrengthRetestAdmin(ReadOnlyNoHistoryAdmin):
    list_display = ["programme_exercise", "tested_on", "one_rm_kg", "previous_one_rm_kg"]
    list_select_related = ["programme_exercise__exercise", "programme_exercise__programme"]
