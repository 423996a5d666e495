"""The explainer port, and its default: the curated knowledge base."""

from __future__ import annotations

from typing import Protocol

from learnflow.events import StruggleData

from .compose import Explanation, Material, compose
from .knowledge_base import KnowledgeBase


class Explainer(Protocol):
    """Writes the explanation of ``material`` for one struggle; must not raise for bad luck.

    An implementation that depends on something outside the process (a model server)
    handles its failures itself, typically by answering from the knowledge base.
    """

    def explain(self, material: Material, struggle: StruggleData) -> Explanation: ...


class KnowledgeBaseExplainer:
    """The default: curated text and a tested example, no network, no surprises."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def explain(self, material: Material, struggle: StruggleData) -> Explanation:
        return compose(self.kb, material, struggle)
