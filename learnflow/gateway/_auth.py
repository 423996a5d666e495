"""Who a request speaks for, and whether that learner may use the path it names.

A token is accepted as ``Authorization: Bearer <token>`` or, because a browser's
EventSource cannot set headers, in an HttpOnly cookie that page scripts cannot read.
Which tokens are good is the verifier's business: the identity provider's (``_oidc``)
in a cluster, the laptop's shared key (``_tokens``) under ``learnflow up``.
"""

from __future__ import annotations

import uuid
from typing import Protocol

import jwt
from starlette.requests import Request

from learnflow.events import FieldError
from learnflow.gateway._http import Refusal
from learnflow.gateway._jwks import JwksKeys, KeyCache, KeysUnavailable
from learnflow.gateway._oidc import ALGORITHMS, OidcVerifier
from learnflow.gateway._settings import GatewaySettings
from learnflow.gateway._tokens import TokenRefused, verify_token

COOKIE = "learnflow_token"


class Verifier(Protocol):
    async def verify(self, token: str | None, now: float) -> uuid.UUID:
        """The learner ``token`` speaks for; TokenRefused (401) or KeysUnavailable (503) otherwise."""
        ...


class SharedKeyVerifier:
    """The laptop's HS256 tokens, minted by this gateway's dev sessions."""

    def __init__(self, key: str) -> None:
        self._key = key

    async def verify(self, token: str | None, now: float) -> uuid.UUID:
        return verify_token(token, self._key, now=now)


def verifier_for(settings: GatewaySettings) -> Verifier:
    """The identity provider's verifier when an issuer is configured, else the laptop's."""
    if not settings.oidc:
        return SharedKeyVerifier(settings.jwt_key.get_secret_value())
    cache = KeyCache(algorithms=ALGORITHMS, max_age_s=settings.jwks_max_age_s, cooldown_s=settings.jwks_cooldown_s)
    keys = JwksKeys(cache, issuer=settings.oidc_issuer, jwks_url=settings.oidc_jwks_url or None)
    return OidcVerifier(
        keys,
        issuer=settings.oidc_issuer,
        audience=settings.oidc_audience,
        user_claim=settings.oidc_user_claim,
        leeway_s=settings.token_leeway_s,
    )


def presented_token(request: Request) -> str | None:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.cookies.get(COOKIE) or None


def token_expiry(token: str) -> float | None:
    """The ``exp`` of a token that was already verified (for the cookie's Max-Age)."""
    exp = jwt.decode(token, options={"verify_signature": False}).get("exp")
    return float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None


async def authenticated(request: Request, verifier: Verifier, now: float) -> uuid.UUID:
    """The learner the request's token names; Refusal 401 without a valid one."""
    try:
        return await verifier.verify(presented_token(request), now)
    except TokenRefused as exc:
        raise Refusal(401, "unauthorized", exc.reason) from None
    except KeysUnavailable as exc:
        # Not the learner's fault: a retry may succeed, a 401 would send them to log in again.
        raise Refusal(503, "identity_provider_unavailable", str(exc), headers={"Retry-After": "5"}) from None


async def authorized(request: Request, verifier: Verifier, now: float) -> uuid.UUID:
    """The learner of ``/learners/{userId}/...`` if the token is theirs: 401, then 400, then 403."""
    learner = await authenticated(request, verifier, now)
    raw = request.path_params["user_id"]
    try:
        wanted = uuid.UUID(raw)
    except ValueError:
        raise Refusal(400, "invalid_request", "userId in the path is not a UUID", [FieldError("userId", "not a UUID")]) from None
    if wanted != learner:
        raise Refusal(403, "forbidden", "a learner reads and writes only their own stream")
    return learner
