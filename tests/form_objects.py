"""Every URL name of the project, classified for the systemic form tests.

- EDIT_PAGES: pages that show an edit form of a stored object (tests/test_edit_round_trip.py):
  name -> {variant: builder}.
- FORM_PAGES: every other form of the app (tests/test_hostile_input.py also posts to the edit
  pages): name -> [builder, ...] (a URL may take more than one form, e.g. the two assign steps).
- NO_FORM: name -> why the page has no form of its own.

A builder takes `base` (the clinic, its admin and a clinician, from the fixtures) and returns
a Setup: who opens which page, which form on it, and the values that make it a valid submission
(a real user's typing; every other field keeps the value the page rendered). The objects are made
as the app makes them (services, the existing factories and test helpers), with the details real
records have: several lines of notes, measures beside the Tinetti lines, sets not done...
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments.models import StsConvention, WalkingAid
from patients import services as patient_services
from patients.models import Aetiology
from programmes import services as programme_services
from programmes.models import Completion
from tests.assessments.factories import lines_totalling, make_visit
from tests.factories import (
    PASSWORD,
    ClinicianFactory,
    ExerciseFactory,
    PatientFactory,
    PatientUserFactory,
    ProgrammeFactory,
    ProgrammeTemplateFactory,
    TemplateExerciseFactory,
)
from tests.programmes.helpers import assign, log, report_home, shipped_template

NEW_PASSWORD = "Another-strong-passw0rd-77"


@dataclass
class Setup:
    user: object  # who opens the page (None: nobody logged in)
    url: str  # the page that shows the form (its redirects are followed, as a browser does)
    action: str | None = None  # the form's action, when it is not the page itself
    method: str = "post"
    # What the user types: name -> value, or a function of the parsed form returning that.
    fill: dict | Callable = field(default_factory=dict)
    valid: bool = True  # the page's values with `fill` are accepted (checked by the tests)
    send_to: str | None = None  # where the form's data goes, when not to its action (downloads)


def _today():
    return timezone.localdate()


def rich_patient(base, **fields):
    """A patient as a clinic records them: every optional field filled in."""
    values = {
        "clinic": base["clinic"],
        "responsible_clinician": base["clinician"],
        "phone": "+234 803 555 0101",
        "aetiology": Aetiology.HIV,
        "art_start_date": date(2019, 3, 4),
        "has_diabetes": True,
        "notes": "Lives alone, third floor.\nPrefers morning sessions.",
        **fields,
    }
    return PatientFactory(**values)


def _programme(base, *, days_ago=20, **fields):
    programme = assign(rich_patient(base, **fields), base["clinician"], days_ago=days_ago)
    return programme


def _url(name, obj=None, **kwargs):
    if obj is not None:
        kwargs["public_id"] = obj.public_id
    return reverse(name, kwargs=kwargs or None)


# --- Edit pages ---------------------------------------------------------------------------------


def edit_patient(base):
    return Setup(base["clinician"], _url("patients:edit", rich_patient(base)))


def edit_patient_without_diabetes(base):
    patient = rich_patient(base, has_diabetes=False, aetiology=Aetiology.DIABETIC)
    return Setup(base["clinician"], _url("patients:edit", patient))


def edit_patient_diabetes_unknown(base):
    patient = rich_patient(base, has_diabetes=None, notes="", phone="", art_start_date=None)
    return Setup(base["clinician"], _url("patients:edit", patient))


def edit_staff_member(base):
    member = ClinicianFactory(clinic=base["clinic"], first_name="Ngozi", last_name="Okafor")
    return Setup(base["clinic_admin"], _url("staff:edit", member))


def edit_supervised_session(base):
    programme = _programme(base)
    exercise = programme.exercises.select_related("exercise").first().exercise.name
    log(programme, base["clinician"], days_ago=6)
    session = log(
        programme,
        base["clinician"],
        days_ago=3,
        only={exercise},  # the other exercises not done: their sets are empty
        last_set_reps=8,
        effort=7,
        pain_before=1,
        pain_after=4,
        dizziness=True,
        other_adverse_event="Light-headed after the last set",
        notes="Tired today.\nKnee sore on the stairs.",
    )
    return Setup(base["clinician"], _url("programmes:session_edit", session))


def edit_exercise(base):
    exercise = ExerciseFactory(
        clinic=base["clinic"],
        load_step_kg=Decimal("2.5"),
        instructions="Sit tall.\nBend the knee slowly, then straighten it slowly.",
        safety_cues="Stop if the knee hurts sharply.\nKeep the back against the seat.",
    )
    return Setup(base["clinic_admin"], _url("programmes:exercise_edit", exercise))


def edit_template(base):
    template = ProgrammeTemplateFactory(
        clinic=base["clinic"], description="For the clinic's gym.\nTwo sessions supervised."
    )
    TemplateExerciseFactory(template=template, order=1, deload_weeks="4, 8", deload_pct=Decimal(80))
    TemplateExerciseFactory(template=template, order=2, start_pct=Decimal("52.5"))
    return Setup(base["clinic_admin"], _url("programmes:template_edit", template))


def edit_visit(base):
    programme = ProgrammeFactory(patient=rich_patient(base), start_date=_today() - timedelta(60))
    visit = make_visit(
        programme=programme,
        assessed_on=programme.start_date,
        by=base["clinician"],
        balance=12,
        gait=9,
        walk_distance_m=312,
        walk_aid=WalkingAid.STICK,
        walk_stops=1,
        walk_hr_before=72,
        walk_hr_after=96,
        chair_stands=9,
        sts_seconds=Decimal("14.3"),
        sts_convention=StsConvention.FIFTH_STAND,
        pain_nrs=3,
        height_cm=Decimal("172.5"),
        weight_kg=Decimal("70.2"),
        notes="Used the stick outdoors.\nTired by the end.",
    )
    return Setup(base["clinician"], _url("assessments:edit", visit))


def edit_visit_without_tinetti(base):
    programme = ProgrammeFactory(patient=rich_patient(base), start_date=_today() - timedelta(60))
    visit = make_visit(
        programme=programme,
        assessed_on=programme.start_date,
        by=base["clinician"],
        balance=None,
        walk_distance_m=280,
        pain_nrs=5,
    )
    return Setup(base["clinician"], _url("assessments:edit", visit))


def _patient_with_home_programme(base):
    patient_user = PatientUserFactory(patient=rich_patient(base))
    programme = assign(patient_user.patient, base["clinician"], days_ago=20)
    return patient_user, programme


def edit_home_session(base):
    patient_user, programme = _patient_with_home_programme(base)
    session = report_home(
        programme,
        patient_user,
        days_ago=2,
        completion=Completion.PARTLY,
        effort=6,
        pain_after=3,
        notes="Did it in the evening.\nThe stairs were hard.",
    )
    return Setup(patient_user, reverse("portal:session_edit", kwargs={"day": session.date}))


EDIT_PAGES = {
    "patients:edit": {
        "with diabetes": edit_patient,
        "without diabetes": edit_patient_without_diabetes,
        "diabetes unknown, optional fields empty": edit_patient_diabetes_unknown,
    },
    "staff:edit": {"a clinician": edit_staff_member},
    "programmes:session_edit": {"a supervised session": edit_supervised_session},
    "programmes:exercise_edit": {"a clinic's exercise": edit_exercise},
    "programmes:template_edit": {"a template with two rows": edit_template},
    "assessments:edit": {
        "Tinetti and measures": edit_visit,
        "measures without Tinetti": edit_visit_without_tinetti,
    },
    "portal:session_edit": {"a home session": edit_home_session},
}


# --- Other forms --------------------------------------------------------------------------------


def register(base):
    fill = {
        "study_id": "KAN-9001",
        "given_name": "Amina",
        "family_name": "Bello",
        "date_of_birth": "1970-02-03",
        "sex": "female",
        "aetiology": Aetiology.HIV,
        "art_start_date": "2015-06-01",
        "research_consent": "on",
        "consent_date": (_today() - timedelta(3)).isoformat(),
        "responsible_clinician": str(base["clinician"].pk),
        "notes": "Referred by the HIV clinic.",
    }
    return Setup(base["clinician"], _url("patients:register"), fill=fill)


def withdraw_patient(base):
    patient = rich_patient(base)
    return Setup(base["clinician"], _url("patients:withdraw", patient), fill={"reason": "Moved."})


def patient_search(base):
    rich_patient(base)
    return Setup(
        base["clinician"], _url("patients:list"), method="get", fill={"q": "KAN", "status": ""}
    )


def portal_access_issue(base):
    patient = rich_patient(base)
    page = _url("patients:portal_access", patient)
    return Setup(base["clinician"], page, action=_url("patients:portal_access_issue", patient))


def portal_access_revoke(base):
    patient = rich_patient(base)
    patient_services.portal_access_issue(patient=patient, by=base["clinician"])
    page = _url("patients:portal_access", patient)
    return Setup(base["clinician"], page, action=_url("patients:portal_access_revoke", patient))


def activate_with_code(base):
    patient = rich_patient(base)
    _access, _token, code = patient_services.portal_access_issue(
        patient=patient, by=base["clinician"]
    )
    fill = {
        "study_id": patient.study_id,
        "code": code,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return Setup(None, _url("activate"), fill=fill)


def activate_with_link(base):
    patient = rich_patient(base)
    _access, token, _code = patient_services.portal_access_issue(
        patient=patient, by=base["clinician"]
    )
    fill = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return Setup(None, reverse("activate_link", kwargs={"token": token}), fill=fill)


def staff_add(base):
    fill = {
        "username": "amaka",
        "first_name": "Amaka",
        "last_name": "Eze",
        "email": "amaka@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return Setup(base["clinic_admin"], _url("staff:add"), fill=fill)


def staff_set_active(base):
    member = ClinicianFactory(clinic=base["clinic"])
    page = _url("staff:deactivate", member)  # asks first, then posts here
    return Setup(base["clinic_admin"], page, action=_url("staff:set_active", member))


def _staff_list_action(action):
    def build(base):
        member = ClinicianFactory(clinic=base["clinic"])
        page = _url("staff:list")
        return Setup(base["clinic_admin"], page, action=_url(f"staff:{action}", member))

    build.__name__ = f"staff_{action}"
    return build


def login(base):
    fill = {"username": base["clinician"].username, "password": PASSWORD}
    return Setup(None, _url("login"), fill=fill)


def logout(base):
    return Setup(base["clinician"], _url("home"), action=_url("logout"))


def password_change(base):
    fill = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    return Setup(base["clinician"], _url("password_change"), fill=fill)


def password_reset(base):
    return Setup(None, _url("password_reset"), fill={"email": base["clinician"].email})


def password_reset_confirm(base):
    user = base["clinician"]
    kwargs = {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    fill = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    return Setup(None, reverse("password_reset_confirm", kwargs=kwargs), fill=fill)


def assign_choose(base):
    patient = rich_patient(base)
    return Setup(base["clinician"], _url("programmes:assign", patient), method="get")


def assign_programme(base):
    patient = rich_patient(base)
    template = shipped_template()
    page = _url("programmes:assign", patient) + f"?template={template.public_id}&arm=intervention"
    fill = {}
    for row in template.exercises.all():
        fill |= {f"ex{row.pk}-load_kg": "20", f"ex{row.pk}-reps": "10"}
    return Setup(base["clinician"], page, fill=fill)


def plan_change(base):
    programme = _programme(base)
    fill = {"week": "6", "amount": "25", "reason": "Knee pain last week."}
    return Setup(base["clinician"], _url("programmes:plan_change", programme), fill=fill)


def retest(base):
    """A week-6 re-test, confirmed: the values a clinician sees in the new plan, then saves."""
    programme = _programme(base, days_ago=41)
    pe = programme.exercises.first()
    load, reps = "25", "8"
    shown = f"{pe.pk}|{_today()}|{load}|{reps}|{programme.version}"
    fill = {"load_kg": load, "reps": reps, "occasion": "session"}
    fill |= {"confirm": "1", "previewed": shown}
    return Setup(base["clinician"], _url("programmes:retest", programme), fill=fill)


def _status(action, *, paused=False):
    def build(base):
        programme = _programme(base)
        if paused:
            version = programme.version
            programme_services.programme_pause(
                programme=programme, by=base["clinician"], on=_today(), reason="Ill",
                version=version,
            )  # fmt: skip
        fill = {"reason": "Travelling to the village for a month."}
        return Setup(base["clinician"], _url(f"programmes:{action}", programme), fill=fill)

    build.__name__ = f"programme_{action}"
    return build


def session_record(base):
    programme = _programme(base)
    return Setup(base["clinician"], _url("programmes:session_record", programme), fill=_reps)


def _reps(form):
    """Every set done with 10 repetitions (the loads are prefilled from the plan)."""
    return {name: "10" for name in form.controls if name.startswith("reps_")}


def _programme_with_suggestion(base):
    programme = _programme(base, days_ago=14)
    log(programme, base["clinician"], days_ago=10, last_set_reps=12)
    log(programme, base["clinician"], days_ago=8, last_set_reps=12)
    suggestion = programme.exercises.first().suggestions.get()
    return programme, suggestion


def suggestion_accept(base):
    programme, suggestion = _programme_with_suggestion(base)
    page = _url("programmes:detail", programme)
    return Setup(base["clinician"], page, action=_url("programmes:suggestion_accept", suggestion))


def suggestion_dismiss(base):
    programme, suggestion = _programme_with_suggestion(base)
    page = _url("programmes:detail", programme)
    return Setup(
        base["clinician"],
        page,
        action=_url("programmes:suggestion_dismiss", suggestion),
        fill={"note": "Knee pain"},
    )


def exercise_add(base):
    fill = {
        "name": "Standing calf raise",
        "load_step_kg": "1",
        "instructions": "Rise onto the toes.\nLower slowly.",
    }
    return Setup(base["clinic_admin"], _url("programmes:exercise_add"), fill=fill)


def exercise_retire(base):
    exercise = ExerciseFactory(clinic=base["clinic"])
    return Setup(
        base["clinic_admin"],
        _url("programmes:exercise_list"),
        action=_url("programmes:exercise_retire", exercise),
    )


def template_add(base):
    fill = {"name": "Home strength", "weeks": "12", "sessions_per_week": "3"}
    return Setup(base["clinic_admin"], _url("programmes:template_add"), fill=fill)


def _template_action(action):
    def build(base):
        template = TemplateExerciseFactory(template__clinic=base["clinic"]).template
        page = _url("programmes:template_detail", template)
        return Setup(base["clinic_admin"], page, action=_url(f"programmes:{action}", template))

    build.__name__ = action
    return build


def visit_record(base):
    programme = ProgrammeFactory(patient=rich_patient(base), start_date=_today() - timedelta(40))
    fill = {code: str(value) for code, value in lines_totalling(10, 7).items()}
    fill |= {"walk_distance_m": "300", "notes": "First visit."}
    return Setup(base["clinician"], _url("assessments:record", programme), fill=fill)


def visits_import(base):
    # The page's own file input sends an empty file; the hostile test sends files of its own.
    return Setup(base["clinic_admin"], _url("assessments:import"), valid=False)


def _outcome_filters(export=None):
    def build(base):
        ProgrammeFactory(patient=rich_patient(base), start_date=_today() - timedelta(40))
        # The downloads take the outcome filters' query string (the page links them with it).
        send_to = _url(f"assessments:{export}") if export else None
        fill = {"start_from": "2026-01-01", "start_to": _today().isoformat()}
        page = _url("assessments:outcomes")
        return Setup(base["clinician"], page, method="get", fill=fill, send_to=send_to)

    build.__name__ = export or "outcomes"
    return build


def home_session_report(base):
    patient_user, programme = _patient_with_home_programme(base)

    def fill(form):
        answers = {"effort": "5", "pain_after": "2", "fall": "no"}
        exercises = [name for name in form.controls if name.startswith("exercise_")]
        return answers | {name: Completion.DONE for name in exercises}

    return Setup(patient_user, reverse("portal:session_report"), fill=fill)


EXPORTS = [
    "assessments:export_dictionary",
    "assessments:export_long",
    "assessments:export_sessions",
    "assessments:export_summary",
    "assessments:export_wide",
    "assessments:export_xlsx",
]

FORM_PAGES = {
    "patients:register": [register],
    "patients:withdraw": [withdraw_patient],
    "patients:list": [patient_search],
    "patients:portal_access_issue": [portal_access_issue],
    "patients:portal_access_revoke": [portal_access_revoke],
    "activate": [activate_with_code],
    "activate_link": [activate_with_link],
    "staff:add": [staff_add],
    "staff:set_active": [staff_set_active],
    "staff:unlock": [_staff_list_action("unlock")],
    "staff:password_reset": [_staff_list_action("password_reset")],
    "login": [login],
    "logout": [logout],
    "password_change": [password_change],
    "password_reset": [password_reset],
    "password_reset_confirm": [password_reset_confirm],
    "programmes:assign": [assign_choose, assign_programme],
    "programmes:plan_change": [plan_change],
    "programmes:retest": [retest],
    "programmes:pause": [_status("pause")],
    "programmes:resume": [_status("resume", paused=True)],
    "programmes:complete": [_status("complete")],
    "programmes:withdraw": [_status("withdraw")],
    "programmes:session_record": [session_record],
    "programmes:suggestion_accept": [suggestion_accept],
    "programmes:suggestion_dismiss": [suggestion_dismiss],
    "programmes:exercise_add": [exercise_add],
    "programmes:exercise_retire": [exercise_retire],
    "programmes:template_add": [template_add],
    "programmes:template_copy": [_template_action("template_copy")],
    "programmes:template_retire": [_template_action("template_retire")],
    "assessments:record": [visit_record],
    "assessments:import": [visits_import],
    "assessments:outcomes": [_outcome_filters()],
    **{name: [_outcome_filters(name.split(":")[1])] for name in EXPORTS},
    "portal:session_report": [home_session_report],
}

HOSTS = "no form of its own: it shows the buttons of {}, posted to (and classified under) those"
NO_FORM = {
    "home": "no form of its own: its search posts to patients:list, log-out to logout",
    "patients:detail": "a record page with links to the forms",
    "patients:portal_access": HOSTS.format(
        "patients:portal_access_issue and patients:portal_access_revoke"
    ),
    "staff:list": HOSTS.format("staff:unlock, staff:password_reset and staff:set_active"),
    "staff:deactivate": HOSTS.format("staff:set_active (it asks first)"),
    "patients:portal_access_code": "shows a code just issued, once (no form)",
    "password_change_done": "a confirmation page",
    "password_reset_done": "a confirmation page",
    "password_reset_complete": "a confirmation page",
    "programmes:attention": "a list of flagged programmes (pages by link)",
    "programmes:detail": HOSTS.format(
        "programmes:suggestion_accept and programmes:suggestion_dismiss"
    ),
    "programmes:print_week": "a printout",
    "programmes:print_handout": "a printout",
    "programmes:exercise_list": HOSTS.format("programmes:exercise_retire"),
    "programmes:template_list": "a list of templates (links)",
    "programmes:template_detail": HOSTS.format(
        "programmes:template_copy and programmes:template_retire"
    ),
    "assessments:list": "a list of visits (pages by link)",
    "assessments:due": "a list of visits due",
    "assessments:visit": "a record page with a link to the edit form",
    "assessments:export_log": "a log of downloads and imports",
    "assessments:report": "a printable report",
    "portal:this_week": "the patient's week (links to the session forms)",
    "portal:week": "the patient's week (links to the session forms)",
    "portal:print_week": "a printout",
    "portal:print_handout": "a printout",
    "district:page": "a table of figures (its one link is the CSV download)",
    "district:csv": "a CSV download",
}


def unclassified(names) -> list[str]:
    known = set(EDIT_PAGES) | set(FORM_PAGES) | set(NO_FORM)
    return sorted(set(names) - known)


def stale(names) -> list[str]:
    known = set(EDIT_PAGES) | set(FORM_PAGES) | set(NO_FORM)
    return sorted(known - set(names))


def twice_classified() -> list[str]:
    return sorted(
        (set(EDIT_PAGES) & set(FORM_PAGES))
        | (set(EDIT_PAGES) & set(NO_FORM))
        | (set(FORM_PAGES) & set(NO_FORM))
    )
