import itertools
from collections import Counter

from learnflow.events import CodeSubmitted, topic_of
from learnflow.local._simulation import SUBMISSIONS, sessions


def _run(seed, n=500):
    return list(itertools.islice(sessions(8, seed=seed), n))


def test_a_seed_repeats_the_same_sessions():
    one, two = _run(7), _run(7)
    assert [(e.user_id, e.event_type) for e in one] == [(e.user_id, e.event_type) for e in two]
    assert [e.data.code for e in one if isinstance(e, CodeSubmitted)] == [
        e.data.code for e in two if isinstance(e, CodeSubmitted)
    ]


def test_every_kind_of_learner_action_occurs_and_every_event_is_valid():
    events = _run(1, 2000)
    assert set(Counter(e.event_type for e in events)) == {
        "exercise.started",
        "code.submitted",
        "help.requested",
        "exercise.completed",
    }
    for e in events:
        assert topic_of(e).parse(e.to_json_bytes()) == e
    codes = {e.data.code for e in events if isinstance(e, CodeSubmitted)}
    assert codes == {code for _, code in SUBMISSIONS}, "every correct and broken submission is used"


def test_an_exercise_starts_at_zero_and_attempts_grow():
    by_user = {}
    for e in _run(3):
        by_user.setdefault(e.user_id, []).append(e)
    for events in by_user.values():
        assert events[0].event_type == "exercise.started"
        assert events[0].data.duration == 0 and events[0].data.attempts == 0
