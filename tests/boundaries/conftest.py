"""The scripted-function fixtures of the integration tier, for the dispatcher boundary."""

from ..integration.conftest import scripted_function, scripted_run  # noqa: F401  (fixtures, found by name)
