"""Importing existing cameras: upload a Swedish Excel CSV, read the preview, import only the valid rows."""

import re

from tests.browser.conftest import log_in
from trygg.cameras.models import Camera

HEADER = (
    "beteckning;plats;longitud;latitud;riktning;synvinkel;räckvidd;typ;montering;monteringshöjd;"
    "planerad;installerad;i drift sedan;lagringstid"
)
GOOD = "TORG-50;Stora torget;18,7035;59,7585;200;70;30;fast;stolpe;5,5;2018-10-01;2019-05-20;2019-06-01;72"
SWAPPED = "TORG-51;Stora torget;59,7585;18,7035;200;70;30;fast;stolpe;5;;;2019-06-01;72"


def test_upload_preview_and_import_valid_rows(page, screenshot, axe_check, tmp_path):
    path = tmp_path / "kameror.csv"
    path.write_bytes(("\ufeff" + "\r\n".join([HEADER, GOOD, SWAPPED]) + "\r\n").encode("utf-8"))
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto("/kameror/")
    page.get_by_role("link", name="Importera kameror").click()
    assert axe_check(page) == []
    page.get_by_label(re.compile(r"^Fil \(CSV, Excel")).set_input_files(str(path))
    page.get_by_role("button", name="Förhandsgranska").click()
    table = page.get_by_role("region", name="Förhandsgranskning av kameror.csv")
    assert "Longitud och latitud verkar omkastade" in table.inner_text()
    assert "1 kamera blir ny" in page.locator("main").inner_text()
    assert axe_check(page) == []
    screenshot(page, "camera-import-preview")
    assert not Camera.objects.filter(identifier="TORG-50").exists()
    page.get_by_label("Bara de giltiga raderna; rader med fel hoppas över").check()
    page.get_by_role("button", name="Importera", exact=True).click()
    assert "1 kamera importerades med sin historik" in page.locator(".messages").inner_text()
    screenshot(page, "camera-import-done")
    camera = Camera.objects.get(identifier="TORG-50")
    assert camera.state == "in_operation" and camera.transitions.count() == 4
    assert not Camera.objects.filter(identifier="TORG-51").exists()
