"""A corpus of short novice programs, each labelled with the diagnosis and concept a tutor
would give it: issue 30's measure of how often the help names the actual mistake.

Written for this project, one situation per program, with the situations taken from
the ``invalid_*`` rules of CPython's grammar and the messages of the built-in
exceptions that a beginner reaches. Labels are the mistake, not what any Python version
prints: the same program is diagnosed under 3.11, 3.12 and 3.13.
"""

from __future__ import annotations

from dataclasses import dataclass

from learnflow.events import Concept


@dataclass(frozen=True)
class Case:
    diagnosis: str
    concept: Concept
    code: str
    syntax: bool  # a program that does not parse (its run ends in a SyntaxError or IndentationError)

    def id(self, at: int) -> str:
        return f"{'syntax' if self.syntax else 'runtime'}-{at:03d}-{self.diagnosis}"


def cases(syntax: bool, rows: list[tuple[str, Concept, str]]) -> list[Case]:
    return [Case(diagnosis, concept, code, syntax) for diagnosis, concept, code in rows]
