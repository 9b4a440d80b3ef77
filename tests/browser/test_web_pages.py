"""The web application in a real browser: the officer's daily work, the reader's limits, axe on every page."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in


def field(page, label):
    """The form field with exactly this label (required fields end with an asterisk)."""
    return page.get_by_label(re.compile("^" + re.escape(label) + r"( \*)?$"))


def wait_for_map(page, selector="[data-map]"):
    page.locator(f"{selector}[data-loaded=true]").first.wait_for(timeout=15000)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/platser/", "site-list"),
        ("/kameror/", "camera-list"),
        ("/projekteringar/", "project-board"),
        ("/karta/", "map"),
    ],
)
def test_main_pages_pass_axe(page, screenshot, axe_check, url, name):
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto(url)
    if name == "map":
        wait_for_map(page)
    axe_check(page)
    screenshot(page, name)


def test_site_and_camera_detail_pages(page, screenshot, axe_check):
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto("/platser/?q=Kvisthamra")
    page.get_by_role("link", name="Kvisthamraskolan").click()
    wait_for_map(page)
    text = page.locator("main").inner_text()
    for expected in [
        "Skolgården",
        "Får inte bevakas",
        "KVI-01",
        "Belysning",
        "Ingen avsedd effekt",
        "Kvisthamraskolan – yttre bevakning av byggnad",
        "Ändringshistorik",
    ]:
        assert expected in text, expected
    axe_check(page)
    screenshot(page, "site-detail")
    page.get_by_role("link", name="KVI-01", exact=True).click()
    wait_for_map(page)
    assert "Fasad och 2 m" in page.locator("main").inner_text()
    axe_check(page)
    screenshot(page, "camera-detail")


def test_officer_creates_a_site_draws_a_zone_adds_a_camera_and_runs_it(page, screenshot, axe_check):
    log_in(page, "handlaggare", "trygg-handlaggare")
    # A new site: the form refuses a missing reason for vulnerability, in Swedish.
    page.goto("/platser/ny/")
    wait_for_map(page)
    axe_check(page)
    field(page, "Namn").fill("Testskolan")
    field(page, "Typ av plats").select_option("school")
    field(page, "Förvaltning").select_option(label="Barn- och utbildningsförvaltningen")
    page.locator("[data-map]").click(position={"x": 300, "y": 200})  # sets the position
    assert field(page, "Longitud").input_value() != ""
    field(page, "Utsatthet").select_option("vulnerable")
    page.get_by_role("button", name="Spara platsen").click()
    assert "Ange skälet när platsen bedöms som utsatt" in page.locator("main").inner_text()
    screenshot(page, "site-form-error")
    field(page, "Skäl för bedömningen av utsatthet").fill("Skadegörelse helgnätter.")
    page.get_by_role("button", name="Spara platsen").click()
    page.wait_for_url(re.compile(r"/platser/\d+/$"))
    site_url = page.url

    # Draw the schoolyard on the map with Geoman's polygon tool.
    page.get_by_role("link", name="Rita nytt område").click()
    wait_for_map(page)
    field(page, "Namn").fill("Skolgården")
    field(page, "Typ av område").select_option("schoolyard")
    field(page, "Regel för bevakning").select_option("must_not_monitor")
    page.locator(".leaflet-pm-icon-polygon").click()
    box = page.locator("[data-map]").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in [(40, -60), (160, -60), (160, 60), (40, 60), (40, -60)]:
        page.mouse.click(cx + dx, cy + dy)
    geometry = json.loads(page.locator("#id_geometry").input_value())
    assert geometry["type"] == "Polygon" and len(geometry["coordinates"][0]) == 5
    screenshot(page, "zone-drawn")
    page.get_by_role("button", name="Spara området").click()
    page.wait_for_url(site_url)
    assert "Skolgården" in page.locator("#zones-heading").locator("xpath=../..").inner_text()

    # A camera at the site's point looking east, into the yard: the preview shows the intrusion.
    page.get_by_role("link", name="Ny kamera").click()
    wait_for_map(page)
    field(page, "Beteckning").fill("TEST-01")
    field(page, "Montering").select_option("wall")
    field(page, "Monteringshöjd (m)").fill("4")
    field(page, "Kameratyp").select_option("fixed")
    field(page, "Horisontell bildvinkel (grader)").fill("60")
    field(page, "Räckvidd (m)").fill("60")
    # At the site's own point, which the zone lies east of (it was drawn east of the point).
    site_map = page.locator("[data-map]")
    field(page, "Longitud").fill(site_map.get_attribute("data-lon").replace(",", "."))
    field(page, "Latitud").fill(site_map.get_attribute("data-lat").replace(",", "."))
    field(page, "Riktning (grader)").fill("90")
    field(page, "Riktning (grader)").blur()
    page.locator("#coverage-preview").get_by_text("Kameran ser in i områden som inte får bevakas").wait_for()
    page.locator("[data-map-preview][data-previewed]").wait_for()  # the map redrew (no string predicate: CSP)
    screenshot(page, "camera-form-preview-intrusion")
    # Turning it away redraws the coverage at once, without saving.
    field(page, "Riktning (grader)").fill("270")
    field(page, "Riktning (grader)").blur()
    page.locator("#coverage-preview").get_by_text("Inget intrång i områden som inte får bevakas").wait_for()
    page.get_by_role("button", name="Spara kameran").click()
    page.wait_for_url(re.compile(r"/kameror/\d+/$"))
    assert "Planerad" in page.locator("h1").inner_text()

    # Through the life cycle; an illegal move is refused with the reason.
    move = page.locator(".move-form")
    assert field(move, "Ny status").locator("option").all_inner_texts() == ["Projekterad", "Avvecklad"]
    for state in ["designed", "installed"]:
        field(page, "Ny status").select_option(state)
        field(page, "Jag har kontrollerat att statusändringen stämmer").check()
        page.get_by_role("button", name="Spara statusändringen").click()
        page.locator(".messages").get_by_text("Kamerans status är ändrad.").wait_for()
    assert "Installerad" in page.locator("h1").inner_text()
    field(page, "Ny status").select_option("in_operation")
    page.get_by_role("button", name="Spara statusändringen").click()
    assert "Bekräfta statusändringen" in page.locator(".move-form").inner_text()
    axe_check(page)
    screenshot(page, "camera-lifecycle")


def test_reader_cannot_reach_edit_pages(page):
    log_in(page, "lasare", "trygg-lasare")
    nav = page.get_by_role("navigation", name="Huvudmeny").inner_text()
    assert "Platser" not in nav and "Kameror" not in nav and "Karta" not in nav
    for url in ["/platser/ny/", "/kameror/ny/", "/platser/", "/karta/"]:
        response = page.goto(url)
        assert response.status == 403, url


def test_administration_contact_sees_only_own_sites_on_the_map(page):
    log_in(page, "forvaltning", "trygg-forvaltning")
    data = page.request.get("/karta/data.geojson").json()
    names = {f["properties"].get("name") for f in data["features"] if f["properties"]["kind"] == "site"}
    assert names == {"Kvisthamraskolan", "Rodengymnasiet", "Hallsta skola"}


def test_camera_page_lists_what_blocks_operation(page, axe_check, screenshot):
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto("/kameror/?q=KVI-01")
    page.get_by_role("link", name="KVI-01", exact=True).click()
    panel = page.locator(".compliance-panel")
    text = panel.inner_text()
    assert "innan kameran får tas i drift" in text
    assert "Konsekvensbedömning" in text or "konsekvensbedömning" in text
    axe_check(page)
    screenshot(panel, "camera-compliance-panel")


@pytest.mark.parametrize("url", ["/platser/", "/kameror/", "/projekteringar/", "/uppfoljning/indikator/"])
def test_pages_fit_a_phone(browser, live_server, demo_users, screenshot, url):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "phone" + url.replace("/", "-").rstrip("-"))
    context.close()
    assert width <= 375, f"{url} is {width} px wide on a 375 px phone"


def test_map_clusters_show_their_count_and_the_zoom_stops_at_sweden(page, screenshot, axe_check):
    # New users saw blank cluster circles, and could zoom out to the whole world.
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto("/karta/")
    wait_for_map(page)
    zoom_out = page.locator(".leaflet-control-zoom-out")
    # Asked for the whole world (zoom 2), the map stops at 5 (Sweden): the zoom-out button is disabled there.
    zoom = page.locator("[data-map]").evaluate(
        "e => { e.trygMap.setZoom(2, { animate: false }); return e.trygMap.getZoom(); }"
    )
    assert zoom == 5
    expect(zoom_out).to_have_class(re.compile("leaflet-disabled"))
    assert page.locator("[data-map]").evaluate("e => e.trygMap.getMaxZoom()") == 19
    clusters = page.locator(".map-cluster")
    clusters.first.wait_for(timeout=15000)
    texts = [int(text) for text in clusters.all_inner_texts()]
    labels = [clusters.nth(i).get_attribute("aria-label") for i in range(clusters.count())]
    assert sum(texts) >= 10
    assert all(re.fullmatch(r"\d+\s+kamer(a|or)\s+–\s+zooma in", label or "") for label in labels), labels
    assert clusters.first.get_attribute("style") is None or "width" not in clusters.first.get_attribute("style")
    axe_check(page)
    screenshot(page, "map-clusters-with-counts")
    # A click on a cluster zooms in towards it.
    clusters.first.click()
    expect(zoom_out).not_to_have_class(re.compile("leaflet-disabled"))
