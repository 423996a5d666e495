"""Laptop learner tokens: HS256 JWTs whose subject is the learner's userId.

Only for ``learnflow up``'s dev sessions, where the gateway mints them itself; in a
cluster tokens come from an OpenID Connect provider (``_oidc``).

Pure functions of a key, a clock value and a token: no request, no environment.
A refusal is always 401; whether a good token may read a given learner's stream
(403 otherwise) is the caller's comparison.
"""

from __future__ import annotations

import uuid

import jwt

ALGORITHM = "HS256"
AUDIENCE = "learnflow-gateway"
NO_TOKEN = "no learner token: send Authorization: Bearer <token> or the session cookie"


class TokenRefused(Exception):
    """The request carries no usable learner token (answered 401)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def mint_token(user_id: uuid.UUID, key: str, *, now: float, ttl_s: int) -> str:
    """A token for ``user_id``, valid from ``now`` (epoch seconds) for ``ttl_s`` seconds."""
    claims = {"sub": str(user_id), "aud": AUDIENCE, "iat": int(now), "exp": int(now) + ttl_s}
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def verify_token(token: str | None, key: str, *, now: float) -> uuid.UUID:
    """The learner a token speaks for; TokenRefused if it is missing, expired, forged or malformed."""
    if not token:
        raise TokenRefused(NO_TOKEN)
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],  # never the token's own choice ("none", RS/HS confusion)
            audience=AUDIENCE,
            # PyJWT would compare exp with the system clock; it is compared with ``now`` below.
            options={"require": ["sub", "exp", "aud"], "verify_exp": False, "verify_iat": False},
        )
    except jwt.InvalidTokenError as exc:
        raise TokenRefused(f"invalid learner token: {exc}") from None
    exp = claims["exp"]
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        raise TokenRefused("invalid learner token: exp is not a number")
    if now >= exp:
        raise TokenRefused("the learner token has expired")
    try:
        return uuid.UUID(str(claims["sub"]))
    except ValueError:
        raise TokenRefused("invalid learner token: its subject is not a userId") from None
