"""Learner tokens from an OpenID Connect provider: RS256 or ES256, verified against its JWKS.

What a token must be, in the order it is checked (each failure is a 401 saying which):
a JWT whose header names RS256 or ES256 (never ``none``, never HS256: a public key is no
shared secret) and a ``kid`` the provider publishes; signed by that key with the one
algorithm the key is bound to; issued by the configured issuer, for the configured
audience; with ``exp`` in the future and ``nbf``, if present, in the past (both with a
small leeway for clocks); naming the learner in the configured claim.

The seed's userId is a UUID and many providers' subjects are not (Dex, Auth0), so a
claim value that is not a UUID in its canonical form maps to a stable UUID derived
from the issuer and the value (``learner_id``): any provider works, and one learner is
always the same userId.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, Protocol

import jwt
from jwt import PyJWK

from learnflow.gateway._tokens import NO_TOKEN, TokenRefused

ALGORITHMS = ("RS256", "ES256")
MAX_KID = 128
"""Longer than any provider's key id: a longer one is refused before it reaches the cache."""


class KeySource(Protocol):
    async def key(self, kid: str, now: float) -> PyJWK | None: ...


def learner_id(issuer: str, value: object) -> uuid.UUID:
    """The userId a claim value names: itself if a canonical UUID, else derived from issuer and value.

    Only the canonical form passes through: ``uuid.UUID`` also parses upper case, braces and
    ``urn:uuid:``, and a provider's subjects are case-sensitive strings, so two distinct
    subjects must never become one learner. Derived ids are UUIDv5 in a namespace of the
    issuer, so the same subject from another issuer is another learner.
    """
    if not isinstance(value, str) or not value:
        raise TokenRefused("invalid learner token: the userId claim is missing or not a string")
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        parsed = None
    if parsed is not None and str(parsed) == value:
        return parsed
    return uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, issuer), value)


def check_times(claims: Mapping[str, Any], now: float, leeway_s: float) -> None:
    """``exp`` required and in the future, ``nbf`` if present in the past, both within ``leeway_s``."""
    for name in ("exp", "nbf"):
        value = claims.get(name)
        if value is None and name == "nbf":
            continue
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise TokenRefused(f"invalid learner token: {name} is missing or not a number")
    if now >= claims["exp"] + leeway_s:
        raise TokenRefused("the learner token has expired")
    nbf = claims.get("nbf")
    if nbf is not None and now < nbf - leeway_s:
        raise TokenRefused("the learner token is not valid yet (nbf)")


class OidcVerifier:
    """Verifies a provider's tokens and names their learner."""

    def __init__(self, keys: KeySource, *, issuer: str, audience: str, user_claim: str = "sub", leeway_s: float = 30.0) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.user_claim = user_claim
        self.leeway_s = leeway_s

    async def verify(self, token: str | None, now: float) -> uuid.UUID:
        """The learner ``token`` speaks for; TokenRefused with the reason otherwise.

        KeysUnavailable (from the key source) if the provider's keys were never had.
        """
        if not token:
            raise TokenRefused(NO_TOKEN)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise TokenRefused(f"invalid learner token: {exc}") from None
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            # Checked before any key is looked up: "none" and HS256 never reach a key.
            raise TokenRefused(f"invalid learner token: alg {str(alg)[:16]!r} is not accepted, only {' or '.join(ALGORITHMS)}")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid or len(kid) > MAX_KID:
            raise TokenRefused("invalid learner token: no usable kid in its header")
        key = await self.keys.key(kid, now)
        if key is None:
            raise TokenRefused(
                f"invalid learner token: signed with a key the identity provider does not publish (kid {kid[:64]!r})"
            )
        if key.algorithm_name != alg:  # RFC 8725 §3.1: each key with exactly one algorithm
            raise TokenRefused(f"invalid learner token: key {kid[:64]!r} verifies {key.algorithm_name}, not {alg}")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[key.algorithm_name],
                audience=self.audience,
                issuer=self.issuer,
                # exp and nbf are compared with ``now`` below, not PyJWT's own clock.
                options={"require": ["exp", "iss", "aud"], "verify_exp": False, "verify_nbf": False, "verify_iat": False},
            )
        except jwt.InvalidTokenError as exc:
            raise TokenRefused(f"invalid learner token: {exc}") from None
        check_times(claims, now, self.leeway_s)
        return learner_id(self.issuer, claims.get(self.user_claim))
