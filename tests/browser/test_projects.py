"""Projects in a real browser: the officer opens the demo's own project from the board and changes it."""

import re

from tests.browser.conftest import log_in

PROJECT = "Kvisthamraskolan – yttre bevakning av byggnad"
OWN_WORDS = "Elcentralen i skolans källare måste bytas innan kamerorna kan kopplas in."


def field(page, label):
    """The form field with exactly this label (required fields end with an asterisk)."""
    return page.get_by_label(re.compile("^" + re.escape(label) + r"( \*)?$"))


def test_officer_edits_the_demo_project_from_the_board(page, screenshot, axe_check):
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto("/projekteringar/")
    axe_check(page)
    screenshot(page, "projects-board")
    page.get_by_role("link", name=PROJECT).click()
    page.wait_for_url(re.compile(r"/projekteringar/\d+/$"))
    main = page.locator("main")
    assert "0 av 3–4 i drift, 3 kvar" in main.inner_text()
    assert "dagar efter måldatum" in main.inner_text()  # target 2024-12-31, not delivered
    axe_check(page)
    screenshot(page, "project-detail")

    page.get_by_role("link", name="Ändra projekteringen").click()
    page.wait_for_url(re.compile(r"/projekteringar/\d+/andra/$"))
    assert page.get_by_role("group", name="Orsaker till försening").is_visible()
    assert page.get_by_label("Förseningar i förarbetet hos verksamheten").is_checked()
    # "Annat" without words of one's own is refused, naming the field, and nothing is saved.
    page.get_by_label("Annat").check()
    field(page, "Beskrivning av förseningen").fill("")
    page.get_by_role("button", name="Spara projekteringen").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "Beskrivning av förseningen" in summary.inner_text() and "”Annat”" in summary.inner_text()
    axe_check(page)
    screenshot(page, "project-edit-refused")

    page.get_by_label("Annat").uncheck()
    field(page, "Prognos").fill("2025-06-30")
    page.get_by_label("Leverans av utrustning").check()
    field(page, "Beskrivning av förseningen").fill(OWN_WORDS)
    axe_check(page)
    screenshot(page, "project-edit")
    page.get_by_role("button", name="Spara projekteringen").click()
    page.wait_for_url(re.compile(r"/projekteringar/\d+/$"))
    text = page.locator("main").inner_text()
    assert "Projekteringen är sparad." in text
    assert OWN_WORDS in text  # the free text is kept beside the reasons ticked
    assert "Förseningar i förarbetet hos verksamheten" in text and "Leverans av utrustning" in text
    assert "2025-06-30" in text
    axe_check(page)
    screenshot(page, "project-detail-saved")
    # The board shows the new words too.
    page.goto("/projekteringar/")
    assert OWN_WORDS in page.locator("main").inner_text()


def test_choosing_the_site_shows_its_cameras(page, screenshot, axe_check):
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto("/projekteringar/")
    page.get_by_role("link", name="Ny projektering").click()
    assert "Välj en plats, så visas dess kameror här." in page.locator("main").inner_text()
    field(page, "Plats").select_option(label="Stora torget")
    page.get_by_label("TORG-01 (I drift)").wait_for()
    assert page.get_by_label("TORG-02 (I drift)").is_visible()
    assert page.get_by_text("KVI-01").count() == 0
    axe_check(page)
    screenshot(page, "project-create")
