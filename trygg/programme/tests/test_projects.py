"""Project pages (issue 10): create, edit, detail, the board's cards, delays and the target against the actual."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from trygg.cameras import services as camera_services
from trygg.cameras.models import Camera
from trygg.core.dashboard import dashboard_for
from trygg.core.models import ObjectChange
from trygg.programme import progress
from trygg.programme.models import BudgetAllocation, IndicatorTarget, Project
from trygg.reports import drafting
from trygg.reports.context import build_context
from trygg.reports.models import BoardReport
from trygg.sites.models import Site

D = dt.date
PROJECT_NAME = "Kvisthamraskolan – yttre bevakning av byggnad"


#
# The pure core
#


def test_delay_and_days_past_target_by_hand():
    target = D(2024, 12, 31)
    assert progress.is_delayed("designing", target, D(2025, 3, 31))
    assert not progress.is_delayed("designing", target, D(2024, 12, 31))  # on the day is not late
    assert not progress.is_delayed("designing", target, None)
    # Delivered or cancelled: never delayed, whatever the last forecast said.
    assert not progress.is_delayed("completed", target, D(2025, 3, 31))
    assert not progress.is_delayed("cancelled", target, D(2025, 3, 31))
    assert progress.days_past_target("designing", target, D(2025, 1, 30)) == 30  # 31 Dec → 30 Jan
    assert progress.days_past_target("installing", target, D(2025, 3, 1)) == 60  # 31 + 28 + 1
    assert progress.days_past_target("designing", target, target) is None
    assert progress.days_past_target("completed", target, D(2025, 3, 1)) is None


def test_camera_progress_by_hand():
    states = ["designed", "in_operation", "paused", "in_operation", "decommissioned", "planned"]
    counted = progress.camera_progress(states, 3, 4)
    assert (counted.in_operation, counted.remaining, counted.target_text) == (2, 1, "3–4")
    assert not counted.reached
    assert progress.camera_progress(["in_operation"] * 5, 3, 4).remaining == 0
    assert progress.camera_progress([], 2, 2).target_text == "2"


@given(
    st.lists(st.sampled_from(["planned", "designed", "installed", "in_operation", "paused", "decommissioned"])),
    st.integers(0, 20),
    st.integers(0, 20),
)
def test_remaining_closes_the_gap_to_the_lower_target(states, low, extra):
    counted = progress.camera_progress(states, low, low + extra)
    assert counted.remaining >= 0
    assert counted.in_operation + counted.remaining >= low
    assert counted.reached == (counted.remaining == 0)


#
# Pages
#


@pytest.fixture
def project(demo_users):
    return Project.objects.get(name=PROJECT_NAME)


@pytest.fixture
def no_gate(monkeypatch):
    # The compliance gate is not what is tested here.
    monkeypatch.setattr(camera_services, "pre_move_checks", [])


def form_data(form) -> dict:
    """What a browser posts back for the form as shown (lists for checkboxes)."""
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value == "":
            continue
        if isinstance(value, list | tuple):
            data[bound.name] = [str(getattr(v, "pk", v)) for v in value]
        elif hasattr(value, "isoformat"):
            data[bound.name] = value.isoformat()
        else:
            data[bound.name] = str(getattr(value, "pk", value))
    return data


def test_detail_counts_cameras_in_operation_against_the_target(project, client_for, no_gate):
    officer = client_for("officer")
    # Hand count on the demo: KVI-01–03 are designed and KVI-04 is planned, so none is in operation
    # and 3 more are needed to reach the lower target of 3–4.
    page = officer.get(f"/projekteringar/{project.pk}/").content.decode()
    assert "0 av 3–4 i drift, 3 kvar" in page
    for identifier in ["KVI-01", "KVI-02", "KVI-03", "KVI-04"]:
        assert identifier in page
    assert "Kvisthamraskolan" in page and f'href="/platser/{project.site_id}/"' in page
    assert "Skolans förarbete (underlag om lokaler och el) är försenat" in page  # the project's dialogue note
    # Two go into operation; a third is paused after being in operation and no longer counts.
    for identifier in ["KVI-01", "KVI-02", "KVI-03"]:
        camera = Camera.objects.get(identifier=identifier)
        for state in ["installed", "in_operation"]:
            camera_services.move(camera, state, D(2025, 2, 1))
    camera_services.move(Camera.objects.get(identifier="KVI-03"), "paused", D(2025, 3, 1))
    page = officer.get(f"/projekteringar/{project.pk}/").content.decode()
    assert "2 av 3–4 i drift, 1 kvar" in page
    assert "2 av 3–4 i drift, 1 kvar" in officer.get("/projekteringar/").content.decode()


def test_board_cards_open_the_project(project, client_for):
    board = client_for("officer").get("/projekteringar/").content.decode()
    assert f'href="/projekteringar/{project.pk}/"' in board
    assert 'href="/projekteringar/ny/"' in board  # "Ny projektering" for those who write
    assert 'href="/projekteringar/ny/"' not in client_for("dpo").get("/projekteringar/").content.decode()


def test_site_page_links_to_a_new_project_there(project, client_for):
    url = f"/platser/{project.site_id}/"
    assert f'href="/projekteringar/ny/?plats={project.site_id}"' in client_for("officer").get(url).content.decode()
    assert "/projekteringar/ny/" not in client_for("administration_contact").get(url).content.decode()


def test_officer_creates_a_project_with_the_sites_cameras(client_for):
    officer = client_for("officer")
    torget = Site.objects.get(name="Stora torget")
    page = officer.get(f"/projekteringar/ny/?plats={torget.pk}")
    form = page.context["form"]
    listed = {c.identifier for c in form.fields["cameras"].queryset}
    assert listed == {"TORG-01", "TORG-02"}  # TORG-03 is decommissioned; other sites' cameras are not offered
    data = form_data(form) | {
        "name": "Stora torget – fler kameror",
        "target_min": "2",
        "target_max": "3",
        "target_date": "2026-12-31",
        "estimated_cost": "250 000",
        "cameras": [str(Camera.objects.get(identifier="TORG-01").pk)],
    }
    response = officer.post("/projekteringar/ny/", data)
    created = Project.objects.get(name="Stora torget – fler kameror")
    assert response.status_code == 302 and response["Location"] == f"/projekteringar/{created.pk}/"
    assert created.site == torget and created.responsible_administration == torget.administration  # the default
    assert created.estimated_cost == Decimal("250000")
    assert [c.identifier for c in created.cameras.all()] == ["TORG-01"]
    change = ObjectChange.objects.get(event="project.cameras_changed", changed_object_id=str(created.pk))
    assert change.postchange_data == {"added": ["TORG-01"], "removed": []}
    detail = officer.get(f"/projekteringar/{created.pk}/").content.decode()
    assert "1 av 2–3 i drift, 1 kvar" in detail  # TORG-01 is in operation
    assert "250\xa0000\xa0kr" in detail
    assert "Projekteringens kameror ändrades" in detail and "kameror som lades till: – → TORG-01" in detail


def test_choosing_a_site_lists_its_cameras(client_for):
    officer = client_for("officer")
    harbour = Site.objects.get(name="Grisslehamns hamnplan")
    # The site field asks the page again with ?site=<id> (htmx) and takes the cameras' part.
    page = officer.get(f"/projekteringar/ny/?site={harbour.pk}").content.decode()
    assert 'id="project-cameras"' in page and "GRI-01" in page and "TORG-01" not in page
    refused = officer.get("/projekteringar/ny/?plats=abc")  # 400 naming the field, not "no page here"
    assert refused.status_code == 400 and "Fältet ”Plats” ska vara ett nummer" in refused.content.decode()
    assert officer.get("/projekteringar/ny/").context["form"].fields["cameras"].queryset.count() == 0


def test_edit_keeps_the_free_text_beside_a_ticked_reason(project, client_for):
    officer = client_for("officer")
    data = form_data(officer.get(f"/projekteringar/{project.pk}/andra/").context["form"])
    assert data["delay_reasons"] == ["operation_preparation"] and data["estimated_cost"] == "320 000"
    text = "Elcentralen i skolans källare måste bytas först."
    data |= {"forecast_date": "2025-06-30", "delay_reasons": ["operation_preparation", "delivery"]}
    data["delay_description"] = text
    response = officer.post(f"/projekteringar/{project.pk}/andra/", data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.delay_reasons == ["operation_preparation", "delivery"]
    assert project.delay_description == text
    assert project.forecast_date == D(2025, 6, 30)
    assert sorted(c.identifier for c in project.cameras.all()) == ["KVI-01", "KVI-02", "KVI-03", "KVI-04"]
    page = officer.get(f"/projekteringar/{project.pk}/").content.decode()
    assert text in page and "Leverans av utrustning" in page
    # The history reads the reasons by their labels, not their codes.
    assert "Förseningar i förarbetet hos verksamheten, Leverans av utrustning" in page
    # The report writes both the reasons and the officer's own words.
    report = BoardReport.objects.get(case_number="KS 2024/0123")
    matter = drafting.draft_sections(build_context(report))["matter"]
    # A sentence per reason: a reason's label is never pasted into a sentence as a noun (issue 11).
    assert (
        "Det förekommer förseningar i förarbetet hos verksamheten. Leveransen av utrustningen är försenad. "
        "Det kan innebära att uppdraget försenas och att kamerorna kommer vara på plats först Q2 2025." in matter
    )
    assert text in matter


def post_edit(client, project, **changes):
    data = form_data(client.get(f"/projekteringar/{project.pk}/andra/").context["form"]) | changes
    return client.post(f"/projekteringar/{project.pk}/andra/", data)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"target_min": "5", "target_max": "4"},
            "target_max",
            "Målbild, högst antal kameror (4) kan inte vara lägre än minst antal kameror (5).",
        ),
        (
            {"forecast_date": "2023-06-30"},
            "forecast_date",
            "Prognosen ligger före projekteringens start, året i verksamhetsplanen (2024).",
        ),
        (
            {"delay_reasons": ["other"], "delay_description": ""},
            "delay_description",
            "Orsaken ”Annat” är vald: beskriv förseningen i fältet Beskrivning av förseningen.",
        ),
        (
            {"delay_reasons": [], "delay_description": ""},
            "delay_description",
            "Prognosen ligger efter måldatum: ange orsaken till förseningen.",
        ),
        ({"estimated_cost": "mycket"}, "estimated_cost", "Fyll i ett tal."),
        ({"target_date": "31/12/2024"}, "target_date", "Fyll i ett giltigt datum."),
    ],
)
def test_bad_input_is_refused_in_swedish_naming_the_field_and_nothing_is_saved(
    project, client_for, changes, field, message
):
    before = Project.objects.filter(pk=project.pk).values().get()
    cameras_before = sorted(project.cameras.values_list("identifier", flat=True))
    # Also untick a camera: it must stay in the project when the form is refused.
    kvi01 = str(Camera.objects.get(identifier="KVI-01").pk)
    changes = {"cameras": [c for c in map(str, project.cameras.values_list("pk", flat=True)) if c != kvi01]} | changes
    response = post_edit(client_for("officer"), project, **changes)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    page = response.content.decode()
    label = str(response.context["form"][field].label)
    assert f'<a href="#id_{field}">{label}</a>: {message}' in page  # the summary names the field
    assert Project.objects.filter(pk=project.pk).values().get() == before
    assert sorted(project.cameras.values_list("identifier", flat=True)) == cameras_before


def test_a_camera_on_another_site_is_refused_by_name(project, client_for):
    officer = client_for("officer")
    torget = Site.objects.get(name="Stora torget")
    response = post_edit(officer, project, site=str(torget.pk))  # the four Kvisthamra cameras stay ticked
    assert response.status_code == 200
    errors = response.context["form"].errors["cameras"]
    assert errors == [
        "KVI-01, KVI-02, KVI-03, KVI-04 sitter inte på Stora torget. Ta bort dem ur "
        "projekteringen eller välj deras plats."
    ]
    project.refresh_from_db()
    assert project.site.name == "Kvisthamraskolan"


def test_only_officers_and_admins_write_and_contacts_see_their_own(project, client_for):
    other = Project.objects.create(
        name="Stora torget – fler kameror",
        site=Site.objects.get(name="Stora torget"),
        plan_year=2026,
        target_min=1,
        target_max=2,
        target_date=D(2026, 12, 31),
        responsible_administration=project.responsible_administration,
    )
    contact = client_for("administration_contact")  # BUF: Kvisthamraskolan, not Stora torget
    assert contact.get(f"/projekteringar/{project.pk}/").status_code == 200
    assert contact.get(f"/projekteringar/{other.pk}/").status_code == 404
    assert "Stora torget" not in contact.get("/projekteringar/").content.decode()
    page = client_for("dpo").get(f"/projekteringar/{project.pk}/").content.decode()
    assert "Ändra projekteringen" not in page
    assert client_for("dpo").post(f"/projekteringar/{project.pk}/andra/", {}).status_code == 403
    assert client_for("reader").get(f"/projekteringar/{project.pk}/").status_code == 403


#
# Delivered projects are never delayed; late projects are marked
#


def test_a_delivered_project_is_not_delayed_anywhere(project, client_for, demo_users):
    assert project.is_delayed
    project.status = "completed"  # delivered, with the old forecast after the target date still stored
    project.save()
    assert not project.is_delayed
    assert "försenad" not in client_for("officer").get("/projekteringar/").content.decode()
    board = dashboard_for(demo_users["officer"], D(2025, 4, 1))
    row = next(p for p in board.projects if p.pk == project.pk)
    assert not row.is_delayed and row.days_late is None
    dashboard = client_for("reader").get("/").content.decode()
    assert "Förseningar i förarbetet hos verksamheten" not in dashboard
    assert "efter måldatum" not in dashboard
    report = BoardReport.objects.get(case_number="KS 2024/0123")
    context = build_context(report)
    facts = next(p for p in context.projects if p.name == PROJECT_NAME)
    assert facts.status == "completed"
    assert not drafting._is_late(facts)
    sections = drafting.draft_sections(context)
    assert "försenas" not in sections["matter"] and "beräknas vara på plats först" not in sections["summary"]


def test_the_dashboard_marks_projects_past_their_target_date(project, demo_users, client_for):
    # Target 2024-12-31, not delivered: 30 days late on 30 January 2025.
    row = next(p for p in dashboard_for(demo_users["officer"], D(2025, 1, 30)).projects if p.pk == project.pk)
    assert row.days_late == 30
    assert next(p for p in dashboard_for(demo_users["officer"], D(2024, 12, 31)).projects).days_late is None
    today = timezone.localdate()
    project.target_date, project.forecast_date = today - dt.timedelta(days=12), today + dt.timedelta(days=30)
    project.plan_year = project.target_date.year
    project.save()
    page = client_for("officer").get("/").content.decode()
    assert "12 dagar efter måldatum" in page
    assert f'href="/projekteringar/{project.pk}/"' in page
    assert "12 dagar efter måldatum" in client_for("reader").get("/").content.decode()


#
# The reader's overview: target against actual, and the budget of a year that has one
#


def test_target_against_actual_by_hand(demo_users):
    reader = demo_users["reader"]
    # The seed: 8 cameras in operation on 2024-10-29; the demo's target for 2024 is 11.
    target = dashboard_for(reader, D(2024, 10, 29)).target
    assert (target.year, target.target, target.actual, target.is_current_year) == (2024, 11, 8, True)
    assert target.shortfall == 3
    # No target for 2026: the latest year with one (2025, 13) against its year end. By hand, in operation
    # on 2025-12-31: GRI-01, HAMN-01, KOM-01, RIM-01, SPORT-01, SPORT-02, TORG-01, TORG-02 (PARK-01 paused).
    target = dashboard_for(reader, D(2026, 11, 30)).target
    assert (target.year, target.target, target.actual, target.actual_on) == (2025, 13, 8, D(2025, 12, 31))
    assert not target.is_current_year and target.shortfall == 5


def test_reader_overview_shows_the_target_and_a_labelled_budget_year(demo_users, client_for):
    year = timezone.localdate().year
    IndicatorTarget.objects.filter(year__gte=year).delete()
    BudgetAllocation.objects.filter(year__gte=year).delete()
    latest_target = IndicatorTarget.objects.order_by("-year").first()
    latest_budget = BudgetAllocation.objects.order_by("-year").first()
    page = client_for("reader").get("/").content.decode()
    assert f"Inget målvärde är satt för {year}. Här visas {latest_target.year}" in page
    assert f'Målvärde {latest_target.year}</th><td class="num">{latest_target.value}<' in page
    assert f"Budget {latest_budget.year}</h2>" in page
    assert (
        f"Inga medel är registrerade som tilldelade för {year}. Här visas {latest_budget.year}, det senaste året "
        "med tilldelade medel." in page
    )
    assert "1 000 000 kr" in page.replace("\xa0", " ")  # the shown year's allocation
    assert f'href="/uppfoljning/budget/?ar={latest_budget.year}"' in page  # the link opens the year shown
    # With this year's target and allocation, this year is shown and no fallback is mentioned.
    IndicatorTarget.objects.create(indicator=latest_target.indicator, year=year, value=20)
    BudgetAllocation.objects.create(year=year, amount=Decimal("750000"))
    page = client_for("reader").get("/").content.decode()
    in_operation = Camera.objects.filter(state="in_operation").count()
    assert f'Målvärde {year}</th><td class="num">20<' in page
    assert f'Kvar till målvärdet</th><td class="num">{20 - in_operation}<' in page
    assert f"Budget {year}</h2>" in page and "Här visas" not in page
    assert "750 000 kr" in page.replace("\xa0", " ")


def test_all_findings_are_listed(client_for, demo_users):
    board = dashboard_for(demo_users["officer"], timezone.localdate())
    assert board.findings_count > len(board.findings)  # the demo has more than the first few
    client = client_for("officer")
    page = client.get("/").content.decode()
    assert f"Visa alla {board.findings_count} kameror med hinder eller varningar" in page
    for finding in board.findings:
        assert f'href="/kameror/{finding.camera.pk}/"' in page
    # The rest are on the paged list the start page links to.
    listed = client.get("/efterlevnad/atgarder/").content.decode()
    assert f"{board.findings_count} kameror</p>" in listed


#
# Query counts
#


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_project_pages_cost_the_same_with_more_cameras_and_history(project, client_for):
    officer = client_for("officer")
    urls = [f"/projekteringar/{project.pk}/", f"/projekteringar/{project.pk}/andra/"]
    for url in urls:
        officer.get(url)
    before = [count_queries(officer, url) for url in urls]
    template = Camera.objects.get(identifier="KVI-04")
    for i in range(6):
        camera = Camera(
            identifier=f"KVI-X{i}",
            site=project.site,
            project=project,
            longitude=template.longitude,
            latitude=template.latitude,
            mount="wall",
            mount_height_m=4,
            bearing_deg=10 * i,
            hfov_deg=40,
            camera_type="fixed",
        )
        camera.planned_on = D(2025, 1, 1)
        camera.save()
        project.delay_description = f"Ändring {i}"
        project.save()
    assert [count_queries(officer, url) for url in urls] == before
