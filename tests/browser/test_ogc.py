"""The OGC API landing page in a browser: HTML in Trygg's layout, what each user may open, axe."""

from __future__ import annotations

from tests.browser.conftest import log_in


def test_public_landing_page_offers_the_public_layer_only(page, screenshot, axe_check):
    page.goto("/ogc/")
    assert page.get_by_role("heading", level=1).inner_text() == "Trygg – kamerabevakning som geodata"
    collections = page.locator("main ul").first
    assert collections.get_by_role("link").all_inner_texts() == ["Platser med kamerabevakning"]
    assert "/ogc/" in page.get_by_text("Lägg till WFS-/OGC API").inner_text()
    screenshot(page, "ogc-landing-public")
    axe_check(page)
    page.get_by_role("link", name="Platser med kamerabevakning").click()
    assert '"type":"FeatureCollection"' in page.locator("body").inner_text().replace(" ", "")


def test_officer_landing_page_lists_four_layers(page, screenshot, axe_check):
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto("/ogc/")
    links = page.locator("main ul").first.get_by_role("link").all_inner_texts()
    assert links == ["Kameror", "Kamerornas täckning", "Platser", "Områden"]
    screenshot(page, "ogc-landing-officer")
    axe_check(page)


def test_browser_shows_the_json_responses_instead_of_downloading_them(page):
    # The crawl (test_crawl.py) opens every URL of the access table with page.goto; a download would fail it.
    for url in ("/ogc/api", "/ogc/conformance", "/ogc/collections", "/ogc/collections/sites/items?limit=1"):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        assert page.locator("body").inner_text().startswith("{"), url
