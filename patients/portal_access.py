"""Patients' portal access: the codes (made, hashed and checked here, and nowhere else), the
limits on guessing them, and the shape of a patient's login name. No Django import."""

import hashlib
import re
import secrets

# No 0/O, 1/I/L: the code is read aloud, printed and typed on basic phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
VALID_DAYS = 7

# Wrong codes typed for one study ID before its outstanding code is retired for good (even the
# right code is then refused, and the clinic issues a new one). Guessing an 8-character code
# in 10 tries is hopeless; a patient who mistypes 10 times needs the clinic anyway.
WRONG_TRIES_BEFORE_RETIRING = 10
# Wrong codes one address may type across all study IDs (django-ratelimit's "count/period"):
# a clinic's shared Wi-Fi sees a few typos per patient, never dozens an hour.
WRONG_CODES_PER_ADDRESS = "20/h"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# A patient's login name is their study ID and their clinic's short name (slug):
# "KAN-0042@kano". Study IDs are unique only within a clinic, so a bare study ID as a login
# name let one clinic see (and take) another clinic's names. Staff usernames may not have this
# shape (patients.models.User.clean), so no staff account can take or reveal a patient's.
# docs/decisions/0003-patient-logins-carry-the-clinic.md
_PATIENT_LOGIN = re.compile(r"[A-Za-z0-9._-]+@[A-Za-z0-9_-]+", re.ASCII)


def login_name(study_id: str, clinic_slug: str) -> str:
    return f"{study_id.strip().upper()}@{clinic_slug.strip().lower()}"


def tidy_login_name(typed: str) -> str:
    """As typed, without spaces anywhere (phone keyboards add one after "@" or a hyphen)."""
    return "".join(typed.split())


def is_patient_login_name(name: str) -> bool:
    """Whether `name` has the shape of a patient's login name ("study ID@clinic"). An e-mail
    address ("amina@clinic.org") does not: a clinic's short name has no dot."""
    return bool(_PATIENT_LOGIN.fullmatch(name.strip()))


def split_login_name(typed: str) -> tuple[str, str]:
    """(study ID, clinic short name) from a login name; a bare study ID gives no clinic."""
    study_id, _, clinic_slug = tidy_login_name(typed).partition("@")
    return study_id, clinic_slug
