"""Error pages and the reminder page in a real browser: Swedish text, the menu, axe, screenshots."""

from tests.browser.conftest import log_in


def test_reader_meets_a_missing_and_a_forbidden_page(page, screenshot, axe_check):
    log_in(page, "lasare", "trygg-lasare")

    response = page.goto("/platser/finns-inte/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Sidan finns inte"
    menu = page.get_by_role("navigation", name="Huvudmeny")
    assert menu.get_by_role("link", name="Uppföljning").is_visible()  # the reader's own menu
    account = page.get_by_role("navigation", name="Konto")
    assert account.get_by_role("link", name="Lars Läsare: påminnelser").is_visible()
    axe_check(page)
    screenshot(page, "error-404-reader")

    response = page.goto("/kameror/")  # readers see no camera positions
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Du har inte behörighet till sidan"
    text = page.locator("main").inner_text()
    assert "Du är inloggad som Lars Läsare (Läsare (nämnd och ledning))" in text
    assert page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Rapporter").is_visible()
    axe_check(page)
    screenshot(page, "error-403-reader")
    page.get_by_role("link", name="Tillbaka till översikten").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "Översikt"


def test_anonymous_visitor_on_a_missing_page_is_offered_to_log_in(page, screenshot, axe_check):
    response = page.goto("/finns-inte/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Sidan finns inte"
    assert page.get_by_role("navigation", name="Konto").get_by_role("link", name="Logga in").is_visible()
    axe_check(page)
    screenshot(page, "error-404-anonymous")


def test_officer_chooses_reminders(page, screenshot, axe_check):
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.get_by_role("navigation", name="Konto").get_by_role("link", name="Hanna Handläggare: påminnelser").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Påminnelser per e-post"
    assert page.get_by_label("Påminn mig om tidsfrister").is_checked()
    assert page.get_by_label("Påminn mig om inspektioner av skyltar").is_checked()
    assert page.get_by_label("E-postadress").input_value() == "handlaggare@kommun.example"
    assert page.get_by_label("Påminn mig om bedömningar som väntar på mitt råd eller beslut").count() == 0
    axe_check(page)
    screenshot(page, "reminders-officer")
    page.get_by_label("Påminn mig om inspektioner av skyltar").uncheck()
    page.get_by_label("Dagar i förväg").first.fill("400")
    page.get_by_role("button", name="Spara mina val").click()
    assert (
        "Dagar i förväg: Kontrollera att detta värde är mindre än eller lika med 365."
        in page.locator("main").inner_text()
    )
    axe_check(page)
    screenshot(page, "reminders-officer-error")
    page.get_by_label("Dagar i förväg").first.fill("14")
    page.get_by_role("button", name="Spara mina val").click()
    assert "Dina val av påminnelser är sparade." in page.locator("main").inner_text()
    assert not page.get_by_label("Påminn mig om inspektioner av skyltar").is_checked()
