"""Password hashing with Argon2id (memory-hard)."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_app_context

_strong = PasswordHasher()  # library defaults: Argon2id, 64 MiB, t=3
# Test runs hash hundreds of passwords; they use a cheap but still Argon2id setting.
_fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
# Verified against when the username is unknown, so timing does not reveal which usernames exist.
_DUMMY_HASH = _fast.hash("dummy-password-for-timing")

MIN_LENGTH = 8


def _hasher():
    if has_app_context() and current_app.config.get("CMS_PASSWORD_HASH_FAST"):
        return _fast
    return _strong


def hash_password(password: str) -> str:
    """Hash ``password`` for storage."""
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check ``password`` against ``stored_hash``; an unknown user still costs a verification."""
    try:
        return _hasher().verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """Return why ``password`` is too weak, or None."""
    if len(password or "") < MIN_LENGTH:
        return f"密码至少需要 {MIN_LENGTH} 个字符"
    return None
