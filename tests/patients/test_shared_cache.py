"""The shared cache (LEGWORK_CACHE_URL, config/shared_cache.py) and kept pages per release:
one kept copy for every worker and server of a release, and a Redis that is down breaks nothing.

The tests that need a live Redis use LEGWORK_TEST_REDIS_URL (database 3 by default) and are
skipped without one."""

import logging
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import django_ratelimit.core
import pytest
import redis
from django.core import mail
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from patients import kept_pages
from tests.factories import ClinicianFactory

pytestmark = [pytest.mark.django_db, pytest.mark.kept_pages]

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("LEGWORK_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
CLOSED = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


def _redis_up() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


live_redis = pytest.mark.skipif(not _redis_up(), reason=f"no Redis at {REDIS_URL}")


# This run's own keys: CI runs the SQLite and PostgreSQL suites side by side on one Redis.
PREFIX = f"legwork-test-{os.getpid()}"


def shared(settings, name, url, prefix=PREFIX):
    """The cache `name` in Redis at `url`, as LEGWORK_CACHE_URL would set it."""
    settings.CACHES = {
        **settings.CACHES,
        name: {
            "BACKEND": "config.shared_cache.FailSoftRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"{prefix}:{name}",
        },
    }
    cache = caches[name]
    cache.clear()
    return cache


def opened(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_the_second_opening_says_it_was_kept(clinician_client, patient):
    url = patient.get_absolute_url()
    assert opened(clinician_client, url)[kept_pages.KEPT_HEADER] == "miss"
    assert opened(clinician_client, url)[kept_pages.KEPT_HEADER] == "hit"


def test_a_new_release_never_serves_a_page_an_older_one_kept(
    clinician_client, patient, monkeypatch
):
    url = patient.get_absolute_url()
    opened(clinician_client, url)
    monkeypatch.setattr(kept_pages, "RELEASE", "the-next-release")
    assert opened(clinician_client, url)[kept_pages.KEPT_HEADER] == "miss"


def test_the_release_is_the_contents_of_the_templates_and_code(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("LEGWORK_RELEASE", raising=False)
    page = tmp_path / "templates" / "page.html"
    page.parent.mkdir()
    page.write_text("<p>Week {{ week }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [page.parent]}]
    before = kept_pages._release()
    assert kept_pages._release() == before  # the same files: the same release, on any server
    page.write_text("<p>Week {{ week }} of 12</p>")
    assert kept_pages._release() != before
    monkeypatch.setenv("LEGWORK_RELEASE", "2026.12-1")
    assert kept_pages._release() == "2026.12-1"


def test_a_shared_cache_that_is_down_reads_as_empty_and_logs_once(settings, caplog):
    cache = shared(settings, "pages", CLOSED)
    with caplog.at_level(logging.ERROR, logger="config.shared_cache"):
        cache.set("key", "value", 60)
        assert cache.get("key") is None
        assert cache.get("key", "default") == "default"
        assert cache.add("key", 1, 60) is False
        with pytest.raises(ValueError):
            cache.incr("key")
        cache.clear()
    assert len(caplog.records) == 1
    assert "LEGWORK_CACHE_URL" in caplog.records[0].getMessage()


def test_pages_are_rendered_while_the_shared_cache_is_down(settings, clinician_client, patient):
    shared(settings, "pages", CLOSED)
    for _ in range(2):
        response = opened(clinician_client, patient.get_absolute_url())
        assert response[kept_pages.KEPT_HEADER] == "miss"
        assert patient.study_id in response.content.decode()


def test_a_password_reset_goes_through_while_the_shared_cache_is_down(settings, clinician):
    shared(settings, "throttles", CLOSED)
    response = Client().post(reverse("password_reset"), {"email": clinician.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1  # the limits let it through (RATELIMIT_FAIL_OPEN)


@live_redis
def test_a_page_kept_in_redis_is_served_to_the_same_user_in_another_browser(
    settings, clinician, patient
):
    shared(settings, "pages", REDIS_URL)
    first, second = Client(), Client()
    for browser in (first, second):
        browser.force_login(clinician)
    url = patient.get_absolute_url()
    assert opened(first, url)[kept_pages.KEPT_HEADER] == "miss"
    assert opened(second, url)[kept_pages.KEPT_HEADER] == "hit"
    kept_pages.clinic_records_changed(clinician.clinic_id)
    assert opened(second, url)[kept_pages.KEPT_HEADER] == "miss"


@live_redis
def test_clearing_one_cache_leaves_the_others_sharing_the_redis_database(settings):
    pages = shared(settings, "pages", REDIS_URL)
    throttles = shared(settings, "throttles", REDIS_URL)
    pages.set("page", "html", 60)
    throttles.set("count", 1, 60)
    throttles.clear()
    assert (pages.get("page"), throttles.get("count")) == ("html", None)
    pages.clear()


@live_redis
def test_the_reset_limit_is_counted_in_redis(settings, monkeypatch):
    shared(settings, "throttles", REDIS_URL)
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: 1.8e9))
    clinician = ClinicianFactory()
    for _ in range(5):
        Client().post(reverse("password_reset"), {"email": clinician.email})
    assert len(mail.outbox) == settings.LEGWORK_PASSWORD_RESET_PER_EMAIL == 3
    caches["throttles"].clear()


def _settings_with(**env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LEGWORK_CACHE")}
    environment.update(env)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['pages']['BACKEND'], s.CACHES['throttles'].get('KEY_PREFIX'), "
        "'django_ratelimit.E003' in s.SILENCED_SYSTEM_CHECKS)"
    )
    result = subprocess.run(  # noqa: S603 (our own settings)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_the_cache_comes_from_legwork_cache_url_with_a_prefix_per_installation():
    assert _settings_with() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "None",
        "True",  # per process: django-ratelimit's refusal is known and accepted
    ]
    assert _settings_with(
        LEGWORK_CACHE_URL="redis://127.0.0.1:6379/1", LEGWORK_CACHE_PREFIX="district-7"
    ) == ["config.shared_cache.FailSoftRedisCache", "district-7:throttles", "False"]
