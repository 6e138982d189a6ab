"""`make bench`: generate a clinic in PostgreSQL, serve it with gunicorn on loopback, load it with
wrk (pages kept, kept in Redis, rendered after a change), time the exports and the import against
`psql \\copy` and the slow-3G visits (bench/scale.py), and write docs/benchmarks.md. Not a test:
timings belong here. All it starts listens on 127.0.0.1 only, and every load run is bounded.

    python -m bench.run [--patients 5000] [--seconds 10] [--load-seconds 60] [--skip-sizes]
                        [--reuse-data]
"""

import argparse
import http.cookiejar
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bench import scale
from bench.report import bench_report

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = int(os.environ.get("LEGWORK_BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
ADMIN_URL = os.environ.get("LEGWORK_BENCH_ADMIN_DB", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("LEGWORK_BENCH_DB", "legwork_bench")
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
REDIS_URL = os.environ.get("LEGWORK_BENCH_REDIS", "redis://127.0.0.1:6379/5")
IMPORT_ROWS = 10_000

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    # Plain HTTP on loopback: no TLS to redirect to.
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_SECURE_COOKIES": "false",
    "DJANGO_SECURE_HSTS_SECONDS": "0",
    "DJANGO_CONN_MAX_AGE": "600",
    "DJANGO_LOG_LEVEL": "WARNING",
    "LEGWORK_LOGIN_THROTTLE": "false",
}


def sh(*args, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=ENV, check=True, **kwargs)  # noqa: S603


def manage(*args, **kwargs):
    return sh(PYTHON, "manage.py", *args, **kwargs)


def recreate_database():
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def analyze():
    """Planner statistics for the freshly bulk-loaded tables, as autovacuum would soon give a
    real database: without them PostgreSQL plans as if every table were nearly empty."""
    import psycopg

    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute("ANALYZE")


def generate(patients, sessions, slug):
    out = sh(
        PYTHON, "-m", "bench.generate", "--patients", str(patients), "--sessions", str(sessions),
        "--clinic", slug, capture_output=True, text=True,
    )  # fmt: skip
    print(out.stdout, end="")
    total = re.search(r"total:\s+([\d.]+) s", out.stdout)
    return out.stdout, float(total.group(1)) if total else None


def django_facts(slug):
    """Ids the pages need, read through Django (bench settings, same database)."""
    code = f"""
import json
from patients.models import Patient, User
from programmes.models import Programme
from patients.services import portal_access_issue, portal_access_find, portal_activate
p = Patient.objects.filter(clinic__slug={slug!r}).order_by("pk")[1]
prog = Programme.objects.get(patient=p)
login = User.objects.filter(patient=p).first()
if login is None:
    by = User.objects.get(username={slug + "-clinician"!r})
    access, token, _ = portal_access_issue(patient=p, by=by)
    portal_activate(access=portal_access_find(token=token), password="bench-patient-pass-42")
print(json.dumps({{"patient": str(p.public_id), "patient_pk": p.pk, "study_id": p.study_id,
                  "login": User.objects.get(patient=p).username,
                  "programme": str(prog.public_id)}}))
"""
    out = manage("shell", "-c", code, capture_output=True, text=True).stdout
    import json

    return json.loads(out.strip().splitlines()[-1])


def log_in(username, password):
    """A real login through the form; returns the session cookie value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{BASE}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(f"{BASE}/accounts/login/", data=data)
    request.add_header("Referer", f"{BASE}/accounts/login/")
    opener.open(request).read()
    return {c.name: c.value for c in jar}["sessionid"]


def wrk(url, cookie, *, seconds, connections=8, script=None):
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if cookie:
        args += ["-H", f"Cookie: sessionid={cookie}"]
    if script:
        args += ["-s", script]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(int(x) for x in socket.groups()) if socket else 0
    )
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors, "requests": requests}


def _ms(text):
    value = float(re.match(r"[\d.]+", text).group(0))
    unit = text[len(str(re.match(r"[\d.]+", text).group(0))) :]
    return value * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def peak_memory(*command):
    """Run a command; return (seconds, its peak resident memory in MB)."""
    out = subprocess.run(  # noqa: S603
        [PYTHON, "-m", "bench.peak", *command], cwd=ROOT, env=ENV, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    seconds, megabytes = out.stdout.strip().splitlines()[-1].split()
    return float(seconds), float(megabytes)


COPY_SQL = """\\copy (SELECT c.slug, p.study_id, g.arm, g.name, v.timepoint,
 (v.assessed_on - g.start_date) / 7 + 1, v.assessed_on, p.sex, p.date_of_birth, p.aetiology,
 v.sitting_balance, v.arises, v.attempts_to_arise, v.immediate_standing, v.standing_balance,
 v.nudged, v.eyes_closed, v.turn_steps, v.turn_steadiness, v.sitting_down, v.initiation,
 v.right_step_length, v.right_foot_clearance, v.left_step_length, v.left_foot_clearance,
 v.step_symmetry, v.step_continuity, v.path, v.trunk, v.walking_stance, v.tinetti_balance,
 v.tinetti_gait, v.tinetti_total, v.walk_distance_m, v.chair_stands, v.sts_seconds, v.pain_nrs,
 v.height_cm, v.weight_kg
 FROM assessments_visit v JOIN patients_patient p ON p.id = v.patient_id
 JOIN programmes_programme g ON g.id = v.programme_id JOIN patients_clinic c ON c.id = v.clinic_id
 WHERE c.slug = '{slug}' ORDER BY p.study_id, v.assessed_on) TO '{path}' WITH CSV HEADER"""


def time_copy(slug, path):
    began = time.perf_counter()
    subprocess.run(  # noqa: S603
        ["psql", DATABASE_URL, "-q", "-c", COPY_SQL.format(slug=slug, path=path).replace("\n", "")],
        check=True,
    )
    return time.perf_counter() - began


def main():
    parser = argparse.ArgumentParser(description="Legwork benchmark")
    parser.add_argument("--patients", type=int, default=5000)
    parser.add_argument("--sessions", type=int, default=36)
    parser.add_argument("--seconds", type=int, default=10, help="wrk run per page")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--skip-sizes", action="store_true", help="skip the 1k/10k export runs")
    parser.add_argument(
        "--reuse-data", action="store_true", help="keep the last run's clinic (for profiling)"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make bench does it)")

    generation_seconds = None
    if not args.reuse_data:
        print(f"== Database {DB_NAME}: recreated, migrated")
        recreate_database()
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    if not args.reuse_data:
        print(f"== Generating {args.patients} patients")
        _, generation_seconds = generate(args.patients, args.sessions, "bench")
        analyze()
    facts = django_facts("bench")

    from bench.generate import BENCH_PASSWORD

    print("== Pages as served (kept pages on: re-opened with nothing changed meanwhile)")
    with serving() as gunicorn:
        clinician = log_in("bench-clinician", BENCH_PASSWORD)
        patient = log_in(facts["login"], "bench-patient-pass-42")
        pages = [
            ("reference (1 query)", f"/bench/reference/?id={facts['patient_pk']}", clinician),
            ("patient's week", "/portal/", patient),
            ("clinician home", "/", clinician),
            ("patient list", "/patients/", clinician),
            ("patient page", f"/patients/{facts['patient']}/", clinician),
            ("programme page", f"/programmes/{facts['programme']}/", clinician),
            ("outcomes page", "/assessments/outcomes/", clinician),
        ]
        rows = measure_pages(gunicorn, pages, args.seconds)
        # Each page with its own user's cookie: the patient's week is the patient's (a member
        # of staff gets 403 there, which the first runs counted as errors).
        script = _load_script([(path, cookie) for _, path, cookie in pages[1:]])
        load = wrk(BASE + "/", None, seconds=args.load_seconds, connections=32, script=script)
        print(f"{'load (32 clients)':>20}: {load['rps']:8.1f} req/s  errors {load['errors']}")
        print("== Slow 3G first visits (Chromium)")
        slow = scale.slow_network(
            BASE, "bench-clinician", facts["login"], BENCH_PASSWORD, "bench-patient-pass-42"
        )
    print("== Pages as served from a shared Redis (LEGWORK_CACHE_URL)")
    prefix = f"bench-{secrets.token_hex(4)}"
    with serving(LEGWORK_CACHE_URL=REDIS_URL, LEGWORK_CACHE_PREFIX=prefix) as gunicorn:
        shared = measure_pages(gunicorn, pages, args.seconds)
    # Whole pages not kept, as on the first opening after any write in the clinic; the tables
    # kept by what they show (patients.kept_fragments) are, as they are in production.
    print("== Pages rendered after a change (whole pages not kept; fragments kept)")
    with serving(LEGWORK_KEPT_PAGE_SECONDS="0", LEGWORK_KEPT_FRAGMENT_SECONDS="600") as gunicorn:
        rendered = measure_pages(gunicorn, pages, args.seconds)

    with tempfile.TemporaryDirectory() as tmp:
        export_seconds, export_mb = peak_memory(
            PYTHON, "manage.py", "export_outcomes", "--clinic", "bench", "--format", "long",
            "--output", f"{tmp}/long.csv",
        )  # fmt: skip
        # Best of three for both: single runs of a few tenths of a second vary by a third.
        copy_seconds = min(time_copy("bench", f"{tmp}/copy.csv") for _ in range(3))
    in_process_seconds = min(time_export_in_process("bench")[0] for _ in range(3))
    sizes = []
    if not (args.skip_sizes or args.reuse_data):
        for size in (1000, 10000):
            generate(size, 0, f"size{size}")
            with tempfile.TemporaryDirectory() as tmp:
                seconds, megabytes = peak_memory(
                    PYTHON, "manage.py", "export_outcomes", "--clinic", f"size{size}",
                    "--format", "long", "--output", f"{tmp}/long.csv",
                )  # fmt: skip
            sizes.append((size, seconds, megabytes))

    print("== Import against psql \\copy")
    imported = scale.import_speed(ENV, IMPORT_ROWS)
    print("== Sessions export against psql \\copy")
    exported = scale.sessions_export(ENV, args.patients, sizes=not args.skip_sizes)

    report = bench_report(args, generation_seconds, rows, rendered, load, export_seconds,
                          export_mb, copy_seconds, sizes, in_process_seconds, shared=shared,
                          scale_lines=scale.report_lines(imported, exported, slow))  # fmt: skip
    print(report)
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "benchmarks.md").write_text(report)
    print("Written to docs/benchmarks.md")


@contextmanager
def serving(**settings):
    """gunicorn on loopback, 2 workers, with the bench settings (plus `settings` as env)."""
    gunicorn = subprocess.Popen(  # noqa: S603
        [str(Path(PYTHON).parent / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{PORT}",
         "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env={**ENV, **settings},
    )  # fmt: skip
    try:
        _wait_for_server()
        yield gunicorn
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)


def measure_pages(gunicorn, pages, seconds):
    """wrk on each page in turn; requests/s, latency, errors and the workers' CPU a request."""
    reference_url, clinician = BASE + pages[0][1], pages[0][2]
    rows = []
    for name, path, cookie in pages:
        cpu_before = workers_cpu_seconds(gunicorn.pid)
        result = wrk(BASE + path, cookie, seconds=seconds)
        result["drain_s"] = _wait_until_drained(reference_url, clinician)
        cpu = workers_cpu_seconds(gunicorn.pid) - cpu_before
        result["cpu_ms"] = 1000 * cpu / max(result["requests"], 1)
        rows.append((name, path, result))
        print(f"{name:>20}: {result['rps']:8.1f} req/s  p50 {result['p50']:7.1f} ms  "
              f"p99 {result['p99']:7.1f} ms  errors {result['errors']}")  # fmt: skip
    return rows


def workers_cpu_seconds(master_pid):
    """CPU time (user + system) used so far by gunicorn's workers, from /proc: divided by the
    requests served, the server's own cost of a page, whatever wrk and PostgreSQL use."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == master_pid:  # fields[1] is the parent's pid
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _wait_for_server():
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/accounts/login/", timeout=2).read()  # noqa: S310
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not start")


def _wait_until_drained(url, cookie, *, limit_s=60.0, quick_ms=100.0):
    """After a wrk run, wait until gunicorn has worked through the requests still queued (wrk
    stops sending, not the server working), so a slow page cannot slow the next page's run:
    the reference page must answer in under `quick_ms`. Bounded; returns the seconds waited."""
    began = time.perf_counter()
    time.sleep(1)
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
    while time.perf_counter() - began < limit_s:
        sent = time.perf_counter()
        try:
            urllib.request.urlopen(request, timeout=10).read()  # noqa: S310 (loopback)
            if (time.perf_counter() - sent) * 1000 < quick_ms:
                break
        except OSError:
            pass
        time.sleep(0.2)
    return time.perf_counter() - began


# Times the long export inside one Django process, without its start-up: the rows written to
# a null sink, as export_outcomes writes them. Prints the seconds and the rows.
IN_PROCESS_EXPORT = """
import os, time
from assessments import exports
from assessments.outcomes import OutcomeFilters
from patients.models import Clinic
clinic = Clinic.objects.get(slug={slug!r})
began = time.perf_counter()
with open(os.devnull, "w", encoding="utf-8") as sink:
    rows = -1
    for line in exports.csv_lines("long", clinic=clinic, filters=OutcomeFilters(),
                                  deidentified=False):
        sink.write(line)
        rows += 1
print("in-process", time.perf_counter() - began, rows)
"""


def time_export_in_process(slug):
    out = manage(
        "shell", "-c", IN_PROCESS_EXPORT.format(slug=slug), capture_output=True, text=True
    ).stdout
    _, seconds, rows = out.strip().splitlines()[-1].split()
    return float(seconds), int(rows)


def _load_script(pages):
    """A wrk Lua script sending each client round the pages in turn, each with its cookie."""
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    paths = ", ".join(f'"{path}"' for path, _ in pages)
    cookies = ", ".join(f'"sessionid={cookie}"' for _, cookie in pages)
    handle.write(
        f"local paths = {{{paths}}}\nlocal cookies = {{{cookies}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        '  return wrk.format(nil, paths[i], {["Cookie"] = cookies[i]})\nend\n'
    )
    handle.close()
    return handle.name


if __name__ == "__main__":
    main()
