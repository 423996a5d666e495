"""Hypothesis profiles: the same examples on every run of ``make test``, fresh ones in ``make fuzz``.

- ``ci`` (the default, what ``make test`` and CI run): derandomized and with no example
  database, so a given commit draws the same examples on every machine, every time, and a
  ``.hypothesis/`` folder left by an earlier run changes nothing.
- ``explore`` (``make fuzz``, ``HYPOTHESIS_PROFILE=explore``): random, ``examples(n)`` times
  ``EXPLORE_SCALE`` examples, and failures saved in ``.hypothesis/`` so that the next
  exploration replays them first. A failure it finds is made permanent by adding it to a
  test as an ``@example``, not by leaving it in the database.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

EXPLORE_SCALE = 10
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile(
    "explore",
    derandomize=False,
    database=DirectoryBasedExampleDatabase(".hypothesis/examples"),
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def load_profile() -> None:
    """Activate the profile ``HYPOTHESIS_PROFILE`` names; before any test module is imported."""
    if PROFILE not in ("ci", "explore"):
        raise ValueError(f"HYPOTHESIS_PROFILE={PROFILE!r}: expected 'ci' or 'explore'")
    settings.load_profile(PROFILE)


def examples(n: int) -> int:
    """How many examples a property with a budget of ``n`` runs under the active profile."""
    return n * EXPLORE_SCALE if PROFILE == "explore" else n
