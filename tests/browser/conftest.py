"""Playwright driving Debian's Chromium against a live Trygg server.

In CI (CI=true) a missing Chromium fails the run; elsewhere the browser tests skip with a message.
Screenshots go to test-artifacts/ so a person can look at the pages.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("TRYGG_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"Chromium saknas ({CHROMIUM}); installera Debians paket chromium för webbläsartesterna."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, demo_users):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    external, errors = [], []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            # 40x and 429 (a locked-out login) are the page's own answer, tested where they are expected.
            if message.type == "error"
            and "favicon" not in message.text
            and "status of 40" not in message.text
            and "status of 429" not in message.text
            else None
        ),
    )
    # Requests still running when the test ends (a map's data, a preview after the last click) keep the
    # live server's shared in-memory database busy; its flush after the test then fails with "database
    # table is locked". Wait for them, as a person's next step comes after the page has finished.
    in_flight: set = set()
    page.on("request", lambda r: in_flight.add(r) if r.url.startswith(live_server.url) else None)
    page.on("requestfinished", lambda r: in_flight.discard(r))
    page.on("requestfailed", lambda r: in_flight.discard(r))
    page.trygg_in_flight = in_flight
    yield page
    _wait_for_requests(page)
    context.close()
    assert not external, f"Sidan hämtade något utanför Trygg: {external}"
    assert not errors, f"JavaScript-fel: {errors}"


def _wait_for_requests(page) -> None:
    for _ in range(100):
        if not page.trygg_in_flight:
            break
        page.wait_for_timeout(100)


@contextmanager
def server_held(page):
    """Hold the page's requests to the live server while the test itself writes to the database.

    The test's thread and the live server share one in-memory SQLite database whose locks do not wait:
    a job run by the test (playing the worker) while the page polls its state failed with "database
    table is locked" (CI). Requests the page makes meanwhile wait in Playwright's router, which only
    answers once the test calls Playwright again, so they reach the server after the block.
    """
    _wait_for_requests(page)
    page.route("**/*", lambda route: route.continue_())
    try:
        yield
    finally:
        page.unroute("**/*")


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page_or_element, name: str) -> Path:
        """Save a full-page screenshot, or one of a single element when given a locator."""
        target = ARTIFACTS / f"{name}.png"
        if hasattr(page_or_element, "goto"):
            page_or_element.screenshot(path=str(target), full_page=True)
        else:
            page_or_element.screenshot(path=str(target))
        return target

    return take


@pytest.fixture
def axe_check():
    """Run axe and fail on serious or critical violations (WCAG 2.1 AA)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page) -> list[dict]:
        results = axe.run(
            page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
        )
        bad = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
        summary = [f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}" for v in bad]
        assert not bad, f"axe på {page.url}:\n" + "\n".join(summary)
        return results.response["violations"]

    return check


def log_in(page, username: str, password: str) -> None:
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/")
