"""Contract tests: schemathesis generates requests from the OpenAPI document for every role's API key.

Every operation, every role (admin, officer, administration contact, DPO, reader, anonymous): no server
error, every status documented, every response body matching its schema. A few examples per operation
keep the run short (MAX_EXAMPLES).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

MAX_EXAMPLES = 2
ROLES = ["admin", "officer", "administration_contact", "dpo", "reader", None]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
schema.config.generation.update(allow_x00=False, no_shrink=True)


@pytest.fixture
def keep_test_connection():
    """The WSGI calls would close the test transaction's connection on PostgreSQL (Django's test Client
    disconnects the same handlers)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_for_every_role(case, api_keys, keep_test_connection):
    for role in ROLES:
        headers = {"Authorization": f"Bearer {api_keys[role]}"} if role else {}
        case.call_and_validate(headers=headers, checks=CHECKS)
