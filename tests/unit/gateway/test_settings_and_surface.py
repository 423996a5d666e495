"""The gateway's settings fail fast, and its public face stays what it is on purpose."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import learnflow.gateway
from learnflow.events import ConfigurationError
from learnflow.gateway import gateway_settings

ISSUER = "https://login.example.test/realms/learnflow"


@pytest.fixture(autouse=True)
def _no_gateway_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("LEARNFLOW_GATEWAY_")]:
        monkeypatch.delenv(name)


def _dev(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEARNFLOW_GATEWAY_DEV_SESSIONS", "true")


def _provider(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEARNFLOW_GATEWAY_OIDC_ISSUER", ISSUER)
    monkeypatch.setenv("LEARNFLOW_GATEWAY_OIDC_AUDIENCE", "learnflow-gateway")


def test_a_gateway_with_neither_an_issuer_nor_dev_sessions_names_the_issuer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEARNFLOW_GATEWAY_JWT_KEY", "k" * 40)  # a shared key alone is not enough
    with pytest.raises(ConfigurationError, match=r"LEARNFLOW_GATEWAY_OIDC_ISSUER.*dev sessions only"):
        gateway_settings()


def test_an_issuer_needs_an_audience(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEARNFLOW_GATEWAY_OIDC_ISSUER", ISSUER)
    with pytest.raises(ConfigurationError, match="LEARNFLOW_GATEWAY_OIDC_AUDIENCE"):
        gateway_settings()


@pytest.mark.parametrize(
    ("name", "value"),
    [("LEARNFLOW_GATEWAY_DEV_SESSIONS", "true"), ("LEARNFLOW_GATEWAY_JWT_KEY", "k" * 40)],
)
def test_an_issuer_excludes_the_laptops_shared_key_and_minting(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    _provider(monkeypatch)
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match="excludes"):
        gateway_settings()


def test_a_provider_gateway_needs_no_key_and_has_the_documented_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    _provider(monkeypatch)
    s = gateway_settings()
    assert s.oidc and s.oidc_user_claim == "sub" and s.oidc_jwks_url == ""
    assert (s.jwks_cooldown_s, s.jwks_max_age_s, s.token_leeway_s) == (30.0, 300.0, 30.0)
    assert (s.max_streams, s.max_in_flight, s.max_per_minute, s.max_body_bytes) == (4, 3, 20, 256 * 1024)
    assert s.in_flight_ceiling_s == 30 * 4 + 1 + 2 + 4  # code execution's delivery: timeout x attempts + backoff
    assert s.allowed_origins == [] and s.cookie_samesite == "strict"


@pytest.mark.parametrize("origins", ["*", "null", "https://app.example.test/path", "app.example.test"])
def test_cors_origins_must_be_origins(monkeypatch: pytest.MonkeyPatch, origins: str) -> None:
    _provider(monkeypatch)
    monkeypatch.setenv("LEARNFLOW_GATEWAY_CORS_ORIGINS", origins)
    with pytest.raises(ConfigurationError, match="LEARNFLOW_GATEWAY_CORS_ORIGINS"):
        gateway_settings()


def test_cors_origins_are_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    _provider(monkeypatch)
    monkeypatch.setenv("LEARNFLOW_GATEWAY_CORS_ORIGINS", "https://app.example.test, https://learn.example.test:8443/")
    assert gateway_settings().allowed_origins == ["https://app.example.test", "https://learn.example.test:8443"]


def test_a_same_site_none_cookie_must_be_secure(monkeypatch: pytest.MonkeyPatch) -> None:
    _provider(monkeypatch)
    monkeypatch.setenv("LEARNFLOW_GATEWAY_COOKIE_SAMESITE", "none")
    monkeypatch.setenv("LEARNFLOW_GATEWAY_COOKIE_SECURE", "false")
    with pytest.raises(ConfigurationError, match="needs LEARNFLOW_GATEWAY_COOKIE_SECURE"):
        gateway_settings()


def test_a_missing_signing_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    _dev(monkeypatch)
    with pytest.raises(ConfigurationError, match="LEARNFLOW_GATEWAY_JWT_KEY"):
        gateway_settings()


def test_a_short_signing_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _dev(monkeypatch)
    monkeypatch.setenv("LEARNFLOW_GATEWAY_JWT_KEY", "short")
    with pytest.raises(ConfigurationError, match="LEARNFLOW_GATEWAY_JWT_KEY"):
        gateway_settings()


def test_the_key_is_read_from_the_file_a_secret_is_mounted_as(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "signingKey").write_text("f" * 40 + "\n")
    _dev(monkeypatch)
    monkeypatch.setenv("LEARNFLOW_GATEWAY_JWT_KEY_FILE", str(tmp_path / "signingKey"))
    assert gateway_settings().jwt_key.get_secret_value() == "f" * 40


def test_a_key_file_that_cannot_be_read_names_the_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _dev(monkeypatch)
    monkeypatch.setenv("LEARNFLOW_GATEWAY_JWT_KEY_FILE", str(tmp_path / "absent"))
    with pytest.raises(ConfigurationError, match="LEARNFLOW_GATEWAY_JWT_KEY_FILE"):
        gateway_settings()


def test_cookies_are_secure_unless_switched_and_the_key_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    _dev(monkeypatch)
    monkeypatch.setenv("LEARNFLOW_GATEWAY_JWT_KEY", "k" * 32)
    settings = gateway_settings()
    assert settings.dev_sessions is True and not settings.oidc and settings.cookie_secure is True
    assert settings.keepalive_s == 15.0
    assert "k" * 32 not in repr(settings)  # the key never reaches a log line


def test_the_public_surface() -> None:
    assert sorted(learnflow.gateway.__all__) == sorted(
        [
            "COOKIE",
            "STREAMED",
            "STREAMED_TOPICS",
            "Cursor",
            "Gateway",
            "GatewaySettings",
            "InvalidCursor",
            "JwksKeys",
            "KeyCache",
            "KeysUnavailable",
            "LearnerLimits",
            "LimitPolicy",
            "LimitReached",
            "OidcVerifier",
            "RecentIds",
            "StreamEvent",
            "StreamState",
            "TokenRefused",
            "activity",
            "create_app",
            "gateway_settings",
            "in_write_order",
            "learner_id",
            "learner_partitions",
            "main",
            "mint_token",
            "partition_for",
            "serve",
            "stream_event",
            "submission",
            "verify_token",
        ]
    )
