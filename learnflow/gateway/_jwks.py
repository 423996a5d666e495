"""The identity provider's signing keys: when to fetch them (pure), and fetching them.

A token's ``kid`` comes from an unauthenticated header, and OpenID Connect says to fetch
the JWKS again on an unfamiliar one, so ``KeyCache`` decides when a fetch may happen:

- the first lookup fetches;
- an unknown ``kid``, or a set older than ``max_age_s``, fetches again, but never within
  ``cooldown_s`` of the last attempt (success or not): random ``kid``s cost at most one
  fetch per cooldown, and a provider that is down is not hammered either;
- a failed fetch keeps the keys already held (stale rather than nothing), and a key the
  provider removed stops verifying at the first successful fetch after it.

Only signing keys of an allowed algorithm and with a ``kid`` are kept: an encryption key
(Keycloak lists one), a symmetric key or a key for another algorithm never verifies a
token. Keys are parsed by PyJWT (``PyJWK``); nothing here is cryptography.

``JwksKeys`` does the I/O: an optional discovery document, then the JWKS, over HTTP with
a timeout and a size cap, one fetch at a time (concurrent misses share it).
"""

from __future__ import annotations

import asyncio
import json
import logging
import urllib.request
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from jwt import PyJWK
from jwt.exceptions import PyJWTError

log = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 1 << 20
"""A JWKS or discovery document is a few kilobytes; a bigger answer is not one."""


class KeysUnavailable(Exception):
    """The provider's keys could not be had at all (never fetched successfully): answered 503."""


class KeyCache:
    """The keys held, and whether a lookup may fetch; the clock is passed in."""

    def __init__(self, *, algorithms: Iterable[str], max_age_s: float, cooldown_s: float) -> None:
        self.algorithms = frozenset(algorithms)
        self.max_age_s = max_age_s
        self.cooldown_s = cooldown_s
        self._keys: dict[str, PyJWK] = {}
        self._fetched_at: float | None = None  # last successful fetch
        self._tried_at: float | None = None  # last attempt, successful or not

    @property
    def kids(self) -> frozenset[str]:
        return frozenset(self._keys)

    @property
    def ever_fetched(self) -> bool:
        return self._fetched_at is not None

    def get(self, kid: str) -> PyJWK | None:
        return self._keys.get(kid)

    def fetch_due(self, kid: str, now: float) -> bool:
        """Whether looking ``kid`` up at ``now`` may fetch the set first."""
        if self._tried_at is None:
            return True
        if now - self._tried_at < self.cooldown_s:
            return False
        stale = self._fetched_at is None or now - self._fetched_at >= self.max_age_s
        return stale or kid not in self._keys

    def attempted(self, now: float) -> None:
        """A fetch starts at ``now``: the cooldown runs from here whatever its outcome."""
        self._tried_at = now

    def store(self, jwks: Mapping[str, Any], now: float) -> None:
        """Replace the keys with the usable ones of a fetched JWKS document."""
        self._keys = usable_keys(jwks, self.algorithms)
        self._fetched_at = now


def usable_keys(jwks: Mapping[str, Any], algorithms: frozenset[str]) -> dict[str, PyJWK]:
    """The signing keys of a JWKS by ``kid``, each bound to the one algorithm it verifies with."""
    found: dict[str, PyJWK] = {}
    raw = jwks.get("keys")
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict) or item.get("use", "sig") != "sig" or not isinstance(item.get("kid"), str):
            continue
        try:
            # Without "alg", PyJWT infers it from kty/crv (RSA: RS256, P-256: ES256).
            key = PyJWK(item)
        except (PyJWTError, ValueError) as exc:  # an unsupported kty or curve, or a broken key: skipped
            log.info("JWKS key %r skipped: %s", item.get("kid"), exc)
            continue
        if key.algorithm_name in algorithms:
            found[item["kid"]] = key
    return found


Fetch = Callable[[str], Awaitable[Mapping[str, Any]]]


async def fetch_json(url: str, *, timeout_s: float = 5.0) -> Mapping[str, Any]:
    """A JSON object over HTTP(S), off the event loop; OSError or ValueError if it cannot be had."""
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"{url!r}: only http(s) URLs are fetched")

    def get() -> Mapping[str, Any]:
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            body = response.read(MAX_DOCUMENT_BYTES + 1)
        if len(body) > MAX_DOCUMENT_BYTES:
            raise ValueError(f"{url}: more than {MAX_DOCUMENT_BYTES} bytes")
        document = json.loads(body)
        if not isinstance(document, dict):
            raise ValueError(f"{url}: not a JSON object")
        return document

    return await asyncio.to_thread(get)


def discovery_url(issuer: str) -> str:
    """Where an issuer publishes its configuration (OpenID Connect Discovery §4)."""
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


class JwksKeys:
    """The provider's keys for the verifier: ``key(kid, now)`` fetches when the cache says so."""

    def __init__(self, cache: KeyCache, *, issuer: str, jwks_url: str | None, fetch: Fetch = fetch_json) -> None:
        self.cache = cache
        self.issuer = issuer
        self.jwks_url = jwks_url  # None: read from the issuer's discovery document, once
        self._fetch = fetch
        self._lock = asyncio.Lock()
        self.fetches = 0  # JWKS fetches attempted (the tests' and the metrics' count)

    async def key(self, kid: str, now: float) -> PyJWK | None:
        """The key ``kid`` names, fetching the set first if due; None if the provider has no such key."""
        if self.cache.fetch_due(kid, now):
            async with self._lock:  # concurrent misses wait for one fetch, then look again
                if self.cache.fetch_due(kid, now):
                    await self._refresh(now)
        key = self.cache.get(kid)
        if key is None and not self.cache.ever_fetched:
            raise KeysUnavailable(f"the identity provider's keys could not be fetched ({self.jwks_url or self.issuer})")
        return key

    async def _refresh(self, now: float) -> None:
        self.cache.attempted(now)
        try:
            url = self.jwks_url or await self._discover()
            self.fetches += 1
            self.cache.store(await self._fetch(url), now)
        except (OSError, ValueError) as exc:  # urllib's errors are OSErrors; bad JSON is a ValueError
            log.warning("fetching the identity provider's keys: %s; keeping the %d held", exc, len(self.cache.kids))

    async def _discover(self) -> str:
        document = await self._fetch(discovery_url(self.issuer))
        # Discovery §4.3: the document's issuer must be exactly the one configured.
        if document.get("issuer") != self.issuer:
            raise ValueError(f"the discovery document names issuer {document.get('issuer')!r}, not {self.issuer!r}")
        url = document.get("jwks_uri")
        if not isinstance(url, str) or not url:
            raise ValueError("the discovery document has no jwks_uri")
        self.jwks_url = url
        return url
