"""Shared fixtures: the demo data (loaded once into the test database), a user per role, clients."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

# Playwright's sync API runs an event loop in the test thread; the ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Demo mode (the demo secret key allowed) is declared by trygg/test_settings.py, which pytest-django loads.

ROLES = ["admin", "officer", "administration_contact", "dpo", "reader"]
DEMO_USERNAMES = {
    "admin": "admin",
    "officer": "handlaggare",
    "administration_contact": "forvaltning",
    "dpo": "dataskydd",
    "reader": "lasare",
}


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    from django.conf import settings

    # The pure packages' tests also run without Django (pytest -p no:django): nothing to set then.
    if settings.configured:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Counters in the cache (the password reset limit) start at zero in every test, and no export is kept
    from another test's data (a rolled-back test can leave the same data stamp)."""
    from django.conf import settings

    if settings.configured:
        from django.core.cache import caches

        for name in settings.CACHES:
            caches[name].clear()


@pytest.fixture(autouse=True)
def _swedish_first():
    """Every test starts in Swedish, the site's language: a request in English (a test of the English pages)
    leaves its language active in the thread, and code called directly afterwards would speak English."""
    from django.conf import settings

    if settings.configured:
        from django.utils import translation

        translation.activate(settings.LANGUAGE_CODE)
        yield
        translation.activate(settings.LANGUAGE_CODE)
    else:
        yield


# A copy of the SQLite test database just after the demo was loaded (one per test process).
_demo_snapshot = None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _fast_password_hashing):
    """Every test starts from the demo situation; each test's own changes are rolled back."""
    from trygg.demo.load import load_demo

    global _demo_snapshot
    with django_db_blocker.unblock():
        load_demo()
        _demo_snapshot = _snapshot_sqlite()


def _snapshot_sqlite():
    """A copy in memory of the SQLite test database (SQLite's online backup API), or None on PostgreSQL."""
    import sqlite3

    from django.db import connection

    if connection.vendor != "sqlite":
        return None
    connection.ensure_connection()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    return copy


def _restore_demo() -> None:
    """Put the demo back after a test flushed the database (live server): the snapshot copied back on
    SQLite, in milliseconds, where loading the demo again takes about 15 seconds (PostgreSQL does that)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from trygg.demo.load import load_demo

    if _demo_snapshot is None or connection.vendor != "sqlite":
        load_demo()
        return
    connection.ensure_connection()
    _demo_snapshot.backup(connection.connection)
    # The flush re-created the content types under new ids; the restored rows have the old ones.
    ContentType.objects.clear_cache()


@pytest.fixture
def demo_users(db):
    """{role: user} for the demo users. Tests that flush the database (live server) get the demo back."""
    user_model = get_user_model()
    if not user_model.objects.filter(username="admin").exists():
        _restore_demo()
    return {role: user_model.objects.get(username=name) for role, name in DEMO_USERNAMES.items()}


@pytest.fixture
def client_for(demo_users):
    """client_for(role) -> a Client logged in with that role, or anonymous for None."""

    def make(role: str | None) -> Client:
        client = Client()
        if role is not None:
            client.force_login(demo_users[role])
        return client

    return make


DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}
)


def uses_the_database(item: pytest.Item) -> bool:
    """True when the test reaches the database: a django_db mark or a fixture that needs it."""
    if item.get_closest_marker("django_db") is not None:
        return True
    return bool(DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The second pass of scripts/run-tests (PostgreSQL) repeats only the tests that reach the database:
    # a test that never touches it gives the same result on every database, and it ran in the first pass.
    if os.environ.get("TRYGG_TEST_DATABASE_ONLY") != "1":
        return
    kept = [item for item in items if uses_the_database(item)]
    deselected = [item for item in items if not uses_the_database(item)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
