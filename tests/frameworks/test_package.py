"""The package stays independent of the web app's stack."""

from __future__ import annotations

import subprocess
import sys


def test_importing_frameworks_pulls_in_no_web_framework() -> None:
    code = (
        "import sys, frameworks, frameworks.cli\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'flask', 'flask_sqlalchemy', 'pylti1p3', 'sqlalchemy', 'lti_tool'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
