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
    # Choosing the new assignment moves an earlier year up to its plan year and offers only its reporting
    # points (the demo's reporting points belong to the 2024 assignment).
    assignment = page.get_by_label(re.compile("^Uppdrag"))
    old = next(option for option in options if option.endswith("(verksamhetsplan 2024)"))
    new = next(option for option in options if option.endswith("(verksamhetsplan 2025)"))
    assignment.select_option(label=old)
    field(page, "År som redovisas").fill("2024")
    points = page.get_by_label(re.compile("^Återrapportering"))
    assert points.locator("option:not([hidden])").count() > 1
    assignment.select_option(label=new)
    assert field(page, "År som redovisas").input_value() == "2025"
    assert points.locator("option:not([hidden])").count() == 1  # only the empty choice
    # Reporting 2025 on the 2024 plan while the 2025 plan has the assignment is refused with the reason.
    assignment.select_option(label=old)
    field(page, "Uppgifter per").fill("2025-12-31")
    field(page, "Tjänsteutlåtandets datum").fill("2026-01-10")
    page.get_by_role("button", name="Skapa och skriv avsnitten ur data").click()
    page.get_by_text("Uppdraget står också i verksamhetsplan 2025").wait_for()
    assert page.url.endswith("/rapporter/ny/")
    axe_check(page)
    screenshot(page, "report-form-older-plan-refused")
