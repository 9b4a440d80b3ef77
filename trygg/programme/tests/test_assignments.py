"""Each year's assignment on Trygg's own pages, and the report that chooses it and cites its plan year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.core.models import ObjectChange
from trygg.programme.models import Assignment
from trygg.reports.context import build_context
from trygg.reports.models import BoardReport

TITLE = "Trygghetskameror ska sättas upp på fler utsatta eller potentiellt utsatta platser"


def form_data(form) -> dict[str, object]:
    """What a browser would post back for the form as shown."""
    data: dict[str, object] = {}
    for bound in form:
        value = bound.value()
        if isinstance(value, bool):
            if value:
                data[bound.name] = "on"
        elif isinstance(value, list):
            data[bound.name] = [str(getattr(v, "pk", v)) for v in value]
        elif value is not None:
            data[bound.name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


@pytest.fixture
def officer(client_for):
    return client_for("officer")


def test_a_new_years_assignment_starts_from_the_latest_and_is_saved(officer):
    seed = Assignment.objects.get(title=TITLE)
    page = officer.get("/uppfoljning/uppdrag/ny/")
    assert page.status_code == 200
    form = page.context["form"]
    assert form["plan_year"].value() == 2025 and form["title"].value() == TITLE
    assert form["followed_up_since"].value() == 2019
    assert not form["description"].value()  # the old plan's words, naming its year, are not copied
    response = officer.post("/uppfoljning/uppdrag/ny/", form_data(form))
    assert response.status_code == 302 and response["Location"] == "/uppfoljning/uppdrag/"
    new = Assignment.objects.get(title=TITLE, plan_year=2025)
    assert new.pk != seed.pk and new.origin == seed.origin and new.responsible_unit == seed.responsible_unit
    assert set(new.indicators.all()) == set(seed.indicators.all()) and new.indicators.exists()
    assert ObjectChange.objects.filter(action="create", changed_object_id=str(new.pk), object_repr=TITLE).exists()
    listing = officer.get("/uppfoljning/uppdrag/").content.decode()
    assert "Uppdraget för verksamhetsplan 2025 är sparat." in listing
    assert f'href="/uppfoljning/uppdrag/{new.pk}/andra/"' in listing and "Ändra uppdraget 2024" in listing


def test_the_assignment_is_edited_on_its_page(officer):
    seed = Assignment.objects.get(title=TITLE)
    form = officer.get(f"/uppfoljning/uppdrag/{seed.pk}/andra/").context["form"]
    data = form_data(form) | {"status": "delayed", "description": "Nytt underlag."}
    assert officer.post(f"/uppfoljning/uppdrag/{seed.pk}/andra/", data).status_code == 302
    seed.refresh_from_db()
    assert (seed.status, seed.description, seed.plan_year) == ("delayed", "Nytt underlag.", 2024)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Fyll i fältet ”Uppdrag”."),
        ({"plan_year": ""}, "plan_year", "Fyll i fältet ”År i verksamhetsplanen”."),
        (
            {"plan_year": "1999"},
            "plan_year",
            "Fältet ”År i verksamhetsplanen” ska vara ett årtal mellan 2000 och 2100 (fick 1999).",
        ),
        (
            {"plan_year": "tjugo"},
            "plan_year",
            "Fältet ”År i verksamhetsplanen” ska vara ett årtal, till exempel 2025.",
        ),
        (
            {"followed_up_since": "-4"},
            "followed_up_since",
            "Fältet ”Följs upp med indikator sedan” ska vara ett årtal mellan 2000 och 2100 (fick -4).",
        ),
        (
            {"plan_year": "2024"},
            "plan_year",
            f"Uppdraget ”{TITLE}” finns redan i verksamhetsplanen 2024. Välj ett annat år eller ändra det "
            "befintliga uppdraget.",
        ),
        (
            {"origin": "hemligt"},
            "origin",
            "Välj ett giltigt alternativ. hemligt finns inte bland tillgängliga alternativ.",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(officer, changes, field, message):
    before = list(Assignment.objects.values())
    form = officer.get("/uppfoljning/uppdrag/ny/").context["form"]
    response = officer.post("/uppfoljning/uppdrag/ny/", form_data(form) | changes)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    label = str(response.context["form"][field].label)
    assert f'<a href="#id_{field}">{label}</a>: {message}' in response.content.decode()
    assert list(Assignment.objects.values()) == before


def test_readers_see_the_list_without_edit_links(client_for):
    page = client_for("reader").get("/uppfoljning/uppdrag/").content.decode()
    assert TITLE in page and "/andra/" not in page and "/uppfoljning/uppdrag/ny/" not in page


def test_the_project_board_and_dashboard_link_to_the_assignments(officer):
    assert 'href="/uppfoljning/uppdrag/"' in officer.get("/projekteringar/").content.decode()
    assert 'href="/uppfoljning/uppdrag/"' in officer.get("/").content.decode()


def test_the_list_costs_the_same_with_more_assignments(officer):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert officer.get("/uppfoljning/uppdrag/").status_code == 200
        return len(queries)

    before = count()
    for year in (2025, 2026, 2027):
        Assignment.objects.create(title=TITLE, origin="political", plan_year=year, responsible_unit="Enheten")
    assert count() == before


def test_a_report_chooses_its_assignment_and_cites_that_plan_year(officer):
    later = Assignment.objects.create(
        title=TITLE, origin="political", plan_year=2025, responsible_unit="Enheten", followed_up_since=2019
    )
    page = officer.get("/rapporter/ny/")
    form = page.context["form"]
    choices = [label for _value, label in form.fields["assignment"].choices]
    assert choices[1:3] == [f"{TITLE} (verksamhetsplan 2025)", f"{TITLE} (verksamhetsplan 2024)"]
    data = form_data(form) | {
        "assignment": str(later.pk),
        "reporting_point": "",
        "year": "2025",
        "as_of": "2025-12-31",
        "report_date": "2026-01-20",
        "case_number": "KS 2026/0007",
    }
    response = officer.post("/rapporter/ny/", data)
    assert response.status_code == 302, response.context["form"].errors
    report = BoardReport.objects.get(case_number="KS 2026/0007")
    assert report.assignment == later
    assert build_context(report).plan_year == 2025
    cited = [text for text in report.drafted.values() if "verksamhetsplan" in text]
    assert cited and all("verksamhetsplan 2024" not in text for text in cited)
    assert any("2025" in text for text in cited)


def test_a_report_cannot_cite_a_plan_of_a_later_year(officer):
    later = Assignment.objects.create(title=TITLE, origin="political", plan_year=2026, responsible_unit="Enheten")
    form = officer.get("/rapporter/ny/").context["form"]
    data = form_data(form) | {
        "assignment": str(later.pk),
        "reporting_point": "",
        "year": "2025",
        "as_of": "2025-12-31",
        "report_date": "2026-01-20",
        "case_number": "KS 2026/0008",
    }
    response = officer.post("/rapporter/ny/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["assignment"] == [
        "Uppdraget står i verksamhetsplan 2026, som är senare än året som redovisas (2025). "
        "Välj uppdraget i ett tidigare års verksamhetsplan."
    ]
    assert not BoardReport.objects.filter(case_number="KS 2026/0008").exists()


def test_a_new_report_starts_from_this_years_assignment(officer, monkeypatch):
    from django.utils import timezone

    Assignment.objects.create(title=TITLE, origin="political", plan_year=2030, responsible_unit="Enheten")
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2025, 3, 1))
    form = officer.get("/rapporter/ny/").context["form"]
    chosen = form["assignment"].value()
    assert Assignment.objects.get(pk=getattr(chosen, "pk", chosen)).plan_year == 2024
