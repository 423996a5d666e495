"""The optional LLM explainer: an OpenAI-compatible ``/chat/completions`` endpoint.

The model writes only the prose. Title and example stay the knowledge base's, because
every shipped example is run by the tests and model output is not. For a code-based
struggle the model receives the same evidence as the default explainer (the failing
line, its number, Python's message and the deterministic reading of it), and the
explanation keeps the deterministic section quoting that line above the model's prose,
so the learner always sees their own line, whoever wrote the rest. Any failure
(timeout, connection, HTTP status, a reply of the wrong shape) is translated here into
LLMUnavailable, counted, logged, and answered from the knowledge base instead: an
unreachable model must never turn a learner's struggle into a dead letter.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import httpx

from learnflow.events import LearnflowError, StruggleData

from .compose import Explanation, Material, code_section, example_markdown
from .explainer import KnowledgeBaseExplainer
from .knowledge_base import KnowledgeBase
from .metrics import LLM_FALLBACKS

log = logging.getLogger(__name__)

MAX_PROSE_CHARS = 8_000
"""The model's text is cut here, leaving room for the example within the 16 KiB body."""

SYSTEM_PROMPT = (
    "You are a patient Python tutor writing to a beginner who is stuck. Answer in Markdown, "
    "in at most 180 words. Explain the idea and point at the likely mistake; do not write "
    "the learner's solution. Do not include a code example: a tested one is attached after your text. "
    "When the learner's failing line is given, talk about that line; do not repeat the line itself, "
    "it is shown above your text."
)


class LLMUnavailable(LearnflowError):
    """The model could not give a usable answer; ``reason`` is the metric label."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


@contextmanager
def _translate_errors() -> Iterator[None]:
    try:
        yield
    except httpx.TimeoutException as exc:
        raise LLMUnavailable("timeout", str(exc) or type(exc).__name__) from exc
    except httpx.HTTPStatusError as exc:
        raise LLMUnavailable("http_status", f"HTTP {exc.response.status_code}") from exc
    except httpx.HTTPError as exc:
        raise LLMUnavailable("connection", f"{type(exc).__name__}: {exc}") from exc
    except (ValueError, KeyError, IndexError, TypeError) as exc:  # JSON of the wrong shape
        raise LLMUnavailable("bad_response", f"{type(exc).__name__}: {exc}") from exc
    except Exception as exc:
        # The backend is optional: whatever else goes wrong in it must cost the learner
        # the tailored prose, never the explanation.
        raise LLMUnavailable("unexpected", f"{type(exc).__name__}: {exc}") from exc


def build_messages(kb: KnowledgeBase, material: Material, struggle: StruggleData) -> list[dict[str, str]]:
    """The chat messages: the struggle, grounded on the knowledge base's entry."""
    entry = material.entry
    mistakes = "\n".join(f"- {m}" for m in entry.common_mistakes)
    user = (
        f"Concept: {material.concept} ({entry.title if material.known else 'no curated note'})\n"
        f"Kind of struggle: {struggle.struggle_type.value}\n"
        f"What to do: {struggle.suggested_action.value}\n\n"
        f"Curated summary:\n{entry.summary.strip()}\n\nCommon mistakes:\n{mistakes}\n\nHint: {entry.hint}"
    )
    about_code = code_section(kb, struggle)
    if about_code is not None:
        user += f"\n\nThe learner's own code, and what is known about it (shown to them above your text):\n{about_code}"
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


def reply_text(payload: Any) -> str:
    """The assistant's text in a chat-completions reply; ValueError if there is none."""
    content = payload["choices"][0]["message"]["content"]
    if not isinstance(content, str) or not content.strip():
        raise ValueError("empty or non-text message content")
    return content.strip()[:MAX_PROSE_CHARS]


class ChatCompletionsExplainer:
    """Asks an OpenAI-compatible server for the prose; the knowledge base answers otherwise."""

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout_s: float = 8.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.kb = kb
        self.fallback = KnowledgeBaseExplainer(kb)
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self._api_key = api_key
        self._timeout = httpx.Timeout(timeout_s)
        self._transport = transport
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    def _http(self) -> httpx.Client:
        # Built at the first explanation, not at import or start-up (no I/O before use).
        with self._lock:
            if self._client is None:
                headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
                self._client = httpx.Client(timeout=self._timeout, headers=headers, transport=self._transport)
            return self._client

    def complete(self, messages: list[dict[str, str]]) -> str:
        """The model's answer to ``messages``; LLMUnavailable on any failure."""
        with _translate_errors():
            response = self._http().post(self.url, json={"model": self.model, "messages": messages, "temperature": 0.2})
            response.raise_for_status()
            return reply_text(response.json())

    def explain(self, material: Material, struggle: StruggleData) -> Explanation:
        curated = self.fallback.explain(material, struggle)
        try:
            prose = self.complete(build_messages(self.kb, material, struggle))
        except LLMUnavailable as exc:
            LLM_FALLBACKS.labels(reason=exc.reason).inc()
            log.warning("concepts: LLM at %s unavailable (%s); answering from the knowledge base", self.url, exc)
            return curated
        about_code = code_section(self.kb, struggle)
        parts = [about_code, prose, example_markdown(material.entry)] if about_code else [prose, example_markdown(material.entry)]
        return replace(curated, body="\n\n".join(parts), explainer=f"llm:{self.model}")

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()
