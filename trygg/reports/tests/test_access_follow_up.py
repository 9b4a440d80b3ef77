"""The follow-up and report rows of the role table (trygg/core/tests/test_access.py), checked on their own.

The full table also walks every other app's URLs; this keeps the issue-6 rows testable while other
apps' pages are being added.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import get_resolver

from trygg.core.tests import test_access as table

MINE = (
    "uppfoljning/",
    "rapporter/",
    "admin/programme/indicator/",
    "admin/programme/budgetallocation/",
    "admin/programme/costentry/",
    "admin/programme/deadline/",
    "admin/reports/",
)


@pytest.mark.django_db
def test_follow_up_urls_with_every_role(demo_users):
    routes = [r for r in table.walk(get_resolver().url_patterns) if r.startswith(MINE)]
    expected = table.expected_table()
    assert set(routes) == {r for r in expected if r.startswith(MINE)}
    objects = table.sample_objects()
    clients = {role: Client() for role in table.ROLES}
    for role, client in clients.items():
        if role is not None:
            client.force_login(demo_users[role])
    failures = []
    for route in routes:
        for url, _app in table.concrete_paths(route, objects):
            for role in table.ROLES:
                status = clients[role].get(url).status_code
                if status != expected[route][role]:
                    failures.append(f"{url} as {role or 'anonymous'}: expected {expected[route][role]}, got {status}")
    assert not failures, "\n".join(failures)
