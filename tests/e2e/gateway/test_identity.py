"""The gateway with tokens from an identity provider, over HTTP, against a JWKS served by the test.

One gateway process for the module, configured as in a cluster (issuer, audience, the
JWKS found through the issuer's discovery document, no shared key, no minting), with a
1 s key-fetch cooldown so the bounded-refresh cases run in seconds. The provider is
``tests/support/oidc.py``'s JwksServer, a thread of this process, stopped at teardown.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization

from learnflow.gateway import COOKIE, learner_id
from learnflow.local._gateway_server import GatewayServer
from learnflow.serverless import KafkaSettings

from ...support.oidc import JwksServer, SigningKey
from ...support.sse import SseStream

COOLDOWN_S = 1.0
APP_ORIGIN = "https://app.example.test"
SUBMISSION = {"exerciseId": str(uuid.uuid4()), "code": "print('hi')", "language": "python"}


@pytest.fixture(scope="module")
def idp() -> Iterator[JwksServer]:
    with JwksServer() as server:
        yield server


@pytest.fixture(scope="module")
def gateway(kafka: KafkaSettings, idp: JwksServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayServer]:
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
        "KAFKA_BROKER_KIND": kafka.broker_kind.value,
        "LEARNFLOW_GATEWAY_OIDC_ISSUER": idp.provider.issuer,
        "LEARNFLOW_GATEWAY_OIDC_AUDIENCE": idp.provider.audience,
        "LEARNFLOW_GATEWAY_JWKS_COOLDOWN_S": str(COOLDOWN_S),
        "LEARNFLOW_GATEWAY_CORS_ORIGINS": APP_ORIGIN,
        "LEARNFLOW_GATEWAY_COOKIE_SAMESITE": "none",
        "LEARNFLOW_GATEWAY_COOKIE_SECURE": "true",
    }
    log = tmp_path_factory.mktemp("gateway-oidc") / "gateway.log"
    with GatewayServer(env=env, log_path=log) as server:  # stopped by PID even when a test fails
        yield server


@pytest.fixture
def client(gateway: GatewayServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=gateway.url, timeout=15) as http:
        yield http


def _whoami(client: httpx.Client, token: str) -> httpx.Response:
    return client.get("/session", headers={"Authorization": f"Bearer {token}"})


def _refused(client: httpx.Client, token: str, reason: str) -> None:
    response = _whoami(client, token)
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert reason in response.json()["reason"], response.json()["reason"]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _after_cooldown() -> None:
    time.sleep(COOLDOWN_S + 0.1)


# -- accepted ------------------------------------------------------------------------------


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
def test_a_valid_token_opens_the_learners_doors(client, idp: JwksServer, alg: str) -> None:
    key = next(k for k in idp.provider.keys if k.alg == alg)
    learner = str(uuid.uuid4())
    token = idp.provider.token(learner, key)
    assert _whoami(client, token).json() == {"userId": learner}
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post(f"/learners/{learner}/submissions", json=SUBMISSION, headers=headers).status_code == 202


def test_a_subject_that_is_not_a_uuid_is_a_stable_derived_learner(client, idp: JwksServer) -> None:
    subject = "auth0|6553f0a1b2c3"
    token = idp.provider.token(subject)
    derived = learner_id(idp.provider.issuer, subject)
    assert _whoami(client, token).json() == {"userId": str(derived)}
    assert _whoami(client, idp.provider.token(subject, idp.provider.keys[1])).json() == {"userId": str(derived)}
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post(f"/learners/{derived}/submissions", json=SUBMISSION, headers=headers).status_code == 202
    other = client.post(f"/learners/{uuid.uuid4()}/submissions", json=SUBMISSION, headers=headers)
    assert other.status_code == 403


def test_a_userid_claim_that_is_no_string_is_401(client, idp: JwksServer) -> None:
    _refused(client, idp.provider.token("x", sub=12345), "Subject must be a string")  # PyJWT checks sub itself


# -- refused ---------------------------------------------------------------------------------


def test_a_key_not_in_the_jwks_is_401(client, idp: JwksServer) -> None:
    impostor = SigningKey("impostor", "RS256", SigningKey.rsa().private)
    published = SigningKey(idp.provider.keys[0].kid, "RS256", SigningKey.rsa().private)  # a published kid, other key
    _refused(client, idp.provider.token(str(uuid.uuid4()), published), "Signature verification failed")
    _refused(client, idp.provider.token(str(uuid.uuid4()), impostor), "does not publish")


def test_hs256_signed_with_the_providers_public_key_is_401(client, idp: JwksServer) -> None:
    rsa = idp.provider.keys[0]
    pem = rsa.private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": rsa.kid}).encode())
    body = _b64(json.dumps(idp.provider.claims(str(uuid.uuid4()))).encode())
    signature = _b64(hmac.new(pem, f"{header}.{body}".encode(), hashlib.sha256).digest())
    _refused(client, f"{header}.{body}.{signature}", "alg 'HS256' is not accepted")


def test_alg_none_is_401(client, idp: JwksServer) -> None:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": idp.provider.keys[0].kid}).encode())
    body = _b64(json.dumps(idp.provider.claims(str(uuid.uuid4()))).encode())
    _refused(client, f"{header}.{body}.", "alg 'none' is not accepted")


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"iss": "https://evil.example.test"}, "Invalid issuer"),
        ({"aud": "another-service"}, "Audience doesn't match"),
        ({"exp": int(time.time()) - 120}, "expired"),
        ({"nbf": int(time.time()) + 600}, "not valid yet"),
    ],
    ids=["wrong-iss", "wrong-aud", "expired", "not-yet-valid"],
)
def test_claims_out_of_bounds_are_401(client, idp: JwksServer, claims: dict[str, object], reason: str) -> None:
    _refused(client, idp.provider.token(str(uuid.uuid4()), **claims), reason)


# -- the provider's keys ------------------------------------------------------------------------


def test_an_unknown_kid_costs_one_refresh_then_401(client, idp: JwksServer) -> None:
    assert _whoami(client, idp.provider.token(str(uuid.uuid4()))).status_code == 200  # keys held
    _after_cooldown()
    stranger = idp.provider.token(str(uuid.uuid4()), SigningKey.ec("never-published"))
    before = idp.fetches
    _refused(client, stranger, "does not publish")
    assert idp.fetches == before + 1
    _refused(client, stranger, "does not publish")
    assert idp.fetches == before + 1  # within the cooldown: no second fetch


def test_a_key_rotated_in_while_the_gateway_runs_is_accepted_without_a_restart(client, idp: JwksServer) -> None:
    new = SigningKey.ec()
    idp.provider.keys.append(new)
    _after_cooldown()
    learner = str(uuid.uuid4())
    assert _whoami(client, idp.provider.token(learner, new)).json() == {"userId": learner}


def test_100_requests_with_random_kids_cause_a_bounded_number_of_fetches(client, idp: JwksServer) -> None:
    rsa = idp.provider.keys[0]
    _after_cooldown()
    before, started = idp.fetches, time.monotonic()
    for _ in range(100):
        forged = idp.provider.token(str(uuid.uuid4()), SigningKey(f"random-{uuid.uuid4().hex}", "RS256", rsa.private))
        assert _whoami(client, forged).status_code == 401
    elapsed = time.monotonic() - started
    fetched = idp.fetches - before
    assert 1 <= fetched <= 1 + int(elapsed / COOLDOWN_S), (fetched, elapsed)


# -- the cookie and another origin -----------------------------------------------------------------


def test_the_providers_token_becomes_the_session_cookie_with_its_attributes(gateway, client, idp: JwksServer) -> None:
    learner = str(uuid.uuid4())
    token = idp.provider.token(learner, ttl_s=600)
    response = client.post("/session", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json() == {"userId": learner}
    cookie = response.headers["set-cookie"]
    attributes = {a.split("=")[0].strip().lower(): a.partition("=")[2] for a in cookie.split(";")[1:]}
    assert cookie.startswith(f"{COOKIE}={token};")
    assert set(attributes) == {"httponly", "secure", "samesite", "path", "max-age"}  # no Domain: host-only
    assert attributes["samesite"].lower() == "none" and attributes["path"] == "/"
    assert 590 <= int(attributes["max-age"]) <= 600  # no longer than the token it holds
    with SseStream(f"{gateway.url}learners/{learner}/events", cookie=f"{COOKIE}={token}") as stream:
        assert stream.status == 200  # what EventSource sends: the cookie alone


def test_a_session_needs_a_bearer_token_and_nothing_is_minted(client) -> None:
    assert client.post("/session").status_code == 401
    me = client.get("/session")
    assert me.status_code == 401 and me.json()["devSessions"] is False


def test_cors_answers_a_configured_origin_with_credentials_and_no_other(client, idp: JwksServer) -> None:
    learner = str(uuid.uuid4())
    path = f"/learners/{learner}/submissions"
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"}
    allowed = client.options(path, headers={"Origin": APP_ORIGIN, **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == APP_ORIGIN
    assert allowed.headers["access-control-allow-credentials"] == "true"
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    refused = client.options(path, headers={"Origin": "https://evil.example.test", **preflight})
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
    headers = {"Authorization": f"Bearer {idp.provider.token(learner)}", "Origin": APP_ORIGIN}
    posted = client.post(path, json=SUBMISSION, headers=headers)
    assert posted.status_code == 202 and posted.headers["access-control-allow-origin"] == APP_ORIGIN
    assert "retry-after" in posted.headers["access-control-expose-headers"].lower()
    other = client.post(path, json=SUBMISSION, headers={**headers, "Origin": "https://evil.example.test"})
    assert "access-control-allow-origin" not in other.headers  # the browser withholds the answer


def test_the_gateway_log_names_no_token(gateway: GatewayServer) -> None:
    log = Path(gateway.log_path).read_text() if gateway.log_path else ""
    assert "eyJ" not in log  # a JWT's first bytes: no token reached a log line
