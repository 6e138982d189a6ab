from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ExportLog, ImportRun, Visit


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    """Read-only for the installation's operator: visits are recorded and corrected in the app,
    whose service computes the Tinetti subtotals and keeps who changed what."""

    list_display = ["assessed_on", "clinic", "patient", "timepoint", "tinetti_total"]
    list_filter = ["clinic", "timepoint"]
    search_fields = ["patient__study_id"]
    raw_id_fields = ["patient", "programme", "assessor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportLog)
class ExportLogAdmin(_ReadOnly):
    """The audit trail of exports: read-only, like the clinic admin's page."""

    list_display = ["created_at", "clinic", "user", "kind", "deidentified", "rows"]
    list_filter = ["clinic", "kind", "deidentified"]


@admin.register(ImportRun)
class ImportRunAdmin(_ReadOnly):
    list_display = ["created_at", "clinic", "user", "filename", "rows", "visits_created"]
    list_filter = ["clinic"]
