"""Password-reset mail is limited per address and per client, and the page answers the same
whether the address is known, unknown, or past its limit."""

from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.core import mail
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from tests.factories import ClinicianFactory

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"


@pytest.fixture(autouse=True)
def _fresh_counts(monkeypatch):
    """Counts start at nothing, and stay in one window: django-ratelimit's windows are fixed
    hours, and a test must not depend on whether it runs across the turn of one."""
    caches["throttles"].clear()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: 1.8e9))
    yield
    caches["throttles"].clear()


def _ask(client, email, forwarded_for=None):
    extra = {"REMOTE_ADDR": PROXY}
    if forwarded_for:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def _answer(response, client):
    """What the person asking sees: the redirect, then the page it leads to."""
    page = client.get(response["Location"]).content.decode()
    return response.status_code, response["Location"], page


def test_many_requests_for_one_address_send_a_few_mails(settings, clinician):
    for _ in range(16):
        response = _ask(Client(), clinician.email)
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == settings.LEGWORK_PASSWORD_RESET_PER_EMAIL == 3
    assert {message.to[0] for message in mail.outbox} == {clinician.email}


def test_the_address_is_counted_however_it_is_typed(settings, clinician):
    settings.LEGWORK_TRUSTED_PROXY_COUNT = 1
    spellings = ["physio@example.org", "PHYSIO@Example.org", " Physio@EXAMPLE.ORG "]
    for number, spelling in enumerate(spellings * 3):
        _ask(Client(), spelling, forwarded_for=f"203.0.113.{number}")
    assert len(mail.outbox) == settings.LEGWORK_PASSWORD_RESET_PER_EMAIL


def test_one_client_asking_for_many_addresses_is_stopped_and_others_are_not(settings, clinic):
    settings.LEGWORK_TRUSTED_PROXY_COUNT = 1
    limit = settings.LEGWORK_PASSWORD_RESET_PER_ADDRESS
    members = [ClinicianFactory(clinic=clinic, username=f"member-{n}") for n in range(limit + 6)]
    for member in members[:-1]:
        # The client writes a new address of its own each time; the proxy appends the real one.
        _ask(Client(), member.email, forwarded_for=f"10.0.0.{len(mail.outbox)}, 203.0.113.5")
    assert len(mail.outbox) == limit

    _ask(Client(), members[-1].email, forwarded_for="198.51.100.7")
    assert len(mail.outbox) == limit + 1
    assert mail.outbox[-1].to == [members[-1].email]


def test_the_answer_is_the_same_for_a_known_an_unknown_and_a_throttled_address(settings, clinician):
    settings.LEGWORK_PASSWORD_RESET_PER_EMAIL = 1
    client = Client()
    known = _answer(_ask(client, clinician.email), client)
    assert len(mail.outbox) == 1
    throttled = _answer(_ask(client, clinician.email), client)
    unknown = _answer(_ask(client, "nobody@example.org"), client)
    assert len(mail.outbox) == 1
    assert known == throttled == unknown
    assert "If an account has this address" in known[2]


def test_an_invalid_address_is_refused_by_the_form_and_counts_nothing(settings, clinician):
    settings.LEGWORK_PASSWORD_RESET_PER_ADDRESS = 1
    for _ in range(5):
        response = _ask(Client(), "not-an-address")
        assert response.status_code == 200 and "email" in response.context["form"].errors
    _ask(Client(), clinician.email)
    assert len(mail.outbox) == 1
