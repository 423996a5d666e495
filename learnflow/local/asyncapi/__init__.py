"""The AsyncAPI document of every topic, ``eventing/asyncapi.yaml``, generated like the JSON Schemas.

Built from the single sources of truth: the topic registry, the pydantic contracts (and
the schema files they generate), the KafkaTopics and KafkaSources of ``eventing/``, and
the table of participants in this package. ``learnflow schemas --write`` (``make
schemas``) writes it; a test fails when the file and the sources drift apart, and
``tools/asyncapi`` checks it with the official parser.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

from learnflow.events import TOPICS
from learnflow.local.asyncapi._document import ASYNCAPI_VERSION, build
from learnflow.local.asyncapi._messages import camel
from learnflow.local.asyncapi._participants import PARTICIPANTS, Participant
from learnflow.local.manifests import load_eventing

PROJECT_ROOT = Path(__file__).resolve().parents[3]
DOCUMENT_PATH = PROJECT_ROOT / "eventing" / "asyncapi.yaml"
DISTRIBUTION = "learnflow-eventing"

_HEADER = """\
# The AsyncAPI description of LearnFlow's topics. Generated: do not edit.
# Regenerate with `make schemas` (learnflow schemas --write) after changing a contract,
# the topic registry, eventing/ or learnflow/local/asyncapi; a test fails while it is stale.
"""


class _Dumper(yaml.SafeDumper):
    """Block YAML without anchors: a reader (or a diff) sees each value where it applies."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Program text and output read as written, not as quoted strings with escaped newlines.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def document(root: Path = PROJECT_ROOT) -> dict[str, Any]:
    """The document for the project at ``root``, as plain data."""
    return build(TOPICS, load_eventing(root), PARTICIPANTS, version(DISTRIBUTION))


def render(doc: dict[str, Any]) -> str:
    body = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    return _HEADER + body


def generate(root: Path = PROJECT_ROOT) -> str:
    return render(document(root))


def write(root: Path = PROJECT_ROOT) -> Path:
    path = root / DOCUMENT_PATH.relative_to(PROJECT_ROOT)
    path.write_text(generate(root), encoding="utf-8")
    return path


def is_stale(root: Path = PROJECT_ROOT) -> bool:
    path = root / DOCUMENT_PATH.relative_to(PROJECT_ROOT)
    return not path.exists() or path.read_text(encoding="utf-8") != generate(root)


__all__ = [
    "ASYNCAPI_VERSION",
    "DOCUMENT_PATH",
    "PARTICIPANTS",
    "PROJECT_ROOT",
    "Participant",
    "build",
    "camel",
    "document",
    "generate",
    "is_stale",
    "render",
    "write",
]
