"""The parsing, profile and ranking modules are pure cores: importing them imports no Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import trygg

REPO_ROOT = Path(trygg.__file__).resolve().parent.parent
PURE = ["trygg.incidents.tabular", "trygg.incidents.parsing", "trygg.incidents.profile", "trygg.incidents.ranking"]


def test_pure_modules_import_no_django():
    program = f"import sys\nfor name in {PURE!r}:\n    __import__(name)\nprint(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=REPO_ROOT)
    assert result.stdout.strip() == "[]", result.stdout
