"""Legwork settings: one module, every knob an environment variable.

Development works with no variable set. Production (DJANGO_DEBUG=false) refuses to start
without a real DJANGO_SECRET_KEY. Every variable is listed in .env.example and the README.
"""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    # An empty value (e.g. `DATABASE_URL=` copied from .env.example) means "not set".
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_languages(name: str, default: str) -> list[tuple[str, str]]:
    """'en:English,fr:Français' -> [("en", "English"), ("fr", "Français")]."""
    languages = []
    for item in env_list(name, default):
        code, sep, label = item.partition(":")
        if not sep or not code.strip() or not label.strip():
            raise ImproperlyConfigured(
                f"{name} lists languages as code:Name pairs, e.g. en:English,fr:Français; "
                f"{item!r} is not one."
            )
        languages.append((code.strip().lower(), label.strip()))
    return languages


DEBUG = env_bool("DJANGO_DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-legwork-development-only-never-use-in-production"  # noqa: S105 (refused in production below)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (
    len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters in production "
        "(DJANGO_DEBUG=false). Generate one with: "
        'python -c "import secrets; print(secrets.token_urlsafe(64))"'
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "testserver"}
if DEBUG and set(ALLOWED_HOSTS) - _LOCAL_HOSTS:
    # Debug pages show patient data and the development key is public: a real host name with
    # DEBUG on is a forgotten DJANGO_DEBUG=false, so refuse rather than serve.
    raise ImproperlyConfigured(
        "DJANGO_DEBUG is on (the default, for development) but DJANGO_ALLOWED_HOSTS names "
        f"{sorted(set(ALLOWED_HOSTS) - _LOCAL_HOSTS)}: set DJANGO_DEBUG=false in production."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",  # Bootstrap 5 CSS/JS from the django-bootstrap-static package
    "simple_history",
    "axes",
    "csp",
    "django_ratelimit",  # for its system checks; the limits are in config/throttles.py
    "patients",
    "programmes",
    "assessments",
    "portal",
    "clinic",  # pages composed from the apps above; nothing imports it
    "district",  # a district lead's page, figures across clinics; nothing imports it
]

MIDDLEWARE = [
    # The security headers first: a middleware that fails (the database down while the session
    # or user loads) answers 500 at its own place, and only the middleware above it sees that
    # page. Above everything, every page carries them, the error pages included.
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.permissions_policy",
    # Before anything reads a body (the CSRF check reads a form's).
    "config.middleware.refuse_oversized_requests",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for clinics on slow networks (a 15 KB page is 3-4 KB gzipped), below
    # whitenoise, which sends its own pre-compressed static files. Since Django 4.2 it pads the
    # gzip header at random (BREACH), and the CSRF token is masked anew on every page.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "patients.middleware.session_idle_refresh",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "patients.middleware.clinic_time_zone",
    "patients.kept_pages.writes_make_pages_stale",
    "patients.middleware.signed_in_pages_not_stored",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last, as its documentation asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # `day`: a short date that shows its year when it is not this year's.
            "builtins": ["patients.templatetags.dates"],
        },
    },
]

# Database: SQLite file in the project by default; DATABASE_URL=postgres://... for production.
# Persistent connections: a new PostgreSQL connection per request measured 8 times slower.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler turns on for the mid-sized queries of the exports and the
    # outcomes table and costs them more (30-45 ms) than it saves; it pays off only for long
    # analytic queries, which Legwork does not run.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "patients.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("DJANGO_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "patients.backends.ClinicUserBackend",
]

# Login throttling (django-axes): lock a username from one address after repeated failures.
# Username and address together, so one person's typos do not lock a whole clinic behind NAT,
# and a stranger's wrong passwords elsewhere do not lock the clinician out.
AXES_FAILURE_LIMIT = env_int("LEGWORK_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LEGWORK_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And one address, over every login name, gets this many before it is locked itself
# (config.throttles.LoginThrottle: axes has one limit for all its parameters).
LEGWORK_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LEGWORK_LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_HANDLER = "config.throttles.LoginThrottle"
# The address is the client's, read from X-Forwarded-For only behind our own proxies
# (LEGWORK_TRUSTED_PROXY_COUNT, below). Axes' AXES_IPWARE_* settings need python-ipware, which
# is not installed; and the reset throttle must count the same address.
AXES_CLIENT_IP_CALLABLE = "config.throttles.client_address"
# One count per login name whatever its case (patients may log in in any case).
AXES_USERNAME_CALLABLE = "patients.backends.throttle_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLED = env_bool("LEGWORK_LOGIN_THROTTLE", True)

# Sessions live in the database (no server-local state) and end after inactivity.
SESSION_COOKIE_AGE = 60 * env_int("LEGWORK_SESSION_IDLE_MINUTES", 30)
# A signed-in session's idle clock restarts when it is used, written at most this often
# (patients.middleware.session_idle_refresh) rather than on every request.
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The busiest pages are kept as rendered (the "pages" cache below) until the clinic's
# records change (patients.kept_pages); this bounds how long in any case. 0 keeps nothing.
LEGWORK_KEPT_PAGE_SECONDS = env_int("LEGWORK_KEPT_PAGE_SECONDS", 600)
# The costliest tables of those pages are also kept, for every member of the clinic, under keys
# made of what they show (patients.kept_fragments), so a write elsewhere in the clinic does not
# render them again. 0 keeps none; by default as long as pages.
LEGWORK_KEPT_FRAGMENT_SECONDS = env_int("LEGWORK_KEPT_FRAGMENT_SECONDS", LEGWORK_KEPT_PAGE_SECONDS)
# LEGWORK_CACHE_URL (e.g. redis://127.0.0.1:6379/1): one cache for every worker and server, for
# kept pages and the throttles' counts; unset, each process keeps its own in memory. Each cache
# has its own key prefix, so several installations can share one Redis database.
# docs/decisions/0007-shared-cache.md
LEGWORK_CACHE_URL = env_str("LEGWORK_CACHE_URL")
LEGWORK_CACHE_PREFIX = env_str("LEGWORK_CACHE_PREFIX", "legwork")


def _cache(name: str, **local_options) -> dict:
    if LEGWORK_CACHE_URL:
        return {
            "BACKEND": "config.shared_cache.FailSoftRedisCache",
            "LOCATION": LEGWORK_CACHE_URL,
            "KEY_PREFIX": f"{LEGWORK_CACHE_PREFIX}:{name}",
        }
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": name,
        "OPTIONS": local_options,
    }


CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # The password-reset and activation-code limits' counts (django-ratelimit).
    # docs/decisions/0004-throttles.md
    "throttles": _cache("throttles"),
    # Kept pages (patients.kept_pages): 5-30 kB each, so at most ~30 MB a process in memory.
    "pages": _cache("pages", MAX_ENTRIES=1000),
}
RATELIMIT_USE_CACHE = "throttles"
RATELIMIT_IP_META_KEY = "config.throttles.client_address"
# While the shared cache is down, the throttles let requests through: the limits that protect an
# account (login lock, a code retired after 10 wrong tries) are counted in the database.
RATELIMIT_FAIL_OPEN = True
# django-ratelimit warns about any backend it has not tested (W001; Django's own RedisCache is
# one), and refuses a per-process cache (E003: its limits then hold per process), which is
# known and accepted (README, Security) when no shared cache is set.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not LEGWORK_CACHE_URL:
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
# Password-reset mail, per hour: to one address, and from one client (config/throttles.py).
LEGWORK_PASSWORD_RESET_PER_EMAIL = env_int("LEGWORK_PASSWORD_RESET_PER_EMAIL", 3)
LEGWORK_PASSWORD_RESET_PER_ADDRESS = env_int("LEGWORK_PASSWORD_RESET_PER_ADDRESS", 10)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en-gb"
# The languages a patient's own pages and printouts can be shown in (staff pages stay in
# English). A clinic adds one with a translation catalogue in LOCALE_PATHS; see the README.
LANGUAGES = env_languages("LEGWORK_LANGUAGES", "en:English")
LOCALE_PATHS = [Path(path) for path in env_list("LEGWORK_LOCALE_PATHS", str(BASE_DIR / "locale"))]
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "UTC")  # each clinic's own zone is applied per request
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names in production; plain files in development and tests,
        # which run without collectstatic.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "legwork@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Production defaults are strict; each can be relaxed by its variable.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
_BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY", False)
if _BEHIND_TLS_PROXY:
    # The reverse proxy terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of ours each append the address they were connected from to
# X-Forwarded-For (config.throttles.client_address). Without a proxy every client could write
# that header, so it is not read at all.
LEGWORK_TRUSTED_PROXY_COUNT = env_int("LEGWORK_TRUSTED_PROXY_COUNT", 1 if _BEHIND_TLS_PROXY else 0)
if LEGWORK_TRUSTED_PROXY_COUNT < 0 or (LEGWORK_TRUSTED_PROXY_COUNT and not _BEHIND_TLS_PROXY):
    raise ImproperlyConfigured(
        "LEGWORK_TRUSTED_PROXY_COUNT counts the reverse proxies in front of Legwork: set "
        "DJANGO_BEHIND_TLS_PROXY=true with it (or leave it unset without a proxy), and not "
        f"below 0 (it is {LEGWORK_TRUSTED_PROXY_COUNT})."
    )

# Request bodies. The largest legitimate one is the visits import: a CSV of at most 20 MB
# (assessments.forms.MAX_IMPORT_BYTES) and its form. Anything larger is refused before it is
# read (config.middleware.refuse_oversized_requests); the reverse proxy should refuse it too.
LEGWORK_MAX_REQUEST_BYTES = env_int("LEGWORK_MAX_REQUEST_BYTES", 21 * 1024 * 1024)
# An upload within that limit stays in memory: an import file holds health data, and a
# temporary file on disk could outlive the request (a crash, a full disk).
FILE_UPLOAD_MAX_MEMORY_SIZE = LEGWORK_MAX_REQUEST_BYTES
# Fields other than files: Django's default, far above any of Legwork's forms.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Browser features no page uses: refused to every page and frame (config.middleware).
PERMISSIONS_POLICY = [
    "accelerometer",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
    "xr-spatial-tracking",
]

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, so
# an injected <script> cannot run. Inline SVG charts are markup, not scripts, and are allowed.
# One inline <style>, the public pages' (includes/public_head.html), allowed by its hash: not a
# nonce, so that these pages stay the same for everyone (the password reset's answer must not
# differ between a known and an unknown address).
PUBLIC_STYLES_HASH = "'sha256-{}'".format(
    base64.b64encode(
        hashlib.sha256((BASE_DIR / "templates/includes/public_styles.css").read_bytes()).digest()
    ).decode()
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", PUBLIC_STYLES_HASH],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Logs go to the console (the process manager collects them); no identifiers in messages.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request errors are logged with the path only (which carries random UUIDs, not names).
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

LEGWORK_PATIENT_MIN_AGE = 18
LEGWORK_PATIENT_MAX_AGE = 110
LEGWORK_PAGE_SIZE = 25
