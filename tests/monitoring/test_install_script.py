"""scripts/install-test-tools.sh (promtool, chromium) is safe to run on every `make test`: idempotent, quiet."""

import subprocess

from ..support.chromium import require_chromium
from ..support.tools import INSTALLER
from .promtool import require_promtool


def test_installer_is_a_no_op_once_its_tools_are_there():
    require_promtool()  # installs them if this machine can
    require_chromium()
    result = subprocess.run(["sh", str(INSTALLER)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""


def test_installer_is_valid_posix_sh():
    assert subprocess.run(["sh", "-n", str(INSTALLER)], capture_output=True, timeout=10).returncode == 0
