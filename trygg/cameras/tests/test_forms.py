"""The camera form: sections, the schedule editor, school defaults, project choices, existing cameras."""

import datetime as dt
import re

import pytest
from django.forms.models import model_to_dict

from trygg.cameras.forms import (
    SCHEDULE_PREFIX,
    SECTIONS,
    CameraForm,
    default_template,
)
from trygg.cameras.models import Camera
from trygg.cameras.schedule_forms import describe_rule, rules_to_rows
from trygg.programme.models import Project
from trygg.sites.models import Site

CONTRACT_IDS = ["lage-och-synfalt", "bevakningstider", "lagring-och-teknik", "rattsliga-uppgifter"]


def rows_data(rules, prefix=SCHEDULE_PREFIX, initial=0):
    """The editor's POST data for `rules` (stored JSON), one row each."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(rules)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rules_to_rows(rules)):
        data[f"{prefix}-{index}-days"] = [str(d) for d in row["days"]]
        data[f"{prefix}-{index}-applies"] = row["applies"]
        data[f"{prefix}-{index}-start"] = row["start"].strftime("%H:%M")
        data[f"{prefix}-{index}-end"] = row["end"].strftime("%H:%M")
    return data


def camera_data(camera, **changes):
    """The camera's current values as the form posts them (without the schedule rows)."""
    data = {k: v for k, v in model_to_dict(camera).items() if v is not None and k != "schedule_rules"}
    for key, value in list(data.items()):
        if isinstance(value, bool):
            if value:
                data[key] = "on"
            else:
                del data[key]
    data.update(changes)
    return data


@pytest.fixture
def kvi01(demo_users):
    return Camera.objects.get(identifier="KVI-01")


def test_sections_have_the_contract_ids_each_with_a_lead(client_for, kvi01):
    html = client_for("officer").get(f"/kameror/{kvi01.pk}/andra/").content.decode()
    for section_id in CONTRACT_IDS:
        assert f'<section id="{section_id}"' in html, section_id
        assert f'href="#{section_id}"' in html, section_id
    assert [s.id for s in SECTIONS if s.id in CONTRACT_IDS] == CONTRACT_IDS
    assert all(len(str(s.lead)) > 60 for s in SECTIONS)
    # Every field of the form is in exactly one section, apart from the rules the editor writes.
    in_sections = [name for s in SECTIONS for name in s.fields]
    assert sorted(in_sections) == sorted(set(CameraForm.base_fields) - {"schedule_rules"})
    # The map and the preview stand beside the sections, in one sticky column.
    assert re.search(
        r'<div class="form-map">\s*<figure class="map-figure">\s*<div class="map" data-map data-map-preview', html
    )


def test_schedule_editor_round_trip_stores_identical_rules(client_for, kvi01):
    rules = [
        {"days": [0, 1, 2, 3, 4], "start": "21:00", "end": "05:30", "school_free": False},
        {"days": [0, 1, 2, 3, 4], "start": "18:00", "end": "06:00", "school_free": True},
        {"days": [5, 6], "start": "00:00", "end": "00:00"},
    ]
    data = camera_data(kvi01, schedule_template="custom", schedule_deviation_reason="Försöksperiod.") | rows_data(rules)
    response = client_for("officer").post(f"/kameror/{kvi01.pk}/andra/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    kvi01.refresh_from_db()
    assert kvi01.schedule_template == "custom"
    assert kvi01.schedule_rules == rules
    # The page shows them again as the same rows, and posting those unchanged keeps them identical.
    form = CameraForm(instance=kvi01)
    assert [f.initial for f in form.schedule_rows.forms[:3]] == rules_to_rows(rules)
    data = camera_data(kvi01) | rows_data(rules, initial=3)
    assert client_for("officer").post(f"/kameror/{kvi01.pk}/andra/", data).status_code == 302
    kvi01.refresh_from_db()
    assert kvi01.schedule_rules == rules


def test_deleted_and_empty_rows_are_left_out(kvi01):
    # KVI-01's page shows IMY's three rows and one empty row; the officer edits and removes rows.
    rules = [
        {"days": [0], "start": "20:00", "end": "06:00"},
        {"days": [1], "start": "20:00", "end": "06:00"},
        {"days": [2], "start": "19:00", "end": "06:00"},
    ]
    data = camera_data(kvi01, schedule_template="custom") | rows_data(rules, initial=3)
    data[f"{SCHEDULE_PREFIX}-0-DELETE"] = "on"
    data[f"{SCHEDULE_PREFIX}-TOTAL_FORMS"] = "4"  # the fourth row is left empty
    data[f"{SCHEDULE_PREFIX}-3-applies"] = "all"
    form = CameraForm(data, instance=kvi01)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["schedule_rules"] == rules[1:]


def test_bad_rows_are_refused_in_swedish_naming_the_row(client_for, kvi01):
    data = camera_data(kvi01, schedule_template="custom") | rows_data(
        [{"days": [0], "start": "20:00", "end": "06:00"}, {"days": [1], "start": "20:00", "end": "06:00"}]
    )
    data[f"{SCHEDULE_PREFIX}-1-days"] = []
    data[f"{SCHEDULE_PREFIX}-1-end"] = ""
    data[f"{SCHEDULE_PREFIX}-0-start"] = "25:00"
    response = client_for("officer").post(f"/kameror/{kvi01.pk}/andra/", data)
    assert response.status_code == 400
    errors = response.context["form"].errors["schedule_rules"]
    assert errors == [
        "Fältet ”Från klockan” på rad 1 i ”Bevakningstider” ska vara ett klockslag som TT:MM.",
        "Välj minst en dag på rad 2 i ”Bevakningstider”.",
        "Ange till vilket klockslag på rad 2 i ”Bevakningstider”.",
    ]
    html = response.content.decode()
    # The summary at the top links each problem to its field in the row.
    assert '<a href="#id_tider-1-days">Bevakningstider</a>: Välj minst en dag på rad 2 i ”Bevakningstider”.' in html
    kvi01.refresh_from_db()
    assert kvi01.schedule_template == "imy_school_facade"  # nothing was saved


def test_custom_hours_without_rows_are_refused(kvi01):
    data = camera_data(kvi01, schedule_template="custom") | rows_data([])
    form = CameraForm(data, instance=kvi01)
    assert not form.is_valid()
    assert form.errors["schedule_rules"] == ["Egna bevakningstider valdes men inga regler är angivna."]


def test_rows_changed_under_a_template_are_not_dropped_silently(kvi01):
    # KVI-01 keeps IMY's template; its rows are shown as the template's hours (3 initial rows).
    imy = CameraForm(instance=kvi01).schedule_rows
    assert len(imy.initial) == 3
    changed = [{"days": [0, 1, 2, 3, 4], "start": "07:00", "end": "17:00"}]
    data = camera_data(kvi01) | rows_data(changed)
    form = CameraForm(data, instance=kvi01)
    assert not form.is_valid()
    assert "Välj ”Egna tider”" in form.errors["schedule_template"][0]
    # The same rows with "Egna tider" are taken.
    form = CameraForm(camera_data(kvi01, schedule_template="custom") | rows_data(changed), instance=kvi01)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["schedule_rules"] == changed


def test_switching_template_without_touching_rows_takes_the_template(kvi01):
    unchanged = camera_data(kvi01, schedule_template="always") | rows_data(
        [
            {"days": [0, 1, 2, 3, 4], "start": "20:00", "end": "06:00", "school_free": False},
            {"days": [0, 1, 2, 3, 4], "start": "17:00", "end": "07:00", "school_free": True},
            {"days": [5, 6], "start": "17:00", "end": "07:00"},
        ],
        initial=3,
    )
    form = CameraForm(unchanged, instance=kvi01)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["schedule_template"] == "always"
    assert form.cleaned_data["schedule_rules"] == []


@pytest.mark.parametrize(
    ("site_name", "expected"),
    [("Kvisthamraskolan", "imy_school_facade"), ("Rodengymnasiet", "imy_school_facade"), ("Stora torget", "always")],
)
def test_imy_school_facade_hours_are_the_default_at_a_school(client_for, demo_users, site_name, expected):
    site = Site.objects.get(name=site_name)
    assert default_template(site) == expected
    response = client_for("officer").get(f"/kameror/ny/?site={site.pk}")
    form = response.context["form"]
    assert form["schedule_template"].value() == expected
    html = response.content.decode()
    if expected == "imy_school_facade":
        # The template's hours are spelled out, and its rows stand in the editor.
        assert (
            "Mallens tider: mån–fre, bara skoldagar, 20:00–06:00; mån–fre, bara lov och skolfria dagar, 17:00–07:00; lör, sön 17:00–07:00."
            in html
        )
        assert len(form.schedule_rows.initial) == 3


def test_preschool_is_a_school_too(demo_users):
    site = Site.objects.filter(kind="school").first()
    site.kind = "preschool"
    assert default_template(site) == "imy_school_facade"


def test_describe_rule_in_words():
    assert describe_rule({"days": [0, 1, 2, 3, 4], "start": "20:00", "end": "06:00"}) == "mån–fre 20:00–06:00"
    assert describe_rule({"days": [0, 2], "start": "08:00", "end": "08:00", "school_free": True}) == (
        "mån, ons, bara lov och skolfria dagar, hela dygnet"
    )
    # The same words wherever rules are shown as text: three days in a row and more get a dash.
    assert describe_rule({"days": [0, 1, 2, 4], "start": "17:00", "end": "07:00", "school_free": False}) == (
        "mån–ons, fre, bara skoldagar, 17:00–07:00"
    )


def test_project_choices_are_the_chosen_sites_projects(demo_users, kvi01):
    torget = Site.objects.get(name="Stora torget")
    other = Project(
        name="Stora torget – fler kameror",
        site=torget,
        target_min=1,
        target_max=2,
        target_date=dt.date(2027, 6, 30),
        plan_year=2027,
        responsible_administration=torget.administration,
    )
    other.save()
    kvi_project = kvi01.project
    form = CameraForm(instance=kvi01)
    assert list(form.fields["project"].queryset) == [kvi_project]
    new_at_torget = CameraForm(initial={"site": torget})
    assert list(new_at_torget.fields["project"].queryset) == [other]
    # Posted: the site as posted decides, and another site's project is refused in Swedish.
    data = camera_data(kvi01, site=str(torget.pk), project=str(kvi_project.pk)) | rows_data([], initial=0)
    form = CameraForm(data, instance=kvi01)
    assert list(form.fields["project"].queryset) == [other]
    assert not form.is_valid()
    assert form.errors["project"] == ["Välj en projektering för kamerans plats."]
    # Without a site yet, every project is offered; the page narrows them by site (projects-by-site).
    assert set(CameraForm().fields["project"].queryset) == set(Project.objects.all())


def test_new_camera_page_offers_each_projects_site_and_marks_schools(client_for, demo_users):
    response = client_for("officer").get("/kameror/ny/")
    html = response.content.decode()
    assert 'id="projects-by-site"' in html
    school = Site.objects.get(name="Kvisthamraskolan")
    assert re.search(rf'<option value="{school.pk}" data-school="true">Kvisthamraskolan</option>', html)
    torget = Site.objects.get(name="Stora torget")
    assert re.search(rf'<option value="{torget.pk}" data-school="false">Stora torget</option>', html)


def test_camera_position_in_sweref_99_tm(kvi01):
    # The form shows the stored point in SWEREF 99 TM too; typing N and E moves the camera there.
    form = CameraForm(instance=kvi01)
    assert form.initial["grid_north"] == pytest.approx(6_631_028.19, abs=0.01)
    data = camera_data(kvi01, grid_north="6631000", grid_east="707000", schedule_template="imy_school_facade")
    data["grid_north"], data["grid_east"] = "6631000", "707000"
    data |= rows_data([])  # rows untouched (none posted): the template keeps its hours
    data[f"{SCHEDULE_PREFIX}-INITIAL_FORMS"] = "0"
    form = CameraForm(data, instance=kvi01)
    assert form.is_valid(), form.errors
    back = CameraForm(instance=form.save())
    assert back.initial["grid_north"] == pytest.approx(6_631_000, abs=0.01)
    assert back.initial["grid_east"] == pytest.approx(707_000, abs=0.01)


def test_create_page_registers_an_existing_camera_with_history_and_says_what_is_missing(client_for, demo_users):
    school = Site.objects.get(name="Kvisthamraskolan")
    client = client_for("officer")
    data = {
        "identifier": "KVI-20",
        "site": str(school.pk),
        "longitude": str(school.longitude),
        "latitude": str(school.latitude),
        "mount": "wall",
        "mount_height_m": "4",
        "bearing_deg": "0",
        "hfov_deg": "40",
        "range_m": "10",
        "camera_type": "fixed",
        "resolution_width_px": "1920",
        "resolution_height_px": "1080",
        "retention_hours": "72",
        "privacy_masking": "none",
        "public_access": "on",
        "identifies_persons": "on",
        "schedule_template": "imy_school_facade",
        "befintlig-exists": "on",
        "befintlig-installed_on": "2025-08-20",
        "befintlig-in_operation_on": "2025-09-01",
    } | rows_data([])
    # Out of order first: refused in Swedish, naming the field, and nothing saved.
    bad = data | {"befintlig-in_operation_on": "2025-08-01"}
    response = client.post("/kameror/ny/", bad)
    assert response.status_code == 400
    assert response.context["existing_form"].errors["in_operation_on"] == [
        "Datumet för i drift (2025-08-01) ligger före datumet för installerad (2025-08-20); stegen ska komma i tidsordning."
    ]
    assert not Camera.objects.filter(identifier="KVI-20").exists()
    response = client.post("/kameror/ny/", data, follow=True)
    camera = Camera.objects.get(identifier="KVI-20")
    assert camera.state == "in_operation"
    assert list(camera.transitions.order_by("sequence").values_list("to_state", flat=True)) == [
        "planned",
        "designed",
        "installed",
        "in_operation",
    ]
    page = response.content.decode()
    assert "registrerad i efterhand med sin historik" in page
    assert "Från 2025-04-01 får en kamera tas i drift först när underlagen finns" in page
    assert "Datum saknades för planerad, projekterad" in page


def test_dates_without_the_box_ticked_are_not_dropped(client_for, demo_users):
    response = client_for("officer").post("/kameror/ny/", {"befintlig-installed_on": "2020-01-01"})
    assert response.context["existing_form"].errors["exists"] == [
        "Datum är ifyllda: kryssa i att kameran finns redan, eller töm datumen."
    ]


def test_list_pages_offer_new_buttons_only_to_those_who_may_create(client_for, demo_users):
    for role, expected in [("officer", True), ("admin", True), ("dpo", False), ("administration_contact", False)]:
        cameras = client_for(role).get("/kameror/").content.decode()
        sites = client_for(role).get("/platser/").content.decode()
        assert ('href="/kameror/ny/"' in cameras) is expected, role
        assert ('href="/platser/ny/"' in sites) is expected, role
    school = Site.objects.get(name="Kvisthamraskolan")
    detail = client_for("officer").get(f"/platser/{school.pk}/").content.decode()
    assert f'href="/kameror/ny/?site={school.pk}"' in detail
    form = client_for("officer").get(f"/kameror/ny/?site={school.pk}").context["form"]
    assert form["site"].value() == school.pk


def test_adding_a_row_without_javascript_saves_nothing_and_keeps_the_rows(client_for, kvi01):
    rules = [{"days": [0, 1, 2, 3, 4], "start": "21:00", "end": "05:00"}]
    data = camera_data(kvi01, schedule_template="custom", identifier="KVI-01 ändrad") | rows_data(rules)
    response = client_for("officer").post(f"/kameror/{kvi01.pk}/andra/", data | {f"{SCHEDULE_PREFIX}-fler_rader": "1"})
    assert response.status_code == 200
    rows = response.context["form"].schedule_rows
    assert len(rows.forms) == 2 and rows.rules() == rules
    html = response.content.decode()
    assert 'name="tider-1-start"' in html and 'value="21:00"' in html
    kvi01.refresh_from_db()
    assert (kvi01.identifier, kvi01.schedule_template) == ("KVI-01", "imy_school_facade")


def test_a_refused_range_is_named_and_not_drawn(client_for, kvi01):
    # The walkthrough's 1e300 m range passed to the coverage drawing on the re-shown form: a GEOS error, a 500.
    response = client_for("officer").post(f"/kameror/{kvi01.pk}/andra/", camera_data(kvi01, range_m="1e300"))
    assert response.status_code == 400
    assert response.context["form"].errors["range_m"]
    assert response.context["preview"] is None
    assert any(problem.startswith("Räckvidd") for problem in response.context["preview_problems"])


#
# The site choice does not grow with the number of sites (issue 15)
#


def _more_sites(n, near, name="Extra plats"):
    """`n` copies of the site `near`, each a little farther east (about 110 m apart), named "<name> NN"."""
    copies = []
    for index in range(n):
        copy = Site.objects.get(pk=near.pk)
        copy.pk = None
        copy.name = f"{name} {index:02d}"
        copy.longitude = near.longitude + 0.002 * (index + 1)
        copies.append(copy)
    Site.objects.bulk_create(copies)


def _offered(response):
    """The site choice's option values (ids) on the page, without the empty choice."""
    select = response.content.decode().split('name="site"')[1].split("</select>")[0]
    return [int(v) for v in re.findall(r'<option value="(\d+)"', select)]


def test_with_few_sites_every_site_is_offered_and_no_search(client_for, kvi01):
    response = client_for("officer").get(f"/kameror/{kvi01.pk}/andra/")
    assert sorted(_offered(response)) == sorted(Site.objects.values_list("pk", flat=True))
    assert "site_search" not in response.context["form"].fields
    assert 'name="sok_plats"' not in response.content.decode()


def test_with_many_sites_the_nearest_are_offered_in_constant_queries(client_for, kvi01, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trygg.cameras import forms as camera_forms

    monkeypatch.setattr(camera_forms, "SITE_CHOICES", 4)
    site = kvi01.site
    _more_sites(2, site)
    officer = client_for("officer")
    officer.get(f"/kameror/{kvi01.pk}/andra/")
    with CaptureQueriesContext(connection) as before:
        small = officer.get(f"/kameror/{kvi01.pk}/andra/")
    _more_sites(20, Site.objects.get(name="Stora torget"), "Långt bort")  # far away from the camera's site
    with CaptureQueriesContext(connection) as after:
        large = officer.get(f"/kameror/{kvi01.pk}/andra/")
    assert len(after) == len(before)
    offered = _offered(large)
    assert len(offered) == 4 and len(_offered(small)) == 4
    # The camera's own site and the nearest others, listed by name.
    extra = list(Site.objects.filter(name__in=["Extra plats 00", "Extra plats 01"]).order_by("name"))
    assert site.pk in offered and all(s.pk in offered for s in extra)
    assert [s.pk for s in Site.objects.filter(pk__in=offered).order_by("name")] == offered
    html = large.content.decode()
    assert 'name="site_search"' in html and 'name="sok_plats"' in html
    # Only the offered sites' projects go to the page's script.
    assert {p["site"] for p in large.context["projects_by_site"]} <= set(offered)


def test_searching_for_a_site_offers_the_matches_and_saves_nothing(client_for, kvi01, monkeypatch):
    from trygg.cameras import forms as camera_forms

    monkeypatch.setattr(camera_forms, "SITE_CHOICES", 4)
    _more_sites(10, Site.objects.get(name="Stora torget"))
    data = camera_data(kvi01, identifier="KVI-01 ändrad", site_search="plats 0") | rows_data(
        camera_forms.template_rules(kvi01.schedule_template)
    )
    response = client_for("officer").post(f"/kameror/{kvi01.pk}/andra/", data | {"sok_plats": "1"})
    assert response.status_code == 200
    offered = _offered(response)
    names = set(Site.objects.filter(pk__in=offered).values_list("name", flat=True))
    assert kvi01.site.name in names  # the chosen site stays
    assert names - {kvi01.site.name} <= {f"Extra plats {n:02d}" for n in range(10)} and len(names) == 4
    assert "10 platser matchar ”plats 0”; de första visas under Plats." in response.content.decode()
    kvi01.refresh_from_db()
    assert kvi01.identifier == "KVI-01"
    nothing = client_for("officer").post(
        f"/kameror/{kvi01.pk}/andra/", data | {"site_search": "finns inte", "sok_plats": "1"}
    )
    assert "Ingen plats matchar ”finns inte”." in nothing.content.decode()


def test_a_site_not_offered_can_still_be_saved(client_for, kvi01, monkeypatch):
    from trygg.cameras import forms as camera_forms

    monkeypatch.setattr(camera_forms, "SITE_CHOICES", 2)
    _more_sites(5, kvi01.site)
    far = Site.objects.get(name="Stora torget")
    assert far.pk not in _offered(client_for("officer").get(f"/kameror/{kvi01.pk}/andra/"))
    data = camera_data(
        kvi01, site=str(far.pk), project="", longitude=str(far.longitude), latitude=str(far.latitude)
    ) | rows_data(camera_forms.template_rules(kvi01.schedule_template))
    data.pop("project")
    response = client_for("officer").post(f"/kameror/{kvi01.pk}/andra/", data)
    assert response.status_code == 302, response.context["form"].errors
    kvi01.refresh_from_db()
    assert kvi01.site == far
