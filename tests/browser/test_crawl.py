"""Every page of the access table, as every role allowed to see it, with the demo's own objects.

The table in `trygg/core/tests/test_access.py` names every URL and the outcome for each role; this
test opens each URL a role may see (status 200) in Chromium, with existing demo objects (a site, a
camera, documents, a frozen report), and fails on a server error, a JavaScript error, a request that
leaves the server, a serious or critical axe finding (WCAG 2.1 A/AA), or a map that stays empty on a
page about an existing object. A screenshot of each page is saved under test-artifacts/crawl/.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import get_resolver
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from trygg.core.tests.test_access import OK, ROLES, concrete_paths, expected_table, sample_objects, walk

# Responses that are files or data, not pages: checked for status and type, not drawn or axe-checked.
DATA_SUFFIXES = (
    ".csv",
    ".json",
    ".geojson",
    ".pdf",
    ".docx",
    ".ics",
    ".png",
    ".svg",
    ".xlsx",
    ".osm",
    ".jsonld",
    ".rdf",
)
# The REST API answers JSON (and its OpenAPI document YAML) at addresses without a suffix; its docs page is a page.
API_DATA = re.compile(r"^/api/(?!v1/docs/)")
# Pages whose maps may rightly be empty: forms for a new object.
NEW_OBJECT = re.compile(r"/(ny|nytt)/(\?|$)")
# Parts of pages fetched by htmx, not pages of their own.
FRAGMENT = re.compile(r"^/(behov/import|jobb)/\d+/status/$")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def slug(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "start"


def session_cookie(live_server, user) -> dict:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def pages_to_visit(objects) -> dict:
    """{url: [roles allowed to see it]} for every URL of the access table that answers 200."""
    table = expected_table()
    visits: dict[str, list] = {}
    for route in walk(get_resolver().url_patterns):
        for url, app in concrete_paths(route, objects):
            if app is not None:
                continue  # admin app index pages: covered by the model pages below them
            allowed = [role for role in ROLES if role is not None and table[route][role] == OK]
            if table[route][None] == OK:
                allowed.append(None)
            if allowed:
                visits[url] = allowed
    return visits


def axe_fetch(response) -> bool:
    """A style sheet fetched by axe itself (XHR), which resolves an @import against the page's address
    (the admin's forms.css imports widgets.css): its 404 is axe's, not the page's."""
    return response.request.resource_type == "xhr" and response.url.endswith(".css")


class Visit:
    """What one browser context (one role) saw on the pages it opened."""

    def __init__(self, browser, live_server, user) -> None:
        self.context = browser.new_context(
            base_url=live_server.url, locale="sv-SE", viewport={"width": 1280, "height": 900}
        )
        if user is not None:
            self.context.add_cookies([session_cookie(live_server, user)])
        self.page = self.context.new_page()
        self.external: list[str] = []
        self.errors: list[str] = []
        server = live_server.url
        self.page.on("request", lambda r: self.external.append(r.url) if not r.url.startswith(server) else None)
        # Requests a page makes after its load (Swagger UI's OpenAPI document, a map's data, htmx): the next
        # page waits for them, as a person's next click would come after them. Left running, the live
        # server answered two requests at once on its one shared in-memory SQLite connection, and the
        # next page's session save failed (a 400 in CI, once).
        self.in_flight: set = set()
        self.page.on("request", lambda r: self.in_flight.add(r))
        self.page.on("requestfinished", lambda r: self.in_flight.discard(r))
        self.page.on("requestfailed", lambda r: self.in_flight.discard(r))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        # A failed load is reported with its URL (below); the console's copy of it names none.
        self.page.on(
            "console",
            lambda m: (
                self.errors.append(m.text)
                if m.type == "error" and not m.text.startswith("Failed to load resource")
                else None
            ),
        )
        self.page.on(
            "response",
            lambda r: (
                self.errors.append(f"{r.status} {r.url}")
                if r.status >= 400 and r.request.resource_type != "document" and not axe_fetch(r)
                else None
            ),
        )

    def settle(self, timeout_ms: int = 30000) -> None:
        """Wait until the current page has no request left in flight (at most `timeout_ms`)."""
        waited = 0
        while self.in_flight and waited < timeout_ms:
            self.page.wait_for_timeout(50)
            waited += 50

    def open(self, url: str, who: str, first: bool, axe, out) -> list[str]:
        """Open `url`; on the first visit of a URL also run axe and save a screenshot. Returns failures."""
        self.settle()
        self.external.clear()
        self.errors.clear()
        if url.split("?")[0].endswith(DATA_SUFFIXES) or API_DATA.search(url):
            response = self.context.request.get(url)
            return [] if response.status == OK else [f"{url} som {who}: status {response.status}"]
        try:
            response = self.page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" not in str(error):
                raise
            # A file sent as an attachment (a job's result, say): fetched as data, like the suffixes above.
            response = self.context.request.get(url)
            return [] if response.status == OK else [f"{url} som {who}: status {response.status}"]
        if response is None or response.status != OK:
            said = response.text()[:300] if response is not None else ""
            return [f"{url} som {who}: status {response.status if response else 'inget svar'} {said!r}"]
        failures = []
        page = self.page
        is_page = "text/html" in response.headers.get("content-type", "") and not FRAGMENT.search(url)
        maps = page.locator("[data-map]")
        if is_page and maps.count():
            try:
                # A locator, not wait_for_function: polling a string predicate is eval, which the CSP refuses
                # whenever the map is not ready at the first look.
                expect(page.locator("[data-map]:not([data-loaded=true])")).to_have_count(0, timeout=15000)
            except (PlaywrightError, AssertionError):
                failures.append(f"{url} som {who}: kartan blev aldrig klar")
            for index in range(maps.count()):
                if maps.nth(index).locator(".leaflet-interactive").count() == 0 and not NEW_OBJECT.search(url):
                    failures.append(f"{url} som {who}: kartan är tom")
        if is_page and first:
            results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
            for violation in results.response["violations"]:
                if violation.get("impact") in {"serious", "critical"}:
                    targets = [n["target"] for n in violation["nodes"]][:3]
                    failures.append(f"{url} som {who}: axe {violation['id']} – {violation['help']} {targets}")
            page.screenshot(path=str(out / f"{who}--{slug(url)}.png"), full_page=True)
        if self.errors:
            failures.append(f"{url} som {who}: JavaScript-fel {self.errors[:3]}")
        if self.external:
            failures.append(f"{url} som {who}: hämtade utanför Trygg {self.external[:3]}")
        return failures


# The crawl's order of roles; anonymous (None) last.
CRAWL_ROLES = ["admin", "officer", "administration_contact", "dpo", "reader", None]


def axe_assignments(visits: dict) -> dict:
    """{url: role} for the one visit of each URL that runs axe and takes the screenshot: the allowed role
    with the fewest such visits so far, so the roles' tests (run in parallel) take about as long."""
    load = dict.fromkeys(CRAWL_ROLES, 0)
    chosen = {}
    for url, allowed in visits.items():
        role = min(allowed, key=lambda r: (load[r], CRAWL_ROLES.index(r)))
        chosen[url] = role
        load[role] += 1
    return chosen


def test_every_page_is_checked_once_by_a_role_allowed_to_see_it():
    visits = {"/a/": ["admin", "officer"], "/b/": ["admin"], "/c/": ["admin", None], "/d/": [None]}
    chosen = axe_assignments(visits)
    assert chosen == {"/a/": "admin", "/b/": "admin", "/c/": None, "/d/": None}
    assert all(chosen[url] in allowed for url, allowed in visits.items())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", CRAWL_ROLES, ids=lambda role: role or "anonymous")
def test_every_page_as_every_role_allowed_to_see_it(browser, live_server, demo_users, role):
    from axe_playwright_python.sync_playwright import Axe

    visits = pages_to_visit(sample_objects())
    assert len(visits) > 80, "the crawl should reach every page of the access table"
    checked_by = axe_assignments(visits)
    axe = Axe()
    out = ARTIFACTS / "crawl"
    out.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    visit = Visit(browser, live_server, demo_users.get(role))
    for url, allowed in visits.items():
        if role in allowed:
            failures += visit.open(url, role or "anonym", checked_by[url] == role, axe, out)
    visit.context.close()
    assert not failures, f"{len(failures)} fel:\n" + "\n".join(failures)
