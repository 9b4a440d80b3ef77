"""The report states what was known on its date: a project changed over several dates, read back per date."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.cameras import services as camera_services
from trygg.cameras.models import Camera
from trygg.core.models import ObjectChange
from trygg.programme import services as programme
from trygg.programme.models import Assignment, Project
from trygg.reports.context import build_context
from trygg.reports.models import BoardReport

D = dt.date
PROJECT = "Kvisthamraskolan – yttre bevakning av byggnad"


def backdate(project: Project, day: dt.date, only_latest: bool = True) -> None:
    """Pretend the project's latest saved change (or all of them) was made on `day`.

    The change log stamps the time of saving; tests move it to tell a story over several dates.
    """
    rows = ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(Project), changed_object_id=str(project.pk)
    ).order_by("-time", "-pk")
    if only_latest:
        rows = rows.filter(pk=rows.first().pk)
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE))
    ObjectChange.objects.filter(pk__in=list(rows.values_list("pk", flat=True))).update(time=noon)


def change(project: Project, day: dt.date, **fields) -> None:
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    backdate(project, day)


def report_for(year: int, as_of: dt.date) -> BoardReport:
    return BoardReport(
        assignment=Assignment.objects.order_by("-plan_year").first(),
        title="Uppdragsrapportering",
        year=year,
        as_of=as_of,
        report_date=as_of,
        case_number="KS 2025/0001",
    )


def facts(year: int, as_of: dt.date):
    found = [p for p in build_context(report_for(year, as_of)).projects if p.name == PROJECT]
    return found[0] if found else None


@pytest.fixture
def story(db):
    """The demo project, entered in September 2024, then changed in 2025 until delivered."""
    project = Project.objects.get(name=PROJECT)
    backdate(project, D(2024, 9, 2), only_latest=False)
    change(
        project,
        D(2025, 1, 15),
        forecast_date=D(2025, 6, 30),
        delay_reasons=["delivery"],
        delay_description="Kamerorna levereras i maj.",
    )
    change(project, D(2025, 3, 10), status="installing", target_max=5)
    change(project, D(2025, 5, 5), status="completed")
    return project


def test_each_report_date_states_the_project_as_it_was_known(story):
    seed = facts(2024, D(2024, 10, 29))
    assert (seed.status, seed.forecast_date, seed.target_min, seed.target_max) == ("designing", D(2025, 3, 31), 3, 4)
    assert seed.delay_description == "Skolans underlag om lokaler och el till kamerorna är inte klart."
    assert seed.plan_year == 2024 and seed.status_since == D(2024, 9, 2)

    february = facts(2025, D(2025, 2, 1))
    assert february.status == "designing" and february.forecast_date == D(2025, 6, 30)
    assert february.delay_reasons == ("Leverans av utrustning",)
    assert february.delay_description == "Kamerorna levereras i maj."

    april = facts(2025, D(2025, 4, 1))
    assert (april.status, april.target_max, april.status_since) == ("installing", 5, D(2025, 3, 10))

    june = facts(2025, D(2025, 6, 1))
    assert june.status == "completed" and june.status_since == D(2025, 5, 5)


def test_a_project_of_an_earlier_plan_year_is_reported_the_year_it_is_delivered_not_after(story):
    assert facts(2025, D(2025, 12, 31)).status == "completed"  # plan year 2024, delivered in 2025
    assert facts(2026, D(2026, 4, 30)) is None  # closed before 2026 began


def test_the_projects_cameras_in_operation_are_counted_on_the_report_date(story):
    cameras = {c.identifier: c for c in Camera.objects.filter(project=story)}
    for identifier in ("KVI-01", "KVI-02"):
        for state in ("installed", "in_operation"):
            camera_services.move(cameras[identifier], state, D(2025, 1, 20))
    for state in ("installed", "in_operation"):
        camera_services.move(cameras["KVI-03"], state, D(2025, 3, 20))

    assert facts(2024, D(2024, 12, 31)).cameras_in_operation == 0
    february = facts(2025, D(2025, 2, 1))
    assert february.cameras_in_operation == 2 and february.all_in_operation_on is None
    april = facts(2025, D(2025, 4, 1))
    assert april.cameras_in_operation == 3
    assert april.cameras_planned >= 3


def test_reading_projects_by_date_costs_the_same_for_many_projects(story):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            build_context(report_for(2025, D(2025, 6, 1)))
        return len(queries)

    before = count()
    for number in range(5):
        Project.objects.create(
            name=f"Extra {number}",
            site=story.site,
            plan_year=2025,
            target_min=1,
            target_max=2,
            target_date=D(2025, 12, 31),
            responsible_administration=story.responsible_administration,
        )
    assert count() == before


def test_project_as_of_reads_the_change_log(story):
    assert programme.project_as_of(story, D(2025, 3, 9)).status == "designing"
    assert programme.project_as_of(story, D(2025, 3, 10)).status == "installing"
