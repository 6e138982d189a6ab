import pytest

from patients.demo import load_demo_clinic
from programmes.attention import clinic_flags
from programmes.demo import load_demo_programmes
from programmes.models import Arm, ProgrammeStatus, Suggestion, SuggestionStatus
from programmes.selectors import programme_week

pytestmark = pytest.mark.django_db


def test_the_demo_has_programmes_in_every_state():
    from django.utils import timezone

    clinic, staff, _ = load_demo_clinic()
    load_demo_programmes(clinic, staff)
    today = timezone.localdate()
    by_patient = {p.patient.study_id: p for p in clinic.programmes.select_related("patient")}
    assert programme_week(by_patient["DEMO-0001"], today) == 1
    mid = by_patient["DEMO-0002"]
    assert programme_week(mid, today) == 6 and mid.sessions.count() >= 10
    pending = Suggestion.objects.get(status=SuggestionStatus.PENDING)
    assert pending.programme_exercise.programme == mid
    assert pending.programme_exercise.exercise.name == "Standing calf raise"
    assert pending.message.endswith(
        "week 7 already plans 3 × 12 at 8 kg: suggest +2 repetitions to 3 × 14 at 8 kg: the "
        "next step (+1 kg) would be +12.5 %, over the 10 % limit"
    )
    assert by_patient["DEMO-0004"].arm == Arm.CONTROL
    assert by_patient["DEMO-0005"].status == ProgrammeStatus.PAUSED
    assert by_patient["DEMO-0019"].status == ProgrammeStatus.COMPLETED
    assert by_patient["DEMO-0019"].patient.status == "completed"
    flagged = {f["patient"].study_id for f in clinic_flags(staff["clinician"], today)}
    assert {"DEMO-0003", "DEMO-0006"} <= flagged
