"""The section "Effekt och omprövning" for the demo: facts from the evaluation services as of the report's
date, switched on in the form, and the same words in the DOCX and the PDF."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.cameras import services as camera_services
from trygg.cameras.models import Camera
from trygg.evaluation import programme, review_services
from trygg.evaluation.review_models import CameraReview
from trygg.reports import services
from trygg.reports.context import build_context
from trygg.reports.models import BoardReport
from trygg.reports.tests.test_board_report import docx_text, form_data, pdf_text
from trygg.sites.models import Site

D = dt.date
HEADING = "Effekt och omprövning"


@pytest.fixture
def report(demo_users):
    report = BoardReport.objects.get(case_number="KS 2024/0123")
    report.include_effect = True
    return report


def test_the_facts_are_the_programme_evaluation_as_of_the_report_date(report):
    effect = build_context(report).effect
    summary = programme.evaluate_programme(lambda message: message, today=report.as_of)
    included = {row.site.name: row for row in summary.rows if row.res is not None}
    assert {s.site for s in effect.sites if s.included} == set(included) == {"Sporthallen", "Rimbo bibliotek"}
    for site in effect.sites:
        if site.included:
            res = included[site.site].res
            # The RES as the change against expected, the interval turned with it (not recomputed).
            assert site.change == pytest.approx((1 / res.value - 1) * 100)
            assert site.change_low == pytest.approx((1 / res.ci_high - 1) * 100)
            assert site.change_high == pytest.approx((1 / res.ci_low - 1) * 100)
    rimbo = next(s for s in effect.sites if s.site == "Rimbo bibliotek")
    assert "peak" in rimbo.warnings  # the demo's regression-to-the-mean case
    assert effect.pooled.sites == 2
    assert effect.pooled.change == pytest.approx((1 / summary.pooled.estimate.value - 1) * 100)
    assert effect.pooled.i_squared == summary.pooled.i_squared
    assert effect.pooled.distinguishable == summary.distinguishable
    started = {row.site.name: row.started for row in summary.rows}
    assert all(started[s.site] <= report.as_of for s in effect.sites)


def test_a_site_whose_cameras_start_after_the_report_date_is_not_listed(report, monkeypatch):
    monkeypatch.setattr(camera_services, "pre_move_checks", [])
    harbour = Site.objects.get(name="Grisslehamns hamnplan")
    camera = Camera(
        identifier="GRI-09",
        site=Site.objects.exclude(cameras__isnull=False).order_by("name").first(),
        longitude=harbour.longitude,
        latitude=harbour.latitude,
        mount="pole",
        mount_height_m=6,
        bearing_deg=270,
        hfov_deg=90,
        camera_type="fixed",
    )
    camera.planned_on = D(2024, 11, 1)
    camera.save()
    for state in ["designed", "installed", "in_operation"]:
        camera_services.move(camera, state, D(2024, 12, 1))
    rows = programme.evaluate_programme(lambda message: message, today=report.as_of).rows
    assert camera.site.name in {row.site.name for row in rows}  # the programme page lists it (started later)
    assert camera.site.name not in {s.site for s in build_context(report).effect.sites}


def test_the_reviews_of_the_year_as_of_the_report_date(report):
    reviews = build_context(report).effect.reviews
    # Demo (trygg/evaluation/review_demo.py): KOM-01 reviewed 2024-03-12, TORG-01 2024-08-26, both "keep".
    assert (reviews.reviewed, reviews.keep, reviews.change, reviews.remove) == (2, 2, 0, 0)
    overdue = [row for row in review_services.due_reviews(Camera.objects.all(), report.as_of) if row.overdue]
    assert reviews.overdue == len(overdue) > 0
    assert reviews.due >= reviews.reviewed
    # A review decided after the report's date is not counted; one decided in the year is.
    camera = Camera.objects.get(identifier="SPORT-01")
    base = {"camera": camera, "period_start": D(2023, 10, 23), "reason": "Prov", "outcome": "change"}
    CameraReview.objects.create(
        due_on=D(2024, 11, 1), period_end=D(2024, 11, 5), decided_at=dt.datetime(2024, 11, 5, 12, tzinfo=dt.UTC), **base
    )
    assert build_context(report).effect.reviews.reviewed == 2
    CameraReview.objects.create(
        due_on=D(2024, 11, 1), period_end=D(2024, 10, 1), decided_at=dt.datetime(2024, 10, 1, 12, tzinfo=dt.UTC), **base
    )
    after = build_context(report).effect.reviews
    assert (after.reviewed, after.change) == (3, 1)


def test_the_section_is_off_unless_chosen(report):
    report.include_effect = False
    context, document = services.draft_parts(report)
    assert context.effect is None and "effect" not in document["sections"]
    assert HEADING not in pdf_text(services.render_pdf(context, document))


def test_docx_and_pdf_carry_the_section(report):
    report.save()
    services.redraft(report)
    context, document = services.draft_parts(report)
    pdf = pdf_text(services.render_pdf(context, document))
    word = docx_text(services.render_docx(context, document))
    for text in (pdf, word):
        start = text.index(HEADING)
        section = text[start : text.index("Beslut skickas till", start)]
        assert "Sammanvägt för 2 platser blev det" in section and "95 % konfidensintervall" in section
        assert "Rimbo bibliotek:" in section and "(regression mot medelvärdet)" in section
        assert "Sporthallen:" in section
        assert "Under 2024 fram till den 29 oktober skulle" in section
        assert "Under året har 2 omprövningar beslutats (behålla: 2, ändra: 0, avveckla: 0)." in section
        # Site names only; never a camera or its position (OSL 18 kap. 8 §).
        assert not any(camera.identifier in section for camera in Camera.objects.all())
        assert "18,6" not in section and "59,7" not in section
    assert text.index(HEADING) > text.index("Landsbygds- och skärgårdsperspektiv")


def test_the_officer_switches_the_section_on_in_the_form(report, client_for):
    officer = client_for("officer")
    page = officer.get(f"/rapporter/{report.pk}/")
    assert "med avsnitt om effekt och omprövning" in page.content.decode().lower()
    data = form_data(page.context["form"])
    assert "include_effect" not in data
    data["include_effect"] = "on"
    assert officer.post(f"/rapporter/{report.pk}/", data).status_code == 302
    officer.post(f"/rapporter/{report.pk}/utkast/")
    report.refresh_from_db()
    assert report.include_effect
    assert report.sections["effect"].startswith("Effekten utvärderas för varje plats med kameror i drift")
    page = officer.get(f"/rapporter/{report.pk}/")
    assert "section_effect" in page.context["form"].fields
