"""Attachments in a real browser: a photo of the camera's image uploaded on the existing camera KVI-01, and downloaded."""

import io
import re

from PIL import Image, ImageDraw

from tests.browser.conftest import log_in
from trygg.core.models import Attachment


def camera_image_png() -> bytes:
    """A small real PNG, as a screenshot of the camera's own image would be."""
    image = Image.new("RGB", (320, 200), "#9cb")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 280, 160), outline="black", width=4)
    draw.text((60, 90), "KVI-01", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_officer_uploads_and_downloads_a_camera_image_on_kvi_01(page, screenshot, axe_check, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    png = camera_image_png()
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto("/kameror/?q=KVI-01")
    page.get_by_role("link", name="KVI-01", exact=True).click()
    panel = page.locator("section.attachments")
    assert "Inga bilagor." in panel.inner_text()
    assert "Högst 20 MB" in panel.inner_text()
    axe_check(page)

    # A text file named .png is refused with a Swedish message, and nothing is kept.
    page.get_by_label(re.compile("^Fil")).set_input_files(
        {"name": "falsk.png", "mimeType": "image/png", "buffer": b"not a picture"}
    )
    page.get_by_role("button", name="Ladda upp").click()
    assert "Filen ”falsk.png” i fältet ”Fil” är inte en riktig PNG-fil." in page.locator("main").inner_text()
    axe_check(page)
    screenshot(page, "attachment-refused")
    assert not Attachment.objects.exists() and not any(tmp_path.rglob("*.png"))
    page.get_by_role("link", name="Avbryt").click()
    page.wait_for_url(re.compile(r"/kameror/\d+/$"))

    page.get_by_label(re.compile("^Typ av bilaga")).select_option(label="Bild från kameran")
    page.get_by_label("Beskrivning").fill("Kamerans bild efter maskering")
    page.get_by_label(re.compile("^Fil")).set_input_files(
        {"name": "kvi-01-bild.png", "mimeType": "image/png", "buffer": png}
    )
    page.get_by_role("button", name="Ladda upp").click()
    page.wait_for_url(re.compile(r"/kameror/\d+/$"))
    assert "Bilagan ”kvi-01-bild.png” är sparad." in page.locator("main").inner_text()
    row = page.locator("section.attachments tbody tr").first
    for expected in ["Bild från kameran", "kvi-01-bild.png", "Kamerans bild efter maskering", "Hanna Handläggare"]:
        assert expected in row.inner_text(), expected
    axe_check(page)
    screenshot(page, "attachment-camera-kvi-01")
    screenshot(page.locator("section.attachments"), "attachment-panel")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="kvi-01-bild.png", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == "kvi-01-bild.png"
    with open(download.path(), "rb") as handle:
        assert handle.read() == png
