"""Runs attack programs through the sandbox, as the service would, and checks side effects.

Started by ``test_security.py`` as a separate process, as an unprivileged user where the
machine allows, with the service's secret in its environment. Standard library only
(plus the sandbox package and its libseccomp binding, found on ``sys.path``).

stdin: {"attacks": {name: code}, "limits": {...}, "secret": str}
stdout: {"layers": [...], "results": {name: outcome}, "side_effects": {...}}
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _child_pids(results: dict) -> list[int]:
    """Pids an attack announced with a ``child <pid>`` line (the detached grandchild)."""
    pids = []
    for r in results.values():
        for line in r["stdout"].splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == "child" and parts[1].isdigit() and int(parts[1]) > 1:
                pids.append(int(parts[1]))
    return pids


def main() -> None:
    from functions.code_execution.limits import Limits
    from functions.code_execution.sandbox import Sandbox

    job = json.load(sys.stdin)
    home = tempfile.mkdtemp(prefix="lf-attack-")
    runs = os.path.join(home, "runs")
    os.mkdir(runs)
    secret_file = os.path.join(home, "service-secret")
    with open(os.open(secret_file, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
        f.write(job["secret"])
    outside = os.path.join(home, "outside-written")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    victim = subprocess.Popen([sys.executable, "-I", "-S", "-c", "import time; time.sleep(120)"])
    params = {
        "port": listener.getsockname()[1],
        "secret_file": secret_file,
        "outside": outside,
        "service_pid": os.getpid(),
        "victim_pid": victim.pid,
    }
    sandbox = Sandbox(Limits(**job["limits"]), size=2, tmp_root=runs)
    try:
        sandbox.start()
        zygotes_before = sandbox.zygote_pids()
        attacks = {name: code.format(**params) for name, code in job["attacks"].items()}
        with ThreadPoolExecutor(2) as pool:
            futures = {name: pool.submit(sandbox.run, code) for name, code in attacks.items()}
            results = {name: f.result().to_wire() for name, f in futures.items()}
        time.sleep(0.2)  # a grandchild that escaped would still be running now
        try:
            listener.accept()
            accepted = True
        except BlockingIOError:
            accepted = False
        printed_pids = _child_pids(results)
        side_effects = {
            "listener_accepted": accepted,
            "outside_written": os.path.exists(outside),
            "zygotes_alive": all(_alive(p) for p in zygotes_before) and sandbox.zygote_pids() == zygotes_before,
            "victim_alive": _alive(victim.pid),
            "survivors": [p for p in printed_pids if _alive(p) and p not in (victim.pid, os.getpid(), *zygotes_before)],
            "leftover_workdirs": os.listdir(runs),
        }
        json.dump(
            {"layers": list(sandbox.layers), "uid": os.getuid(), "results": results, "side_effects": side_effects}, sys.stdout
        )
    finally:
        sandbox.close()
        victim.kill()
        victim.wait()
        for pid in _child_pids(locals().get("results", {})):
            if _alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)  # an escaped grandchild: never leave it behind
                except OSError:
                    pass
        listener.close()
        import shutil

        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
