"""A learner's session in a real browser: run code, see the output, the error, then the help."""

from __future__ import annotations

import json
import uuid
from typing import Any

from playwright.sync_api import expect

from learnflow.events import LEARNING_EVENTS, load_catalogue
from learnflow.local.runtime.stack import LocalStack
from learnflow.serverless import Publisher

from ...support.kafka import KafkaProbe
from ...support.learner_events import help_explanation

CORRECT = "squares = [x * x for x in range(10)]\nprint(squares)\n"
BROKEN = "squares = [x * x for x in range(10)\nprint(squares)\n"  # the closing bracket is missing
HOSTILE = 'print("<script>window.pwned = 1</script><img src=x onerror=\\"window.pwned = 2\\">")\n'
WAIT_MS = 60_000  # the whole pipeline on two shared cores; a bound, not an expectation


def _open(page: Any, stack: LocalStack) -> str:
    """Open the page, wait for its stream, and return the learner it signed in as."""
    assert stack.gateway is not None
    page.goto(stack.gateway.url)
    expect(page.locator("#status")).to_have_attribute("data-state", "connected", timeout=WAIT_MS)
    learner = page.locator("#learner").get_attribute("title")
    assert learner
    return learner


def _run(page: Any, code: str) -> Any:
    """Type ``code``, press Run, and return the newest run's card once its result arrived."""
    page.fill("#editor", code)
    before = page.locator("#results .run").count()
    page.click("#run")
    expect(page.locator("#results .run")).to_have_count(before + 1, timeout=WAIT_MS)
    newest = page.locator("#results .run").first
    expect(newest).not_to_have_attribute("data-status", "pending", timeout=WAIT_MS)
    return newest


def test_run_correct_code_then_a_bug_then_get_help(page: Any, stack: LocalStack) -> None:
    learner = _open(page, stack)
    expect(page.locator("#exercise-title")).to_have_text("Squares")

    ok = _run(page, CORRECT)
    expect(ok).to_have_attribute("data-status", "ok")
    expect(ok.locator(".stdout pre")).to_have_text("[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]\n")
    expect(ok.locator(".passed")).to_be_visible()

    broken = _run(page, BROKEN)
    expect(broken).to_have_attribute("data-status", "error")
    expect(broken.locator(".error .label")).to_contain_text("line 1")
    expect(broken.locator(".error pre")).to_contain_text("SyntaxError")

    help_card = page.locator("#help .explanation").first
    expect(help_card).to_be_visible(timeout=WAIT_MS)
    expect(help_card).to_have_attribute("data-concept", "list_comprehension")
    expect(help_card.locator("h3")).not_to_be_empty()
    expect(help_card.locator(".body p").first).not_to_be_empty()
    expect(help_card.locator("pre").first).not_to_be_empty()  # the example, from the body or its own field
    help_card.locator("button.try").click()  # the example goes to the editor, to be run
    expect(page.locator("#editor")).not_to_have_value(BROKEN)

    # The learner's activity along the way: the page said the exercise opened; the backbone,
    # not the page, said it was completed, once, when the graded run passed.
    assert stack.settings is not None
    probe = KafkaProbe(stack.settings)
    try:
        records = probe.wait_for(LEARNING_EVENTS.name, lambda r: r.key == learner.encode(), count=4, timeout=30)
    finally:
        probe.close()
    kinds = [json.loads(r.value)["eventType"] for r in records]
    assert kinds.index("exercise.started") < kinds.index("exercise.completed")
    completed = [r for r, k in zip(records, kinds, strict=True) if k == "exercise.completed"]
    assert len(completed) == 1
    assert completed[0].header("ce_source") == b"/learnflow/code-execution"


def test_code_and_output_holding_html_are_shown_as_text(page: Any, stack: LocalStack) -> None:
    learner = _open(page, stack)
    run = _run(page, HOSTILE)
    expect(run.locator(".stdout pre")).to_have_text('<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">\n')
    expect(run.locator(".code pre")).to_contain_text("<script>")
    # An explanation is rendered from Markdown; HTML inside it stays text too.
    assert stack.settings is not None
    publisher = Publisher("test", settings=stack.settings)
    try:
        publisher.publish(
            help_explanation(
                uuid.UUID(learner),
                title="<img src=x onerror=window.pwned=3>",
                body="**Careful** with `<script>`:\n\n<script>window.pwned = 4</script>\n\n- <b>not bold</b>",
                exampleCode="<script>window.pwned = 5</script>",
            )
        )
    finally:
        publisher.close()
    # The hostile run is also a wrong answer to Squares, so the backbone pushes help of its
    # own: find the published explanation by its title, not by arriving first.
    card = page.locator("#help .explanation").filter(has=page.get_by_role("heading", name="<img src=x onerror=window.pwned=3>"))
    expect(card.locator("h3")).to_have_text("<img src=x onerror=window.pwned=3>", timeout=WAIT_MS)
    expect(card.locator(".body")).to_contain_text("<script>window.pwned = 4</script>")
    expect(card.locator(".body li")).to_have_text("<b>not bold</b>")
    expect(card.locator(".body strong")).to_have_text("Careful")
    expect(card.locator(".example pre")).to_have_text("<script>window.pwned = 5</script>")  # not in the body: shown apart
    assert page.evaluate("window.pwned") is None
    assert page.locator("#results script, #results img, #help script, #help img, #help b").count() == 0
    assert page.dialogs == []


def test_a_result_that_comes_before_the_submission_is_answered_still_shows_the_code(page: Any, stack: LocalStack) -> None:
    """The stream can beat the POST's 202: the card must still show the code that was run."""
    _open(page, stack)
    held: list[tuple[Any, Any]] = []
    # The gateway publishes (route.fetch) but the page hears nothing until the run arrived.
    page.route("**/submissions", lambda route: held.append((route, route.fetch())))
    run = _run(page, CORRECT)
    expect(run).to_have_attribute("data-status", "ok")
    expect(run.locator(".code")).to_have_count(0)
    assert len(held) == 1
    route, response = held[0]
    route.fulfill(response=response)
    expect(run.locator(".code pre")).to_have_text(CORRECT)
    expect(run.locator(".stdout pre")).to_have_text("[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]\n")
    expect(page.locator("#results .run")).to_have_count(1)


SLOW = "import time\ntime.sleep(3)\nprint('slow')\n"
FAST = "print('fast')\n"


def test_a_slow_run_then_a_fast_one_both_show_each_with_its_own_code(page: Any, stack: LocalStack) -> None:
    """Code execution is unordered: the second run's result may come first, and each finds its card."""
    _open(page, stack)
    page.fill("#editor", SLOW)
    page.click("#run")
    expect(page.locator("#results .run")).to_have_count(1, timeout=WAIT_MS)
    slow = page.locator("#results .run").first
    expect(slow.locator(".code pre")).to_have_text(SLOW, timeout=WAIT_MS)  # its 202 came back
    slow_id = slow.get_attribute("data-submission")
    page.fill("#editor", FAST)
    page.click("#run")
    expect(page.locator("#results .run")).to_have_count(2, timeout=WAIT_MS)
    slow = page.locator(f'#results .run[data-submission="{slow_id}"]')
    fast = page.locator(f'#results .run:not([data-submission="{slow_id}"])')
    expect(fast).to_have_attribute("data-status", "ok", timeout=WAIT_MS)
    expect(fast.locator(".code pre")).to_have_text(FAST)
    expect(fast.locator(".stdout pre")).to_have_text("fast\n")
    expect(slow).to_have_attribute("data-status", "ok", timeout=WAIT_MS)
    expect(slow.locator(".code pre")).to_have_text(SLOW)
    expect(slow.locator(".stdout pre")).to_have_text("slow\n")


def test_a_run_waiting_for_a_sandbox_says_it_is_queued(page: Any, stack: LocalStack) -> None:
    _open(page, stack)
    # The page hears of the submission, but its result never comes (the POST is answered,
    # the event is not published): what a learner sees while the class fills every sandbox.
    page.route(
        "**/submissions",
        lambda route: route.fulfill(status=202, content_type="application/json", body=json.dumps({"eventId": str(uuid.uuid4())})),
    )
    page.fill("#editor", CORRECT)
    page.click("#run")
    card = page.locator("#results .run").first
    expect(card).to_have_attribute("data-status", "pending", timeout=WAIT_MS)
    expect(card.locator(".run-head")).to_contain_text("queued")
    expect(card.locator(".queued")).to_contain_text("Still queued", timeout=WAIT_MS)
    expect(card.locator(".code pre")).to_have_text(CORRECT)


def test_the_page_shows_a_cut_stream_and_reconnects_by_itself(page: Any, stack: LocalStack) -> None:
    _open(page, stack)
    assert stack.gateway is not None
    port = stack.gateway.port
    stack.gateway.stop()
    try:
        expect(page.locator("#status")).not_to_have_attribute("data-state", "connected", timeout=WAIT_MS)
    finally:
        stack.gateway = type(stack.gateway)(port=port, env=stack.gateway.env, log_path=stack.gateway.log_path).start()
    expect(page.locator("#status")).to_have_attribute("data-state", "connected", timeout=WAIT_MS)
    ok = _run(page, CORRECT)
    expect(ok).to_have_attribute("data-status", "ok")


def test_im_stuck_brings_help(page: Any, stack: LocalStack) -> None:
    _open(page, stack)
    page.click("#exercises button:has-text('Sum of evens')")
    expect(page.locator("#exercise-title")).to_have_text("Sum of evens")
    page.click("#stuck")
    expect(page.locator("#notice")).to_contain_text("Asked for help")
    expect(page.locator("#help .explanation")).to_have_count(1, timeout=WAIT_MS)
    expect(page.locator("#help .explanation h3")).not_to_be_empty()


def test_the_page_shows_each_check_from_the_backbones_grade(page: Any, stack: LocalStack) -> None:
    # Squares is in the default catalogue: code execution grades it; the page judges nothing.
    _open(page, stack)
    expect(page.locator("#exercise-title")).to_have_text("Squares")
    wrong = _run(page, "squares = [x * x for x in range(1, 10)]\nprint(squares)\n")
    expect(wrong).to_have_attribute("data-status", "ok")  # it ran fine, and it is wrong
    check = wrong.locator(".checks .check").first
    expect(check).to_have_attribute("data-passed", "false")
    expect(check.locator(".name")).to_have_text("prints the squares of 0 to 9")
    expect(check.locator(".detail")).to_contain_text('expected "[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]\\n", got "[1, 4, 9')
    expect(wrong.locator(".passed")).to_have_count(0)

    right = _run(page, CORRECT)
    expect(right.locator(".checks .check").first).to_have_attribute("data-passed", "true")
    expect(right.locator(".passed")).to_be_visible()


def test_the_page_offers_the_backbones_catalogue(page: Any, stack: LocalStack) -> None:
    _open(page, stack)
    catalogue = load_catalogue(stack.options.exercises_file)
    expect(page.locator("#exercises button")).to_have_count(len(catalogue.exercises))
    page.click("#exercises button:has-text('Count the vowels')")
    expect(page.locator("#exercise-title")).to_have_text("Count the vowels")
    expect(page.locator("#editor")).to_have_value("def count_vowels(text):\n    pass\n")


def test_a_stream_beyond_the_learners_bound_says_why(page: Any, stack: LocalStack) -> None:
    _open(page, stack)
    tabs = [page.context.new_page() for _ in range(3)]  # the same learner (one context: one cookie)
    for tab in tabs:
        _open(tab, stack)
    extra = page.context.new_page()  # the fifth stream; the gateway allows four by default
    assert stack.gateway is not None
    extra.goto(stack.gateway.url)
    expect(extra.locator("#notice")).to_contain_text("Stream refused: this learner already has 4 open streams", timeout=WAIT_MS)
    tabs[0].close()  # one tab fewer: the page's own reconnect gets in
    expect(extra.locator("#status")).to_have_attribute("data-state", "connected", timeout=WAIT_MS)


def test_a_run_beyond_the_learners_bound_shows_the_gateways_reason(page: Any, stack: LocalStack) -> None:
    # Last in the module: three endless loops hold code execution for a few seconds.
    _open(page, stack)
    page.fill("#editor", "while True:\n    pass\n")
    for _ in range(4):  # the gateway lets three runs of one learner be in flight by default
        page.click("#run")
    expect(page.locator("#notice")).to_contain_text("Not sent: 3 of this learner's runs are still running", timeout=WAIT_MS)
    expect(page.locator("#results .run")).to_have_count(3)


def test_each_submission_continues_the_trace_the_page_started(page: Any, stack: LocalStack) -> None:
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.headers.get("traceparent", "")) if r.url.endswith("/submissions") else None)
    learner = _open(page, stack)
    _run(page, CORRECT)
    [traceparent] = sent
    version, trace_id, span_id, flags = traceparent.split("-")
    assert (version, flags, len(trace_id), len(span_id)) == ("00", "01", 32, 16) and int(trace_id, 16) and int(span_id, 16)
    assert stack.settings is not None
    probe = KafkaProbe(stack.settings)
    try:
        [record] = probe.wait_for("code-submitted", lambda r: r.key == learner.encode(), timeout=30)
    finally:
        probe.close()
    assert (record.header_text("traceparent") or "").split("-")[1] == trace_id, "the gateway continued the page's trace"
