"""Bad input never gives a server error: every URL's query parameters and every form on every page.

Issue 15: 12 server errors in 399 bad inputs (a range of 1e308, `?datum=0001-01-01`, `null` schedule rules,
deeply nested JSON). The URLs come from the URL configuration through the access test's walk, so a new
page is fuzzed without being listed here. Each form is posted inside a savepoint that is rolled back, so a
delete or a move on one page does not take the sample objects away from the next.
"""

from __future__ import annotations

import itertools
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client
from django.urls import get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg.core.tests.test_access import concrete_paths, sample_objects, walk

# The query parameters Trygg's pages and APIs read (grep request.GET, params, filtersets).
PARAMETERS = [
    "datum", "ar", "as_of", "aldre", "bbox", "bbox-crs", "crs", "datetime", "f", "format", "kamera", "limit",
    "mall", "next", "ny", "offset", "page", "sida", "plats", "site", "sort", "typ", "visa", "administration",
    "area_kind", "camera_type", "intrudes", "kind", "q", "site_kind", "state", "status", "vulnerability", "year",
]  # fmt: skip

# Values that broke pages before, and their relatives.
NASTY = [
    "9999-12-31", "0001-01-01", "2024-02-30", "2024-13-01", "1e308", "-1e308", "NaN", "inf", "-1", "0",
    "99999999999999999999999999", "", " ", "null", "[]", "{}", "[" * 50, "x" * 5000, "\x00", "1,5", "10.5.3",
    "<script>alert(1)</script>", "'; DROP TABLE sites_site; --", "%", "../..", "ÅÄÖ", "🙂",
    "-180,-90,180,90", "1,2,3", "2024-01-01/..", "EPSG:0",
]  # fmt: skip

DEEP_JSON = "[" * 100_000 + "]" * 100_000


def routes() -> list[str]:
    return sorted(set(walk(get_resolver().url_patterns)))


def urls(objects: dict) -> list[str]:
    found = []
    for route in routes():
        if route.startswith("admin/"):
            continue  # Django's own admin views; Trygg's pages are what is fuzzed here
        for url, _app in concrete_paths(route, objects):
            found.append(url)
    return found


def query(offset: int) -> dict[str, str]:
    """Every parameter at once, each with another nasty value, shifted by `offset`."""
    return {name: NASTY[(i + offset) % len(NASTY)] for i, name in enumerate(PARAMETERS)}


@pytest.fixture
def fuzz_setup(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    objects = sample_objects()
    clients = {}
    for role in ("officer", "admin", "dpo", "administration_contact", None):
        client = Client(raise_request_exception=False)
        if role is not None:
            client.force_login(demo_users[role])
        clients[role] = client
    return objects, clients


def server_errors(client: Client, method: str, url: str, data: dict) -> list[str]:
    with transaction.atomic():
        response = getattr(client, method)(url, data)
        transaction.set_rollback(True)
    if response.status_code >= 500:
        shown = {k: (v[:40] + "…" if isinstance(v, str) and len(v) > 40 else v) for k, v in data.items()}
        return [f"{method.upper()} {url} {shown} → {response.status_code}"]
    return []


@pytest.mark.django_db
def test_no_query_parameter_gives_a_server_error(fuzz_setup):
    objects, clients = fuzz_setup
    failures = []
    # Two shifts for the officer (who sees most pages), one for anonymous users (public pages, login).
    runs = [("officer", 0), ("officer", 17), (None, 5)]
    for url, (role, offset) in itertools.product(urls(objects), runs):
        failures += server_errors(clients[role], "get", url, query(offset))
    assert not failures, "\n".join(failures)


class Forms(HTMLParser):
    """The POST forms of a page: their action and the names of their fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form" and values.get("method", "get").lower() == "post":
            self._current = {}
            self.forms.append((values.get("action", ""), self._current))
        elif tag in ("input", "select", "textarea") and self._current is not None and values.get("name"):
            kind = values.get("type", "")
            if kind not in ("submit", "button", "file") and values["name"] != "csrfmiddlewaretoken":
                self._current[values["name"]] = kind

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def forms_on(client: Client, url: str) -> list[tuple[str, list[str]]]:
    response = client.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    parser = Forms()
    parser.feed(response.content.decode("utf-8", "replace"))
    return [(action or url, sorted(fields)) for action, fields in parser.forms if fields]


@pytest.mark.django_db
def test_no_form_post_gives_a_server_error(fuzz_setup):
    objects, clients = fuzz_setup
    failures = []
    seen = set()
    for url in urls(objects):
        for role in ("officer", "admin", "dpo"):
            for action, fields in forms_on(clients[role], url):
                if (action, role) in seen or action.startswith("/konto/logga-ut"):
                    continue
                seen.add((action, role))
                for offset in (0, 13):
                    data = {name: NASTY[(i + offset) % len(NASTY)] for i, name in enumerate(fields)}
                    failures += server_errors(clients[role], "post", action, data)
                failures += server_errors(clients[role], "post", action, dict.fromkeys(fields, DEEP_JSON))
    assert len(seen) > 40, "the walk should find the forms of Trygg's pages"
    assert not failures, "\n".join(failures)


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_parameters_on_random_pages(fuzz_setup, data):
    objects, clients = fuzz_setup
    url = data.draw(st.sampled_from(urls(objects)))
    params = data.draw(st.dictionaries(st.sampled_from(PARAMETERS), TEXT | st.sampled_from(NASTY), max_size=6))
    assert not server_errors(clients["officer"], "get", url, params)
