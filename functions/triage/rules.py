"""The triage rules: one event in, at most one ``struggle.detected`` out.

Stateless: every rule reads only the event it is given, which carries all the
evidence (attempts and duration on activity events; status, exception, line and
constructs on ``code.executed``). What is not evidence yields nothing:

- ``exercise.started``: starting is not struggling, whatever the counters say (they
  describe earlier sessions, already judged when those ended);
- ``exercise.completed`` with few attempts in a short time: a clean success;
- ``code.executed`` that ran cleanly (``ok``) and passed its checks or was not graded, or never ran as the learner's code
  (``rejected``, ``unsupported_language``: the platform said no, not the learner);
- ``code.executed`` whose only fault is ``input()`` finding no input (an EOFError on a
  line that calls input): submissions run with an empty stdin, so that is the
  platform's doing, not a mistake of the learner's.

A graded run that ran cleanly but failed a check is a wrong answer: a logic error about
the exercise's concepts (the catalogue's, ``LEARNFLOW_EXERCISES``), diagnosed from the
failing check and the program (``answers``). A crash keeps its own diagnosis.

Every run that did not end cleanly is diagnosed once (``diagnoses``): Python's message,
read with the failing line, names the mistake and, where it names the culprit, the
concept and, for runtime errors, the struggle type. Each verdict carries its evidence
(``evidence``): the failing line, never the program, with the diagnosis and its facts.

Triage's only output is ``struggle.detected``, which belongs to ``struggle-detected``,
not to ``learning-events``: it can never be handed its own verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from learnflow.events import (
    ActivityData,
    Catalogue,
    CodeExecuted,
    Construct,
    Envelope,
    Evidence,
    ExecutionError,
    ExecutionResult,
    ExecutionStatus,
    ExerciseCompleted,
    Grade,
    HelpRequested,
    StruggleDetected,
    StruggleType,
    SuggestedAction,
    follow_up,
)

from .answers import failing_answer
from .concept_resolution import ConceptSource, ResolvedConcept, resolve_concept
from .confidence import Rule, confidence, effort_bonus
from .diagnoses import RUNAWAY_STATUSES, SYNTAX_ERRORS, diagnose, diagnose_answer
from .diagnosis import Diagnosis
from .evidence import activity_evidence, answer_evidence, code_evidence
from .settings import TriageSettings

PRODUCER = "triage"

# Exceptions that, around one of these constructs, show the construct is
# misunderstood (a comprehension variable used outside it, ``.append`` on a string),
# rather than a slip in otherwise understood logic.
MISUSE_ERRORS = frozenset({"TypeError", "AttributeError", "NameError", "UnboundLocalError"})
CONFUSABLE_CONSTRUCTS = frozenset(
    {
        Construct.LIST_COMPREHENSION,
        Construct.DICT_COMPREHENSION,
        Construct.SET_COMPREHENSION,
        Construct.GENERATOR_EXPRESSION,
        Construct.LAMBDA,
        Construct.RECURSION,
        Construct.YIELD,
        Construct.CLASS_DEF,
        Construct.WITH_STATEMENT,
        Construct.GLOBAL,
        Construct.F_STRING,
        Construct.STRING_METHOD_CALL,
        Construct.LIST_METHOD_CALL,
        Construct.DICT_METHOD_CALL,
    }
)


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
    return error.type == "EOFError" and Construct.INPUT_CALL in error.constructs


def judge_execution(result: ExecutionResult, catalogue: Catalogue | None = None) -> Verdict | None:
    """A verdict on one run of the learner's code, with its evidence, or None when the run is no evidence."""
    if result.status is ExecutionStatus.OK and result.grade is not None and not result.grade.passed:
        return judge_answer(result, result.grade, catalogue)
    if result.status in (ExecutionStatus.OK, ExecutionStatus.REJECTED, ExecutionStatus.UNSUPPORTED_LANGUAGE):
        return None
    if result.error is not None and is_missing_input(result.error):
        return None
    diagnosis = diagnose(result.status, result.error, result.constructs, result.code)
    verdict = _judge_run(result, diagnosis)
    return None if verdict is None else replace(verdict, evidence=code_evidence(result, diagnosis))


def judge_answer(result: ExecutionResult, grade: Grade, catalogue: Catalogue | None) -> Verdict:
    """A wrong answer: a logic error, about the exercise's concepts, diagnosed from the failing check."""
    exercise = catalogue.get(result.exercise_id) if catalogue is not None else None
    answer = failing_answer(grade, exercise)
    diagnosis = diagnose_answer(answer, result.code)
    if exercise is None:
        # Graded against a catalogue triage does not share: the program's constructs are all it has.
        resolved = resolve_concept(program_constructs=result.constructs)
    else:
        # The row's concept where the exercise teaches it (a print for a return is about functions),
        # else what the exercise is about, most central first.
        taught = diagnosis.concept if diagnosis.concept in exercise.concepts else exercise.concepts[0]
        resolved = ResolvedConcept(taught, ConceptSource.EXERCISE)
    verdict = _verdict(Rule.WRONG_ANSWER, StruggleType.LOGIC_ERROR, resolved, SuggestedAction.GIVE_HINT)
    return replace(verdict, evidence=answer_evidence(result, diagnosis, answer))


def _judge_run(result: ExecutionResult, diagnosis: Diagnosis) -> Verdict | None:
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
    if diagnosis.concept is not None:
        resolved = ResolvedConcept(diagnosis.concept, ConceptSource.MESSAGE)
    else:
        resolved = resolve_concept(error_type=error.type, line_constructs=error.constructs, program_constructs=result.constructs)
    if error.type in SYNTAX_ERRORS:
        return _verdict(Rule.SYNTAX_ERROR, StruggleType.SYNTAX_ERROR, resolved, SuggestedAction.REVIEW_SYNTAX)
    if error.type == "RecursionError":
        return _verdict(Rule.RECURSION_ERROR, StruggleType.CONCEPT_CONFUSION, resolved, SuggestedAction.EXPLAIN_CONCEPT)
    if diagnosis.struggle_type is not None:
        confused = diagnosis.struggle_type is StruggleType.CONCEPT_CONFUSION
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
        return judge_execution(event.data, settings.catalogue() if event.data.grade is not None else None)
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
