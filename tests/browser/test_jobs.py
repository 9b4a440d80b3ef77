"""A background job seen in the browser: the 10 § register PDF started on its page, polled to the end."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in, server_held


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
    with server_held(page):
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


def test_reader_makes_a_frozen_reports_pdf_in_the_background(page, screenshot, axe_check, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    settings.MEDIA_ROOT = tmp_path
    from django.contrib.auth import get_user_model

    from trygg.jobs import runner
    from trygg.jobs.models import Job, JobKind
    from trygg.reports import services
    from trygg.reports.models import BoardReport

    report = BoardReport.objects.get(case_number="KS 2024/0123")
    version = services.freeze(report, get_user_model().objects.get(username="handlaggare"), "Handläggare")
    log_in(page, "lasare", "trygg-lasare")
    page.goto(f"/rapporter/versioner/{version.pk}/")
    page.get_by_role("button", name="Skapa PDF/A i bakgrunden").click()
    page.wait_for_url(re.compile(rf"/rapporter/versioner/{version.pk}/\?jobb=\d+$"))
    expect(page.get_by_label(re.compile("Väntar på bakgrundsprocessen"))).to_be_visible()
    axe_check(page)
    screenshot(page, "jobs-report-version-queued")
    with server_held(page):
        runner.execute(Job.objects.get(kind=JobKind.REPORT_FILE).pk)
    link = page.get_by_role("link", name=re.compile(r"Ladda ned tjansteutlatande-KS-2024-0123-v1\.pdf"))
    expect(link).to_be_visible(timeout=10_000)
    axe_check(page)
    screenshot(page, "jobs-report-version-done")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "tjansteutlatande-KS-2024-0123-v1.pdf"


def test_officer_imports_cameras_as_a_job_and_reads_the_outcome(page, screenshot, axe_check, settings, tmp_path):
    settings.TRYGG_IMPORT_IN_WORKER = True
    settings.MEDIA_ROOT = tmp_path
    header = (
        "beteckning;plats;longitud;latitud;riktning;synvinkel;räckvidd;typ;montering;monteringshöjd;"
        "planerad;installerad;i drift sedan;lagringstid"
    )
    good = "TORG-50;Stora torget;18,7035;59,7585;200;70;30;fast;stolpe;5,5;2018-10-01;2019-05-20;2019-06-01;72"
    swapped = "TORG-60;Stora torget;59,7585;18,7035;200;70;30;fast;stolpe;5,5;;;2019-06-01;72"
    path = tmp_path / "kameror.csv"
    path.write_bytes(("\ufeff" + "\r\n".join([header, good, swapped]) + "\r\n").encode("utf-8"))
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto("/kameror/import/")
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="Förhandsgranska").click()
    page.get_by_label(re.compile("Bara de giltiga raderna")).check()
    page.get_by_role("button", name="Importera", exact=True).click()
    page.wait_for_url(re.compile(r"/jobb/\d+/$"))
    expect(page.get_by_text("1 kamera importerades med sin historik")).to_be_visible()
    expect(page.get_by_text("1 rad med fel hoppades över: 3.")).to_be_visible()
    axe_check(page)
    screenshot(page, "jobs-camera-import-done")


def test_officer_makes_the_drafts_word_file_in_the_background(page, screenshot, axe_check, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the immediate backend: the job is done when the page comes back
    from trygg.reports.models import BoardReport

    report = BoardReport.objects.get(case_number="KS 2024/0123")
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto(f"/rapporter/{report.pk}/")
    page.get_by_role("button", name="Skapa Word i bakgrunden").click()
    page.wait_for_url(re.compile(rf"/rapporter/{report.pk}/\?jobb=\d+$"))
    expect(page.get_by_role("link", name="Ladda ned tjansteutlatande-KS-2024-0123-utkast.docx")).to_be_visible()
    axe_check(page)
    screenshot(page, "jobs-report-draft-done")
