"""Password hashing with Argon2id (memory-hard)."""
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_app_context

_strong = PasswordHasher()  # library defaults: Argon2id, 64 MiB, t=3
# Test runs hash hundreds of passwords; they use a cheap but still Argon2id setting.
_fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
# Verified against when the username is unknown, so timing does not reveal which usernames exist. One decoy
# per hasher, made with that hasher's own parameters (a verification costs what the hash's parameters say,
# whichever hasher runs it): an unknown user costs exactly what a stored hash costs.
_decoys = {}

MIN_LENGTH = 10


def _hasher():
    if has_app_context() and current_app.config.get("CMS_PASSWORD_HASH_FAST"):
        return _fast
    return _strong


def hash_password(password: str) -> str:
    """Hash ``password`` for storage."""
    return _hasher().hash(password)


def decoy_hash(hasher=None) -> str:
    """A hash of a random secret with the current hasher's parameters (made once per process)."""
    hasher = hasher or _hasher()
    key = id(hasher)
    if key not in _decoys:
        _decoys[key] = hasher.hash(secrets.token_urlsafe(24))
    return _decoys[key]


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check ``password`` against ``stored_hash``; an unknown user still costs a verification."""
    hasher = _hasher()
    try:
        return hasher.verify(stored_hash or decoy_hash(hasher), password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _classes(password):
    """How many of lower-case letters, upper-case letters, digits and other characters ``password`` uses."""
    kinds = set()
    for ch in password:
        if ch.isascii() and ch.islower():
            kinds.add("lower")
        elif ch.isascii() and ch.isupper():
            kinds.add("upper")
        elif ch.isdigit():
            kinds.add("digit")
        else:
            kinds.add("other")  # punctuation, spaces, Chinese characters
    return len(kinds)


def password_problem(password: str) -> str | None:
    """Return why ``password`` is too weak (a message for the user), or None.

    The rule: at least MIN_LENGTH characters, not in the bundled list of common passwords, and at least two
    kinds of characters (lower-case, upper-case, digits, others such as symbols or Chinese characters).
    """
    from cms.accounts.common_passwords import COMMON_PASSWORDS

    password = password or ""
    if len(password) < MIN_LENGTH:
        return f"密码至少需要 {MIN_LENGTH} 个字符"
    if password.lower() in COMMON_PASSWORDS:
        return "密码过于常见，容易被猜中，请换一个"
    if _classes(password) < 2:
        return "密码不能只由一类字符组成（如全是小写字母或全是数字），请混合使用字母、数字或符号"
    return None
