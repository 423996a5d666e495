"""The triage rules: one event in, at most one ``struggle.detected`` out.

Stateless: every rule reads only the event it is given, which carries all the
evidence (attempts and duration on activity events; status, exception, line and
constructs on ``code.executed``). What is not evidence yields nothing:

- ``exercise.started``: starting is not struggling, whatever the counters say (they
  describe earlier sessions, already judged when those ended);
- ``exercise.completed`` with few attempts in a short time: a clean success;
- ``code.executed`` that ran cleanly (``ok``), or never ran as the learner's code
  (``rejected``, ``unsupported_language``: the platform said no, not the learner);
- ``code.executed`` whose only fault is ``input()`` finding no input (an EOFError on a
  line that calls input): submissions run with an empty stdin, so that is the
  platform's doing, not a mistake of the learner's.

Python's message is read before the exception type (``messages``): where it names the
culprit, it decides the concept and, for runtime errors, the struggle type. Each
verdict carries its evidence (``evidence``): the failing line, never the program.

Triage's only output is ``struggle.detected``, which belongs to ``struggle-detected``,
not to ``learning-events``: it can never be handed its own verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from learnflow.events import (
    ActivityData,
    CodeExecuted,
    Envelope,
    Evidence,
    ExecutionError,
    ExecutionResult,
    ExecutionStatus,
    ExerciseCompleted,
    HelpRequested,
    StruggleDetected,
    StruggleType,
    SuggestedAction,
    follow_up,
)

from .concept_resolution import ConceptSource, ResolvedConcept, resolve_concept
from .confidence import Rule, confidence, effort_bonus
from .evidence import activity_evidence, code_evidence
from .messages import Clues, Reading, read_message
from .settings import TriageSettings

PRODUCER = "triage"

SYNTAX_ERRORS = frozenset({"SyntaxError", "IndentationError", "TabError"})

# Exceptions that, around one of these constructs, show the construct is
# misunderstood (a comprehension variable used outside it, ``.append`` on a string),
# rather than a slip in otherwise understood logic.
MISUSE_ERRORS = frozenset({"TypeError", "AttributeError", "NameError", "UnboundLocalError"})
CONFUSABLE_CONSTRUCTS = frozenset(
    {
        "list_comprehension",
        "dict_comprehension",
        "set_comprehension",
        "generator_expression",
        "lambda",
        "recursion",
        "yield",
        "class_def",
        "with_statement",
        "global",
        "f_string",
        "string_method_call",
        "list_method_call",
        "dict_method_call",
    }
)

RUNAWAY_STATUSES = frozenset({ExecutionStatus.TIMEOUT, ExecutionStatus.MEMORY_EXCEEDED, ExecutionStatus.OUTPUT_EXCEEDED})


@dataclass(frozen=True)
class Verdict:
    """What triage concluded, before it is wrapped in an event."""

    rule: Rule
    struggle_type: StruggleType
    concept: str
    confidence: float
    suggested_action: SuggestedAction
    evidence: Evidence | None = None


def _verdict(
    rule: Rule,
    struggle_type: StruggleType,
    resolved: ResolvedConcept,
    action: SuggestedAction,
    effort: float = 0.0,
) -> Verdict:
    return Verdict(rule, struggle_type, resolved.concept.value, confidence(rule, resolved.source, effort), action)


def is_missing_input(error: ExecutionError) -> bool:
    """input() met the empty stdin every submission runs with: no fault of the learner's."""
    return error.type == "EOFError" and "input_call" in error.constructs


def read_error(error: ExecutionError, program_constructs: list[str]) -> Reading | None:
    """What Python's message, read with the failing line, says about the error."""
    clues = Clues(error.line_text or "", frozenset(error.constructs), frozenset(program_constructs))
    return read_message(error.type, error.message, clues)


def judge_execution(result: ExecutionResult) -> Verdict | None:
    """A verdict on one run of the learner's code, or None when the run is no evidence."""
    if result.status is ExecutionStatus.OUTPUT_EXCEEDED and result.error is not None and result.error.type != "OSError":
        # The program had raised before the output cap stopped it: the flood was its
        # traceback (mutual recursion prints two lines a frame, a thousand frames deep).
        result = result.model_copy(update={"status": ExecutionStatus.ERROR})
    if result.status in RUNAWAY_STATUSES:
        resolved = resolve_concept(program_constructs=result.constructs, outcome=result.status.value)
        return _verdict(Rule.RUNAWAY, StruggleType.LOGIC_ERROR, resolved, SuggestedAction.GIVE_HINT)
    if result.status is not ExecutionStatus.ERROR:
        return None
    error = result.error
    if error is None:
        resolved = resolve_concept(program_constructs=result.constructs)
        return _verdict(Rule.FAILED_EXIT, StruggleType.LOGIC_ERROR, resolved, SuggestedAction.GIVE_HINT)
    if is_missing_input(error):
        return None

    reading = read_error(error, result.constructs)
    if reading is not None:
        resolved = ResolvedConcept(reading.concept, ConceptSource.MESSAGE)
    else:
        resolved = resolve_concept(error_type=error.type, line_constructs=error.constructs, program_constructs=result.constructs)
    if error.type in SYNTAX_ERRORS:
        return _verdict(Rule.SYNTAX_ERROR, StruggleType.SYNTAX_ERROR, resolved, SuggestedAction.REVIEW_SYNTAX)
    if error.type == "RecursionError":
        return _verdict(Rule.RECURSION_ERROR, StruggleType.CONCEPT_CONFUSION, resolved, SuggestedAction.EXPLAIN_CONCEPT)
    if reading is not None and reading.struggle_type is not None:
        confused = reading.struggle_type is StruggleType.CONCEPT_CONFUSION
    else:
        # UnboundLocalError is a scope misunderstanding wherever it happens.
        confused = error.type == "UnboundLocalError" or (
            error.type in MISUSE_ERRORS and bool(CONFUSABLE_CONSTRUCTS.intersection(error.constructs))
        )
    if confused:
        return _verdict(Rule.CONSTRUCT_MISUSE, StruggleType.CONCEPT_CONFUSION, resolved, SuggestedAction.EXPLAIN_CONCEPT)
    return _verdict(Rule.RUNTIME_ERROR, StruggleType.LOGIC_ERROR, resolved, SuggestedAction.GIVE_HINT)


def _effort_action(data: ActivityData, settings: TriageSettings, otherwise: SuggestedAction) -> SuggestedAction:
    return SuggestedAction.SUGGEST_BREAK if data.duration >= settings.break_after_s else otherwise


def judge_activity(event: HelpRequested | ExerciseCompleted, settings: TriageSettings) -> Verdict | None:
    """A verdict on ``help.requested`` or ``exercise.completed``, or None for a clean success.

    Activity events carry no code, so the concept is the fallback: the learner's
    ``code.executed`` events are where specific concepts come from.
    """
    data = event.data
    resolved = resolve_concept()
    effort = effort_bonus(data.attempts, data.duration, settings.break_after_s)
    many_attempts = data.attempts >= settings.attempts_threshold

    if isinstance(event, HelpRequested):
        action = _effort_action(
            data, settings, SuggestedAction.SHOW_EXAMPLE if many_attempts else SuggestedAction.EXPLAIN_CONCEPT
        )
        return _verdict(Rule.HELP_REQUESTED, StruggleType.CONCEPT_CONFUSION, resolved, action, effort)
    if many_attempts:
        action = _effort_action(data, settings, SuggestedAction.SHOW_EXAMPLE)
        return _verdict(Rule.REPEATED_ATTEMPTS, StruggleType.LOGIC_ERROR, resolved, action, effort)
    if data.duration >= settings.long_duration_s:
        action = _effort_action(data, settings, SuggestedAction.EXPLAIN_CONCEPT)
        return _verdict(Rule.LONG_EFFORT, StruggleType.CONCEPT_CONFUSION, resolved, action, effort)
    return None


def judge(event: Envelope, settings: TriageSettings) -> Verdict | None:
    """The verdict on any learning event, with its evidence; None when it is not evidence."""
    if isinstance(event, CodeExecuted):
        verdict = judge_execution(event.data)
        return None if verdict is None else replace(verdict, evidence=code_evidence(event.data))
    if isinstance(event, (HelpRequested, ExerciseCompleted)):
        verdict = judge_activity(event, settings)
        return None if verdict is None else replace(verdict, evidence=activity_evidence(event))
    return None  # exercise.started, and any type added to learning-events later


def detect_struggle(event: Envelope, settings: TriageSettings) -> list[StruggleDetected]:
    """The follow-up events of ``event``: one ``struggle.detected``, or none.

    The output id is uuid5(input eventId, "triage") and its key the same learner, so a
    redelivered input yields the same verdict under the same id.
    """
    verdict = judge(event, settings)
    if verdict is None:
        return []
    data = {
        "struggleType": verdict.struggle_type,
        "concept": verdict.concept,
        "confidence": verdict.confidence,
        "suggestedAction": verdict.suggested_action,
        "evidence": verdict.evidence,
    }
    return [follow_up(StruggleDetected, cause=event, producer=PRODUCER, data=data)]
