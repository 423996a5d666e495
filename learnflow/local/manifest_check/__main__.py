"""``python -m learnflow.local.manifest_check [--scan] [ROOT]``: validate every manifest offline.

Prints each manifest and what it was validated against, then every problem with its
file and field path; exits 1 when there is any problem, 2 on bad usage. With --scan, runs
the manifest scanner (checkov over the rendered manifests and the Dockerfile) instead and
prints its counts, every skip with its reason and every failed check.
"""

from __future__ import annotations

import sys
from pathlib import Path

from learnflow.local.manifest_check import check
from learnflow.local.manifest_check._scanner import scan


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    scanning = "--scan" in args
    args = [a for a in args if a != "--scan"]
    if len(args) > 1 or (args and args[0].startswith("-")):
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    root = Path(args[0]) if args else Path.cwd()
    if not (root / "eventing").is_dir() or not (root / "knative").is_dir():
        print(f"{root}: expected a project root holding eventing/ and knative/", file=sys.stderr)
        return 2
    report = scan(root) if scanning else check(root)
    print(report)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
