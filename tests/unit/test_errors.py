"""Every failure raised on purpose roots in LearnflowError, as the tree in the errors module draws it."""

import pytest

from functions.code_execution.sandbox import SandboxError, SandboxFailure, SandboxUnavailable
from functions.concepts.knowledge_base import KnowledgeBaseError
from functions.concepts.llm import LLMUnavailable
from learnflow.events import ConfigurationError, LearnflowError, NotACloudEvent
from learnflow.local._dead_letters import ReplayRefused
from learnflow.local.exporter._reader import OffsetsReadError


@pytest.mark.parametrize(
    "error",
    [NotACloudEvent, ReplayRefused, OffsetsReadError, LLMUnavailable, SandboxError, SandboxUnavailable, SandboxFailure],
)
def test_raised_elsewhere_but_rooted_in_the_tree(error: type[Exception]) -> None:
    assert issubclass(error, LearnflowError)


def test_a_broken_knowledge_base_is_a_configuration_error() -> None:
    assert issubclass(KnowledgeBaseError, ConfigurationError)
