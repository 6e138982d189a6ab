"""The measurements `make bench` adds for scale (issue 16), each beside its floor in the same run:

- the visits import against `psql \\copy` of the same file (bench/import_speed.py),
- the sessions export against `psql \\copy` of the same rows (bench/sessions_export.py),
- the main pages' first visit over slow 3G in Chromium (bench/slow_network.py).

The first two run in a process of their own (each sets Django up itself); the slow-3G visit
drives the benchmark's gunicorn from here. Each returns its figures, and `report_lines` turns
them into the Markdown of docs/benchmarks.md.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORT_TARGET = 200  # x psql \copy of the same file
EXPORT_TARGET = 4  # x psql \copy of the same rows
SLOW_3G_TARGET_S = 1.0
FLAT_KB_PER_ROW = 0.2  # memory growth a row below which a command's memory counts as flat


def _measured(env, code: str) -> dict:
    """Run `code` (which prints one JSON line last) in a process of its own."""
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def import_speed(env, rows: int) -> dict:
    return _measured(
        env,
        "import json; from bench.import_speed import measure; "
        f"print(json.dumps(measure(rows={rows})))",
    )


def sessions_export(env, patients: int, *, sizes: bool = True) -> dict:
    """sizes: also the peak memory at 1,000 and 10,000 patients (clinics generated once)."""
    return _measured(
        env,
        "import json, os; from bench.sessions_export import measure, SIZES; "
        f"print(json.dumps(measure(os.environ['DATABASE_URL'], {patients}, "
        f"sizes=SIZES if {sizes} else ())))",
    )


def slow_network(base_url, staff_login, patient_login, password, patient_password):
    """None when there is no Chromium to drive (the report says so)."""
    from bench import slow_network as slow

    if not shutil.which(slow.CHROMIUM):
        return None
    return slow.measure(base_url, staff_login, patient_login, password, patient_password)


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def report_lines(imported: dict, exported: dict, slow: list | None) -> list[str]:
    sizes = sorted(imported["peak_mb"], key=int)
    lines = [
        "## Scale",
        "",
        f"**Import** (`import_visits --create-patients`, in-process, best of 2) of "
        f"{imported['rows']:,} visits for {imported['patients_created']:,} new patients, against "
        "`psql \\copy` of the same file into a table of text columns (best of 3):",
        "",
        "| measure | value | target |",
        "| --- | ---: | --- |",
        f"| import | {imported['import_seconds']:.2f} s ({imported['rows_per_second']:,.0f} "
        "rows/s) | |",
        f"| `psql \\copy` of the same file | {imported['copy_seconds']:.3f} s | |",
        f"| ratio | {imported['ratio']:.0f} x | {_verdict(imported['ratio'] <= IMPORT_TARGET)} "
        f"(at most {IMPORT_TARGET} x) |",
    ]
    small, large = sizes[0], sizes[-1]
    growth_kb = 1024 * (imported["peak_mb"][large] - imported["peak_mb"][small])
    growth_kb /= max(int(large) - int(small), 1)
    flat = "met" if growth_kb < FLAT_KB_PER_ROW else f"MISSED (+{growth_kb:.1f} KB a row)"
    lines += [
        f"| peak memory of the command, {int(size):,} visits | "
        f"{imported['peak_mb'][size]:.0f} MB ({imported['command_seconds'][size]:.1f} s) | "
        f"flat in the file's size: {flat} |"
        for size in sizes
    ]
    lines += [
        "",
        f"**Sessions export** (`csv_lines` in-process to a null sink, best of 3) of "
        f"{exported['rows']:,} rows ({exported['patients']:,} patients), against `psql \\copy` of "
        "the same rows built by the same SQL (best of 3); the two files were compared: "
        f"{'the same rows' if exported['same_rows'] else 'NOT the same rows'}.",
        "",
        "| measure | value | target |",
        "| --- | ---: | --- |",
        f"| export | {exported['export_s']:.2f} s | |",
        f"| `psql \\copy` of the same rows | {exported['copy_s']:.2f} s | |",
        f"| ratio | {exported['ratio']:.2f} x | {_verdict(exported['ratio'] <= EXPORT_TARGET)} "
        f"(at most {EXPORT_TARGET} x) |",
    ]
    lines += [
        f"| peak memory of `export_outcomes --format sessions`, {int(size):,} patients | "
        f"{megabytes:.0f} MB | flat |"
        for size, megabytes in sorted(exported["peak_mb"].items(), key=lambda i: int(i[0]))
    ]
    lines += [
        "",
        "**Slow 3G** (Chromium's network emulation: 400 kbps down and up, 400 ms latency), the "
        "benchmark's gunicorn. A real first visit is the log-in page, opened with an empty "
        "cache; each main page is then reached by logging in under slow 3G (its own load time; "
        "the submitted form, its redirect and the page in the column beside it). Last, each page "
        "with the browser's cache emptied after logging in: not a real visit, the worst case.",
    ]
    lines.append("")
    if slow is None:
        lines.append("Not measured: no Chromium (`apt-get install chromium`).")
    else:
        from bench.slow_network import report

        lines.append(report(slow))
    lines.append("")
    return lines
