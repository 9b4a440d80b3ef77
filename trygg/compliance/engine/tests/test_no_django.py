"""The engine is a pure core: no module of it may import Django, directly or through a dependency."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import trygg
import trygg.compliance.engine as engine

REPO_ROOT = Path(trygg.__file__).resolve().parent.parent


def run_python(program: str) -> subprocess.CompletedProcess[str]:
    """Run `program` in a fresh interpreter from the repository root, so nothing is imported yet."""
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False, cwd=REPO_ROOT)


def engine_modules() -> list[str]:
    """Every module of the engine package, tests left out."""
    return sorted(
        info.name
        for info in pkgutil.walk_packages(engine.__path__, prefix=f"{engine.__name__}.")
        if ".tests" not in info.name
    )


def test_engine_modules_are_found() -> None:
    names = engine_modules()
    for expected in ("facts", "rules", "evaluate", "dpia", "register", "i18n"):
        assert f"trygg.compliance.engine.{expected}" in names


def test_no_engine_module_imports_django() -> None:
    names = [engine.__name__, *engine_modules()]
    program = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(loaded))\n"
    )
    result = run_python(program)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"Django was imported: {result.stdout.strip()}"


def test_the_check_would_see_django() -> None:
    # A test that cannot fail proves nothing: the same probe notices Django when it is imported.
    program = "import sys, django\nprint(','.join(m for m in sys.modules if m == 'django'))\n"
    result = run_python(program)
    assert result.stdout.strip() == "django"
