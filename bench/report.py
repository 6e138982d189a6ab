"""The benchmark's report: docs/benchmarks.md, with the machine it ran on."""

import os
import platform
import re
import subprocess
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def machine():
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = match.group(1).strip() if match else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.0f} GiB memory"
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()  # noqa: S607
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {pg}"
    )


SERVED_TARGET = 0.5  # of the reference page's requests/s
RENDERED_TARGET = 0.25
HISTORY = ROOT / "docs" / "benchmarks-history.md"  # kept by hand; appended to each report


def bench_report(
    args,
    generation,
    rows,
    rendered,
    load,
    export_s,
    export_mb,
    copy_s,
    sizes,
    in_process_s,
    *,
    shared,
    scale_lines,
):
    generated = (
        f"Generated with bulk inserts in {generation:.0f} s."
        if generation is not None
        else "(Data reused from an earlier run: its generation is not timed here.)"
    )
    lines = [
        "# Benchmarks",
        "",
        f"`make bench` on {date.today():%Y-%m-%d}. Machine: {machine()}.",
        "",
        f"Data: {args.patients:,} patients, each with a 12-week programme (5 exercises), "
        f"{args.sessions} supervised sessions with 3 sets per exercise (80 % of programmes; "
        f"the control arm has none) and 3 visits. {generated}",
        "",
        "Pages: gunicorn, 2 workers, DEBUG off, persistent database connections, on loopback; "
        f"wrk with 2 threads and 8 connections for {args.seconds} s per page. After each page "
        "the run waits until the server has drained (the reference page answers in under "
        "100 ms, at most 60 s), so one slow page cannot slow the next one's figures.",
        "",
        "**As served** (the target's measure): wrk re-opens one page with nothing changed "
        "meanwhile, so after the first request each page is served from its kept copy "
        "(`patients/kept_pages.py`: the session and user queries, no rendering).",
        "",
        *_page_table(rows),
        "",
        "**As served from a shared Redis** (`LEGWORK_CACHE_URL`, as with several servers): "
        "the same, the kept copies in this machine's Redis instead of each worker's memory.",
        "",
        *_page_table(shared),
        "",
        "**Rendered after a change** (whole pages not kept, `LEGWORK_KEPT_PAGE_SECONDS=0`, as "
        "on the first opening after any write in the clinic; the tables kept by what they show, "
        "`patients/kept_fragments.py`, are kept as in production): target at least 0.25 of the "
        "reference (moonshot 0.5).",
        "",
        *_page_table(rendered, least=RENDERED_TARGET),
    ]
    lines += [
        "",
        f"Load: 32 concurrent clients for {args.load_seconds} s over the pages above: "
        f"{load['requests']:,} requests, {load['rps']:.0f} requests/s, p99 {load['p99']:.0f} ms, "
        f"**{load['errors']} errors** (target: 0).",
        "",
        "| export | seconds | peak memory MB | target |",
        "| --- | ---: | ---: | --- |",
        f"| long CSV, {args.patients:,} patients (export_outcomes) | {export_s:.1f} | "
        f"{export_mb:.0f} | {'met' if export_s <= 4 * copy_s else 'MISSED'} (within 4 x psql) |",
        f"| the same rows by `psql \\copy` (the floor; best of 3) | {copy_s:.2f} | | ratio "
        f"{export_s / copy_s:.1f} |",
        f"| long CSV in-process (csv_lines to a null sink, no Django start-up; best of 3) | "
        f"{in_process_s:.2f} | | ratio {in_process_s / copy_s:.1f} to psql: "
        f"{'met' if in_process_s <= 4 * copy_s else 'MISSED'} |",
    ]
    for size, seconds, megabytes in sizes:
        lines.append(
            f"| long CSV, {size:,} patients | {seconds:.1f} | {megabytes:.0f} | "
            f"{'met' if megabytes < 150 else 'MISSED'} (under 150 MB) |"
        )
    lines += [
        "",
        "The export's whole-command time includes starting Django (about a second); `psql` "
        "starts in milliseconds. The in-process row times the same export without the start-up.",
        "",
    ]
    lines += scale_lines
    if HISTORY.exists():
        lines += [HISTORY.read_text().rstrip(), ""]
    return "\n".join(lines)


def _page_table(rows, least=SERVED_TARGET):
    reference = rows[0][2]["rps"]
    lines = [
        "| page | requests/s | p50 ms | p99 ms | errors | vs reference | target "
        "| server CPU ms/request | drain s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for name, _, r in rows:
        ratio = r["rps"] / reference
        target = "" if name.startswith("reference") else ("met" if ratio >= least else "MISSED")
        lines.append(
            f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} | "
            f"{ratio:.2f} | {target} | {r.get('cpu_ms', 0):.1f} | {r.get('drain_s', 0):.1f} |"
        )
    return lines
