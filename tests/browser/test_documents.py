"""The assessments in a real browser: the officer completes the demo's KVI-01 draft and submits it; the DPO
finds it in the queue and approves it with confirmation. Nothing here opens an /admin/ URL."""

import re

from tests.browser.conftest import log_in


def field(page, label):
    """The form field with exactly this label (required fields end with an asterisk)."""
    return page.get_by_label(re.compile("^" + re.escape(label) + r"( \*)?$"))


def wait_for_map(page):
    page.locator("[data-map][data-loaded=true]").first.wait_for(timeout=15000)


def log_out(page):
    page.get_by_role("button", name=re.compile("^Logga ut")).click()
    page.wait_for_url("**/")


def test_officer_completes_and_submits_kvi01_and_the_dpo_approves_it(page, axe_check, screenshot):
    visited = []
    page.on("request", lambda request: visited.append(request.url))
    log_in(page, "handlaggare", "trygg-handlaggare")

    # The existing demo draft, reached from the main menu.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Bedömningar").click()
    page.wait_for_url("**/efterlevnad/intresseavvagningar/")
    axe_check(page)
    screenshot(page, "documents-list")
    page.get_by_role("link", name="KVI-01, Kvisthamraskolan").click()
    wait_for_map(page)
    assert "Under arbete" in page.locator("h1").inner_text()
    axe_check(page)
    page.get_by_role("link", name="Ändra utkastet").click()
    wait_for_map(page)

    # The camera's facts stand beside the text, from the data.
    facts = page.locator(".facts-panel")
    assert "Kamera KVI-01" in facts.inner_text() and "72 timmar" in facts.inner_text()
    assert "inom IMY:s tider för skolfasader" in facts.inner_text()
    axe_check(page)
    screenshot(page, "assessment-form")

    # The incidents: a searchable, paged table with counts instead of hundreds of checkboxes.
    chooser = page.locator("#id_incidents")
    count = chooser.locator("[data-chooser-count]")
    total = int(re.match(r"(\d+) valda av (\d+)", count.inner_text()).group(2))
    assert total > 100
    assert chooser.locator("tbody tr:not([hidden])").count() == 20  # one page
    chooser.get_by_label("Typ").select_option("break_in")
    shown = int(re.search(r"(\d+) matchar filtret", count.inner_text()).group(1))
    assert 0 < shown < total
    chooser.get_by_role("button", name=re.compile("^Avmarkera alla synliga")).click()
    assert count.inner_text().startswith(f"{total - shown} valda av {total}")
    chooser.get_by_role("button", name=re.compile("^Välj alla synliga")).click()
    assert count.inner_text().startswith(f"{total} valda av {total}")
    chooser.get_by_label("Typ").select_option("")
    chooser.get_by_label("Sök").fill("brand")
    assert chooser.locator("tbody tr:not([hidden])").count() > 0
    screenshot(chooser, "assessment-incident-chooser")

    # The parts the draft still leaves open are completed on the page.
    field(page, "Direktövervakning").fill("Ingen ser bilderna i realtid; de granskas bara efter en händelse.")
    empty_row = page.locator("#incident_hours [data-row]").last  # the draft's own rows come first
    empty_row.get_by_label("fredag").check()
    empty_row.get_by_label("lördag").check()
    empty_row.get_by_label(re.compile("^Från klockan")).fill("21:00")
    empty_row.get_by_label(re.compile("^Till klockan")).fill("03:00")
    page.get_by_role("button", name="Spara utkastet").click()
    page.wait_for_url(re.compile(r"/efterlevnad/intresseavvagningar/\d+/$"))
    assert "Utkastet är sparat." in page.locator(".messages").inner_text()
    body = page.locator(".document-body").inner_text()
    assert "Ingen ser bilderna i realtid" in body and "fre, lör 21:00–03:00" in body

    # Submitted for decision: the version is locked.
    page.get_by_role("button", name="Skicka för beslut").click()
    assert "är skickad för beslut till dataskyddsombudet" in page.locator(".messages").inner_text()
    assert "Skickad för beslut" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="Ändra utkastet").count() == 0
    screenshot(page, "assessment-submitted")
    log_out(page)

    # The DPO finds it first on the start page and in the queue, and decides on the decision page.
    log_in(page, "dataskydd", "trygg-dataskydd")
    waiting = page.locator("section", has=page.get_by_role("heading", name="Väntar på ditt råd eller beslut"))
    assert "KVI-01" in waiting.inner_text()
    axe_check(page)
    screenshot(page, "dpo-dashboard")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Beslut").click()
    axe_check(page)
    screenshot(page, "dpo-queue")
    row = page.locator("tr", has_text="KVI-01")
    row.get_by_role("link", name="Råd och beslut").click()
    wait_for_map(page)
    assert "Beslut om Intresseavvägning KVI-01" in page.locator("h1").inner_text()
    # The intrusion figures and the coverage map beside the text.
    assert "Inget intrång i områden som inte får bevakas" in page.locator(".facts-panel").inner_text()
    axe_check(page)
    screenshot(page, "dpo-decision")

    page.get_by_label("Godkänn versionen").check()
    field(page, "Diarienummer").fill("KS 2026/0456")
    page.get_by_role("button", name="Fatta beslutet").click()  # without the confirmation: refused
    assert "Bekräfta beslutet" in page.locator(".error-summary").inner_text()
    assert "Skickad för beslut" in page.locator("h1").inner_text()
    axe_check(page)
    field(page, "Jag har läst versionen och bekräftar beslutet. Ett beslut kan inte ändras i efterhand.").check()
    page.get_by_role("button", name="Fatta beslutet").click()
    page.wait_for_url(re.compile(r"/efterlevnad/intresseavvagningar/\d+/$"))
    assert "är godkänd (diarienummer KS 2026/0456)" in page.locator(".messages").inner_text()
    record = page.locator(".decision-record").inner_text()
    assert "KS 2026/0456" in record and "Dana Dataskyddsombud" in record and "delegationsordning" in record
    assert "Godkänd" in page.locator("h1").inner_text()
    axe_check(page)
    screenshot(page, "assessment-approved")
    assert not [url for url in visited if "/admin/" in url]
