from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Clinic, Patient, PortalAccessCode, StaffAccountEvent, User


class ReadOnlyAdmin:
    """For rows written only by the app's own services (with their checks and history): the
    operator may read them in the admin, never add, change or delete them there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Clinic)
class ClinicAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "time_zone"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "clinic", "role", "is_active"]
    list_filter = ["clinic", "role", "is_active", "is_superuser"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("Clinic", {"fields": ["clinic", "role", "patient"]}),
    ]
    raw_id_fields = ["patient"]

    def save_model(self, request, obj, form, change):
        # Deactivated here too, the user's open sessions end (as from the Staff page).
        if change and "is_active" in form.changed_data and not obj.is_active:
            obj.end_sessions()
        super().save_model(request, obj, form, change)


@admin.register(Patient)
class PatientAdmin(SimpleHistoryAdmin):
    list_display = ["study_id", "clinic", "family_name", "given_name", "status"]
    list_filter = ["clinic", "status", "aetiology"]
    search_fields = ["study_id", "family_name", "given_name"]

    def has_delete_permission(self, request, obj=None):
        return False  # patients are withdrawn, never deleted


@admin.register(PortalAccessCode)
class PortalAccessCodeAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: codes are issued and revoked from the patient's page, where it is recorded."""

    list_display = ["patient", "created_by", "created_at", "expires_at", "used_at", "revoked_at"]
    list_filter = ["patient__clinic"]


@admin.register(StaffAccountEvent)
class StaffAccountEventAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: the record of unlocks and password resets sent from the Staff page."""

    list_display = ["at", "member", "action", "by", "detail"]
    list_filter = ["action", "member__clinic"]
