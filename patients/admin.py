from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .models import Clinic, District, Patient, PortalAccessCode, StaffAccountEvent, User


class ReadOnlyAdmin:
    """For rows written only by the app's own services (with their checks and history): the
    operator may read them in the admin, never add, change or delete them there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin of every model with history (tests/test_admin_history.py finds them all).

    The history list stays: the operator reads who changed what, and when. simple-history's page
    for one old version is a "Revert" form, and its POST saves the old values through the admin
    form whatever the model admin allows (it checks only the permission to view), past the
    services' checks, locks and derived fields; a deactivated user comes back active. So here
    that page only shows the old version, every field as text, and a POST is refused.
    (SIMPLE_HISTORY_REVERT_DISABLED would only hide the button: the POST would still save.)"""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def render_history_view(self, request, template, context, **kwargs):
        if "adminform" in context:  # the page of one old version: every field as text
            form = context["adminform"]
            context["adminform"] = helpers.AdminForm(
                form.form,
                form.fieldsets,
                {},
                readonly_fields=flatten_fieldsets(form.fieldsets),
                model_admin=self,
            )
            context.update(
                change_history=False,  # SIMPLE_HISTORY_EDIT's button, were it ever set
                has_add_permission=False,
                has_change_permission=False,
                has_delete_permission=False,
            )
        return super().render_history_view(request, template, context, **kwargs)


@admin.register(District)
class DistrictAdmin(HistoryAdmin):
    """A health district: its clinics are assigned on each clinic's page (District), its lead
    is a user with the role District lead and this district (or: manage.py create_district)."""

    list_display = ["name", "clinic_names"]
    readonly_fields = ["clinic_names"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("clinics")

    @admin.display(description="Clinics")
    def clinic_names(self, district):
        return ", ".join(clinic.name for clinic in district.clinics.all()) or "none yet"


@admin.register(Clinic)
class ClinicAdmin(HistoryAdmin):
    list_display = ["name", "slug", "time_zone", "district"]
    list_filter = ["district"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class UserAdmin(DjangoUserAdmin, HistoryAdmin):
    list_display = ["username", "first_name", "last_name", "clinic", "role", "is_active"]
    list_filter = ["clinic", "district", "role", "is_active", "is_superuser"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        # Staff: a clinic; a patient: a clinic and a patient; a district lead: a district only.
        ("Clinic or district", {"fields": ["clinic", "role", "patient", "district"]}),
    ]
    raw_id_fields = ["patient"]

    def save_model(self, request, obj, form, change):
        # Deactivated here too, the user's open sessions end (as from the Staff page).
        if change and "is_active" in form.changed_data and not obj.is_active:
            obj.end_sessions()
        super().save_model(request, obj, form, change)


@admin.register(Patient)
class PatientAdmin(HistoryAdmin):
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
