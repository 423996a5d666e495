"""Provider tokens, every way one is refused, and the key cache's fetching rules; clock passed in.

The keys are served by a fake key source (``FakeFetch``) that counts fetches, so the
fetch bounds are proven without sockets; tests/e2e/gateway/test_identity.py repeats
the cases over HTTP against a JWKS served by the test.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from learnflow.gateway import JwksKeys, KeyCache, KeysUnavailable, OidcVerifier, TokenRefused, learner_id
from learnflow.gateway._jwks import usable_keys
from learnflow.gateway._oidc import ALGORITHMS, check_times

from ...support.oidc import Provider, SigningKey

ISSUER = "https://login.example.test/realms/learnflow"
NOW = 1_800_000_000.0
RSA, EC = SigningKey.rsa("rsa-1"), SigningKey.ec("ec-1")


class FakeFetch:
    """The provider's JWKS (and discovery document) by URL, counting what is fetched."""

    def __init__(self, provider: Provider, *, fail: bool = False) -> None:
        self.provider = provider
        self.fail = fail
        self.urls: list[str] = []

    async def __call__(self, url: str) -> Mapping[str, Any]:
        self.urls.append(url)
        if self.fail:
            raise OSError("connection refused")
        if url.endswith("/.well-known/openid-configuration"):
            return {"issuer": self.provider.issuer, "jwks_uri": "https://login.example.test/certs"}
        return self.provider.jwks()

    @property
    def jwks_fetches(self) -> int:
        return sum(1 for u in self.urls if u.endswith("/certs"))


def _setup(*keys: SigningKey, cooldown_s: float = 30.0, max_age_s: float = 300.0) -> tuple[Provider, FakeFetch, OidcVerifier]:
    provider = Provider(issuer=ISSUER, keys=list(keys or (RSA, EC)))
    fetch = FakeFetch(provider)
    cache = KeyCache(algorithms=ALGORITHMS, max_age_s=max_age_s, cooldown_s=cooldown_s)
    source = JwksKeys(cache, issuer=ISSUER, jwks_url="https://login.example.test/certs", fetch=fetch)
    return provider, fetch, OidcVerifier(source, issuer=ISSUER, audience=provider.audience)


def _verify(verifier: OidcVerifier, token: str | None, now: float = NOW) -> uuid.UUID:
    return asyncio.run(verifier.verify(token, now))


def _refused(verifier: OidcVerifier, token: str, match: str, now: float = NOW) -> None:
    with pytest.raises(TokenRefused, match=match):
        _verify(verifier, token, now)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


LEARNER = str(uuid.uuid4())


# -- accepted ------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [RSA, EC], ids=["RS256", "ES256"])
def test_a_valid_token_names_its_learner(key: SigningKey) -> None:
    provider, fetch, verifier = _setup()
    assert _verify(verifier, provider.token(LEARNER, key, **provider.claims(LEARNER, now=NOW))) == uuid.UUID(LEARNER)
    assert fetch.jwks_fetches == 1


def test_a_subject_that_is_not_a_uuid_maps_to_a_stable_uuid_of_issuer_and_subject() -> None:
    provider, _, verifier = _setup()
    subject = "auth0|6553f0a1b2"
    first = _verify(verifier, provider.token(subject, **provider.claims(subject, now=NOW)))
    again = _verify(verifier, provider.token(subject, EC, **provider.claims(subject, now=NOW + 5)), NOW + 5)
    assert first == again == learner_id(ISSUER, subject)
    assert first.version == 5
    assert learner_id("https://other.example.test", subject) != first  # another issuer, another learner


def test_only_a_canonical_uuid_passes_through_as_itself() -> None:
    plain = uuid.uuid4()
    assert learner_id(ISSUER, str(plain)) == plain
    for variant in (str(plain).upper(), "{" + str(plain) + "}", "urn:uuid:" + str(plain), plain.hex):
        derived = learner_id(ISSUER, variant)
        assert derived != plain and derived == learner_id(ISSUER, variant)


def test_the_user_id_claim_is_configurable() -> None:
    provider, _, default = _setup()
    verifier = OidcVerifier(default.keys, issuer=ISSUER, audience=provider.audience, user_claim="learner_id")
    learner = uuid.uuid4()
    token = provider.token("service-account", **provider.claims("service-account", now=NOW), learner_id=str(learner))
    assert _verify(verifier, token) == learner
    _refused(verifier, provider.token(LEARNER, **provider.claims(LEARNER, now=NOW)), "userId claim is missing")


@pytest.mark.parametrize("value", [42, ["a"], "", None])
def test_a_user_id_claim_that_is_no_string_is_refused(value: object) -> None:
    with pytest.raises(TokenRefused, match="userId claim"):
        learner_id(ISSUER, value)


def test_leeway_covers_a_little_clock_skew_either_way() -> None:
    check_times({"exp": NOW, "nbf": NOW}, NOW + 29, 30)
    check_times({"exp": NOW + 60, "nbf": NOW + 29}, NOW, 30)


# -- refused ---------------------------------------------------------------------------------


def test_no_token_is_refused() -> None:
    _refused(_setup()[2], "", "no learner token")


def test_a_key_not_in_the_jwks_is_refused() -> None:
    provider, _, verifier = _setup()
    stranger = SigningKey.rsa("rsa-1")  # same kid as the published key, other key material
    _refused(verifier, provider.token(LEARNER, stranger, **provider.claims(LEARNER, now=NOW)), "Signature verification failed")


def test_hs256_signed_with_the_public_key_is_refused() -> None:
    provider, fetch, verifier = _setup()
    pem = RSA.private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": RSA.kid}).encode())
    body = _b64(json.dumps(provider.claims(LEARNER, now=NOW)).encode())
    signature = _b64(hmac.new(pem, f"{header}.{body}".encode(), hashlib.sha256).digest())
    _refused(verifier, f"{header}.{body}.{signature}", "alg 'HS256' is not accepted")
    assert fetch.urls == []  # refused before any key was looked up


def test_alg_none_is_refused() -> None:
    provider, fetch, verifier = _setup()
    header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": RSA.kid}).encode())
    body = _b64(json.dumps(provider.claims(LEARNER, now=NOW)).encode())
    _refused(verifier, f"{header}.{body}.", "alg 'none' is not accepted")
    assert fetch.urls == []


def test_a_header_alg_other_than_the_keys_is_refused() -> None:
    provider, _, verifier = _setup()
    token = jwt.encode(provider.claims(LEARNER, now=NOW), EC.private, algorithm="ES256", headers={"kid": RSA.kid})
    _refused(verifier, token, "verifies RS256, not ES256")


@pytest.mark.parametrize(
    ("claims", "match"),
    [
        ({"iss": "https://evil.example.test"}, "Invalid issuer"),
        ({"iss": ISSUER + "/"}, "Invalid issuer"),  # exact strings: a trailing slash is another issuer
        ({"aud": "another-service"}, "Audience doesn't match"),
        ({"exp": int(NOW) - 31}, "expired"),
        ({"nbf": int(NOW) + 31}, "not valid yet"),
    ],
    ids=["wrong-iss", "iss-with-slash", "wrong-aud", "expired", "not-yet-valid"],
)
def test_claims_out_of_bounds_are_refused(claims: dict[str, Any], match: str) -> None:
    provider, _, verifier = _setup()
    _refused(verifier, provider.token(LEARNER, **{**provider.claims(LEARNER, now=NOW), **claims}), match)


@pytest.mark.parametrize("missing", ["exp", "aud", "iss"])
def test_a_token_without_a_required_claim_is_refused(missing: str) -> None:
    provider, _, verifier = _setup()
    claims = provider.claims(LEARNER, now=NOW)
    del claims[missing]
    key = RSA
    token = jwt.encode(claims, key.private, algorithm=key.alg, headers={"kid": key.kid})
    _refused(verifier, token, f'"{missing}"|{missing}')


def test_a_token_without_kid_is_refused() -> None:
    provider, _, verifier = _setup()
    token = jwt.encode(provider.claims(LEARNER, now=NOW), RSA.private, algorithm="RS256")
    _refused(verifier, token, "no usable kid")


def test_garbage_is_refused() -> None:
    _refused(_setup()[2], "not.a.jwt", "invalid learner token")


# -- the key cache -----------------------------------------------------------------------------


def test_an_unknown_kid_refetches_once_after_the_cooldown_then_is_refused() -> None:
    provider, fetch, verifier = _setup(cooldown_s=30)
    _verify(verifier, provider.token(LEARNER, **provider.claims(LEARNER, now=NOW)))
    stranger = SigningKey.rsa("rotated-away")
    token = provider.token(LEARNER, stranger, **provider.claims(LEARNER, now=NOW))
    _refused(verifier, token, "does not publish", NOW + 1)
    assert fetch.jwks_fetches == 1  # within the cooldown: no fetch at all
    _refused(verifier, token, "does not publish", NOW + 31)
    assert fetch.jwks_fetches == 2  # one refresh, then 401


def test_a_rotated_in_key_is_accepted_at_the_first_lookup_after_the_cooldown() -> None:
    provider, _, verifier = _setup(cooldown_s=30)
    _verify(verifier, provider.token(LEARNER, **provider.claims(LEARNER, now=NOW)))
    new = SigningKey.ec("ec-2")
    provider.keys = [new]  # the provider rotated: the old keys are gone
    token = provider.token(LEARNER, new, **provider.claims(LEARNER, now=NOW + 31))
    assert _verify(verifier, token, NOW + 31) == uuid.UUID(LEARNER)
    old = provider.token(LEARNER, RSA, **provider.claims(LEARNER, now=NOW + 31))
    _refused(verifier, old, "does not publish", NOW + 32)


def test_random_kids_cost_at_most_one_fetch_per_cooldown() -> None:
    provider, fetch, verifier = _setup(cooldown_s=30)

    async def flood() -> None:
        for i in range(100):  # 100 tokens over 100 s, each with a kid nobody published
            token = provider.token(LEARNER, SigningKey(f"random-{uuid.uuid4().hex}", RSA.alg, RSA.private))
            with pytest.raises(TokenRefused):
                await verifier.verify(token, NOW + i)

    asyncio.run(flood())
    assert fetch.jwks_fetches <= 1 + 100 // 30  # the first, then one per 30 s at most


def test_concurrent_misses_share_one_fetch() -> None:
    provider, fetch, verifier = _setup()

    async def burst() -> list[uuid.UUID]:
        token = provider.token(LEARNER, **provider.claims(LEARNER, now=NOW))
        return await asyncio.gather(*(verifier.verify(token, NOW) for _ in range(20)))

    assert set(asyncio.run(burst())) == {uuid.UUID(LEARNER)}
    assert fetch.jwks_fetches == 1


def test_an_old_set_is_refetched_and_kept_when_the_provider_is_down() -> None:
    provider, fetch, verifier = _setup(max_age_s=300, cooldown_s=30)
    token = provider.token(LEARNER, **provider.claims(LEARNER, now=NOW, ttl_s=3600))
    _verify(verifier, token)
    fetch.fail = True
    assert _verify(verifier, token, NOW + 301) == uuid.UUID(LEARNER)  # stale keys rather than none
    assert fetch.jwks_fetches == 2


def test_keys_never_fetched_are_unavailable_not_a_bad_token() -> None:
    provider, fetch, verifier = _setup()
    fetch.fail = True
    with pytest.raises(KeysUnavailable):
        _verify(verifier, provider.token(LEARNER, **provider.claims(LEARNER, now=NOW)))


def test_discovery_gives_the_jwks_url_once_and_must_name_the_same_issuer() -> None:
    provider = Provider(issuer=ISSUER, keys=[RSA])
    fetch = FakeFetch(provider)
    source = JwksKeys(KeyCache(algorithms=ALGORITHMS, max_age_s=300, cooldown_s=0), issuer=ISSUER, jwks_url=None, fetch=fetch)
    verifier = OidcVerifier(source, issuer=ISSUER, audience=provider.audience)
    _verify(verifier, provider.token(LEARNER, **provider.claims(LEARNER, now=NOW)))
    assert fetch.urls == [ISSUER + "/.well-known/openid-configuration", "https://login.example.test/certs"]

    liar = Provider(issuer=ISSUER + "/", keys=[RSA])  # names another issuer in its document
    source = JwksKeys(
        KeyCache(algorithms=ALGORITHMS, max_age_s=300, cooldown_s=0), issuer=ISSUER, jwks_url=None, fetch=FakeFetch(liar)
    )
    with pytest.raises(KeysUnavailable):
        asyncio.run(source.key(RSA.kid, NOW))


def test_only_signing_keys_of_an_allowed_algorithm_and_with_a_kid_are_kept() -> None:
    jwks = {
        "keys": [
            RSA.jwk(),
            {**EC.jwk(), "use": "enc"},  # Keycloak's RSA-OAEP key is of this kind
            {k: v for k, v in SigningKey.rsa().jwk().items() if k != "kid"},
            {"kty": "oct", "k": _b64(b"s" * 32), "kid": "hmac", "alg": "HS256"},
            {"kty": "RSA", "kid": "broken", "n": "AQAB"},
            {**SigningKey.rsa("rs512").jwk(), "alg": "RS512"},
            {k: v for k, v in SigningKey.ec("no-alg").jwk().items() if k != "alg"},  # inferred: ES256
        ]
    }
    assert set(usable_keys(jwks, frozenset(ALGORITHMS))) == {RSA.kid, "no-alg"}
    assert usable_keys({"keys": "nope"}, frozenset(ALGORITHMS)) == {}
