"""Turn a knowledge-base entry into the explanation for one struggle (pure, no I/O).

The struggleType picks the entry's opening variant; the suggestedAction picks the
layout (which parts follow, in which order). The example always travels in its own
fields too, so a client can run or highlight it without parsing Markdown.

When the struggle carries code evidence, the explanation is first about the learner's
own code: the failing line quoted verbatim with its number, what Python's message
means for that line, and one next step (``reading``, by triage's diagnosis); then the layout, and
the concept's example with its output even where the layout has none. Where the diagnosis
names the mistake, the entry's parts about mistakes in general (the struggle type's
opening, the common mistakes, the hint) are left out: they may be about another one.
A wrong answer's section is about the failing check instead: its name, expected against
got (a hidden check: its name only), what the difference points to, one next step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from learnflow.events import CheckEvidence, CodeEvidence, StruggleData, StruggleType

from .knowledge_base import Entry, KnowledgeBase, Section
from .reading import UNRECOGNISED, Reading, code, read_evidence

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


def quoted_line(text: str) -> str:
    """A fenced Python block holding ``text`` exactly, whatever backticks it contains."""
    fence = "`" * max(3, max((len(run) + 1 for run in re.findall(r"`+", text)), default=0))
    return f"{fence}python\n{text}\n{fence}"


def about_your_code(reading: Reading, evidence: CodeEvidence, struggle_type: StruggleType) -> str:
    """The section about the learner's own run: the line, what went wrong there, a next step."""
    if reading.line is None or reading.line_text is None:
        head = f"**Your program** did not finish: {reading.ended or reading.said}."
        return f"{head} {reading.meaning}\n\n**Next step:** {reading.next_step}"
    if struggle_type is StruggleType.SYNTAX_ERROR:
        said = f"Python could not read this line: {code(reading.said)}."
    elif evidence.exception_type is None or reading.ended is not None:
        said = reading.said[:1].upper() + reading.said[1:] + "."
    else:
        said = f"Python stopped here with {code(reading.said)}."
    return (
        f"**Line {reading.line} of your code**\n\n{quoted_line(reading.line_text)}\n\n"
        f"{said} {reading.meaning}\n\n**Next step:** {reading.next_step}"
    )


def about_your_answer(reading: Reading, check: CheckEvidence) -> str:
    """The section about a wrong answer: the failing check, expected against got unless hidden, a next step."""
    if check.hidden:
        head = f"**Hidden check failed:** {check.name}. Its values are kept from you; only its name is shown."
    else:
        got = code(check.got) if check.got is not None else "no value"
        head = f"**Check failed:** {check.name}\n\n- expected: {code(check.expected or 'null')}\n- got: {got}"
    return f"{head}\n\n{reading.meaning}\n\n**Next step:** {reading.next_step}"


def code_section(kb: KnowledgeBase, struggle: StruggleData) -> str | None:
    """The section about the learner's code, when the struggle carries code evidence."""
    evidence = struggle.evidence
    if not isinstance(evidence, CodeEvidence):
        return None
    reading = read_evidence(evidence, kb.templates)
    if evidence.check is not None:
        return about_your_answer(reading, evidence.check)
    return about_your_code(reading, evidence, struggle.struggle_type)


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


# The parts of a concept's entry written about its mistakes in general: the opening for a
# struggle type ("for example a keyword used as a name"), the common mistakes, the hint.
# Where triage named the mistake, the reading of the learner's line says it instead, and
# these would speak of other mistakes; the summary, the shape and the example stay, being
# about the concept the diagnosis points to, not about a mistake.
ABOUT_OTHER_MISTAKES = frozenset({Section.VARIANT, Section.MISTAKES, Section.HINT})


def names_the_mistake(struggle: StruggleData) -> bool:
    """The struggle carries a diagnosis of the learner's code that names the mistake."""
    evidence = struggle.evidence
    return isinstance(evidence, CodeEvidence) and evidence.diagnosis not in (None, UNRECOGNISED)


def compose(kb: KnowledgeBase, material: Material, struggle: StruggleData) -> Explanation:
    """The knowledge base's explanation of ``material`` for ``struggle``."""
    entry = material.entry
    layout = kb.layout_for(struggle.suggested_action)
    parts = [layout.lead.strip()]
    about_code = code_section(kb, struggle)
    if about_code is not None:
        parts.append(about_code)
    if not material.known:
        parts.append(f"There is no dedicated note on `{material.concept}` yet, so here is what helps with any Python problem.")
    sections = [s for s in layout.sections if not (names_the_mistake(struggle) and s in ABOUT_OTHER_MISTAKES)]
    parts.extend(_section(s, entry, struggle) for s in sections)
    if about_code is not None and Section.EXAMPLE not in layout.sections:
        parts.append(example_markdown(entry))
    return Explanation(
        title=layout.title.format(title=entry.title),
        body="\n\n".join(parts),
        example_code=entry.example.code,
        expected_output=entry.example.output,
    )
