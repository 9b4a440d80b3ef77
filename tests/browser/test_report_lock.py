"""Locking the board report in a browser: the emoji warning before the lock, the title asked, the version's name."""

from __future__ import annotations

from tests.browser.conftest import log_in
from trygg.reports.models import BoardReport


def test_officer_sees_the_emoji_warning_gives_a_title_and_locks(page, axe_check, screenshot):
    report = BoardReport.objects.get(case_number="KS 2024/0123")
    report.sections["matter"] = "Skolan tackar för kamerorna 👍 och hälsar.\n\n" + report.sections["matter"]
    report.save()
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto(f"/rapporter/{report.pk}/")
    warning = page.locator("#tecken-som-inte-kan-ritas")
    assert "”👍” (U+1F44D) i ”Ärendet”" in warning.inner_text()
    axe_check(page)
    screenshot(page.locator(".glyph-warning"), "report-lock-emoji-warning")
    page.get_by_label("Din titel").fill("Säkerhetssamordnare")
    page.get_by_label("Jag har läst igenom texten och vill låsa den som version 1").check()
    screenshot(page.locator(".freeze-form"), "report-lock-form")
    page.get_by_role("button", name="Lås och skapa version").click()
    page.wait_for_url("**/rapporter/versioner/*/")
    assert "Låst av Hanna Handläggare, Säkerhetssamordnare" in page.locator("main").inner_text()
    axe_check(page)
    screenshot(page, "report-locked-version")
