"""The login lock counts the client's own address: behind the proxy it is read from
X-Forwarded-For, as our proxy wrote it; without one the header is ignored; and one address
trying many accounts is stopped whatever names it tries."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from config.throttles import client_address
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"  # the reverse proxy, the only one connecting to gunicorn
ATTACKER = "203.0.113.5"
CLINICIAN = "198.51.100.7"


def _log_in(client, username, password, forwarded_for=None):
    extra = {"REMOTE_ADDR": PROXY}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _locked(response):
    return response.status_code == 429


def test_behind_the_proxy_wrong_passwords_elsewhere_do_not_lock_the_clinician_out(
    settings, clinician
):
    settings.LEGWORK_TRUSTED_PROXY_COUNT = 1
    attacker, physio = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(attacker, "physio", "wrong", forwarded_for=ATTACKER)
    assert _locked(_log_in(attacker, "physio", PASSWORD, forwarded_for=ATTACKER))

    response = _log_in(physio, "physio", PASSWORD, forwarded_for=CLINICIAN)
    assert response.status_code == 302
    assert int(physio.session["_auth_user_id"]) == clinician.pk


def test_behind_the_proxy_only_the_entry_our_proxy_appended_is_believed(settings, clinician):
    settings.LEGWORK_TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # The attacker writes a different address first each time; the proxy appends theirs.
        _log_in(attacker, "physio", "wrong", forwarded_for=f"10.9.8.{attempt}, {ATTACKER}")
    assert _locked(_log_in(attacker, "physio", PASSWORD, forwarded_for=f"1.2.3.4, {ATTACKER}"))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_without_the_proxy_setting_a_forged_forwarded_for_is_ignored(settings, clinician):
    settings.LEGWORK_TRUSTED_PROXY_COUNT = 0
    attacker = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _log_in(attacker, "physio", "wrong", forwarded_for=f"10.9.8.{attempt}")
    # A new forged address each time changes nothing: the connecting address is counted.
    assert _locked(_log_in(attacker, "physio", PASSWORD, forwarded_for=CLINICIAN))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


def test_one_address_trying_many_accounts_is_locked_whatever_the_names(settings, clinician):
    settings.LEGWORK_TRUSTED_PROXY_COUNT = 1
    assert settings.LEGWORK_LOGIN_ADDRESS_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    attacker = Client()
    for number in range(settings.LEGWORK_LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        response = _log_in(attacker, f"guess-{number}", "wrong", forwarded_for=ATTACKER)
        assert not _locked(response), f"locked after {number} failures"
    # The failure that reaches the limit is answered with the lock, as axes does for one name.
    assert _locked(_log_in(attacker, "one-more", "wrong", forwarded_for=ATTACKER))
    # The address is stopped, even for an account it never tried, with the right password.
    response = _log_in(attacker, "physio", PASSWORD, forwarded_for=ATTACKER)
    assert _locked(response)
    assert "from one network, for any accounts" in response.content.decode()
    assert "_auth_user_id" not in attacker.session
    # Another client is not.
    assert _log_in(Client(), "physio", PASSWORD, forwarded_for=CLINICIAN).status_code == 302


def test_a_clinic_behind_one_router_keeps_its_ordinary_typos(settings, clinic):
    """Several staff at one address, each a few typos short of their own lock: nobody is
    locked until the address's own, higher, limit."""
    settings.LEGWORK_TRUSTED_PROXY_COUNT = 0
    office = Client()
    per_name = settings.AXES_FAILURE_LIMIT - 1
    names = settings.LEGWORK_LOGIN_ADDRESS_FAILURE_LIMIT // per_name
    for number in range(names):
        for _ in range(per_name):
            assert not _locked(_log_in(office, f"colleague-{number}", "wrong"))


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "203.0.113.5", "192.0.2.1"),
        (1, "127.0.0.1", "203.0.113.5", "203.0.113.5"),
        (1, "127.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        (2, "127.0.0.1", "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        # A proxy that appended nothing: the connecting address, never the client's text.
        (1, "127.0.0.1", None, "127.0.0.1"),
        (2, "127.0.0.1", "203.0.113.5", "127.0.0.1"),
        (1, "127.0.0.1", "not an address", "0.0.0.0"),  # noqa: S104 (a label)
        # One IPv6 client holds a whole /64: one count for it.
        (0, "2001:db8:1:2:aaaa::1", None, "2001:db8:1:2::"),
        (1, "127.0.0.1", "2001:db8:1:2:bbbb::9", "2001:db8:1:2::"),
        (0, "::ffff:192.0.2.1", None, "192.0.2.1"),
    ],
)
def test_the_client_address(settings, proxies, remote, forwarded, expected):
    settings.LEGWORK_TRUSTED_PROXY_COUNT = proxies
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(RequestFactory().get("/", **extra)) == expected


def test_the_default_limits():
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.LEGWORK_LOGIN_ADDRESS_FAILURE_LIMIT == 30
    assert settings.LEGWORK_TRUSTED_PROXY_COUNT == 0  # the tests run without a proxy
