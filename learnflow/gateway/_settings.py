"""The gateway's settings, read from the environment once and validated at start-up.

Learners' tokens come one of two ways, never both:

- in a cluster, from an OpenID Connect provider: ``LEARNFLOW_GATEWAY_OIDC_ISSUER`` and
  ``..._AUDIENCE`` (RS256/ES256 against its JWKS, from ``..._JWKS_URL`` or the issuer's
  discovery document). A manifest check refuses a cluster manifest without the issuer;
- on the laptop, HS256 with a shared key that ``learnflow up`` makes up per run, and only
  with dev sessions on (``POST /session`` mints tokens). A manifest check refuses the flag.

The per-learner limits' defaults are explained field by field below and in the README.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator

from learnflow.gateway._http import MAX_BODY_BYTES
from learnflow.serverless import EnvSettings, load_settings

MIN_KEY_BYTES = 32
"""HS256 keys shorter than the hash (32 bytes) are guessable; PyJWT warns below it, we refuse."""


DELIVERY_TIMEOUT_S = 30
DELIVERY_ATTEMPTS = 4
DELIVERY_BACKOFF_S = 1 + 2 + 4
IN_FLIGHT_CEILING_S = DELIVERY_TIMEOUT_S * DELIVERY_ATTEMPTS + DELIVERY_BACKOFF_S
"""The longest code execution's KafkaSource keeps trying one submission (eventing/sources/
code-execution.yaml: timeout PT30S, retry 3, backoff 0.5 s doubled): 127 s. Past it the
run was dead-lettered and no result will come, so it stops counting as in flight."""


class GatewaySettings(EnvSettings):
    # The exercise catalogue GET /exercises lists (a file, as the functions read it); none: empty.
    exercises: Path | None = Field(None, validation_alias="LEARNFLOW_EXERCISES")

    # -- tokens from an identity provider (the cluster) --------------------------------------
    oidc_issuer: str = Field("", validation_alias="LEARNFLOW_GATEWAY_OIDC_ISSUER")
    oidc_audience: str = Field("", validation_alias="LEARNFLOW_GATEWAY_OIDC_AUDIENCE")
    # Empty: the jwks_uri of the issuer's discovery document (read once).
    oidc_jwks_url: str = Field("", validation_alias="LEARNFLOW_GATEWAY_OIDC_JWKS_URL")
    # The claim naming the learner; a value that is not a UUID maps to one (DESIGN §4).
    oidc_user_claim: str = Field("sub", min_length=1, validation_alias="LEARNFLOW_GATEWAY_OIDC_USER_CLAIM")
    # An unknown kid fetches the JWKS again at most this often (PyJWT, panva/jose and the
    # go-oidc proposal all use 30 s): random kids cannot make the gateway hammer the provider,
    # and a key the provider just rotated in is accepted within this long.
    jwks_cooldown_s: float = Field(30.0, ge=0.5, le=3600, validation_alias="LEARNFLOW_GATEWAY_JWKS_COOLDOWN_S")
    # A held set is fetched again after this long, so a key the provider removed stops
    # verifying within it (PyJWKClient's lifespan default).
    jwks_max_age_s: float = Field(300.0, ge=1, le=86_400, validation_alias="LEARNFLOW_GATEWAY_JWKS_MAX_AGE_S")
    # Clock skew allowed on exp and nbf; RFC 7519 says "usually no more than a few minutes".
    token_leeway_s: float = Field(30.0, ge=0, le=300, validation_alias="LEARNFLOW_GATEWAY_TOKEN_LEEWAY_S")

    # -- limits per learner (README, "Limits per learner") -----------------------------------
    # Two tabs of the page, each with room for a reconnect that overlaps its old stream until
    # the gateway notices the old one is gone (at the next keep-alive comment).
    max_streams: int = Field(4, ge=1, le=1000, validation_alias="LEARNFLOW_GATEWAY_MAX_STREAMS")
    # A double click and a fix-and-rerun while a slow run (an endless loop holds the sandbox
    # for its 5 s wall) is still going; 3 of the class's 50 concurrent runs at most.
    max_in_flight: int = Field(3, ge=1, le=1000, validation_alias="LEARNFLOW_GATEWAY_MAX_IN_FLIGHT")
    # One run every 3 s, faster than anyone edits code by hand; a script looping on the
    # endpoint is stopped within its first minute.
    max_per_minute: int = Field(20, ge=1, le=100_000, validation_alias="LEARNFLOW_GATEWAY_MAX_PER_MINUTE")
    in_flight_ceiling_s: float = Field(
        float(IN_FLIGHT_CEILING_S), ge=1, le=3600, validation_alias="LEARNFLOW_GATEWAY_IN_FLIGHT_CEILING_S"
    )
    max_body_bytes: int = Field(MAX_BODY_BYTES, ge=1024, le=16 << 20, validation_alias="LEARNFLOW_GATEWAY_MAX_BODY_BYTES")

    # -- a frontend on another origin --------------------------------------------------------
    # Comma-separated origins (scheme://host[:port]) allowed to call with credentials; empty:
    # same origin only. Never "*" or "null" (a credentialed wildcard reflects any site).
    cors_origins: str = Field("", validation_alias="LEARNFLOW_GATEWAY_CORS_ORIGINS")
    # Strict suits a frontend on the same site (a sibling subdomain); None lets a frontend
    # on another site open the stream with the cookie, and requires Secure.
    cookie_samesite: Literal["strict", "lax", "none"] = Field("strict", validation_alias="LEARNFLOW_GATEWAY_COOKIE_SAMESITE")

    # -- laptop tokens (learnflow up) ---------------------------------------------------------
    jwt_key: SecretStr = Field(SecretStr(""), validation_alias="LEARNFLOW_GATEWAY_JWT_KEY")
    # Or the key in a file (a mounted Secret, say): an environment variable shows in crash
    # dumps and in every child process.
    jwt_key_file: Path | None = Field(None, validation_alias="LEARNFLOW_GATEWAY_JWT_KEY_FILE")
    dev_sessions: bool = Field(False, validation_alias="LEARNFLOW_GATEWAY_DEV_SESSIONS")
    token_ttl_s: int = Field(3600, gt=0, le=7 * 24 * 3600, validation_alias="LEARNFLOW_GATEWAY_TOKEN_TTL_S")
    # Browsers send a Secure cookie over HTTPS only (the cluster's route); the laptop is plain HTTP.
    cookie_secure: bool = Field(True, validation_alias="LEARNFLOW_GATEWAY_COOKIE_SECURE")
    # A comment line this often keeps proxies from closing an idle stream.
    keepalive_s: float = Field(15.0, gt=0, le=300, validation_alias="LEARNFLOW_GATEWAY_KEEPALIVE_S")
    # A stream whose reader falls this many events behind is closed; the browser resumes it
    # from its cursor, reading Kafka instead of holding the backlog in memory.
    stream_buffer: int = Field(10_000, ge=16, validation_alias="LEARNFLOW_GATEWAY_STREAM_BUFFER")
    # Before a resume cursor, this many records of the learner's partition are read back
    # to recognise redelivered duplicates of events the browser already has.
    dedup_lookback: int = Field(500, ge=0, le=100_000, validation_alias="LEARNFLOW_GATEWAY_DEDUP_LOOKBACK")
    # Concurrent resumes reading Kafka; more wait (a restart reconnects every stream at once).
    history_readers: int = Field(4, ge=1, le=64, validation_alias="LEARNFLOW_GATEWAY_HISTORY_READERS")

    @property
    def oidc(self) -> bool:
        """Tokens come from an identity provider (else: the laptop's HS256 dev sessions)."""
        return bool(self.oidc_issuer)

    @property
    def allowed_origins(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip()]

    @model_validator(mode="after")
    def _one_way_to_tokens(self) -> GatewaySettings:
        if self.cookie_samesite == "none" and not self.cookie_secure:
            raise ValueError(
                "LEARNFLOW_GATEWAY_COOKIE_SAMESITE=none needs LEARNFLOW_GATEWAY_COOKIE_SECURE=true (browsers drop it)"
            )
        for origin in self.allowed_origins:
            if origin in ("*", "null") or not origin.startswith(("https://", "http://")) or origin.count("/") != 2:
                raise ValueError(f"LEARNFLOW_GATEWAY_CORS_ORIGINS: {origin!r} is not an origin (scheme://host[:port])")
        if self.oidc:
            return self._check_oidc()
        if not self.dev_sessions:
            raise ValueError(
                "set LEARNFLOW_GATEWAY_OIDC_ISSUER and LEARNFLOW_GATEWAY_OIDC_AUDIENCE (learners' tokens from the identity "
                "provider); a shared HS256 key is for learnflow up's dev sessions only (LEARNFLOW_GATEWAY_DEV_SESSIONS=true)"
            )
        return self._key_from_file()

    def _check_oidc(self) -> GatewaySettings:
        if not self.oidc_audience:
            raise ValueError("LEARNFLOW_GATEWAY_OIDC_AUDIENCE: required with an issuer (tokens for other services are refused)")
        if self.dev_sessions or self.jwt_key.get_secret_value() or self.jwt_key_file is not None:
            raise ValueError(
                "LEARNFLOW_GATEWAY_OIDC_ISSUER excludes LEARNFLOW_GATEWAY_DEV_SESSIONS and LEARNFLOW_GATEWAY_JWT_KEY(_FILE): "
                "an HS256 key beside the provider's keys would let whoever holds it sign in as anyone"
            )
        for name, url in (("ISSUER", self.oidc_issuer), ("JWKS_URL", self.oidc_jwks_url)):
            if url and not url.startswith(("https://", "http://")):
                raise ValueError(f"LEARNFLOW_GATEWAY_OIDC_{name}: {url!r} is not an http(s) URL")
        return self

    def _key_from_file(self) -> GatewaySettings:
        if not self.jwt_key.get_secret_value() and self.jwt_key_file is not None:
            try:
                key = self.jwt_key_file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ValueError(f"LEARNFLOW_GATEWAY_JWT_KEY_FILE: cannot read {self.jwt_key_file}: {exc.strerror}") from exc
            object.__setattr__(self, "jwt_key", SecretStr(key))  # frozen settings: set once, here
        if len(self.jwt_key.get_secret_value().encode()) < MIN_KEY_BYTES:
            raise ValueError(
                f"LEARNFLOW_GATEWAY_JWT_KEY (or the file LEARNFLOW_GATEWAY_JWT_KEY_FILE names): "
                f"a signing key of at least {MIN_KEY_BYTES} bytes is required"
            )
        return self


def gateway_settings(**overrides: object) -> GatewaySettings:
    """Settings from the environment (``overrides`` by variable name); ConfigurationError names a bad one."""
    return load_settings(GatewaySettings, **overrides)
