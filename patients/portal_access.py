"""Codes for patients' portal access: made, hashed and checked here, and nowhere else."""

import hashlib
import secrets

# No 0/O, 1/I/L: the code is read aloud, printed and typed on basic phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
VALID_DAYS = 7


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
