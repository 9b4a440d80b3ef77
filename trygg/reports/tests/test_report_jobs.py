"""The board report's files made as background jobs: from the draft (writers) and a frozen version (followers)."""

from __future__ import annotations

import pytest

from trygg.jobs.models import Job, JobKind, JobState
from trygg.reports import services
from trygg.reports.models import BoardReport
from trygg.reports.tests.test_board_report import docx_text, pdf_text
from trygg.reports.tests.test_documents import word_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return BoardReport.objects.get(case_number="KS 2024/0123")


def download(client, job):
    response = client.get(f"/jobb/{job.pk}/fil/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_draft_file_made_as_a_job_is_the_direct_download(client_for, report, fmt):
    client = client_for("officer")
    response = client.post(f"/rapporter/{report.pk}/fil-jobb/", {"format": fmt})
    job = Job.objects.get(kind=JobKind.REPORT_FILE)
    assert response.status_code == 302 and response["Location"] == f"/rapporter/{report.pk}/?jobb={job.pk}"
    assert job.state == JobState.DONE and job.params == {"report": report.pk, "format": fmt}
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and f"/jobb/{job.pk}/fil/" in page
    made = download(client, job)
    direct = client.get(f"/rapporter/{report.pk}/utkast.{fmt}").content
    text = pdf_text if fmt == "pdf" else docx_text
    assert text(made) == text(direct)
    assert job.result_name == f"tjansteutlatande-KS-2024-0123-utkast.{fmt}"


def test_a_reader_makes_a_frozen_versions_pdf_as_a_job_and_only_sees_their_own(client_for, report, demo_users):
    version = services.freeze(report, demo_users["officer"], "Handläggare")
    reader = client_for("reader")
    response = reader.post(f"/rapporter/versioner/{version.pk}/fil-jobb/", {"format": "pdf"})
    job = Job.objects.get(kind=JobKind.REPORT_FILE)
    assert response["Location"] == f"/rapporter/versioner/{version.pk}/?jobb={job.pk}"
    page = reader.get(response["Location"]).content.decode()
    assert f"/jobb/{job.pk}/fil/" in page
    made = download(reader, job)
    assert pdf_text(made) == pdf_text(reader.get(f"/rapporter/versioner/{version.pk}/tjansteutlatande.pdf").content)
    assert job.result_name == f"tjansteutlatande-KS-2024-0123-v{version.version}.pdf"
    # Someone else's job is neither shown on the page nor downloadable.
    officer = client_for("officer")
    assert f"/jobb/{job.pk}/" not in officer.get(response["Location"]).content.decode()
    assert officer.get(f"/jobb/{job.pk}/fil/").status_code == 404
    # The draft is the writers': a reader cannot start its job.
    assert reader.post(f"/rapporter/{report.pk}/fil-jobb/", {"format": "pdf"}).status_code == 403
    assert Job.objects.count() == 1


def test_an_unusable_word_template_fails_the_job_in_swedish_and_leaves_no_file(client_for, report, settings, tmp_path):
    settings.TRYGG_REPORT_TEMPLATE = str(word_template(tmp_path / "filter.docx", "{{ title|finnsinte }}"))
    client = client_for("officer")
    client.post(f"/rapporter/{report.pk}/fil-jobb/", {"format": "docx"})
    job = Job.objects.get(kind=JobKind.REPORT_FILE)
    assert job.state == JobState.FAILED and "”filter.docx”" in job.failure and not job.result_file
    html = client.get(f"/jobb/{job.pk}/status/").content.decode()
    assert 'role="alert"' in html and "Word-mallen" in html


def test_an_unknown_format_is_refused_in_swedish_and_starts_nothing(client_for, report):
    client = client_for("officer")
    response = client.post(f"/rapporter/{report.pk}/fil-jobb/", {"format": "odt"}, follow=True)
    assert "Välj filformat: PDF eller Word." in response.content.decode()
    assert not Job.objects.exists()
