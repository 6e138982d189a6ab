"""The doors' throttles: who a request comes from, and how many tries that client gets.

One rule for the client's address (`client_address`), used by the login lock (django-axes,
through AXES_CLIENT_IP_CALLABLE) and by the password-reset limits (django-ratelimit, through
RATELIMIT_IP_META_KEY), so a forged header cannot get past one while the other believes it.
"""

import ipaddress
import unicodedata

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django_ratelimit.core import is_ratelimited

# One household or site is given a whole IPv6 /64, so one client can choose among 2**64
# addresses: counting single IPv6 addresses would give an attacker a fresh count per try.
IPV6_PREFIX = 64


def client_address(request) -> str:
    """The address throttles count a request under.

    Without a trusted proxy (LEGWORK_TRUSTED_PROXY_COUNT 0, the default unless
    DJANGO_BEHIND_TLS_PROXY) it is the connecting address: X-Forwarded-For is then whatever the
    client chose to send, and is ignored. Behind N proxies of ours, each appends the address it
    was connected from, so the N-th entry from the right was written by the outermost of them
    and is the client; entries to its left came from the client and are not believed.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.LEGWORK_TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        if len(forwarded) >= proxies and forwarded[-proxies]:
            address = forwarded[-proxies]
        # Fewer entries than proxies means a proxy did not append: keep the connecting address
        # (all such clients share one count) rather than trust an entry the client wrote.
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        # Not an address (a misconfigured proxy, or a unix socket's empty REMOTE_ADDR): one
        # shared count, under a valid address, rather than text in the attempts table.
        return "0.0.0.0"  # noqa: S104 (a label, nothing listens on it)
    if parsed.version == 6:
        if parsed.ipv4_mapped:  # "::ffff:192.0.2.1" is the IPv4 client 192.0.2.1
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False).network_address)
    return str(parsed)


class LoginThrottle(AxesDatabaseHandler):
    """django-axes' database handler (AXES_HANDLER), with a second limit per client address.

    Axes counts wrong passwords per login name and address (AXES_LOCKOUT_PARAMETERS) against one
    AXES_FAILURE_LIMIT; it cannot give a second parameter a second, higher limit. This adds it:
    LEGWORK_LOGIN_ADDRESS_FAILURE_LIMIT wrong passwords from one address, over any login names,
    within the cool-off time, lock that address as if each name had reached its own limit. So one
    client cannot try a few passwords on every account, and a clinic's shared router still allows
    its staff their ordinary typos.
    """

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures >= limit:
            return failures
        from_address = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(total=Sum("failures_since_start"))["total"]
        if (from_address or 0) >= settings.LEGWORK_LOGIN_ADDRESS_FAILURE_LIMIT:
            return limit
        return failures


def normalised_email(raw: str) -> str:
    """One count per mailbox however it is typed: Django's reset form matches addresses
    ignoring case, so "Physio@X.org" and "physio@x.org" reach the same person."""
    return unicodedata.normalize("NFKC", raw).strip().casefold()


def password_reset_allowed(request, email: str) -> bool:
    """Whether this reset request may send mail: at most LEGWORK_PASSWORD_RESET_PER_EMAIL an
    hour to one address, and LEGWORK_PASSWORD_RESET_PER_ADDRESS an hour from one client. Both
    counts grow on every request, so a refused one keeps its client refused."""
    per_email = is_ratelimited(
        request,
        group="password-reset-email",
        key=lambda group, request: normalised_email(email),
        rate=f"{settings.LEGWORK_PASSWORD_RESET_PER_EMAIL}/h",
        increment=True,
    )
    per_client = is_ratelimited(
        request,
        group="password-reset-client",
        key="ip",  # client_address, through RATELIMIT_IP_META_KEY
        rate=f"{settings.LEGWORK_PASSWORD_RESET_PER_ADDRESS}/h",
        increment=True,
    )
    return not (per_email or per_client)
