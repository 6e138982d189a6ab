from django.contrib import admin

from patients.admin import HistoryAdmin, ReadOnlyAdmin

from .models import ExportLog, ImportRun, Visit


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Read-only for the installation's operator: visits are recorded and corrected in the app,
    whose service computes the Tinetti subtotals and keeps who changed what."""

    list_display = ["assessed_on", "clinic", "patient", "timepoint", "tinetti_total"]
    list_filter = ["clinic", "timepoint"]
    search_fields = ["patient__study_id"]
    raw_id_fields = ["patient", "programme", "assessor"]


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The audit trail of exports: read-only, like the clinic admin's page."""

    list_display = ["created_at", "clinic", "user", "kind", "deidentified", "rows"]
    list_filter = ["clinic", "kind", "deidentified"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["created_at", "clinic", "user", "filename", "rows", "visits_created"]
    list_filter = ["clinic"]
