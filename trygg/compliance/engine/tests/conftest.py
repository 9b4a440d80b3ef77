"""The engine's tests run without Django (`pytest -p no:django`), so Django fixtures must not run here."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> None:
    """Shadow the root conftest's autouse fixture of the same name: it reads Django settings,
    which are not configured when the pure engine is tested on its own."""
