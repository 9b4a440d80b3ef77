"""A later year entered through the pages a user uses, read back from the drafted DOCX and PDF.

Made-up 2025 on top of the demo: the 2024 project at Kvisthamraskolan is delivered late in February
(left open by the officer), a new project at Stora torget is past its target date with one of 2–3
cameras running, and a project at Rodengymnasiet is cancelled because adult presence in the evenings
worked. The test posts the camera, project, measure, dialogue and report forms, downloads the draft
documents and checks their extracted text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from trygg.cameras import services as camera_services
from trygg.cameras.models import Camera
from trygg.programme.models import CostEntry, Project
from trygg.reports import drafting
from trygg.reports.context import build_context
from trygg.reports.models import BoardReport
from trygg.reports.tests.test_board_report import docx_text, normalise, sections
from trygg.reports.tests.test_report_language import check_grammar
from trygg.sites.models import Site


def form_data(form) -> dict:
    """What a browser posts back for the form as shown (lists for checkboxes)."""
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            if value:
                data[bound.name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.name] = [str(getattr(v, "pk", v)) for v in value]
        elif hasattr(value, "isoformat"):
            data[bound.name] = value.isoformat()
        else:
            data[bound.name] = str(getattr(value, "pk", value))
    return data


# The running header and footer that pypdf gives at the end of each page's text.
FURNITURE = re.compile(
    r"^(Norrtälje kommun|Kommunstyrelsekontoret|Tjänsteutlåtande|\d{4}-\d{2}-\d{2}|Dnr .*|Sida \d+ av \d+)$"
)


def pdf_body_text(content: bytes) -> str:
    """The PDF's text without each page's header and footer, so a sentence over a page break reads whole."""
    pages = []
    for page in PdfReader(io.BytesIO(content)).pages:
        lines = page.extract_text().splitlines()
        while lines and FURNITURE.match(lines[-1].strip()):
            lines.pop()
        pages.append("\n".join(lines))
    return normalise("\n".join(pages))


def post_ok(client, url: str, data: dict) -> None:
    response = client.post(url, data)
    errors = response.context["form"].errors if response.context and "form" in response.context else ""
    assert response.status_code == 302, f"{url}: {errors}"


def move(client, identifier: str, state: str, on: str) -> None:
    camera = Camera.objects.get(identifier=identifier)
    post_ok(client, f"/kameror/{camera.pk}/status/", {"to_state": state, "occurred_on": on, "confirmed": "on"})


def new_project(client, site: Site, **fields) -> Project:
    data = form_data(client.get(f"/projekteringar/ny/?plats={site.pk}").context["form"]) | fields
    post_ok(client, "/projekteringar/ny/", data)
    return Project.objects.get(name=fields["name"])


@pytest.fixture
def year_2025(demo_users, client_for, monkeypatch) -> BoardReport:
    # The compliance gate on camera moves is not what is tested here.
    monkeypatch.setattr(camera_services, "pre_move_checks", [])
    officer = client_for("officer")
    # 1. Kvisthamraskolan: three cameras run from 3 February 2025, the fourth is dropped; the project stays open.
    for identifier in ["KVI-01", "KVI-02", "KVI-03"]:
        move(officer, identifier, "installed", "2025-01-20")
        move(officer, identifier, "in_operation", "2025-02-03")
    move(officer, "KVI-04", "decommissioned", "2025-02-03")
    # 2. Stora torget: a 2025 project past its target date, one of 2–3 cameras running.
    torget = Site.objects.get(name="Stora torget")
    new_project(
        officer,
        torget,
        name="Stora torget – fler kameror",
        plan_year="2025",
        status="installing",
        target_min="2",
        target_max="3",
        target_date="2025-06-30",
        forecast_date="2025-12-31",
        delay_reasons=["procurement"],
        delay_description="Anbuden överklagades i maj",
        estimated_cost="400 000",
        cameras=[str(Camera.objects.get(identifier="TORG-01").pk)],
    )
    # 3. Rodengymnasiet: cancelled, because adult presence in the evenings had the intended effect.
    roden = Site.objects.get(name="Rodengymnasiet")
    cancelled = new_project(
        officer,
        roden,
        name="Rodengymnasiet – entréer",
        plan_year="2025",
        status="cancelled",
        target_min="2",
        target_max="2",
        target_date="2025-12-31",
    )
    post_ok(
        officer,
        f"/platser/{roden.pk}/atgarder/ny/",
        {
            "kind": "staff_presence",
            "started_on": "2025-03-01",
            "effect": "intended",
            "effect_notes": "Inga anmälda skadegörelser sedan april.",
        },
    )
    post_ok(
        officer,
        f"/platser/{roden.pk}/dialog/ny/",
        {
            "held_on": "2025-09-15",
            "with_whom": "Rektor",
            "summary": "Vuxennärvaron på kvällarna har gjort att skadegörelsen upphört",
            "concerns_year": "2025",
            "project": str(cancelled.pk),
        },
    )
    # 4. The report of 2025, created on its page.
    data = form_data(officer.get("/rapporter/ny/").context["form"]) | {
        "year": "2025",
        "as_of": "2025-10-31",
        "report_date": "2025-11-03",
        "case_number": "KS 2025/0456",
    }
    data.pop("reporting_point", None)  # the 2024 meeting dates do not belong to this report
    post_ok(officer, "/rapporter/ny/", data)
    return BoardReport.objects.get(case_number="KS 2025/0456")


def test_a_later_year_entered_through_the_pages_reads_right_in_both_documents(year_2025, client_for):
    officer = client_for("officer")
    docx_bytes = officer.get(f"/rapporter/{year_2025.pk}/utkast.docx").content
    pdf_bytes = officer.get(f"/rapporter/{year_2025.pk}/utkast.pdf").content
    for kind, found in (("DOCX", sections(docx_text(docx_bytes))), ("PDF", sections(pdf_body_text(pdf_bytes)))):
        summary, matter = found["Sammanfattning"], found["Ärendet"]
        # Delivered late, left open by the officer: stated as delivered, never "beräknas".
        assert "Kamerorna vid Kvisthamraskolan är i drift sedan den 3 februari 2025." in summary, kind
        assert "Kvisthamraskolan beräknas" not in summary and "Q1 2025" not in summary + matter, kind
        assert "Målbilden var 3–4 kameror före utgången av 2024." in matter, kind
        # 31 December 2024 → 3 February 2025 is 34 days.
        assert (
            "Projekteringen levererades 34 dagar efter måldatum. Nu är 3 kameror i drift sedan den 3 februari 2025."
            in (matter)
        ), kind
        assert "Förarbetet hos verksamheten blev försenat." in matter, kind
        # The officer's words, written while the project ran, are kept and quoted.
        assert "beskrevs förseningen så här: ”Skolans underlag om lokaler och el till kamerorna är inte klart.”" in (
            matter
        ), kind
        # Past its target date (30 June → 31 October is 123 days), with the cameras counted.
        assert (
            "Projekteringen vid Stora torget är 123 dagar försenad och kamerorna där beräknas vara på plats först Q4 2025."
            in summary
        ), kind
        assert "Den 31 oktober 2025 är projekteringen 123 dagar försenad." in matter, kind
        assert "Av målbildens 2–3 kameror är 1 i drift och 1 återstår." in matter, kind
        assert "Upphandlingen är försenad. Anbuden överklagades i maj." in matter, kind
        assert "Kamerorna beräknas nu vara på plats Q4 2025." in matter, kind
        # Cancelled, with the measure that worked and the dialogue's own words: the proportionality argument.
        assert "Projekteringen vid Rodengymnasiet har avbrutits eftersom andra åtgärder haft avsedd effekt." in summary
        assert "Projekteringen har avbrutits eftersom andra åtgärder (vuxennärvaro) haft avsedd effekt." in matter
        assert (
            "Vid dialogen den 15 september 2025 framkom följande: Vuxennärvaron på kvällarna har gjort att "
            "skadegörelsen upphört." in matter
        ), kind
        assert "kan innebära" not in matter, kind
        # The sections outside the projects name their sites.
        assert "I skolmiljö finns 3 kameror (Kvisthamraskolan), varav 3 i drift." in found["Konsekvenser för barn"]
        assert "för dem som bevakas i skolmiljö" in found["Konsekvenser för barn"], kind
        rural = found["Landsbygds- och skärgårdsperspektiv"]
        assert "Kameror på landsbygden finns vid Rimbo bibliotek" in rural, kind
        assert "Kameror i skärgården finns vid Grisslehamns hamnplan" in rural, kind
        assert "Ej tillämplig" not in rural, kind
        for heading in ["Sammanfattning", "Ärendet", "Konsekvenser för barn", "Landsbygds- och skärgårdsperspektiv"]:
            check_grammar(found[heading])


def test_a_project_marked_done_stays_in_the_year_it_was_delivered(year_2025, client_for):
    officer = client_for("officer")
    project = Project.objects.get(site__name="Kvisthamraskolan")
    data = form_data(officer.get(f"/projekteringar/{project.pk}/andra/").context["form"]) | {"status": "completed"}
    post_ok(officer, f"/projekteringar/{project.pk}/andra/", data)
    matter = drafting.draft_sections(build_context(year_2025))["matter"]
    assert "Projekteringen levererades 34 dagar efter måldatum. Nu är 3 kameror i drift sedan den 3 februari 2025." in (
        matter
    )
    # A year later it was delivered in an earlier year: no longer part of the report.
    year_2025.year, year_2025.as_of = 2026, dt.date(2026, 3, 31)  # in memory only
    assert "Kvisthamraskolan" not in [p.site for p in build_context(year_2025).projects]


def test_what_is_booked_on_a_planned_project_is_counted_once(year_2025):
    project = Project.objects.get(name="Stora torget – fler kameror")
    for status, amount in [("spent", "300000"), ("committed", "65000")]:
        CostEntry.objects.create(
            booked_on=dt.date(2025, 5, 15),
            category="hardware",
            status=status,
            amount=Decimal(amount),
            description="Kameror till Stora torget",
            project=project,
        )
    context = build_context(year_2025)
    assert (context.budget.planned, context.budget.planned_booked) == (Decimal("400000"), Decimal("365000"))
    economy = drafting.draft_sections(context)["economy"].replace("\xa0", " ")
    assert "De planerade projekteringarna för 2025 beräknas kosta 400 000 kr sammanlagt." in economy
    assert "Av det är 365 000 kr redan förbrukat eller beställt och ingår i beloppen ovan, så 35 000 kr återstår" in (
        economy
    )
    assert "mer än de medel" not in economy
