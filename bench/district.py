"""The district page's cost as the district grows (PostgreSQL): a few benchmark clinics
(bench.generate, every patient a full 12-week programme with sessions and visits) assigned to
one district, then the district's figures timed in process and the page served through Django's
test client, with its query count. Not run by `make bench`; standalone:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/legwork_district_bench \\
        python -m bench.district --clinics 4 --patients 500

The database named in DATABASE_URL is dropped and created anew.
"""

import argparse
import os
import statistics
import time


def _recreate(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT 1")


def _timed(function, runs: int) -> float:
    """Median seconds of `runs` calls."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clinics", type=int, default=4)
    parser.add_argument("--patients", type=int, default=500, help="per clinic")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database this may drop and create.")
    _recreate(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.generate import BENCH_PASSWORD, generate
    from district.selectors import district_table
    from patients.models import Clinic, District, Role, User

    call_command("migrate", verbosity=0)
    district = District.objects.create(name="Bench district")
    began = time.perf_counter()
    for n in range(args.clinics):
        generate(patients=args.patients, sessions=36, slug=f"bench{n}", seed=n + 1)
    Clinic.objects.update(district=district)
    print(f"generated {args.clinics} clinics x {args.patients} patients in "
          f"{time.perf_counter() - began:.0f} s")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    lead = User.objects.create_user(
        "bench-lead", password=BENCH_PASSWORD, role=Role.DISTRICT_LEAD, district=district
    )

    clinics = Clinic.objects.filter(district=district)
    table = district_table(clinics)
    figures = _timed(lambda: district_table(clinics), args.runs)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(lead)
    page = _timed(lambda: client.get(reverse("district:page")), args.runs)
    csv_file = _timed(lambda: client.get(reverse("district:csv")), args.runs)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("district:page"))
    print(f"patients: {table.total.patients}; adherence {table.total.adherence_percent} %; "
          f"Tinetti change n={table.total.tinetti_change.n}")  # fmt: skip
    print(f"district figures: {figures * 1000:.0f} ms (median of {args.runs})")
    print(f"district page:    {page * 1000:.0f} ms, {len(captured)} queries")
    print(f"district CSV:     {csv_file * 1000:.0f} ms")


if __name__ == "__main__":
    main()
