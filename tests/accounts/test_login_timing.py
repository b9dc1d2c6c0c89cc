"""An unknown username costs what a real one costs: a real Argon2 verification with the stored hashes'
parameters (checked by watching the verifier, not with a stopwatch)."""
import argon2
import pytest

from cms.accounts.models import User
from cms.accounts.services import create_user
from cms.extensions import db


@pytest.fixture
def verified(monkeypatch):
    """The hashes each Argon2 verification was asked to check, with its outcome."""
    calls = []
    real = argon2.PasswordHasher.verify

    def spy(self, hash, password):
        try:
            result = real(self, hash, password)
        except argon2.exceptions.VerificationError:
            calls.append((argon2.extract_parameters(hash), False))
            raise
        calls.append((argon2.extract_parameters(hash), result))
        return result

    monkeypatch.setattr(argon2.PasswordHasher, "verify", spy)
    return calls


def _stored_parameters(username):
    return argon2.extract_parameters(User.query.filter_by(username=username).one().password_hash)


@pytest.mark.parametrize("surface", ["form", "api"])
def test_unknown_user_costs_one_verification_with_the_stored_parameters(client, demo, verified, surface):
    for username in ("editor", "nobody-here"):
        if surface == "form":
            response = client.post("/login", data={"username": username, "password": "Wrong-pass-123"})
        else:
            response = client.post("/api/v1/tokens", json={"username": username, "password": "Wrong-pass-123"})
        assert response.status_code == 401
    assert len(verified) == 2, verified
    (real_params, real_ok), (decoy_params, decoy_ok) = verified
    assert real_ok is False and decoy_ok is False
    assert real_params == _stored_parameters("editor")
    assert decoy_params == real_params


def test_decoy_follows_the_production_parameters(app, client, demo, verified, monkeypatch):
    """With the production hasher (64 MiB, t=3) the decoy is as expensive as a newly stored hash."""
    monkeypatch.setitem(app.config, "CMS_PASSWORD_HASH_FAST", False)
    create_user("strong", "强哈希用户", "Strong-pass-2026")
    db.session.commit()
    stored = _stored_parameters("strong")
    assert stored.memory_cost >= 64 * 1024 and stored.time_cost >= 3
    assert client.post("/login", data={"username": "ghost", "password": "Wrong-pass-123"}).status_code == 401
    assert client.post("/login", data={"username": "strong", "password": "Wrong-pass-123"}).status_code == 401
    assert [params for params, _ in verified] == [stored, stored]
