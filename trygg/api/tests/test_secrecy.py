"""No exact position of a secret placement (OSL 18 kap. 8 §) reaches a reader or an anonymous user.

Every GET operation in the OpenAPI document is requested as a reader and anonymously (with the secret
camera's id, and its site's, in the path), every list page followed; no body may hold the camera's
coordinates. An officer's response does hold them, which shows the scan can find them.
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from trygg.cameras.models import Camera

pytestmark = pytest.mark.django_db


def traces(camera: Camera) -> list[str]:
    """The coordinates as they could appear: full precision and rounded to 5, 4 and 3 decimals (~100 m)."""
    found = []
    for value in (camera.longitude, camera.latitude):
        found += [repr(value), *(f"{value:.{digits}f}" for digits in (5, 4, 3))]
    return found


def get_paths(client: Client, ids: dict[str, int]) -> list[str]:
    schema = json.loads(client.get("/api/v1/schema/?format=json").content)
    paths = []
    for path, operations in schema["paths"].items():
        if "get" in operations:
            paths.append(re.sub(r"\{id\}", str(ids["camera"] if "camera" in path else ids["site"]), path))
    return paths


def bodies(client: Client, paths: list[str]) -> list[str]:
    """Every response body for the paths, following `next` links of lists."""
    seen = []
    for path in ["/api/v1/docs/", "/api/v1/schema/", *paths]:
        url = path
        while url:
            response = client.get(url)
            text = response.content.decode()
            seen.append(text)
            url = (
                json.loads(text).get("next")
                if response.get("Content-Type", "").startswith("application/json") and text.startswith("{")
                else None
            )
    return seen


def test_no_secret_coordinates_for_readers_and_the_public(api_client):
    camera = Camera.objects.get(identifier="TORG-01")  # in operation on the square: on the public pages
    camera.secret_placement = True
    camera.save()
    ids = {"camera": camera.pk, "site": camera.site_id}
    paths = get_paths(api_client(None), ids)
    assert "/api/v1/cameras/" + str(camera.pk) + "/" in paths and "/api/v1/register/" in paths
    marks = traces(camera)
    for role in ("reader", None):
        for text in bodies(api_client(role), paths):
            leaked = [mark for mark in marks if mark in text]
            assert not leaked, (role, leaked, text[:300])
    # The scan finds the position where it is shown: the officer's camera page in the API.
    officer = "".join(bodies(api_client("officer"), [f"/api/v1/cameras/{camera.pk}/"]))
    assert repr(camera.longitude) in officer
