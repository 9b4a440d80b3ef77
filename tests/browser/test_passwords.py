"""Password change and the login lockout in a real browser: Swedish text, labels, axe, screenshots."""

import re

from tests.browser.conftest import log_in

# The label is followed by the required-field star.
NEW = re.compile(r"^Nytt lösenord")


def test_reader_changes_the_password_from_the_account_menu(page, screenshot, axe_check):
    log_in(page, "lasare", "trygg-lasare")
    page.get_by_role("navigation", name="Konto").get_by_role("link", name="Byt lösenord").click()
    page.wait_for_url("**/konto/losenord/")
    assert page.get_by_role("heading", level=1).inner_text() == "Byt lösenord"
    page.get_by_label("Gammalt lösenord").fill("fel")
    page.get_by_label(NEW).fill("Kameraljus-1987")
    page.get_by_label("Bekräfta nytt lösenord").fill("Kameraljus-1987")
    page.get_by_role("button", name="Byt lösenord").click()
    assert page.get_by_role("alert").first.inner_text().startswith("Lösenordet byttes inte")
    axe_check(page)
    screenshot(page, "password-change-error")

    page.get_by_label("Gammalt lösenord").fill("trygg-lasare")
    page.get_by_label(NEW).fill("Kameraljus-1987")
    page.get_by_label("Bekräfta nytt lösenord").fill("Kameraljus-1987")
    page.get_by_role("button", name="Byt lösenord").click()
    page.wait_for_url("**/konto/losenord/andrat/")
    assert page.get_by_role("heading", level=1).inner_text() == "Lösenordet är bytt"
    axe_check(page)

    page.get_by_role("button", name="Logga ut").click()
    log_in(page, "lasare", "Kameraljus-1987")
    assert page.get_by_role("navigation", name="Konto").get_by_role("link", name="Byt lösenord").is_visible()


def test_too_many_failures_show_when_to_try_again(page, screenshot, axe_check, settings):
    page.goto("/konto/logga-in/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Användarnamn").fill("handlaggare")
        page.get_by_label("Lösenord").fill("fel")
        page.get_by_role("button", name="Logga in").click()
    page.get_by_label("Lösenord").fill("trygg-handlaggare")
    with page.expect_response("**/konto/logga-in/") as response:
        page.get_by_role("button", name="Logga in").click()
    assert response.value.status == 429
    assert "Försök igen om 15 minuter, kl." in page.get_by_role("alert").inner_text()
    axe_check(page)
    screenshot(page, "login-locked-out")
