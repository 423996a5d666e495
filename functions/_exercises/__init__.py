"""The default exercise catalogue, shipped with the functions and in their image.

Only data and its path: the model and loader are ``learnflow.events`` (``load_catalogue``).
A function reads ``LEARNFLOW_EXERCISES`` (a file) in its own settings and falls back to
``DEFAULT_CATALOGUE``; ``learnflow up --exercises PATH`` and the cluster's ConfigMap set it.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_CATALOGUE = Path(__file__).with_name("catalogue.yaml")
EXERCISES_VARIABLE = "LEARNFLOW_EXERCISES"
