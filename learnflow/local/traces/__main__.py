"""``python -m learnflow.local.traces HOST PORT``: the embedded receiver, in the process ``learnflow up`` starts for it."""

from __future__ import annotations

import sys

from learnflow.local.traces._process import serve

if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
