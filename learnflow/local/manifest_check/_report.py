"""What a check found: each problem located by file, object and field path."""

from __future__ import annotations

from dataclasses import dataclass, field

from learnflow.local.manifests import Document


@dataclass(frozen=True)
class Problem:
    file: str
    obj: str  # Kind/name, or "" for a whole file
    path: str  # dotted field path, list items as [i]
    message: str

    def __str__(self) -> str:
        parts = [self.file, self.obj, self.path, self.message]
        return ": ".join(p for p in parts if p)

    @classmethod
    def from_error(cls, exc: Exception) -> Problem:
        """A ConfigurationError's message already starts with the file; keep it whole."""
        file, _, rest = str(exc).partition(": ")
        return cls(file, "", "", rest)

    @classmethod
    def at(cls, doc: Document, path: str, message: str) -> Problem:
        return cls(doc.display, doc.label, path, message)


@dataclass(frozen=True)
class Checked:
    """A manifest that was validated, and against what."""

    file: str
    obj: str
    against: str


@dataclass
class Report:
    checked: list[Checked] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    def __str__(self) -> str:
        failed = {(p.file, p.obj) for p in self.problems}
        lines = [
            f"{'FAIL' if (c.file, c.obj) in failed or (c.file, '') in failed else 'ok':5} {c.file}: {c.obj or '-'} ({c.against})"
            for c in self.checked
        ]
        lines += [f"error {p}" for p in self.problems]
        verdict = "all manifests valid" if self.ok else f"{len(self.problems)} problem(s)"
        return "\n".join([*lines, verdict])
