"""``struggle-detected``: triage's verdict on one piece of evidence."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, NonNegativeInt, SerializerFunctionWrapHandler, model_serializer

from learnflow.events._contracts._base import SNAKE_CASE, Envelope, WireModel
from learnflow.events._contracts.learning import MAX_CHECK_TEXT, MAX_LINE_TEXT, ConstructName, ExecutionStatus

MAX_EVIDENCE_MESSAGE = 300
"""Longest exception message carried as evidence; longer ones are cut and end with "…".
Python's own messages are far shorter; a longer one is echoing the learner's data
(a huge dictionary key, a long input), which the verdict does not need."""


class StruggleType(StrEnum):
    SYNTAX_ERROR = "syntax_error"
    LOGIC_ERROR = "logic_error"
    CONCEPT_CONFUSION = "concept_confusion"


class SuggestedAction(StrEnum):
    EXPLAIN_CONCEPT = "explain_concept"  # the learner misunderstands the idea itself
    SHOW_EXAMPLE = "show_example"  # the idea is known, a worked example unblocks
    GIVE_HINT = "give_hint"  # close to a solution; a nudge, not the answer
    REVIEW_SYNTAX = "review_syntax"  # the code does not parse
    SUGGEST_BREAK = "suggest_break"  # long, fruitless effort


MAX_FACT = 400
"""Longest value of one fact: a fact is a piece of the failing line (at most 200
characters) or of the message, at most rewritten once (``if x == 5:`` for ``if x = 5:``)."""


class Fact(StrEnum):
    """A name triage gives to one thing its diagnosis found, for an explanation to fill in.

    Producers and readers name facts by member; on the wire a fact's name is a string.

    Values are plain text taken from the failing line, the program or Python's message, never
    wording: ``seq`` and ``index`` of ``nums[5]``, the ``suggestion`` of a "Did you
    mean", the line with ``==`` for ``=`` (``compared``). A diagnosis carries only the
    facts it found; which ones it always carries is its row in triage's table.
    """

    # Pieces of the failing line.
    KEYWORD = "keyword"  # the block keyword that opens the line (for, if, def...)
    WITH_COLON = "with_colon"  # the stripped line with its missing colon added
    SEQ = "seq"  # the subscripted value: nums in nums[5]
    INDEX = "index"  # the index or key written in the subscript
    SUBSCRIPT = "subscript"  # the whole subscript: nums[5]
    LITERAL_INDEX = "literal_index"  # the index when it is a whole number as written
    ONE_PAST = "one_past"  # a subscript seq[len(seq)]
    COUNTED = "counted"  # a subscript incremented in place: counts[w] += 1
    STRAIGHT = "straight"  # the line with typographic quotes made plain
    QUOTE = "quote"  # the first quote character on the line
    PRINT_CALL = "print_call"  # a Python 2 print statement as a call
    DEF_FIXED = "def_fixed"  # a def header without parentheses, with them
    COMPARED = "compared"  # a condition line with = made ==
    ZERO = "zero"  # a literal zero divided by
    DIVISOR = "divisor"  # what the line divides by
    FORMAT_CALL = "format_call"  # the line calls .format(...)
    REMOVED = "removed"  # a .remove(...) call on the line
    REMOVE_OWNER = "remove_owner"
    REMOVE_ARG = "remove_arg"
    POPPED = "popped"  # a .pop(...) call with an argument on the line
    POP_OWNER = "pop_owner"
    POP_ARG = "pop_arg"
    CALLEE = "callee"  # the first name called on the line
    RECEIVER = "receiver"  # what stands before .attr on the line
    KEYWORD_NAME = "keyword_name"  # a keyword used as a name: class = ...
    # Pieces of Python's message.
    NAME = "name"
    ATTR = "attr"
    TYPE = "type"
    OTHER = "other"
    LEFT = "left"
    RIGHT = "right"
    OP = "op"
    KEY = "key"
    KEY_PLAIN = "key_plain"  # the key as the learner wrote it inside quotes ('bob' -> bob)
    CHAR = "char"
    WHAT = "what"
    BRACKET = "bracket"
    CLOSING = "closing"
    WORD = "word"
    OPENER = "opener"  # the line number an indented block was expected after
    MODULE = "module"
    CLS = "cls"
    CODE = "code"
    WANTED = "wanted"
    METHOD = "method"
    SHORT = "short"  # a method's name without its class: bark of Dog.bark
    COUNT = "count"
    FUNC = "func"
    VALUE = "value"
    EXPECTED = "expected"
    CONTAINER = "container"  # what an index ran past: list, string, tuple, range
    SUGGESTION = "suggestion"  # Python's "Did you mean", or the close match it would make
    # What a name was probably meant to be.
    MODULE_NAME = "module_name"  # a standard module used without its import
    MEMBER_OF = "member_of"  # the module a bare name (sqrt) lives in
    CAPITAL = "capital"  # true/false written with their capital
    CALLED = "called"  # an undefined name that the line calls
    TEXT_LIKE = "text_like"  # a capitalised word that reads as text without quotes
    # Pieces of the program, read by triage around the failing line.
    WRONG = "wrong"  # the piece of the code that is the mistake, as written: 3.0i, &&, my name
    FIXED = "fixed"  # that piece (or the line) as Python wants it: 3.0j, and, my_name
    DEFINED_AT = "defined_at"  # the line where a name used too early is defined
    # A wrong answer: what a failing check of the exercise showed (expected and got are JSON text).
    CHECK = "check"  # the failing check's name
    GOT = "got"  # what the run gave (EXPECTED: what the check expects)
    CALL = "call"  # the function the check calls
    MISSING = "missing"  # the one item the answer lacks
    EXTRA = "extra"  # the one item the answer has too many
    DIFFERENCE = "difference"  # got - expected, for numbers: +1, -1
    GOT_TYPE = "got_type"  # the JSON type of the answer (number, text, list...)
    EXPECTED_TYPE = "expected_type"


FactName = Annotated[str, Field(pattern=SNAKE_CASE, max_length=64)]
"""A fact's name on the wire: a :class:`Fact` today, any snake_case name tomorrow, so a
reader built against this list still reads an event from a triage that finds more."""
Facts = dict[FactName, Annotated[str, Field(max_length=MAX_FACT)]]


def _omit_absent(data: dict[str, Any], *optional: str) -> dict[str, Any]:
    """``data`` without those of its ``optional`` fields that hold nothing (None or empty)."""
    for name in optional:
        if data.get(name) in (None, {}):
            data.pop(name, None)
    return data


class CheckEvidence(WireModel):
    """The first check a wrong answer failed: its name and, unless hidden, what it expected and got.

    A hidden check's values are never shown to the learner, so they never travel here either.
    """

    name: str = Field(max_length=200, description="The check's name in the exercise catalogue.")
    hidden: bool = Field(default=False, description="Its values are kept from the learner; expected and got are null.")
    expected: str | None = Field(default=None, max_length=MAX_CHECK_TEXT, description="JSON text of the expected value.")
    got: str | None = Field(
        default=None, max_length=MAX_CHECK_TEXT, description="JSON text of what the run gave; null when it gave none."
    )


class CodeEvidence(WireModel):
    """What one run of the learner's code showed: how it ended and the line that failed.

    Never the program, never its output: only the failing line, cut at 200 characters.
    ``struggle-detected`` is read by more services than ``code.executed`` is (concepts
    today; dashboards and tutors' tools are the obvious next readers), while the whole
    submission and what it printed stay on ``learning-events``, where the learner's own
    result stream and triage read them. The verdict carries just enough to explain the
    error on the learner's own line, and nothing a wider audience should not see.
    """

    source_event_type: Literal["code.executed"] = Field(description="The eventType this verdict was drawn from.")
    status: ExecutionStatus = Field(description="How the run ended (error, timeout, memory_exceeded...).")
    exception_type: str | None = Field(default=None, max_length=128, description="The exception class, e.g. IndexError.")
    message: str | None = Field(
        default=None, max_length=MAX_EVIDENCE_MESSAGE, description="Python's message for it (cut at 300 characters)."
    )
    line: int | None = Field(default=None, ge=1, description="1-based number of the failing line.")
    line_text: str | None = Field(
        default=None, max_length=MAX_LINE_TEXT, description="The failing line as written (cut at 200 characters)."
    )
    constructs: list[ConstructName] = Field(default_factory=list, description="Constructs found on the failing line.")
    diagnosis: str | None = Field(
        default=None,
        pattern=SNAKE_CASE,
        max_length=64,
        description="Optional, not in the seed: the id of triage's diagnosis of the error "
        "(index_out_of_range...), which an explanation is chosen by.",
    )
    facts: Facts = Field(
        default_factory=dict,
        description="Optional, not in the seed: what the diagnosis found on the line and in the "
        "message (names, values, pieces of code), for an explanation to fill in.",
    )

    check: CheckEvidence | None = Field(
        default=None,
        description="Optional, not in the seed: on a graded run that ran cleanly but gave a wrong answer, "
        "the first check it failed (its name; for a visible check, expected and got).",
    )

    @model_serializer(mode="wrap")
    def _omit_absent_diagnosis(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Evidence without a diagnosis (from a producer that makes none) is written as
        # it was read: no ``"diagnosis": null`` or empty facts added on its way through.
        return _omit_absent(handler(self), "diagnosis", "facts", "check")


class ActivityEvidence(WireModel):
    """The effort an activity event reported: how many submissions, how long."""

    source_event_type: Literal["exercise.completed", "help.requested"] = Field(
        description="The eventType this verdict was drawn from."
    )
    attempts: NonNegativeInt = Field(description="Submissions made on the exercise so far.")
    duration: NonNegativeInt = Field(description="Seconds spent on the exercise so far.")


Evidence = Annotated[CodeEvidence | ActivityEvidence, Field(discriminator="source_event_type")]
"""What a verdict was drawn from, told apart by ``sourceEventType``."""


class StruggleData(WireModel):
    struggle_type: StruggleType
    concept: str = Field(pattern=SNAKE_CASE, max_length=64)
    confidence: float = Field(ge=0.0, le=1.0)
    suggested_action: SuggestedAction
    evidence: Evidence | None = Field(
        default=None,
        description="Optional, not in the seed: what the verdict was drawn from, so an explanation "
        "can be about the learner's own code. A consumer that knows only the seed ignores it.",
    )

    @model_serializer(mode="wrap")
    def _omit_absent_evidence(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # A verdict without evidence is written exactly as the seed's document: the
        # four fields, no ``"evidence": null`` for a strict reader to stumble on.
        return _omit_absent(handler(self), "evidence")


class StruggleDetected(Envelope):
    event_type: Literal["struggle.detected"]
    data: StruggleData
