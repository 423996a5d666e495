// The learner page: pick an exercise, run code, see each run's result and any help the
// backbone pushes, as they arrive on this learner's event stream.
// Everything that comes from events is set with textContent (never innerHTML): a
// learner's code or output that holds <script> is shown, not run.
"use strict";

(function () {
  // The exercises come from the backbone's catalogue (GET /exercises); these three are
  // what the page offers when the gateway serves none.
  let EXERCISES = [
    {
      id: "3f0c8d2e-5a51-4d7c-9a64-1f2b7c9e4a01",
      title: "Squares",
      prompt: "Build the list of the squares of 0 to 9 with a list comprehension, and print it.",
      starter: "squares = []  # your list comprehension here\nprint(squares)\n",
    },
    {
      id: "8b7e2c1a-0f4d-4e3b-b2a5-6c9d8e7f1a02",
      title: "Greeting",
      prompt: "Store the name Ada in a variable and print Hello, Ada! with an f-string.",
      starter: 'name = "Ada"\n# print the greeting here\n',
    },
    {
      id: "c4d5e6f7-1a2b-4c3d-8e9f-0a1b2c3d4e03",
      title: "Sum of evens",
      prompt: "Add up the even numbers from 1 to 100 with a for loop, and print the total.",
      starter: "total = 0\n# your loop here\nprint(total)\n",
    },
  ];

  const $ = (id) => document.getElementById(id);
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };

  const state = {
    userId: null,
    source: null,
    lastEventId: sessionStorage.getItem("learnflow.lastEventId") || "",
    failures: 0,
    exercise: null,
    attempts: 0,
    startedAt: 0,
    passed: new Set(),
    runs: new Map(), // submission eventId -> the run's list item
    // submission eventId -> the code sent. Kept apart from the card because the result can
    // come down the stream before the POST that sent the code has answered.
    codes: new Map(),
    noticeSeq: 0, // counts notices shown, so that a send knows whether one came while it waited
  };

  // -- talking to the gateway ---------------------------------------------------------

  // A new W3C trace for each POST, sampled: the gateway continues it (issue 27), so a
  // submission's trace starts at the click. Random ids as the spec asks (never all zero).
  function traceparent() {
    const hex = (n) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, "0")).join("");
    let traceId = hex(16);
    let spanId = hex(8);
    if (/^0+$/.test(traceId)) traceId = "1" + traceId.slice(1);
    if (/^0+$/.test(spanId)) spanId = "1" + spanId.slice(1);
    return "00-" + traceId + "-" + spanId + "-01";
  }

  async function api(method, path, body) {
    const init = { method, credentials: "same-origin", headers: {} };
    if (method === "POST") init.headers["traceparent"] = traceparent();
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (_) { json = null; }
    return { status: response.status, json, retryAfter: response.headers.get("Retry-After") };
  }

  // What a refusal says, in the gateway's own words: a limit (429) or a body too big (413)
  // names the bound and, for 429, when to try again.
  function refusal(answer) {
    const reason = answer.json && answer.json.reason ? answer.json.reason : "HTTP " + answer.status;
    if (answer.status === 429 && answer.retryAfter && !/try again in/.test(reason)) {
      return reason + " (try again in " + answer.retryAfter + " s)";
    }
    return reason;
  }

  async function signIn() {
    const me = await api("GET", "/session");
    if (me.status === 200) return me.json.userId;
    if (me.status === 401 && me.json && me.json.devSessions) {
      const known = localStorage.getItem("learnflow.userId");
      const minted = await api("POST", "/session", known ? { userId: known } : {});
      if (minted.status === 200) {
        localStorage.setItem("learnflow.userId", minted.json.userId);
        return minted.json.userId;
      }
    }
    throw new Error("not signed in: open this page through the LearnFlow platform");
  }

  function learnerPath(tail) {
    return "/learners/" + encodeURIComponent(state.userId) + tail;
  }

  async function send(tail, body) {
    // Sends overlap (Run pressed four times): one accepted after another was refused must not
    // clear that refusal, only a notice that was already showing when it set out.
    const shownAtStart = state.noticeSeq;
    let answer;
    try {
      answer = await api("POST", learnerPath(tail), body);
      if (answer.status === 401) {
        state.userId = await signIn(); // the token expired: a new one, then once more
        answer = await api("POST", learnerPath(tail), body);
      }
    } catch (error) {
      notice("Could not send: " + String(error.message || error));
      return null;
    }
    if (answer.status !== 202) {
      notice((answer.status === 429 ? "Not sent: " : "Could not send: ") + refusal(answer));
      return null;
    }
    if (state.noticeSeq === shownAtStart) notice("");
    return answer.json.eventId;
  }

  // -- the stream ------------------------------------------------------------------------

  function setStatus(kind, text) {
    const status = $("status");
    status.dataset.state = kind;
    status.textContent = text;
  }

  function connect() {
    if (state.source) state.source.close();
    const query = state.lastEventId ? "?lastEventId=" + encodeURIComponent(state.lastEventId) : "";
    const source = new EventSource(learnerPath("/events") + query);
    state.source = source;
    setStatus("connecting", "connecting…");
    source.onopen = () => {
      state.failures = 0;
      setStatus("connected", "connected");
      $("run").disabled = false;
      $("stuck").disabled = false;
    };
    source.onerror = () => {
      if (source.readyState === EventSource.CONNECTING) {
        setStatus("reconnecting", "reconnecting…"); // the browser retries, sending Last-Event-ID
        return;
      }
      // Closed for good (a refused request): sign in again and reconnect ourselves.
      setStatus("reconnecting", "reconnecting…");
      explainRefusedStream();
      state.failures += 1;
      if (state.failures > 2) remember(""); // a cursor refused twice is dropped, not retried forever
      const delay = Math.min(10000, 500 * 2 ** state.failures);
      setTimeout(async () => {
        try {
          state.userId = await signIn();
          connect();
        } catch (error) {
          setStatus("offline", "offline");
          notice(String(error.message || error));
        }
      }, delay);
    };
    source.addEventListener("code.executed", (message) => {
      remember(message.lastEventId);
      showRun(JSON.parse(message.data));
    });
    source.addEventListener("help.explanation", (message) => {
      remember(message.lastEventId);
      showHelp(JSON.parse(message.data));
    });
  }

  // EventSource hides why a stream was refused; ask once more with fetch to show the reason
  // when it is a limit (too many tabs open), and let go of the answer either way.
  async function explainRefusedStream() {
    const controller = new AbortController();
    try {
      const response = await fetch(learnerPath("/events"), { credentials: "same-origin", signal: controller.signal });
      if (response.status === 429) {
        const json = await response.json().catch(() => null);
        notice("Stream refused: " + (json && json.reason ? json.reason : "too many open streams"));
        setStatus("offline", "too many streams");
      }
    } catch (_) {
      // offline or aborted: the reconnect below says so
    } finally {
      controller.abort();
    }
  }

  function remember(cursor) {
    state.lastEventId = cursor || "";
    sessionStorage.setItem("learnflow.lastEventId", state.lastEventId);
  }

  // -- showing what arrives ----------------------------------------------------------------

  function notice(text) {
    state.noticeSeq += 1;
    $("notice").textContent = text;
  }

  function block(label, text, className) {
    const wrap = el("div", "block " + (className || ""));
    wrap.append(el("span", "label", label));
    wrap.append(el("pre", null, text));
    return wrap;
  }

  function runItem(submissionId) {
    let item = state.runs.get(submissionId);
    if (!item) {
      item = el("li", "run");
      item.dataset.submission = submissionId;
      state.runs.set(submissionId, item);
      $("results").prepend(item);
    }
    return item;
  }

  // A run's result usually arrives within a second. When the class keeps every sandbox
  // busy, its run waits in code-submitted: after this long the card says so, rather than
  // leave the learner looking at nothing.
  const QUEUED_NOTICE_MS = 3000;

  function showPending(submissionId, exercise, code) {
    const item = runItem(submissionId);
    item.replaceChildren();
    item.dataset.status = "pending";
    item.append(el("div", "run-head", exercise.title + ": queued…"));
    item.append(block("code", code, "code"));
    setTimeout(() => {
      if (item.dataset.status !== "pending" || item.querySelector(".queued")) return;
      item.append(
        el("div", "queued", "Still queued: the class is keeping every sandbox busy. It runs as soon as one is free, and its result appears here."),
      );
    }, QUEUED_NOTICE_MS);
  }

  function showRun(event) {
    const result = event.data;
    const exercise = EXERCISES.find((e) => e.id === result.exerciseId);
    const item = runItem(result.submissionId);
    const code = state.codes.get(result.submissionId);
    item.replaceChildren();
    item.dataset.status = result.status;
    const head = el("div", "run-head");
    head.append(el("span", "badge " + result.status, result.status));
    head.append(el("span", "run-title", exercise ? exercise.title : "exercise " + result.exerciseId));
    head.append(el("span", "duration", Math.round(result.durationMs) + " ms"));
    item.append(head);
    if (code !== undefined) item.append(block("code", code, "code"));
    if (result.stdout) item.append(block("output", result.stdout, "stdout"));
    if (result.stderr) item.append(block("stderr", result.stderr, "stderr"));
    if (result.error) {
      const where = result.error.line ? " (line " + result.error.line + ")" : "";
      item.append(block("error" + where, result.error.type + ": " + result.error.message, "error"));
    }
    if (result.reason) item.append(block("refused", result.reason, "error"));
    if (result.grade) showGrade(result.grade, item);
    if (exercise && result.grade && result.grade.passed) completed(exercise, item);
  }

  // The backbone grades a run of a catalogue exercise (code.executed's grade): the page
  // only shows each check. A hidden check says its name and whether it passed, no values.
  function showGrade(grade, item) {
    const list = el("ul", "checks");
    for (const check of grade.checks) {
      const row = el("li", "check " + (check.passed ? "pass" : "fail"));
      row.dataset.passed = String(check.passed);
      row.append(el("span", "mark", check.passed ? "✓" : "✗"));
      row.append(el("span", "name", check.name + (check.hidden ? " (hidden)" : "")));
      if (!check.passed && check.error) row.append(el("span", "detail", check.error));
      else if (!check.passed && check.expected !== null && check.expected !== undefined) {
        row.append(el("span", "detail", "expected " + check.expected + ", got " + check.got));
      }
      list.append(row);
    }
    item.append(list);
  }

  // The backbone emits exercise.completed itself, counted from the learner's events.
  function completed(exercise, item) {
    item.append(el("div", "passed", "Passed: every check."));
    if (state.passed.has(exercise.id)) return;
    state.passed.add(exercise.id);
    renderExercises();
  }

  function showHelp(event) {
    const data = event.data;
    const panel = $("help");
    const empty = panel.querySelector(".empty");
    if (empty) empty.remove();
    const card = el("article", "explanation");
    card.dataset.concept = data.concept;
    card.append(el("h3", null, data.title));
    const body = el("div", "body");
    body.append(window.LearnflowMarkdown.render(data.body));
    card.append(body);
    // The example travels in its own fields; the body usually shows it already.
    const example = (data.exampleCode || "").trim();
    if (example && !String(data.body).includes(example)) {
      card.append(block("example", data.exampleCode, "example"));
      if (data.expectedOutput) card.append(block("it prints", data.expectedOutput, "expected"));
    }
    if (example) {
      const tryIt = el("button", "try", "Try the example in the editor");
      tryIt.type = "button";
      tryIt.addEventListener("click", () => {
        $("editor").value = data.exampleCode;
        $("editor").focus();
      });
      card.append(tryIt);
    }
    panel.prepend(card);
  }

  // -- the exercise ------------------------------------------------------------------------

  function secondsSpent() {
    return Math.max(0, Math.round((Date.now() - state.startedAt) / 1000));
  }

  function renderExercises() {
    const nav = $("exercises");
    nav.replaceChildren();
    for (const exercise of EXERCISES) {
      const button = el("button", "tab", exercise.title + (state.passed.has(exercise.id) ? " ✓" : ""));
      button.type = "button";
      button.setAttribute("aria-pressed", String(state.exercise === exercise));
      button.addEventListener("click", () => openExercise(exercise));
      nav.append(button);
    }
  }

  function openExercise(exercise) {
    if (state.exercise === exercise) return;
    state.exercise = exercise;
    state.attempts = 0;
    state.startedAt = Date.now();
    $("exercise-title").textContent = exercise.title;
    $("exercise-prompt").textContent = exercise.prompt;
    $("editor").value = exercise.starter;
    $("progress").textContent = "";
    renderExercises();
    if (state.userId) {
      send("/activity", { eventType: "exercise.started", exerciseId: exercise.id, duration: 0, attempts: 0 });
    }
  }

  async function run() {
    const exercise = state.exercise;
    const code = $("editor").value;
    state.attempts += 1;
    $("progress").textContent = "attempt " + state.attempts;
    const eventId = await send("/submissions", { exerciseId: exercise.id, code, language: "python" });
    if (!eventId) return;
    state.codes.set(eventId, code);
    const shown = state.runs.get(eventId);
    if (!shown) showPending(eventId, exercise, code);
    else if (!shown.querySelector(".code")) shown.querySelector(".run-head").after(block("code", code, "code"));
  }

  async function stuck() {
    const exercise = state.exercise;
    const sent = await send("/activity", {
      eventType: "help.requested",
      exerciseId: exercise.id,
      duration: secondsSpent(),
      attempts: state.attempts,
    });
    if (sent) notice("Asked for help: it will show up on the right.");
  }

  async function loadExercises() {
    try {
      const { status, json } = await api("GET", "/exercises");
      if (status === 200 && json && Array.isArray(json.exercises) && json.exercises.length) EXERCISES = json.exercises;
    } catch (_) {
      // The built-in three, then.
    }
  }

  async function start() {
    $("run").addEventListener("click", run);
    $("stuck").addEventListener("click", stuck);
    $("editor").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run();
    });
    await loadExercises();
    openExercise(EXERCISES[0]);
    try {
      state.userId = await signIn();
    } catch (error) {
      notice(String(error.message || error));
      return;
    }
    $("learner").textContent = "learner " + state.userId.slice(0, 8);
    $("learner").title = state.userId;
    send("/activity", { eventType: "exercise.started", exerciseId: state.exercise.id, duration: 0, attempts: 0 });
    connect();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
