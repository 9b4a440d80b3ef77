"""A new process answers its first request without loading the statistics and chart libraries.

scipy, statsmodels (with pandas) and matplotlib took ~16 s to import on a cold machine, and every
process paid it on its first request because the URL configuration imported them (issue 15: the
admin's first request). They are now imported by the functions that evaluate or draw.
"""

import os
import subprocess
import sys

import pytest

HEAVY = ("scipy", "statsmodels", "pandas", "matplotlib")

PROBE = """
import sys
import django
django.setup()
from django.test import Client
from django.urls import resolve
resolve("/")  # loads the whole URL configuration, every app's views
Client().get("/admin/login/")
print(" ".join(name for name in {heavy!r} if name in sys.modules))
"""


def _loaded_after(code: str) -> set[str]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "trygg.test_settings", "TRYGG_DEMO": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_the_url_configuration_does_not_load_statistics_or_charts() -> None:
    assert _loaded_after(PROBE.format(heavy=HEAVY)) == set()


@pytest.mark.parametrize(
    ("module", "expected"),
    [("trygg.evaluation.stats", {"scipy", "statsmodels"}), ("trygg.programme.charts", set())],
)
def test_the_probe_sees_what_a_module_loads(module: str, expected: set[str]) -> None:
    # The probe itself can fail: importing the statistics module does load scipy and statsmodels.
    code = f"import {module}\nimport sys\nprint(' '.join(n for n in {HEAVY!r} if n in sys.modules))"
    assert expected <= _loaded_after(code)
