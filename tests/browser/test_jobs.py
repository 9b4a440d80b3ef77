"""A background job seen in the browser: the 10 § register PDF started on its page, polled to the end."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in


def test_officer_starts_the_register_pdf_and_sees_the_progress_bar_finish(
    page, screenshot, axe_check, settings, tmp_path
):
    # The job stays queued until this test plays the worker, so the page is seen polling first.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    settings.MEDIA_ROOT = tmp_path
    from trygg.jobs import runner
    from trygg.jobs.models import Job, JobKind

    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto("/efterlevnad/forteckning/?datum=2025-06-01")
    page.get_by_role("button", name="Skapa PDF").click()
    page.wait_for_url(re.compile(r"/efterlevnad/forteckning/\?datum=2025-06-01&jobb=\d+$"))
    bar = page.get_by_label(re.compile("Väntar på bakgrundsprocessen"))
    expect(bar).to_be_visible()
    expect(page.get_by_role("button", name="Avbryt")).to_be_visible()
    axe_check(page)
    screenshot(page, "jobs-register-pdf-queued")

    job = Job.objects.get(kind=JobKind.REGISTER_PDF)
    runner.execute(job.pk)  # what `trygg db_worker` does

    link = page.get_by_role("link", name=re.compile(r"Ladda ned forteckning-2025-06-01\.pdf"))
    expect(link).to_be_visible(timeout=10_000)  # the page polls every second
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.get_by_role("button", name="Avbryt")).to_have_count(0)
    axe_check(page)
    screenshot(page, "jobs-register-pdf-done")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "forteckning-2025-06-01.pdf"
