from __future__ import annotations

from collections.abc import Iterator

import pytest

from .fake_llm import FakeLLM


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    """An OpenAI-compatible fake on 127.0.0.1, always stopped."""
    fake = FakeLLM().start()
    yield fake
    fake.stop()
