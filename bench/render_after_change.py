"""CPU a page costs when it is opened right after a change elsewhere in its clinic.

In-process (Django's test client, bench settings, the bench database that `make bench` or
`python -m bench.generate` filled): for the one-query reference page and each busy page, the
clinic's data version is renewed before each request, as any write does, so no kept page can be
served; then the request is timed in this process's CPU (the server's own cost, whatever
PostgreSQL uses). Whole pages are never kept here (LEGWORK_KEPT_PAGE_SECONDS=0); the fragments
of patients.kept_fragments are, as in production, unless LEGWORK_KEPT_FRAGMENT_SECONDS says 0.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/legwork_bench \\
        python -m bench.render_after_change [--requests 30]

The pages take turns, one request each per round, so a busy machine slows them alike; the
ratio is reference_ms / page_ms. LEGWORK_KEPT_FRAGMENT_SECONDS=0 measures the pages with no
fragment kept. Another checkout's code can be measured on the same database by running this
file with that checkout first on PYTHONPATH (it imports nothing else from bench/).

Not part of the test suite: timings belong here, never in a test.
"""

import argparse
import os
import statistics
import time

BENCH_DB = os.environ.get("LEGWORK_BENCH_DB", "legwork_bench")
DEFAULTS = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "render-after-change-bench-only-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_SECURE_COOKIES": "false",
    "DJANGO_SECURE_HSTS_SECONDS": "0",
    "DJANGO_CONN_MAX_AGE": "600",
    "DJANGO_LOG_LEVEL": "WARNING",
    "LEGWORK_LOGIN_THROTTLE": "false",
}
PATIENT_PASSWORD = "bench-patient-pass-42"  # noqa: S105 (bench/run.py's, a throwaway database)


def _setup():
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    hosts = os.environ["DJANGO_ALLOWED_HOSTS"]
    if "testserver" not in hosts.split(","):  # the test client's host
        os.environ["DJANGO_ALLOWED_HOSTS"] = f"{hosts},testserver"
    os.environ["LEGWORK_KEPT_PAGE_SECONDS"] = "0"  # every request renders
    os.environ.setdefault("LEGWORK_KEPT_FRAGMENT_SECONDS", "600")  # as in production
    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", "--noinput", verbosity=0)  # the manifest the pages link by


def _pages(slug):
    """(name, path, user) for each page, as bench/run.py measures them."""
    from patients.models import Patient, User
    from patients.services import portal_access_find, portal_access_issue, portal_activate
    from programmes.models import Programme

    clinician = User.objects.get(username=f"{slug}-clinician")
    patient = Patient.objects.filter(clinic__slug=slug).order_by("pk")[1]
    programme = Programme.objects.get(patient=patient)
    login = User.objects.filter(patient=patient).first()
    if login is None:  # as bench/run.py's django_facts does, the first time
        access, token, _ = portal_access_issue(patient=patient, by=clinician)
        portal_activate(access=portal_access_find(token=token), password=PATIENT_PASSWORD)
        login = User.objects.get(patient=patient)
    return [
        ("reference (1 query)", f"/bench/reference/?id={patient.pk}", clinician),
        ("patient's week", "/portal/", login),
        ("clinician home", "/", clinician),
        ("patient list", "/patients/", clinician),
        ("patient page", f"/patients/{patient.public_id}/", clinician),
        ("programme page", f"/programmes/{programme.public_id}/", clinician),
        ("outcomes page", "/assessments/outcomes/", clinician),
    ]


def _timed_get(client, path, clinic_id):
    from patients.kept_pages import clinic_records_changed

    clinic_records_changed(clinic_id)  # a write elsewhere in the clinic: not timed
    began = time.process_time()
    response = client.get(path)
    spent = time.process_time() - began
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code}")
    return spent * 1000


def measure(slug="bench", requests=30, warmup=3) -> list[dict]:
    """One row a page: its median CPU ms a request and reference_ms / page_ms.

    The pages take turns, one request each per round, so a busy machine slows them alike."""
    _setup()
    from django.test import Client

    pages = []
    for name, path, user in _pages(slug):
        client = Client()
        client.force_login(user)
        pages.append((name, path, client, user.clinic_id))
    timings = {name: [] for name, *_ in pages}
    for round_ in range(warmup + requests):
        for name, path, client, clinic_id in pages:
            spent = _timed_get(client, path, clinic_id)
            if round_ >= warmup:
                timings[name].append(spent)
    rows = [
        {"page": name, "path": path, "ms": statistics.median(timings[name])}
        for name, path, *_ in pages
    ]
    reference = rows[0]["ms"]
    for row in rows:
        row["ratio"] = reference / row["ms"]
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinic", default="bench")
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    print(f"{'page':>20}  {'CPU ms':>7}  ratio")
    for row in measure(args.clinic, args.requests):
        print(f"{row['page']:>20}  {row['ms']:7.1f}  {row['ratio']:.2f}")


if __name__ == "__main__":
    main()
