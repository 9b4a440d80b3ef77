"""The yearly review in a real browser (issue 14, item 4): from the dashboard's "Omprövningar att göra" to
the officer's decision ("Ändra", which opens a new 9 § assessment version), then the DPO's note.
axe on every page; screenshots in test-artifacts/."""

import re

from tests.browser.conftest import log_in


def test_officer_reviews_an_overdue_camera_and_the_dpo_notes_it(page, screenshot, axe_check):
    log_in(page, "handlaggare", "trygg-handlaggare")
    due = page.locator("section#omprovningar")
    assert "Omprövningar att göra" in due.inner_text()
    assert "försenad" in due.inner_text()
    axe_check(page)
    screenshot(due, "review-01-dashboard-due")
    due.get_by_role("link", name="TORG-01", exact=True).click()
    page.wait_for_url(re.compile(r"/utvardering/omprovning/kamera/\d+/ny/$"))
    assert "Händelser på platsen, per typ" in page.content()
    assert "Klagomål och utlämnanden" in page.content()
    axe_check(page)
    screenshot(page, "review-02-form")

    # Without a reason nothing is saved, and the message names the field.
    page.get_by_role("radio", name="Ändra", exact=True).check()
    page.get_by_role("button", name="Spara beslutet").click()
    assert "Motivera beslutet." in page.content()
    axe_check(page)
    page.get_by_role("radio", name="Ändra", exact=True).check()
    page.get_by_label("Motivering").fill("Händelserna sker nattetid; bevakningstiden kortas till 22–05.")
    page.get_by_role("button", name="Spara beslutet").click()
    page.wait_for_url(re.compile(r"/utvardering/omprovning/\d+/$"))
    review_url = page.url
    body = page.locator("main").inner_text()
    assert "Omprövningen är beslutad." in body
    assert "påbörjad som utkast" in body
    assert "Ny intresseavvägning" in body and "Under arbete" in body
    assert "inte ännu" in body  # not yet noted
    axe_check(page)
    screenshot(page, "review-03-decided")

    page.context.clear_cookies()
    log_in(page, "dataskydd", "trygg-dataskydd")
    page.goto("/utvardering/omprovning/")
    awaiting = page.locator("section[aria-labelledby='awaiting-heading']")
    assert "TORG-01" in awaiting.inner_text()
    axe_check(page)
    screenshot(page, "review-04-due-list-dpo")
    page.goto(review_url)
    page.get_by_label("Kommentar (frivillig)").fill("Noterat; följ upp effekten av de kortare tiderna.")
    page.get_by_role("button", name="Noterat").click()
    page.wait_for_url(review_url)
    body = page.locator("main").inner_text()
    assert "Omprövningen är noterad av dataskyddsombudet." in body
    assert "följ upp effekten" in body
    assert page.get_by_role("button", name="Noterat").count() == 0
    axe_check(page)
    screenshot(page, "review-05-noted")
