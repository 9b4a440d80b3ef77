"""An existing demo camera that sees into the neighbours' plot: the blocker, and the mask recorded on the page."""

import re

from PIL import Image

from tests.browser.conftest import log_in


def field(page, label):
    """The form field with exactly this label (required fields end with an asterisk)."""
    return page.get_by_label(re.compile("^" + re.escape(label) + r"( \*)?$"))


def wait_for_map(page):
    page.locator("[data-map][data-loaded=true]").first.wait_for(timeout=15000)


def test_sport_02_is_blocked_until_a_mask_with_an_image_is_recorded(page, screenshot, axe_check, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    image = tmp_path / "sport-02-kamerabild.png"
    Image.new("RGB", (320, 180), (30, 30, 30)).save(image)

    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto("/kameror/?q=SPORT-02")
    page.get_by_role("link", name="SPORT-02", exact=True).click()
    wait_for_map(page)
    main = page.locator("main")
    text = main.inner_text()
    assert "Synfältet håller sig utanför områden som inte får bevakas" in text
    assert "”Grannfastighet med bostäder” (får inte bevakas): 391,6 m², 71 % av det kameran ser" in text
    assert "Ingen maskering är registrerad" in text
    axe_check(page)
    screenshot(page, "privacy-mask-camera-blocked")

    page.get_by_role("link", name="Registrera maskering med bild från kameran").first.click()
    page.wait_for_url(re.compile(r"/kameror/\d+/maskering/$"))
    wait_for_map(page)
    assert "Grannfastighet med bostäder" in main.inner_text()
    # The area starts as the computed intrusion, drawn on the map for the officer to adjust.
    assert '"Polygon"' in page.locator("input[name=area]").input_value()
    axe_check(page)
    screenshot(page, "privacy-mask-form")

    # Without an image nothing is saved, and the page says which field is missing.
    page.get_by_role("button", name="Spara maskeringen").click()
    assert "Ladda upp en bild från kameran i fältet ”bild från kameran”." in main.inner_text()

    field(page, "Kontrollerad i kamerans bild").fill("2026-11-20")
    field(page, "Bild från kameran").set_input_files(str(image))
    field(page, "Kommentar").fill("Grannens tomt maskerad i videosystemet; kontrollerad på plats.")
    page.get_by_role("button", name="Spara maskeringen").click()
    page.wait_for_url(re.compile(r"/kameror/\d+/$"))
    wait_for_map(page)
    text = main.inner_text()
    assert "Maskeringen är registrerad och täcker det kameran ser av områden som inte får bevakas." in text
    assert "Maskering registrerad 2026-11-20 av Hanna Handläggare" in text
    assert "Synfältet håller sig utanför områden som inte får bevakas" not in text
    assert re.search(r"Inga hinder den \d{4}-\d{2}-\d{2}: kameran uppfyller kraven för att vara i drift", text)
    axe_check(page)
    screenshot(page, "privacy-mask-recorded")

    # The image is kept with the mask and shown from the mask page.
    page.get_by_role("link", name="Registrera en ny maskering").click()
    link = page.get_by_role("link", name="sport-02-kamerabild.png", exact=True)
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "image/png"
