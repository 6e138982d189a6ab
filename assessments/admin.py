from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Visit


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
