"""A new year's assignment in a real browser: from the project board to the saved list, with axe."""

import re

from tests.browser.conftest import log_in


def field(page, label):
    """The form field with exactly this label (required fields end with an asterisk)."""
    return page.get_by_label(re.compile("^" + re.escape(label) + r"( \*)?$"))


def test_officer_adds_next_years_assignment_from_the_board(page, screenshot, axe_check):
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto("/projekteringar/")
    page.get_by_role("link", name="Uppdrag i verksamhetsplanen").click()
    page.wait_for_url("**/uppfoljning/uppdrag/")
    axe_check(page)
    page.get_by_role("link", name="Nytt års uppdrag").click()
    page.wait_for_url("**/uppfoljning/uppdrag/ny/")
    assert field(page, "År i verksamhetsplanen").input_value() == "2025"
    # The same year as the existing assignment is refused, naming the field.
    field(page, "År i verksamhetsplanen").fill("2024")
    page.get_by_role("button", name="Spara uppdraget").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "År i verksamhetsplanen" in summary.inner_text() and "finns redan i verksamhetsplanen 2024" in (
        summary.inner_text()
    )
    axe_check(page)
    screenshot(page, "assignment-refused")
    field(page, "År i verksamhetsplanen").fill("2025")
    page.get_by_role("button", name="Spara uppdraget").click()
    page.wait_for_url("**/uppfoljning/uppdrag/")
    text = page.locator("main").inner_text()
    assert "Uppdraget för verksamhetsplan 2025 är sparat." in text
    axe_check(page)
    screenshot(page, "assignment-list")
    # The report form offers it by its plan year.
    page.goto("/rapporter/ny/")
    options = page.get_by_label(re.compile("^Uppdrag")).locator("option").all_inner_texts()
    assert any(option.endswith("(verksamhetsplan 2025)") for option in options)
