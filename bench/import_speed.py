"""The visits import against `psql \\copy` of the same file, and its peak memory at two sizes.

Writes a long CSV (the export's own columns) of N visits for new patients (baseline, week 6 and
week 12 each), times `psql \\copy` of that file into a scratch table of text columns (best of
3), then the import as the command runs it (read, check, save with --create-patients; best of
2, each into a new clinic), and the peak resident memory of `manage.py import_visits` at a
quarter of the size and at the full size. Not a test: timings never go in tests.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/legwork_import_bench \\
        python -m bench.import_speed [--rows 10000]

The database is created and migrated when missing. Each run adds clinics named imp-...
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/legwork_import_bench"
SCRATCH_TABLE = "import_speed_copy"


def _database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_URL


def _setup() -> None:
    """Create the database when missing, then Django on it, migrated."""
    import psycopg

    url = _database_url()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # As in production: with DEBUG on, Django keeps every query's SQL (memory, time).
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(64))
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            admin.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _new_clinic():
    from patients.services import clinic_create

    slug = f"imp-{uuid.uuid4().hex[:10]}"
    clinic, admin, _ = clinic_create(
        name=f"Import benchmark {slug}",
        slug=slug,
        time_zone="Africa/Lagos",
        admin_username=f"{slug}-admin",
        admin_password=uuid.uuid4().hex,
    )
    return clinic, admin


def write_csv(path: Path, rows: int, *, slug: str = "bench", seed: int = 1) -> int:
    """A long file of `rows` visits for new patients: baseline, week 6, week 12 in turn."""
    from django.utils import timezone

    from assessments import tinetti
    from assessments.exports import long_columns

    rng = random.Random(seed)
    header = [c.name for c in long_columns(deidentified=False)]
    today = timezone.localdate()
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=header, restval="")
        writer.writeheader()
        for n in range(rows):
            patient, visit = divmod(n, 3)
            start = today - timedelta(days=200 + patient % 500)
            timepoint, day = [("baseline", 0), ("week6", 42), ("week12", 84)][visit]
            lines = {item.code: rng.choice(sorted(item.allowed)) for item in tinetti.ITEMS}
            score = tinetti.score(lines)
            writer.writerow(
                {
                    "clinic": slug,
                    "study_id": f"IMP-{patient:06d}",
                    "arm": "intervention" if patient % 2 else "control",
                    "programme": "1",
                    "timepoint": timepoint,
                    "assessed_on": (start + timedelta(days=day)).isoformat(),
                    "sex": ["female", "male"][patient % 2],
                    "age": str(30 + patient % 45) if visit == 0 else "",
                    "aetiology": ["hiv_dsp", "diabetic"][patient % 3 == 0],
                    **{f"tinetti_{code}": str(value) for code, value in lines.items()},
                    "tinetti_balance": str(score.balance),
                    "tinetti_gait": str(score.gait),
                    "tinetti_total": str(score.total),
                    "walk6_m": str(rng.randint(150, 550)),
                    "chair30_stands": str(rng.randint(3, 18)),
                    "sts5_s": f"{rng.uniform(8, 25):.1f}",
                    "pain_nrs": str(rng.randint(0, 8)),
                    "sts_convention": "fifth_stand",
                    "chair_arms_needed": "0",
                    "walk_aid": "none",
                }
            )
    return rows


def _rewrite_slug(source: Path, target: Path, slug: str) -> None:
    """The same file for another clinic (the clinic column must name the one imported into)."""
    with source.open(newline="", encoding="utf-8") as inp, target.open("w", newline="") as out:
        reader, writer = csv.reader(inp), csv.writer(out)
        header = next(reader)
        writer.writerow(header)
        where = header.index("clinic")
        for values in reader:
            values[where] = slug
            writer.writerow(values)


def time_copy(path: Path, repeats: int = 3) -> float:
    """Best of `repeats`: psql \\copy of the file into a table of text columns, as it runs."""
    with path.open(newline="", encoding="utf-8") as inp:
        header = next(csv.reader(inp))
    columns = ", ".join(f'"{name}" text' for name in header)
    url = _database_url()
    psql = ["psql", url, "-q", "-v", "ON_ERROR_STOP=1"]
    subprocess.run(
        [
            *psql,
            "-c",
            "SET client_min_messages = warning; "
            f"DROP TABLE IF EXISTS {SCRATCH_TABLE}; CREATE TABLE {SCRATCH_TABLE} "
            f"({columns})",
        ],  # fmt: skip
        check=True,
    )
    best = float("inf")
    for _ in range(repeats):
        subprocess.run([*psql, "-c", f"TRUNCATE {SCRATCH_TABLE}"], check=True)
        began = time.perf_counter()
        subprocess.run(
            [*psql, "-c", f"\\copy {SCRATCH_TABLE} FROM '{path}' WITH (FORMAT csv, HEADER true)"],
            check=True,
        )
        best = min(best, time.perf_counter() - began)
    subprocess.run([*psql, "-c", f"DROP TABLE {SCRATCH_TABLE}"], check=True)
    return best


def time_import(path: Path, repeats: int = 2) -> tuple[float, object]:
    """Best of `repeats`: read, check and save the file as the command does, in a new clinic."""
    import hashlib

    from assessments import imports, services

    best, run = float("inf"), None
    for _ in range(repeats):
        clinic, admin = _new_clinic()
        mine = path.with_name(f"{clinic.slug}.csv")
        _rewrite_slug(path, mine, clinic.slug)
        began = time.perf_counter()
        raw = mine.read_bytes()
        rows = imports.parse(imports.read_text(raw), clinic_slug=clinic.slug)
        run = services.visits_import(
            clinic=clinic,
            by=admin,
            rows=rows,
            filename=mine.name,
            sha256=hashlib.sha256(raw).hexdigest(),
            create_patients=True,
            via_command=True,
        )
        best = min(best, time.perf_counter() - began)
        mine.unlink()
    return best, run


def peak_memory_mb(path: Path) -> tuple[float, float]:
    """(seconds, peak resident MB) of `manage.py import_visits --create-patients` on the file,
    in a process of its own (bench/peak.py reads its peak from RUSAGE_CHILDREN)."""
    clinic, _ = _new_clinic()
    mine = path.with_name(f"{clinic.slug}.csv")
    _rewrite_slug(path, mine, clinic.slug)
    command = [sys.executable, "manage.py", "import_visits", str(mine), "--clinic", clinic.slug]
    command.append("--skip-checks")  # the import's memory, not the system checks'

    done = subprocess.run(
        [sys.executable, "-m", "bench.peak", *command, "--create-patients"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": _database_url()},
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"import_visits failed: {done.stderr[-2000:]}")
    mine.unlink()
    seconds, megabytes = done.stdout.split()
    return float(seconds), float(megabytes)


def measure(rows: int = 10_000) -> dict:
    """Time `psql \\copy` and the import of the same file of `rows` visits; peak memory of the
    command at rows/4 and at rows."""
    _setup()
    with tempfile.TemporaryDirectory() as tmp:
        full, quarter = Path(tmp) / "visits.csv", Path(tmp) / "quarter.csv"
        write_csv(full, rows)
        write_csv(quarter, max(rows // 4, 3))
        copy_seconds = time_copy(full)
        import_seconds, run = time_import(full)
        small_seconds, small_mb = peak_memory_mb(quarter)
        large_seconds, large_mb = peak_memory_mb(full)
    return {
        "rows": rows,
        "patients_created": run.patients_created,
        "visits_created": run.visits_created,
        "copy_seconds": copy_seconds,
        "import_seconds": import_seconds,
        "ratio": import_seconds / copy_seconds,
        "rows_per_second": rows / import_seconds,
        "command_seconds": {max(rows // 4, 3): small_seconds, rows: large_seconds},
        "peak_mb": {max(rows // 4, 3): small_mb, rows: large_mb},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    figures = measure(rows=parser.parse_args().rows)
    print(
        f"{figures['rows']:,} visits, {figures['patients_created']:,} new patients "
        f"({figures['visits_created']:,} visits created)"
    )
    print(f"psql \\copy (best of 3): {figures['copy_seconds']:.3f} s")
    print(
        f"import (best of 2):      {figures['import_seconds']:.2f} s "
        f"({figures['rows_per_second']:,.0f} rows/s)"
    )
    print(f"ratio import/copy:       {figures['ratio']:.0f} x (target: at most 200 x)")
    for size, megabytes in figures["peak_mb"].items():
        seconds = figures["command_seconds"][size]
        print(f"import_visits, {size:,} rows: {seconds:.2f} s, peak {megabytes:.0f} MB")


if __name__ == "__main__":
    main()
