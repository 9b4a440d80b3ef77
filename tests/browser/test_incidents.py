"""Issue 7's "done when": an officer imports a school's damage reports, fixes two bad rows as told,
sees the site's need profile and the ranking, in a real browser with axe checks and screenshots."""

from __future__ import annotations

import re

from tests.browser.conftest import log_in
from trygg.incidents.tests.files import DAMAGE_HEADERS, csv_bytes

ROWS = [
    DAMAGE_HEADERS,
    [
        "2024-10-04",
        "16:00",
        "2024-10-07 07:00",
        "Kvisthamraskolan",
        "Skadegörelse",
        "Krossad ruta i matsalen",
        "12 500,50",
        "",
    ],
    ["31/9/2024", "22:15", "", "Kvisthamraskolan", "Klotter", "Klotter på gaveln", "3 200", ""],
    [
        "2024-10-12",
        "23:40",
        "",
        "Kvistamraskolan",
        "Brand",
        "Brand i papperskorg vid entrén",
        "1 800",
        "5000-K424242-24",
    ],
    [
        "2024-10-19",
        "",
        "",
        "Kvisthamraskolan",
        "Inbrott",
        "Inbrottsförsök; bruten dörr till förrådet",
        "8 000",
        "5000-K434343-24",
    ],
]


def test_officer_imports_fixes_two_rows_and_sees_the_need(page, screenshot, axe_check, tmp_path):
    bad = tmp_path / "skadeanmalningar-kvisthamra.csv"
    bad.write_bytes(csv_bytes(ROWS, "cp1252"))
    log_in(page, "handlaggare", "trygg-handlaggare")

    page.goto("/behov/")
    axe_check(page)
    screenshot(page, "incidents-index")
    page.get_by_role("link", name="Importera från fil").click()
    page.get_by_label("Namn på ny källa").fill("Skadeanmälningar, fastighetsavdelningen")
    page.get_by_label("Fil (CSV eller Excel .xlsx)").set_input_files(str(bad))
    axe_check(page)
    page.get_by_role("button", name="Ladda upp och välj kolumner").click()

    page.wait_for_url(re.compile(r"/behov/import/\d+/kolumner/$"))
    assert page.get_by_label("Datum (då det hände eller upptäcktes)").input_value() == "Skadedatum"
    assert page.get_by_label("Tid till").input_value() == "Tid till"
    axe_check(page)
    screenshot(page, "incidents-import-mapping")
    page.get_by_role("button", name="Granska filen").click()

    page.wait_for_url(re.compile(r"/behov/import/\d+/$"))
    errors = page.locator("#errors-caption").locator("xpath=..").inner_text()
    assert "Skadedatum" in errors and "”31/9/2024” är inget datum" in errors
    assert "Objekt" in errors and "”Kvistamraskolan” finns inte i Trygg" in errors
    assert page.get_by_role("button", name="Importera hela filen").count() == 0
    axe_check(page)
    screenshot(page, "incidents-import-errors")

    # The officer fixes the two rows as the page says and uploads the file again.
    fixed = [row[:] for row in ROWS]
    fixed[2][0], fixed[3][3] = "30/9/2024", "Kvisthamraskolan"
    good = tmp_path / "skadeanmalningar-kvisthamra-rattad.csv"
    good.write_bytes(csv_bytes(fixed, "cp1252"))
    page.goto("/behov/import/")
    page.locator("#id_source").select_option(label="Skadeanmälningar, fastighetsavdelningen")
    page.get_by_label("Fil (CSV eller Excel .xlsx)").set_input_files(str(good))
    page.get_by_role("button", name="Ladda upp och välj kolumner").click()
    page.wait_for_url(re.compile(r"/kolumner/$"))
    page.get_by_role("button", name="Granska filen").click()
    page.wait_for_url(re.compile(r"/behov/import/\d+/$"))
    screenshot(page, "incidents-import-preview")
    page.get_by_role("button", name="Importera hela filen").click()
    page.wait_for_url(re.compile(r"/behov/import/\d+/$"))
    assert "4 nya händelser importerades." in page.locator("#progress").inner_text()
    axe_check(page)
    screenshot(page, "incidents-import-done")

    page.goto("/behov/")
    page.get_by_role("link", name="Kvisthamraskolan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Behovsprofil: Kvisthamraskolan"
    heat = page.locator("table.heat")
    assert heat.locator("caption").inner_text().startswith("Händelser per veckodag och timme")
    assert "Krossad ruta i matsalen" in page.locator("#latest-caption").locator("xpath=..").inner_text()
    axe_check(page)
    screenshot(page, "incidents-profile")
    screenshot(heat, "incidents-heat-map")

    page.goto("/behov/rangordning/")
    assert "Så räknas rangordningen" in page.locator("main").inner_text()
    axe_check(page)
    screenshot(page, "incidents-ranking")


def test_reader_sees_the_ranking_and_profiles_without_details(page, screenshot, axe_check):
    log_in(page, "lasare", "trygg-lasare")
    page.goto("/behov/rangordning/")
    axe_check(page)
    page.get_by_role("link", name="Hallsta skola").click()
    assert "De 20 senaste händelserna" not in page.locator("main").inner_text()
    axe_check(page)
    screenshot(page, "incidents-profile-reader")


def test_officer_confirms_a_place_the_file_names_differently(page, screenshot, axe_check, tmp_path):
    """Issue 12: "text i filen → plats" with the detail kept, a longer name confirmed by hand, unused columns."""
    rows = [
        ["Datum", "Plats", "Vad som hänt", "Polisanmälan (ja/nej, K-nummer)", "Åtgärd"],
        ["2024-10-04", "Kvisthamraskolan, entré B", "Klotter på dörren", "Nej", "Sanerat"],
        ["2024-10-05", "Sporthallen Rimbo", "Krossad ruta", "5000-K515151-24", ""],
    ]
    path = tmp_path / "platser.csv"
    path.write_bytes(csv_bytes(rows))
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto("/behov/import/")
    page.get_by_label("Namn på ny källa").fill("Rektorernas listor")
    page.get_by_label("Fil (CSV eller Excel .xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Ladda upp och välj kolumner").click()
    page.wait_for_url(re.compile(r"/kolumner/$"))
    assert page.get_by_label("Polisanmälan eller K-nummer").input_value() == "Polisanmälan (ja/nej, K-nummer)"
    page.get_by_role("button", name="Granska filen").click()
    page.wait_for_url(re.compile(r"/behov/import/\d+/$"))
    places = page.locator("#places-caption").locator("xpath=..").inner_text()
    assert "Kvisthamraskolan, entré B" in places and "→ Kvisthamraskolan" in places and "entré B" in places
    assert "Åtgärd" in page.locator("#unused-h").locator("xpath=..").inner_text()
    axe_check(page)
    screenshot(page, "incidents-import-places")
    page.get_by_label("Plats för ”Sporthallen Rimbo”").select_option(label="Sporthallen")
    page.get_by_role("button", name="Spara platsvalen och granska filen igen").click()
    page.wait_for_url(re.compile(r"/behov/import/\d+/$"))
    assert page.get_by_role("button", name="Importera hela filen").count() == 1
    assert "(bekräftad)" in page.locator("#places-caption").locator("xpath=..").inner_text()
    axe_check(page)
    screenshot(page, "incidents-import-places-confirmed")
