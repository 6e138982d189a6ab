import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import get_usage

from . import services
from .access import (
    clinic_admin_required,
    get_patient_for_user,
    get_staff_member_for_user,
    staff_for_user,
    staff_required,
)
from .forms import (
    ActivateWithCodeForm,
    ChoosePasswordForm,
    NewStaffForm,
    PatientForm,
    PatientSearchForm,
    StaffForm,
    submitted,
)
from .kept_pages import kept_page
from .models import PortalAccessCode, StaffAccountEvent, User
from .portal_access import WRONG_CODES_PER_ADDRESS, WRONG_TRIES_BEFORE_RETIRING
from .selectors import for_table, patient_search, table_rows
from .view_helpers import render_form_page


@staff_required
@kept_page
def patient_list(request):
    form = PatientSearchForm(request.GET or None)
    q = status = ""
    if form.is_valid():
        q, status = form.cleaned_data["q"].strip(), form.cleaned_data["status"]
    page = Paginator(
        for_table(patient_search(request.user, q=q, status=status)), settings.LEGWORK_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    page.object_list = table_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "q": q}
    return render(request, "patients/list.html", context)


@staff_required
def patient_register(request):
    form = PatientForm(submitted(request), clinic=request.user.clinic)
    if form.is_valid():
        patient = services.patient_register(
            clinic=request.user.clinic, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"Registered {patient.study_id}.")
        return redirect("patients:detail", public_id=patient.public_id)
    return render_form_page(
        request, form, title="Register a patient", submit="Register", cancel_url="patients:list"
    )


@staff_required
def patient_edit(request, public_id):
    patient = get_patient_for_user(request, public_id)
    form = PatientForm(submitted(request), instance=patient, clinic=request.user.clinic)
    if form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        services.patient_update(patient=patient, by=request.user, **changed)
        messages.success(request, "Changes saved." if changed else "Nothing was changed.")
        return redirect("patients:detail", public_id=patient.public_id)
    return render_form_page(
        request,
        form,
        title=f"Edit {patient.study_id}",
        submit="Save changes",
        cancel_url=patient.get_absolute_url(),
    )


@clinic_admin_required
def staff_list(request):
    staff = staff_for_user(request.user).order_by("-is_active", "last_name", "first_name")
    events = StaffAccountEvent.objects.filter(member__in=staff_for_user(request.user))
    events = events.select_related("member", "by")[:20]
    return render(request, "patients/staff_list.html", {"staff": staff, "events": events})


@clinic_admin_required
def staff_add(request):
    form = NewStaffForm(submitted(request), clinic=request.user.clinic)
    if form.is_valid():
        data = form.cleaned_data
        member = services.staff_create(
            clinic=request.user.clinic,
            by=request.user,
            username=data["username"],
            password=data["password1"],
            role=data["role"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
        )
        messages.success(request, f"Added {member}. Give them their username and password.")
        return redirect("staff:list")
    return render_form_page(request, form, title="Add staff", submit="Add", cancel_url="staff:list")


@clinic_admin_required
def staff_edit(request, public_id):
    member = get_staff_member_for_user(request, public_id)
    form = StaffForm(submitted(request), instance=member, clinic=request.user.clinic)
    if form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.staff_update(member=member, by=request.user, **changed)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, f"Saved {member}." if changed else "Nothing was changed.")
            return redirect("staff:list")
    return render_form_page(
        request, form, title=f"Edit {member}", submit="Save changes", cancel_url="staff:list"
    )


@clinic_admin_required
def staff_deactivate(request, public_id):
    """Asks first: deactivating ends the member's sessions at once."""
    member = get_staff_member_for_user(request, public_id)
    if not member.is_active:
        messages.info(request, f"{member} is already deactivated.")
        return redirect("staff:list")
    return render(request, "patients/staff_deactivate.html", {"member": member})


@require_POST
@clinic_admin_required
def staff_set_active(request, public_id):
    member = get_staff_member_for_user(request, public_id)
    active = request.POST.get("active") == "1"
    try:
        services.staff_set_active(member=member, by=request.user, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{member} {'reactivated' if active else 'deactivated'}.")
    return redirect("staff:list")


@require_POST
@clinic_admin_required
def staff_unlock(request, public_id):
    member = get_staff_member_for_user(request, public_id)
    services.staff_unlock(member=member, by=request.user)
    messages.success(request, f"{member} can log in again: their log-in lock is cleared.")
    return redirect("staff:list")


@require_POST
@clinic_admin_required
def staff_password_reset(request, public_id):
    member = get_staff_member_for_user(request, public_id)
    site = get_current_site(request)
    try:
        services.staff_password_reset_send(
            member=member,
            by=request.user,
            domain=site.domain,
            site_name=site.name,
            use_https=request.is_secure(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"A password reset link was sent to {member.email}.")
    return redirect("staff:list")


@staff_required
def portal_access(request, public_id):
    patient = get_patient_for_user(request, public_id)
    login = User.objects.filter(patient=patient).first()
    codes = patient.access_codes.select_related("created_by", "revoked_by")[:10]
    context = {
        "patient": patient,
        "login": login,
        "login_name": login.username if login else services.patient_login_name(patient),
        "codes": codes,
        "wrong_tries_limit": WRONG_TRIES_BEFORE_RETIRING,
    }
    return render(request, "patients/portal_access.html", context)


# The clear code lives only in the issuing clinician's session, briefly, so that reloading the
# page shows it again instead of issuing another (only hashes are stored in the database).
SHOWN_CODE_SECONDS = 10 * 60


def _shown_code_key(patient) -> str:
    return f"portal_code:{patient.public_id}"


@require_POST
@staff_required
def portal_access_issue(request, public_id):
    patient = get_patient_for_user(request, public_id)
    try:
        access, token, code = services.portal_access_issue(patient=patient, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("patients:portal_access", public_id=patient.public_id)
    request.session[_shown_code_key(patient)] = {
        "access": access.pk,
        "token": token,
        "code": code,
        "until": time.time() + SHOWN_CODE_SECONDS,
    }
    return redirect("patients:portal_access_code", public_id=patient.public_id)


@staff_required
def portal_access_code(request, public_id):
    patient = get_patient_for_user(request, public_id)
    shown = request.session.get(_shown_code_key(patient))
    access = None
    if shown and shown["until"] > time.time():
        access = PortalAccessCode.objects.filter(
            pk=shown["access"], patient=patient, created_by=request.user
        ).first()
    if access is None or access.state != "valid":
        request.session.pop(_shown_code_key(patient), None)
        messages.info(
            request,
            "That code was already shown and is not shown again. If it was lost, issue a new one.",
        )
        return redirect("patients:portal_access", public_id=patient.public_id)
    link = request.build_absolute_uri(reverse("activate_link", args=[shown["token"]]))
    login = User.objects.filter(patient=patient).first()
    context = {
        "patient": patient,
        "access": access,
        "link": link,
        "code": shown["code"],
        "login_name": login.username if login else services.patient_login_name(patient),
    }
    return render(request, "patients/portal_access_code.html", context)


@require_POST
@staff_required
def portal_access_revoke(request, public_id):
    patient = get_patient_for_user(request, public_id)
    services.portal_access_revoke(patient=patient, by=request.user)
    messages.success(request, f"Portal access for {patient.study_id} is closed.")
    return redirect("patients:portal_access", public_id=patient.public_id)


def _activate(request, form, *, intro):
    if form.is_valid():
        try:
            login_user = services.portal_activate(
                access=form.access, password=form.cleaned_data["password1"]
            )
        except services.AccessRefused as refusal:
            form.add_error(None, refusal)
    if form.is_valid():
        auth_login(request, login_user, backend="patients.backends.ClinicUserBackend")
        messages.success(
            request,
            _("Welcome. Your login name is %(username)s: next time, type it and your password.")
            % {"username": login_user.username},
        )
        return redirect("home")
    context = {"form": form, "title": _("Set up your access"), "submit": _("Save my password")}
    return render(request, "patients/activate.html", {**context, "intro": intro})


def _wrong_codes_from(request, *, add: bool) -> bool:
    """Whether this address has typed too many wrong codes lately (across all study IDs, so
    nobody can try a few codes on each of many patients); `add` counts one more.

    The address is config.throttles.client_address (RATELIMIT_IP_META_KEY), as for the login
    lock. Counted in each server process's memory (RATELIMIT_USE_CACHE): the stored limit per
    study ID (services.portal_access_find) is the one that holds across processes."""
    usage = get_usage(
        request,
        group="portal-activation-wrong-codes",
        key="ip",
        rate=WRONG_CODES_PER_ADDRESS,
        increment=add,
    )
    return usage is not None and usage["count"] >= usage["limit"]


def activate_with_code(request):
    throttled = request.method == "POST" and _wrong_codes_from(request, add=False)

    def find_access(data):
        if throttled:
            # Refused before the code is looked at: the answer says nothing about it.
            raise services.AccessRefused(
                _(
                    "Too many wrong codes were typed from this connection. Wait an hour and "
                    "try again, or ask the clinic for help."
                )
            )
        try:
            return services.portal_access_find(
                study_id=data.get("study_id", ""), code=data.get("code", "")
            )
        except services.WrongCode:
            _wrong_codes_from(request, add=True)
            raise

    form = ActivateWithCodeForm(submitted(request), access_lookup=find_access)
    response = _activate(
        request,
        form,
        intro=_(
            "Type your login name (or study ID) and the code from the sheet the clinic gave you."
        ),
    )
    if throttled:
        response.status_code = 429
    return response


def activate_with_link(request, token):
    form = ChoosePasswordForm(
        submitted(request), access_lookup=lambda data: services.portal_access_find(token=token)
    )
    if request.method == "GET":
        try:
            services.portal_access_find(token=token)
        except services.AccessRefused as refusal:
            return render(request, "patients/activation_refused.html", {"reason": refusal})
    return _activate(request, form, intro=_("Choose the password you will use to log in."))
