"""Turn a knowledge-base entry into the explanation for one struggle (pure, no I/O).

The struggleType picks the entry's opening variant; the suggestedAction picks the
layout (which parts follow, in which order). The example always travels in its own
fields too, so a client can run or highlight it without parsing Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass

from learnflow.events import StruggleData

from .knowledge_base import Entry, KnowledgeBase, Section

KNOWLEDGE_BASE = "knowledge_base"


@dataclass(frozen=True)
class Material:
    """What the explainers work from: the entry chosen for the struggle's concept."""

    entry: Entry
    concept: str
    known: bool  # False: ``entry`` is the general fallback for a concept without one


@dataclass(frozen=True)
class Explanation:
    title: str
    body: str
    example_code: str
    expected_output: str
    explainer: str = KNOWLEDGE_BASE


def example_markdown(entry: Entry) -> str:
    return (
        f"**Example**\n\n```python\n{entry.example.code.rstrip()}\n```\n\n"
        f"It prints:\n\n```text\n{entry.example.output.rstrip()}\n```"
    )


def _section(section: Section, entry: Entry, struggle: StruggleData) -> str:
    if section is Section.VARIANT:
        return entry.variants.for_type(struggle.struggle_type)
    if section is Section.SUMMARY:
        return entry.summary.strip()
    if section is Section.SYNTAX:
        return f"**The shape**\n\n```python\n{entry.syntax.rstrip()}\n```"
    if section is Section.MISTAKES:
        return "**Common mistakes**\n\n" + "\n".join(f"- {m}" for m in entry.common_mistakes)
    if section is Section.EXAMPLE:
        return example_markdown(entry)
    return f"**Hint:** {entry.hint}"


def compose(kb: KnowledgeBase, material: Material, struggle: StruggleData) -> Explanation:
    """The knowledge base's explanation of ``material`` for ``struggle``."""
    entry = material.entry
    layout = kb.layout_for(struggle.suggested_action)
    parts = [layout.lead.strip()]
    if not material.known:
        parts.append(f"There is no dedicated note on `{material.concept}` yet, so here is what helps with any Python problem.")
    parts.extend(_section(s, entry, struggle) for s in layout.sections)
    return Explanation(
        title=layout.title.format(title=entry.title),
        body="\n\n".join(parts),
        example_code=entry.example.code,
        expected_output=entry.example.output,
    )
