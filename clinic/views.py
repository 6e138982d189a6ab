"""Pages that bring several apps together: the clinician's home and the patient's page.

They live here, above the apps, because each app contributes a panel and the apps only import
downwards (assessments -> programmes -> patients); see docs/decisions/0002-composed-pages.md.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from assessments import dashboard as assessment_panels
from patients.access import get_patient_for_user, staff_for_user, staff_required
from patients.forms import PatientSearchForm, WithdrawForm, submitted
from patients.kept_pages import kept_page
from patients.models import Role
from patients.selectors import active_patients, for_table, patient_history, table_rows
from patients.view_helpers import render_form_page, show_refusal
from programmes import dashboard as programme_panels
from programmes import services as programme_services


@login_required
@kept_page
def home(request):
    user = request.user
    if user.is_superuser and not user.clinic_id:
        return redirect("admin:index")
    if user.role == Role.PATIENT:
        return redirect("portal:this_week")
    if user.is_district_lead:
        return redirect("district:page")
    if not user.is_clinic_staff:
        raise PermissionDenied
    patients = active_patients(user)
    context = {
        "my_patients": table_rows(for_table(patients.filter(responsible_clinician=user))[:50]),
        "patient_count": patients.count(),
        "search_form": PatientSearchForm(),
        "staff": staff_for_user(user) if user.is_clinic_admin else None,
        **programme_panels.home_context(user),
        **assessment_panels.home_context(user),
    }
    return render(request, "home.html", context)


@staff_required
@kept_page
def patient_page(request, public_id):
    patient = get_patient_for_user(request, public_id)
    programmes = programme_panels.patient_context(patient)
    followed = programmes["programme_panel"]["followed"]
    context = {
        "patient": patient,
        "history": patient_history(patient),
        **programmes,
        **assessment_panels.patient_context(patient, followed),
    }
    return render(request, "patients/detail.html", context)


@staff_required
def patient_withdraw(request, public_id):
    patient = get_patient_for_user(request, public_id)
    form = WithdrawForm(submitted(request), patient=patient)
    if form.is_valid():
        try:
            programme_services.patient_withdraw_from_programme(
                patient=patient,
                by=request.user,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["withdrawn_on"],
            )
        except ValidationError as refusal:
            # The programme's own rules (e.g. not before its last session) speak of "on".
            show_refusal(form, refusal, rename={"on": "withdrawn_on"})
        else:
            messages.success(
                request,
                f"{patient.study_id} has been withdrawn, with their programme. "
                "Their record is kept.",
            )
            return redirect("patients:detail", public_id=patient.public_id)
    return render_form_page(
        request,
        form,
        title=f"Withdraw {patient.study_id}",
        submit="Withdraw",
        cancel_url=patient.get_absolute_url(),
        intro="The record is kept, with its history; the patient leaves the active list and "
        "their open programme ends on the same day.",
    )
