"""trygg.geo is the pure core: importing any of it must not pull in Django (DESIGN.md)."""

import subprocess
import sys

PROGRAM = """
import importlib, pkgutil, sys
import trygg.geo
names = [m.name for m in pkgutil.walk_packages(trygg.geo.__path__, "trygg.geo.")]
for name in names:
    importlib.import_module(name)
assert "trygg.geo.batch" in names and "trygg.geo.tests.test_no_django" in names, names
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print(len(names), loaded)
sys.exit(1 if loaded else 0)
"""


def test_no_module_of_trygg_geo_imports_django():
    # A fresh interpreter, so modules pytest or other tests imported cannot hide or fake it.
    done = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
