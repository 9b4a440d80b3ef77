"""Two officers in two browsers change the same site: the second, stale save is refused and says why."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.browser.conftest import log_in
from tests.browser.test_camera_and_site_forms import wait_for_map
from trygg.sites.models import Site


def test_the_second_officer_is_told_what_the_first_changed_and_nothing_is_overwritten(
    page, browser, live_server, screenshot, axe_check
):
    other = get_user_model().objects.create_user(
        "andra", password="trygg-andra-9", first_name="Bertil", last_name="Andra"
    )
    other.groups.add(Group.objects.get(name="officer"))
    site = Site.objects.get(name="Kvisthamraskolan")
    edit_url = f"/platser/{site.pk}/andra/"

    log_in(page, "handlaggare", "trygg-handlaggare")
    second_context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", viewport={"width": 1280, "height": 900}
    )
    second = second_context.new_page()
    try:
        log_in(second, "andra", "trygg-andra-9")
        page.goto(edit_url)
        second.goto(edit_url)
        wait_for_map(page)
        wait_for_map(second)

        page.get_by_label("Anteckningar").fill("Grinden låses kl. 18 från och med mars.")
        page.get_by_role("button", name=re.compile("Spara")).click()
        page.wait_for_url(re.compile(rf"/platser/{site.pk}/$"))
        wait_for_map(page)

        second.get_by_label("Anteckningar").fill("Vaktmästaren vill ha en kamera till vid cykelstället.")
        second.get_by_role("button", name=re.compile("Spara")).click()
        alert = second.get_by_role("alert").filter(has_text="Inte sparat")
        alert.wait_for()
        text = alert.inner_text()
        assert "har ändrats av" in text
        assert (
            "Anteckningar: handlaggare ändrade till ”Grinden låses kl. 18 från och med mars.”, "
            "ditt värde är ”Vaktmästaren vill ha en kamera till vid cykelstället.”"
        ) in text.replace("\n", " ") or "ändrade till ”Grinden låses kl. 18 från och med mars.”" in text
        # The second officer's words are still in the form, and the first officer's are what is stored.
        assert (
            second.get_by_label("Anteckningar").input_value() == "Vaktmästaren vill ha en kamera till vid cykelstället."
        )
        site.refresh_from_db()
        assert site.notes == "Grinden låses kl. 18 från och med mars."
        wait_for_map(second)
        screenshot(second, "lost-update-refused")
        axe_check(second)
    finally:
        second_context.close()
