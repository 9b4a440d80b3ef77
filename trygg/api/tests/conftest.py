"""Fixtures for the REST API tests: an API key per demo role."""

from __future__ import annotations

import pytest
from django.test import Client

from trygg.api.models import ApiToken


@pytest.fixture
def api_keys(demo_users):
    """{role: key} with a fresh API key for each demo user (rolled back with the test)."""
    return {role: ApiToken.issue(user, f"test {role}")[1] for role, user in demo_users.items()}


@pytest.fixture
def api_client(api_keys):
    """api_client(role) -> a Client that sends the role's API key (None: anonymous, no key)."""

    def make(role: str | None) -> Client:
        if role is None:
            return Client()
        return Client(HTTP_AUTHORIZATION=f"Bearer {api_keys[role]}")

    return make
