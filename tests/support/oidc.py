"""A stand-in identity provider: signing keys, tokens, and a JWKS served over real HTTP.

``Provider`` holds RS256 and ES256 keys and signs tokens with them as Keycloak or Dex
would. ``JwksServer`` serves its discovery document and JWKS from a thread of the test
process on 127.0.0.1 (port 0), counts the JWKS fetches, and is stopped by its context
manager even when the test fails. Keys can be added and removed while it runs (rotation).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

AUDIENCE = "learnflow-gateway"


@dataclass
class SigningKey:
    kid: str
    alg: str
    private: Any

    @classmethod
    def rsa(cls, kid: str | None = None) -> SigningKey:
        return cls(kid or f"rsa-{uuid.uuid4().hex[:8]}", "RS256", rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @classmethod
    def ec(cls, kid: str | None = None) -> SigningKey:
        return cls(kid or f"ec-{uuid.uuid4().hex[:8]}", "ES256", ec.generate_private_key(ec.SECP256R1()))

    def jwk(self) -> dict[str, Any]:
        algorithm = RSAAlgorithm if self.alg == "RS256" else ECAlgorithm
        public: dict[str, Any] = algorithm.to_jwk(self.private.public_key(), as_dict=True)
        return {**public, "kid": self.kid, "alg": self.alg, "use": "sig"}


@dataclass
class Provider:
    issuer: str
    audience: str = AUDIENCE
    keys: list[SigningKey] = field(default_factory=list)

    def jwks(self) -> dict[str, Any]:
        return {"keys": [k.jwk() for k in self.keys]}

    def claims(self, subject: str, *, now: float | None = None, ttl_s: int = 600, **extra: Any) -> dict[str, Any]:
        now = time.time() if now is None else now
        return {"iss": self.issuer, "aud": self.audience, "sub": subject, "iat": int(now), "exp": int(now) + ttl_s, **extra}

    def token(self, subject: str, key: SigningKey | None = None, *, headers: dict[str, Any] | None = None, **claims: Any) -> str:
        """A token for ``subject`` signed with ``key`` (the first key by default); ``claims`` override."""
        key = key or self.keys[0]
        body = {**self.claims(subject), **claims}
        return jwt.encode(body, key.private, algorithm=key.alg, headers={"kid": key.kid, **(headers or {})})


class JwksServer:
    """``provider``'s discovery document and JWKS over HTTP; ``fetches`` counts JWKS requests."""

    def __init__(self) -> None:
        self.fetches = 0
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/.well-known/openid-configuration":
                    body: dict[str, Any] = {"issuer": outer.provider.issuer, "jwks_uri": outer.url + "/jwks"}
                elif self.path == "/jwks":
                    with outer._lock:
                        outer.fetches += 1
                    body = outer.provider.jwks()
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # quiet: pytest shows failures
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.provider = Provider(issuer=self.url, keys=[SigningKey.rsa(), SigningKey.ec()])
        self._thread = threading.Thread(target=self._server.serve_forever, name="jwks-server", daemon=True)

    def __enter__(self) -> JwksServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
