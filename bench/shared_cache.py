"""What a kept page costs from Redis, from a process's memory, and rendered (not a test).

Three gunicorn servers (one worker each) on one PostgreSQL database: kept pages in Redis
(LEGWORK_CACHE_URL), in memory (unset), and none (LEGWORK_KEPT_PAGE_SECONDS=0). One signed-in
clinician opens a patient's page and the home page many times on each, one request at a time;
the median time per request is printed. Standalone:

    .venv/bin/python -m bench.shared_cache [--requests 200]

PostgreSQL at BENCH_POSTGRES (postgres://postgres@127.0.0.1:5432, database legwork_cache,
dropped and created), Redis at BENCH_REDIS_URL (redis://127.0.0.1:6379/3).
"""

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = Path(sys.executable).with_name("gunicorn")
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "legwork_cache"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
PASSWORD = "bench-shared-Passw0rd"  # noqa: S105 (a throwaway bench database)
SETUP = f"""
import json
from datetime import date
from patients.models import Aetiology, Clinic, Patient, Role, Sex, User
clinic = Clinic.objects.create(name="Bench", slug="bench", time_zone="Africa/Lagos")
physio = User.objects.create_user(
    "physio", password={PASSWORD!r}, clinic=clinic, role=Role.CLINICIAN)
for n in range(40):
    patient = Patient.objects.create(
        clinic=clinic, study_id=f"BEN-{{n:04d}}", given_name="Amina", family_name=f"Bello {{n}}",
        date_of_birth=date(1970, 1, 1), sex=Sex.FEMALE, aetiology=Aetiology.HIV,
        research_consent=True, consent_date=date(2026, 1, 10), responsible_clinician=physio)
print(json.dumps({{"page": patient.get_absolute_url()}}))
"""


def environment(**extra):
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LEGWORK_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_STATIC_ROOT": "/tmp/legwork-bench-shared-static",  # noqa: S108
        "DJANGO_LOG_LEVEL": "WARNING",
        "LEGWORK_LOGIN_THROTTLE": "false",
        "DATABASE_URL": f"{POSTGRES}/{DB_NAME}",
        **extra,
    }


def manage(env, *args):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(env):
    port = free_port()
    server = subprocess.Popen(
        [str(GUNICORN), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=2).close()
            return server, base
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{base} did not start")


def signed_in(base):
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    fields = {"csrfmiddlewaretoken": token, "username": "physio", "password": PASSWORD}
    opener.open(f"{base}/accounts/login/", data=urllib.parse.urlencode(fields).encode()).read()
    return opener


def median_ms(opener, url, requests):
    times, kept = [], set()
    for _ in range(requests):
        start = time.perf_counter()
        with opener.open(url) as response:
            response.read()
            kept.add(response.headers.get("X-Legwork-Kept"))
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, "/".join(sorted(k or "-" for k in kept))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    requests = parser.parse_args().requests
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    env = environment()
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    urls = json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
    prefix = f"legwork-bench-{secrets.token_hex(4)}"
    kinds = {
        "kept in Redis": environment(LEGWORK_CACHE_URL=REDIS_URL, LEGWORK_CACHE_PREFIX=prefix),
        "kept in memory": environment(),
        "rendered": environment(LEGWORK_KEPT_PAGE_SECONDS="0"),
    }
    print(f"Median ms per request, {requests} sequential requests, one gunicorn worker:")
    for kind, kind_env in kinds.items():
        server, base = serve(kind_env)
        try:
            opener = signed_in(base)
            for name, path in (("patient page", urls["page"]), ("home", "/")):
                ms, kept = median_ms(opener, base + path, requests)
                print(f"  {kind:<15} {name:<13} {ms:7.2f} ms  (X-Legwork-Kept: {kept})")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
