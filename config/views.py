"""Pages that bring several apps together: the clinician's home and the patient's page.

They live here, above the apps, because each app contributes a panel and the apps only import
downwards (assessments -> programmes -> patients).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from assessments import dashboard as assessment_panels
from patients.access import get_patient_for_user, staff_for_user, staff_required
from patients.forms import PatientSearchForm
from patients.models import Role
from patients.selectors import active_patients, patient_history
from programmes import dashboard as programme_panels


@login_required
def home(request):
    user = request.user
    if user.is_superuser and not user.clinic_id:
        return redirect("admin:index")
    if user.role == Role.PATIENT:
        return redirect("portal:this_week")
    if not user.is_clinic_staff:
        raise PermissionDenied
    patients = active_patients(user)
    context = {
        "my_patients": patients.filter(responsible_clinician=user)[:50],
        "patient_count": patients.count(),
        "search_form": PatientSearchForm(),
        "staff": staff_for_user(user) if user.is_clinic_admin else None,
        **programme_panels.home_context(user),
        **assessment_panels.home_context(user),
    }
    return render(request, "home.html", context)


@staff_required
def patient_page(request, public_id):
    patient = get_patient_for_user(request, public_id)
    context = {
        "patient": patient,
        "history": patient_history(patient),
        **programme_panels.patient_context(patient),
        **assessment_panels.patient_context(patient),
    }
    return render(request, "patients/detail.html", context)
