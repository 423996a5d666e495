"""The gateway's settings, read from the environment once and validated at start-up.

The signing key is a Kubernetes Secret in the cluster; ``learnflow up`` makes one up
per run. Minting tokens (``POST /session``) is a laptop convenience that the cluster
manifests never switch on (a manifest check refuses it).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, model_validator

from learnflow.serverless import EnvSettings, load_settings

MIN_KEY_BYTES = 32
"""HS256 keys shorter than the hash (32 bytes) are guessable; PyJWT warns below it, we refuse."""


class GatewaySettings(EnvSettings):
    jwt_key: SecretStr = Field(SecretStr(""), validation_alias="LEARNFLOW_GATEWAY_JWT_KEY")
    # In the cluster the key is the Secret mounted as a file (an environment variable shows in
    # the pod spec, in crash dumps and in every child process); the variable is for the laptop.
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

    @model_validator(mode="after")
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
