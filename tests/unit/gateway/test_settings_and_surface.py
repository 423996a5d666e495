"""The gateway's settings fail fast, and its public face stays what it is on purpose."""

from __future__ import annotations

from pathlib import Path

import pytest

import learnflow.gateway
from learnflow.events import ConfigurationError
from learnflow.gateway import gateway_settings


def test_a_missing_signing_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEARNFLOW_GATEWAY_JWT_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="LEARNFLOW_GATEWAY_JWT_KEY"):
        gateway_settings()


def test_a_short_signing_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEARNFLOW_GATEWAY_JWT_KEY", "short")
    with pytest.raises(ConfigurationError, match="LEARNFLOW_GATEWAY_JWT_KEY"):
        gateway_settings()


def test_the_key_is_read_from_the_file_a_secret_is_mounted_as(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "signingKey").write_text("f" * 40 + "\n")
    monkeypatch.delenv("LEARNFLOW_GATEWAY_JWT_KEY", raising=False)
    monkeypatch.setenv("LEARNFLOW_GATEWAY_JWT_KEY_FILE", str(tmp_path / "signingKey"))
    assert gateway_settings().jwt_key.get_secret_value() == "f" * 40


def test_a_key_file_that_cannot_be_read_names_the_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LEARNFLOW_GATEWAY_JWT_KEY", raising=False)
    monkeypatch.setenv("LEARNFLOW_GATEWAY_JWT_KEY_FILE", str(tmp_path / "absent"))
    with pytest.raises(ConfigurationError, match="LEARNFLOW_GATEWAY_JWT_KEY_FILE"):
        gateway_settings()


def test_minting_is_off_and_cookies_are_secure_unless_switched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEARNFLOW_GATEWAY_JWT_KEY", "k" * 32)
    settings = gateway_settings()
    assert settings.dev_sessions is False and settings.cookie_secure is True
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
            "RecentIds",
            "StreamEvent",
            "StreamState",
            "TokenRefused",
            "activity",
            "create_app",
            "gateway_settings",
            "in_write_order",
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
