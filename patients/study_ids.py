"""What a study ID may be: the one rule, used by the model, the forms and the import.

A study ID is the key of every export and a patient's login name, so it is kept to characters
that survive a spreadsheet, a URL and Django's username rules, compared ignoring case, and
stored as normalised here (no Django import: tested on its own).
"""

import re

MAX_LENGTH = 30

# ASCII only: IDs that look alike must be alike (É and E, Cyrillic А and Latin A), in every
# spreadsheet and login.
# Checked on the text as typed, before upper-casing: "ß" or "ﬁ" would otherwise pass as the
# ASCII "SS" or "FI" they turn into, and be stored as something the user never typed.
_ALLOWED = re.compile(r"[A-Za-z0-9._-]+", re.ASCII)


def normalise(raw: str) -> str:
    """As stored and compared: without surrounding spaces, in capitals."""
    return raw.strip().upper()


def problem(raw: str) -> str | None:
    """Why `raw` cannot be a study ID, or None when it can."""
    value = normalise(raw)
    if not value:
        return "Give a study ID."
    if not _ALLOWED.fullmatch(raw.strip()):
        return "Use only letters A-Z, digits and - _ . with no spaces, e.g. KAN-0042."
    if len(value) > MAX_LENGTH:
        return f"A study ID has at most {MAX_LENGTH} characters (this one has {len(value)})."
    return None
