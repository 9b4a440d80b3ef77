"""The API register (/api/v1/register/) is kept whole, written once per state of the data, date and
scope (`trygg.core.export_cache`), with the bytes DRF rendered on every request before; every request is
still logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from trygg.api import serializers as api
from trygg.cameras.models import Camera
from trygg.compliance import registers
from trygg.core.models import ObjectChange

pytestmark = pytest.mark.django_db

URL = "/api/v1/register/"


def get(client, url: str) -> tuple[bytes, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/json"
    return response.content, len(queries)


@pytest.mark.parametrize("on", [None, dt.date(2023, 6, 30)])
def test_the_register_has_the_bytes_drf_rendered_before(api_client, on):
    url = URL if on is None else f"{URL}?datum={on.isoformat()}"
    expected = JSONRenderer().render(
        api.RegisterSerializer(registers.register_context(on or timezone.localdate())).data
    )
    client = api_client("officer")
    assert get(client, url)[0] == expected  # written
    assert get(client, url)[0] == expected  # served as kept


def test_a_second_request_is_not_written_again_and_is_logged_again(api_client, monkeypatch):
    client = api_client("officer")
    written, written_queries = get(client, URL)
    logged = ObjectChange.objects.filter(event="register.exported").count()
    monkeypatch.setattr(registers, "register_context", lambda on_date: pytest.fail("written again"))
    served, served_queries = get(client, URL)
    assert served == written and served_queries < written_queries
    assert ObjectChange.objects.filter(event="register.exported").count() == logged + 1


def test_a_change_and_another_date_show_in_the_next_request(api_client):
    client = api_client("officer")
    today = get(client, URL)[0]
    assert get(client, f"{URL}?datum=2020-01-01")[0] != today
    camera = Camera.objects.get(identifier="TORG-01")
    camera.identifier = "TORG-99"
    camera.save()
    changed = get(client, URL)[0].decode()
    assert '"TORG-99"' in changed and '"TORG-01"' not in changed
