"""Hashing of staff passwords and anonymous-grievance PINs (argon2id)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# The PIN of an anonymous complaint is 4 digits: no hashing cost keeps a stolen hash from
# giving up one of 10,000 values, and what stops guessing is the limit on tries per
# reference (casework/abuse_limits.py). At the passwords' cost (a tenth of a second of a
# worker's CPU) every PIN try, right or wrong, would be a cheap way to load the service;
# at this one it takes a few milliseconds. Still argon2id, salted; `verify_secret` reads
# the cost from each hash, so PINs hashed at the old cost still open their cases.
_pin_hasher = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def hash_pin(pin: str) -> str:
    """A complaint PIN's hash (checked with `verify_secret`)."""
    return _pin_hasher.hash(pin)


def verify_secret(secret_hash: str | None, secret: str) -> bool:
    if not secret_hash:
        return False
    try:
        return _hasher.verify(secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False
