"""The start page, login, the register and a life-cycle move, in a real browser with axe checks."""

import re

from tests.browser.conftest import log_in


def test_public_start_page_shows_counts_not_places(page, screenshot, axe_check):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Trygghetskameror i kommunen"
    text = page.locator("main").inner_text()
    assert "8 trygghetskameror i drift" in text
    # Counts per kind of place and area; no place names, addresses or positions.
    for secret in ["Kvisthamraskolan", "Stora torget", "59.7", "18.6"]:
        assert secret not in page.content()
    axe_check(page)
    screenshot(page, "public-start")


def test_login_and_dashboard(page, screenshot, axe_check):
    page.goto("/konto/logga-in/")
    axe_check(page)
    screenshot(page, "login")
    log_in(page, "handlaggare", "trygg-handlaggare")
    assert page.get_by_role("heading", level=1).inner_text() == "Översikt"
    projects = page.locator("#projects").locator("xpath=..").inner_text()
    assert "Kvisthamraskolan – yttre bevakning av byggnad" in projects
    assert "3–4" in projects and "2024-12-31" in projects and "2025-03-31" in projects
    assert "Förseningar i förarbetet hos verksamheten" in projects
    axe_check(page)
    screenshot(page, "dashboard-officer")


def test_phone_width_has_no_horizontal_scroll(browser, live_server, demo_users, screenshot):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    log_in(page, "lasare", "trygg-lasare")
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "dashboard-reader-phone")
    context.close()
    assert width <= 375


def test_officer_moves_a_camera_and_is_told_why_an_illegal_move_is_refused(page, screenshot, axe_check):
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto("/admin/cameras/camera/?q=KVI-01")
    page.get_by_role("link", name="KVI-01").click()
    axe_check(page)
    screenshot(page, "admin-camera-change")
    page.get_by_role("link", name="Ändra status").click()
    page.get_by_label("Ny status").select_option("in_operation")
    page.get_by_label("Datum").fill("2025-02-01")
    page.get_by_label("Jag har kontrollerat att statusändringen stämmer").check()
    page.get_by_role("button", name="Spara statusändringen").click()
    error = page.locator(".errorlist").inner_text()
    assert "kan inte gå från projekterad till i drift" in error
    assert "Möjliga nästa steg: planerad, installerad, avvecklad" in error
    screenshot(page, "admin-camera-move-refused")
    page.get_by_label("Ny status").select_option("installed")
    page.get_by_role("button", name="Spara statusändringen").click()
    page.wait_for_url(re.compile(r".*/change/$"))
    assert "Kamerans status är ändrad." in page.locator(".messagelist").inner_text()
    page.get_by_role("link", name="Historik").click()
    history = page.locator("#change-history").inner_text()
    assert "Kamerans livscykelstatus ändrades" in history
    screenshot(page, "admin-camera-history")


def test_reader_cannot_reach_the_register(page):
    log_in(page, "lasare", "trygg-lasare")
    assert page.get_by_role("link", name="Administrera").count() == 0
    page.goto("/admin/sites/site/add/")
    assert "/admin/login/" in page.url


def test_camera_page_shows_coverage_and_intrusion_on_a_map(page, screenshot, axe_check):
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto("/admin/cameras/camera/?q=SPORT-02")
    page.get_by_role("link", name="SPORT-02").click()
    page.locator("[data-map][data-loaded=true]").wait_for()
    summary = page.locator(".coverage-summary").inner_text()
    assert "Kameran ser in i områden som inte får bevakas" in summary
    assert "Grannfastighet med bostäder" in summary
    # Leaflet drew the layers: the zone, the hall, the sector, the visible part and the mask.
    assert page.locator(".coverage-map path.leaflet-interactive").count() >= 5
    page.locator(".coverage-map").scroll_into_view_if_needed()
    axe_check(page)
    screenshot(page, "admin-camera-coverage")
    screenshot(page.locator(".coverage-summary"), "admin-camera-coverage-summary")


def test_the_public_finds_the_information_about_the_surveillance(page, axe_check, screenshot):
    page.goto("/")
    page.get_by_role("link", name="Om kamerabevakningen").click()
    axe_check(page)
    page.get_by_role("link", name="Sporthallen").click()
    text = page.locator("main").inner_text()
    assert "Kommunstyrelsen" in text and "dataskyddsombud" in text.lower()
    for secret in ["KVI-01", "SPORT-02", "59.76", "18.69"]:
        assert secret not in page.content()
    axe_check(page)
    screenshot(page, "public-information")


def test_english_is_one_choice_away(page, screenshot):
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Overview"
    nav = page.get_by_role("navigation").first.inner_text()
    assert "Sites" in nav and "Cameras" in nav and "Needs" in nav
    screenshot(page, "dashboard-english")


def test_keyboard_alone_logs_in_and_skips_to_the_content(page):
    page.goto("/konto/logga-in/")
    page.keyboard.press("Tab")  # the first stop is the skip link
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.get_by_label("Användarnamn").focus()
    page.keyboard.type("handlaggare")
    page.keyboard.press("Tab")
    page.keyboard.type("trygg-handlaggare")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Översikt", level=1).wait_for()  # the URL keeps the #main fragment
