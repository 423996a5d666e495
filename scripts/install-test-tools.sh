#!/bin/sh
# Installs the tools the test suite shells out to, once, from Debian's packages:
#   promtool (package `prometheus`) checks the alert rules and a live scrape of the exporter;
#   node and npm (packages `nodejs`, `npm`) run the AsyncAPI parser of tools/asyncapi;
#   chromium (package `chromium`) is the real browser the learner page is tested in,
#     driven by Playwright for Python through its executable (Playwright's own browser
#     download needs an internet this machine may not have, so it is never used).
#   curl runs the README's example of one function alone, as a reader would.
# Idempotent: does nothing when all are already on PATH. Needs root (or sudo) and
# apt-get; elsewhere it says so and exits 0: the tests that need a tool skip, and
# make test stops at the AsyncAPI check, which needs node.
set -eu

PACKAGES=""
command -v promtool >/dev/null 2>&1 || PACKAGES="$PACKAGES prometheus"
command -v node >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs"
command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES npm"
command -v chromium >/dev/null 2>&1 || PACKAGES="$PACKAGES chromium"
command -v curl >/dev/null 2>&1 || PACKAGES="$PACKAGES curl"  # the README's one-function example is run as written
if [ -z "$PACKAGES" ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-test-tools: no apt-get; install these by hand:$PACKAGES" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "install-test-tools: not root and no passwordless sudo; install these by hand:$PACKAGES" >&2
        exit 0
    fi
fi

# The prometheus package's maintainer script would start the Prometheus server;
# policy-rc.d exit 101 forbids service starts during this install (we only want promtool).
POLICY=/usr/sbin/policy-rc.d
ADDED_POLICY=0
if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
    $SUDO chmod 755 "$POLICY"
    ADDED_POLICY=1
fi
cleanup() { [ "$ADDED_POLICY" -eq 1 ] && $SUDO rm -f "$POLICY"; true; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086 # one word per package
$SUDO apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null

# Belt and braces: where no policy-rc.d was honoured (no init system, a
# pre-existing policy), make sure no server we just installed keeps running.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
    $SUDO systemctl stop prometheus || true
    $SUDO systemctl disable prometheus >/dev/null 2>&1 || true
fi
for tool in promtool node npm chromium; do
    command -v "$tool" >/dev/null 2>&1 || { echo "install-test-tools: $tool missing after install" >&2; exit 1; }
done
echo "install-test-tools: $(promtool --version 2>&1 | head -n 1); node $(node --version); npm $(npm --version)"
echo "install-test-tools: $(chromium --version 2>/dev/null | head -n 1)"
