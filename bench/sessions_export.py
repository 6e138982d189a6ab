"""The sessions export against `psql \\copy` of the same rows, and its memory at two sizes.

Not a test: timings belong here. Given DATABASE_URL (default: a database of its own on this
machine's PostgreSQL), it makes the clinics it needs with bench/generate.py unless the database
already holds them (5,000 patients take about 4 minutes), then

- times the sessions CSV in-process (`csv_lines` to a null sink, no Django start-up; best of 3),
- times `psql \\copy (SELECT ...) TO file CSV` of the same rows, built by the same SQL
  (session_rows.WEEK_ROWS_SQL, the programmes chosen by one SELECT instead of a VALUES list per
  chunk; best of 3), and checks that both files hold the same rows,
- measures the peak memory of `manage.py export_outcomes --format sessions` at 1,000 and
  10,000 patients (6 sessions each: the rows' number, not the sessions', is what grows).

    python -m bench.sessions_export [--patients 5000]

`measure()` returns the figures as a dict, for bench/run.py.
"""

import argparse
import csv
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/legwork_export_bench"
SIZES = (1000, 10000)
SIZE_SESSIONS = 6

# The programmes `chosen` for the whole clinic in one SELECT: the file's order, each programme's
# number among its patient's programmes, and the weeks begun (the benchmark's programmes have
# no pauses, so the weeks since the start, at most the programme's length).
CHOSEN_SQL = """
SELECT row_number() OVER (ORDER BY patient.study_id, p.start_date, p.id), p.id,
    row_number() OVER (PARTITION BY p.patient_id ORDER BY p.start_date, p.id),
    LEAST(p.weeks, (CURRENT_DATE - p.start_date) / 7 + 1)
FROM programmes_programme p
JOIN patients_patient patient ON patient.id = p.patient_id
JOIN patients_clinic clinic ON clinic.id = p.clinic_id
WHERE clinic.slug = %s"""


def _environment(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def _run(env, *args, **kwargs):
    return subprocess.run([PYTHON, *args], cwd=ROOT, env=env, check=True, **kwargs)  # noqa: S603


def _create_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _patients(database_url: str, slug: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM patients_patient p JOIN patients_clinic c ON c.id = p.clinic_id"
            " WHERE c.slug = %s",
            [slug],
        ).fetchone()
    return row[0]


def ensure_clinic(env, database_url: str, slug: str, patients: int, sessions: int) -> float | None:
    """The clinic, generated unless the database already holds it; the seconds it took."""
    have = _patients(database_url, slug)
    if have == patients:
        return None
    if have:
        sys.exit(f"Clinic {slug!r} has {have} patients, not {patients}: use another database.")
    print(f"== Generating {slug}: {patients} patients, {sessions} sessions each", flush=True)
    began = time.perf_counter()
    _run(env, "-m", "bench.generate", "--patients", str(patients), "--sessions", str(sessions),
         "--clinic", slug, stdout=subprocess.DEVNULL)  # fmt: skip
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("ANALYZE")  # planner statistics, as autovacuum would soon give
    return time.perf_counter() - began


def time_in_process(slug: str, path: str) -> tuple[float, int]:
    """The sessions CSV through `csv_lines`, written to `path`: (seconds, data rows)."""
    from assessments import exports
    from assessments.outcomes import OutcomeFilters
    from patients.models import Clinic

    clinic = Clinic.objects.get(slug=slug)
    began = time.perf_counter()
    rows = -1  # the header
    with open(path, "w", encoding="utf-8", newline="") as sink:
        for line in exports.csv_lines(
            "sessions", clinic=clinic, filters=OutcomeFilters(), deidentified=False
        ):
            sink.write(line)
            rows += 1
    return time.perf_counter() - began, rows


def copy_sql(database_url: str, slug: str, path: str) -> str:
    """The `\\copy` of the same rows: WEEK_ROWS_SQL with every parameter written in."""
    import psycopg

    from assessments.exports.session_rows import week_rows_params, week_rows_sql
    from patients.models import Clinic
    from programmes.progression.schedule import MAX_WEEKS

    sql = week_rows_sql(CHOSEN_SQL, MAX_WEEKS)
    params = [slug, *week_rows_params(Clinic.objects.get(slug=slug))]
    with psycopg.connect(database_url) as conn:
        query = psycopg.ClientCursor(conn).mogrify(sql, params)
    query = " ".join(query.split())  # \copy takes one line
    return f"\\copy ({query}) TO '{path}' WITH CSV HEADER"


def time_copy(database_url: str, command: str) -> float:
    began = time.perf_counter()
    subprocess.run(["psql", database_url, "-q", "-c", command], check=True)  # noqa: S603, S607
    return time.perf_counter() - began


def same_rows(first: str, second: str) -> bool:
    """Both CSV files hold the same data rows (line endings aside), in the same order."""
    with open(first, newline="") as a, open(second, newline="") as b:
        return list(csv.reader(a))[1:] == list(csv.reader(b))[1:]


def peak_memory(env, slug: str) -> tuple[float, float]:
    """`export_outcomes --format sessions` in a process of its own: (seconds, peak MB)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = _run(
            env, "-m", "bench.peak", PYTHON, "manage.py", "export_outcomes", "--clinic", slug,
            "--format", "sessions", "--output", f"{tmp}/sessions.csv",
            capture_output=True, text=True,
        )  # fmt: skip
    seconds, megabytes = out.stdout.strip().splitlines()[-1].split()
    return float(seconds), float(megabytes)


def measure(database_url: str | None = None, patients: int = 5000, sizes=SIZES) -> dict:
    database_url = database_url or os.environ.get("DATABASE_URL") or DEFAULT_URL
    env = _environment(database_url)
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")})
    _create_database(database_url)
    _run(env, "manage.py", "migrate", "--noinput", "-v0")
    generated = ensure_clinic(env, database_url, "bench", patients, 36)
    for size in sizes:
        ensure_clinic(env, database_url, f"sessions{size}", size, SIZE_SESSIONS)

    import django

    django.setup()
    with tempfile.TemporaryDirectory() as tmp:
        export_path, copy_path = f"{tmp}/export.csv", f"{tmp}/copy.csv"
        command = copy_sql(database_url, "bench", copy_path)
        export_runs, copy_runs = [], []
        for _ in range(3):  # alternated, so a busy moment of the machine slows both alike
            seconds, rows = time_in_process("bench", export_path)
            export_runs.append(seconds)
            copy_runs.append(time_copy(database_url, command))
        identical = same_rows(export_path, copy_path)
    memory = {size: peak_memory(env, f"sessions{size}") for size in sizes}
    export_s, copy_s = min(export_runs), min(copy_runs)
    return {
        "patients": patients,
        "rows": rows,
        "generated_s": generated,
        "export_s": export_s,
        "copy_s": copy_s,
        "ratio": export_s / copy_s,
        "same_rows": identical,
        "export_runs": export_runs,
        "copy_runs": copy_runs,
        "peak_mb": {size: mb for size, (_, mb) in memory.items()},
        "command_s": {size: s for size, (s, _) in memory.items()},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=5000)
    parser.add_argument("--database-url", default=None, help=f"default: {DEFAULT_URL}")
    args = parser.parse_args()
    result = measure(args.database_url, args.patients)
    print(f"sessions CSV, {result['patients']:,} patients, {result['rows']:,} rows")
    print(f"  in-process (csv_lines, best of 3): {result['export_s']:6.2f} s  "
          f"runs {', '.join(f'{s:.2f}' for s in result['export_runs'])}")  # fmt: skip
    print(f"  psql \\copy, same rows (best of 3): {result['copy_s']:6.2f} s  "
          f"runs {', '.join(f'{s:.2f}' for s in result['copy_runs'])}")  # fmt: skip
    verdict = "met" if result["ratio"] <= 4 else "MISSED"
    print(f"  ratio: {result['ratio']:.2f} x psql (target at most 4: {verdict}); "
          f"same rows: {'yes' if result['same_rows'] else 'NO'}")  # fmt: skip
    for size, megabytes in result["peak_mb"].items():
        print(f"  export_outcomes --format sessions, {size:,} patients: "
              f"{result['command_s'][size]:.1f} s, peak {megabytes:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
