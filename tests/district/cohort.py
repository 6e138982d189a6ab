"""A hand-built district of two clinics, each figure worked out by hand (see EXPECTED), and a
clinic of another district that must never show.

Today is the test's day (the clinics are on UTC, as the tests' dates are). Each programme's day
d is d days after its start; week 1 is days 0-6, so on day 21 weeks 1-3 have ended.
"""

from datetime import timedelta

from django.utils import timezone

from programmes.models import Arm, ExerciseSession, Programme, ProgrammeStatus
from tests.assessments.factories import make_visit
from tests.district.factories import DistrictFactory, DistrictLeadFactory
from tests.factories import ClinicFactory, ClinicianFactory, PatientFactory, ProgrammeFactory
from tests.programmes.helpers import assign, log

# clinic -> column -> value, worked out in the comments of build().
EXPECTED = {
    "Alpha Physio": {
        "patients": 4,
        "programmes_active": 2,
        "programmes_completed": 1,
        "sessions_done": 34,
        "sessions_planned": 45,
        "adherence_percent": 76,  # 34 / 45 = 75.6 %
        "tinetti": (4.0, 1),  # (median, n)
        "walk": (50.0, 1),
        "open_flags": 1,
        "visits_overdue": 2,
    },
    "Beta Clinic": {
        "patients": 3,
        "programmes_active": 1,
        "programmes_completed": 2,
        "sessions_done": 54,
        "sessions_planned": 84,
        "adherence_percent": 64,  # 54 / 84 = 64.3 %
        "tinetti": (4.5, 2),  # changes 10 and -1
        "walk": (35.0, 2),  # changes 80 and -10
        "open_flags": 1,
        "visits_overdue": 1,
    },
}
EXPECTED_TOTAL = {
    "patients": 7,
    "programmes_active": 3,
    "programmes_completed": 3,
    "sessions_done": 88,
    "sessions_planned": 129,
    "adherence_percent": 68,  # 88 / 129 = 68.2 %
    "tinetti": (4.0, 3),  # changes 4, 10, -1: the district's median, not the clinics' (4.25)
    "walk": (50.0, 3),  # changes 50, 80, -10
    "open_flags": 2,
    "visits_overdue": 3,
}
ELSEWHERE = "Gamma Elsewhere"


def add_sessions(programme, count):
    """`count` sessions, three a week from week 1, as a clinic records them (rows only)."""
    ExerciseSession.objects.bulk_create(
        ExerciseSession(
            programme=programme,
            date=programme.start_date + timedelta(days=7 * (n // 3) + n % 3),
            week=n // 3 + 1,
            effort=5,
            pain_before=2,
            pain_after=2,
        )
        for n in range(count)
    )


def _completed(clinic, by, *, sessions, baseline, week12):
    """A 12-week intervention programme that started 100 days ago and was completed at its end
    (day 83): planned 12 x 3 = 36 sessions. baseline/week12: (balance, gait, walk)."""
    start = timezone.localdate() - timedelta(days=100)
    programme = ProgrammeFactory(patient=PatientFactory(clinic=clinic), start_date=start)
    for timepoint, day, (balance, gait, walk) in (
        ("baseline", 0, baseline),
        ("week12", 84, week12),
    ):
        make_visit(
            programme=programme,
            timepoint=timepoint,
            assessed_on=start + timedelta(days=day),
            balance=balance,
            gait=gait,
            walk_distance_m=walk,
            by=by,
        )
    add_sessions(programme, sessions)
    # update(): the visits' service has set the programme's has_*_visit fields meanwhile.
    Programme.objects.filter(pk=programme.pk).update(
        status=ProgrammeStatus.COMPLETED, ended_on=start + timedelta(days=83)
    )


def build():
    """The district, its lead, its two clinics and a clinic elsewhere; returns the lead."""
    district = DistrictFactory(name="Kano North")
    alpha = ClinicFactory(name="Alpha Physio", slug="alpha", time_zone="UTC", district=district)
    beta = ClinicFactory(name="Beta Clinic", slug="beta", time_zone="UTC", district=district)
    physio_a = ClinicianFactory(clinic=alpha)
    physio_b = ClinicianFactory(clinic=beta)
    today = timezone.localdate()

    # Alpha. P1: intervention, day 21 (weeks 1-3 ended: 9 planned), sessions on days 1, 2, 11
    # and 18 (4 done) and one today (week 4, not yet counted); pain 8 today: flagged. Its
    # baseline is recorded, week 6 not due yet: nothing overdue.
    p1 = assign(PatientFactory(clinic=alpha, responsible_clinician=physio_a), physio_a, days_ago=21)
    for days_ago in (20, 19, 10, 3):
        log(p1, physio_a, days_ago=days_ago)
    log(p1, physio_a, days_ago=0, pain_after=8)
    make_visit(programme=p1, assessed_on=p1.start_date, by=physio_a)
    # P2: completed, 30 of 36 sessions; Tinetti 17 -> 21 (+4), walk 300 -> 350 (+50). Its
    # week-6 visit is missing, but a completed programme has no visit overdue.
    _completed(alpha, physio_a, sessions=30, baseline=(10, 7, 300), week12=(12, 9, 350))
    # P3: control arm, open, day 60: baseline and week 6 overdue (2); no sessions planned.
    ProgrammeFactory(
        patient=PatientFactory(clinic=alpha),
        arm=Arm.CONTROL,
        start_date=today - timedelta(days=60),
    )
    # P4: registered, no programme yet.
    PatientFactory(clinic=alpha)

    # Beta. Q1: 36 of 36, Tinetti 14 -> 24 (+10), walk 250 -> 330 (+80).
    _completed(beta, physio_b, sessions=36, baseline=(8, 6, 250), week12=(14, 10, 330))
    # Q2: 18 of 36, Tinetti 20 -> 19 (-1), walk 400 -> 390 (-10).
    _completed(beta, physio_b, sessions=18, baseline=(12, 8, 400), week12=(12, 7, 390))
    # Q3: intervention, day 30 (weeks 1-4 ended: 12 planned), no session: flagged ("no session
    # since the start"); no baseline: overdue (1); week 6 not due yet.
    ProgrammeFactory(patient=PatientFactory(clinic=beta), start_date=today - timedelta(days=30))

    # Another district's clinic, busy: none of it may show.
    other = ClinicFactory(
        name=ELSEWHERE, slug="gamma", time_zone="UTC", district=DistrictFactory(name="South")
    )
    _completed(
        other, ClinicianFactory(clinic=other), sessions=3, baseline=(1, 1, 10), week12=(16, 12, 600)
    )
    ProgrammeFactory(patient=PatientFactory(clinic=other), start_date=today - timedelta(days=50))
    return DistrictLeadFactory(district=district, username="district-lead")
