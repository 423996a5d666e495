"""Learner tokens: who a token speaks for, and every way one is refused."""

from __future__ import annotations

import uuid

import jwt
import pytest

from learnflow.gateway import TokenRefused, mint_token, verify_token

KEY = "k" * 48
NOW = 1_800_000_000.0


def test_a_minted_token_names_its_learner() -> None:
    learner = uuid.uuid4()
    assert verify_token(mint_token(learner, KEY, now=NOW, ttl_s=60), KEY, now=NOW + 59) == learner


@pytest.mark.parametrize("token", [None, ""])
def test_no_token_is_refused(token: str | None) -> None:
    with pytest.raises(TokenRefused, match="no learner token"):
        verify_token(token, KEY, now=NOW)


def test_an_expired_token_is_refused_at_its_expiry() -> None:
    token = mint_token(uuid.uuid4(), KEY, now=NOW, ttl_s=60)
    with pytest.raises(TokenRefused, match="expired"):
        verify_token(token, KEY, now=NOW + 60)


def test_a_token_signed_with_another_key_is_refused() -> None:
    token = mint_token(uuid.uuid4(), "x" * 48, now=NOW, ttl_s=60)
    with pytest.raises(TokenRefused, match="Signature verification failed"):
        verify_token(token, KEY, now=NOW)


def test_an_unsigned_token_is_refused() -> None:
    token = jwt.encode({"sub": str(uuid.uuid4()), "aud": "learnflow-gateway", "exp": NOW + 60}, None, algorithm="none")
    with pytest.raises(TokenRefused, match="invalid learner token"):
        verify_token(token, KEY, now=NOW)


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"aud": "learnflow-gateway", "exp": NOW + 60}, "sub"),
        ({"sub": "someone", "aud": "learnflow-gateway", "exp": NOW + 60}, "not a userId"),
        ({"sub": str(uuid.uuid4()), "exp": NOW + 60}, "aud"),
        ({"sub": str(uuid.uuid4()), "aud": "another-service", "exp": NOW + 60}, "Audience"),
        ({"sub": str(uuid.uuid4()), "aud": "learnflow-gateway"}, "exp"),
    ],
)
def test_a_token_without_its_claims_is_refused(claims: dict[str, object], reason: str) -> None:
    with pytest.raises(TokenRefused, match=reason):
        verify_token(jwt.encode(claims, KEY, algorithm="HS256"), KEY, now=NOW)


def test_garbage_is_refused() -> None:
    with pytest.raises(TokenRefused, match="invalid learner token"):
        verify_token("not.a.token", KEY, now=NOW)
