"""No lost update: two officers open the same edit form, both save; the second, stale save is refused.

Each edit form kind is tried with two logged-in `Client`s: both open the page, the first saves, the
second's save is refused with a message naming the changed field, the first's value and the second's,
and the database keeps the first's change. Without the version check the second save overwrote it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trygg.cameras.models import Camera
from trygg.compliance.models import (
    ChildRightsAssessment,
    ImpactAssessment,
    LegacyPermit,
    ProcessingRecord,
    Sign,
    SurveillanceAssessment,
)
from trygg.core.audit import audit_context
from trygg.core.models import ObjectChange, Organisation
from trygg.core.testing.forms import browser_post_data
from trygg.core.versions import VERSION_FIELD, StaleEditError, check_version, current_version
from trygg.programme.models import Assignment, Project
from trygg.reports.models import BoardReport
from trygg.sites.models import Site, Zone

FIRST_NAME = ("Anna", "Första")
SECOND_NAME = ("Bertil", "Andra")


def _officer(username: str, names: tuple[str, str], admin: bool = False) -> Client:
    user = get_user_model().objects.create_user(
        username, password="x", first_name=names[0], last_name=names[1], is_staff=admin, is_superuser=admin
    )
    user.groups.add(Group.objects.get(name="admin" if admin else "officer"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two_officers(demo_users) -> tuple[Client, Client]:
    return _officer("forsta", FIRST_NAME), _officer("andra", SECOND_NAME)


def _draft(model: type[models.Model]) -> models.Model:
    return next(d for d in model.objects.order_by("pk") if not d.is_locked and not getattr(d, "is_template", False))


@dataclass
class Case:
    """One edit form kind: its page for the object, the text field both officers change, its label."""

    name: str
    obj: Callable[[], models.Model]
    url: Callable[[models.Model], str]
    field: str
    label: str
    form: dict[str, Any] = field(default_factory=dict)


CASES = [
    Case("site", lambda: Site.objects.order_by("pk").first(), lambda o: reverse("sites:edit", args=[o.pk]),
         "notes", "Anteckningar"),
    Case("zone", lambda: Zone.objects.order_by("pk").first(),
         lambda o: reverse("sites:zone_edit", args=[o.site_id, o.pk]), "notes", "Anteckningar"),
    Case("camera", lambda: Camera.objects.order_by("pk").first(), lambda o: reverse("cameras:edit", args=[o.pk]),
         "coverage_description", None),
    Case("project", lambda: Project.objects.order_by("pk").first(), lambda o: reverse("projects:edit", args=[o.pk]),
         "scope_description", None),
    Case("assignment", lambda: Assignment.objects.order_by("pk").first(),
         lambda o: reverse("programme:assignment_edit", args=[o.pk]), "description", None),
    Case("assessment", lambda: _draft(SurveillanceAssessment),
         lambda o: reverse("compliance:assessment_edit", args=[o.pk]), "necessity", None),
    Case("dpia", lambda: _draft(ImpactAssessment), lambda o: reverse("compliance:impact_assessment_edit", args=[o.pk]),
         "description", None),
    Case("child_rights", lambda: _draft(ChildRightsAssessment),
         lambda o: reverse("compliance:child_rights_edit", args=[o.pk]), "affected_children", None),
    Case("sign", lambda: Sign.objects.order_by("pk").first(),
         lambda o: reverse("compliance:sign_edit", args=[o.pk]), "position", None),
    Case("permit", lambda: LegacyPermit.objects.order_by("pk").first(),
         lambda o: reverse("compliance:permit_edit", args=[o.pk]), "conditions", None),
    Case("processing_record", lambda: ProcessingRecord.objects.order_by("pk").first(),
         lambda o: reverse("compliance:processing_record_edit"), "security_measures", None),
    Case("report", lambda: next(r for r in BoardReport.objects.order_by("pk") if not r.is_frozen),
         lambda o: reverse("reports:edit", args=[o.pk]), "title", None),
]  # fmt: skip


def _label(case: Case, obj: models.Model) -> str:
    from django.utils.text import capfirst

    return case.label or capfirst(str(obj._meta.get_field(case.field).verbose_name))


def _open(client: Client, url: str) -> dict[str, list[str]]:
    page = client.get(url)
    assert page.status_code == 200, url
    return browser_post_data(page.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_stale_save_is_refused_and_changes_nothing(case: Case, two_officers: tuple[Client, Client]) -> None:
    first, second = two_officers
    obj = case.obj()
    url = case.url(obj)
    data_first, data_second = _open(first, url), _open(second, url)
    assert data_second[VERSION_FIELD] == [str(current_version(obj, *_extra(obj)))]

    data_first[case.field] = ["Ändrat av den första"]
    saved = first.post(url, data_first)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    obj.refresh_from_db()
    assert getattr(obj, case.field) == "Ändrat av den första"
    logged = ObjectChange.objects.count()

    data_second[case.field] = ["Ändrat av den andra"]
    refused = second.post(url, data_second)
    assert refused.status_code in (200, 400, 409)
    text = refused.content.decode()
    assert "Inte sparat" in text
    assert (
        f"{_label(case, obj)}: Anna Första ändrade till ”Ändrat av den första”, ditt värde är ”Ändrat av den andra”"
        in text
    )
    # The second officer's input is still in the form, to re-apply.
    assert "Ändrat av den andra" in browser_post_data(text)[case.field][0]
    obj.refresh_from_db()
    assert getattr(obj, case.field) == "Ändrat av den första"
    assert ObjectChange.objects.count() == logged

    # Saving again after reading the message is a deliberate choice, and goes through.
    again = second.post(url, browser_post_data(text))
    assert again.status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, case.field) == "Ändrat av den andra"


def _extra(obj: models.Model) -> tuple[Any, ...]:
    from trygg.compliance.models import DpiaMeasure, DpiaRisk

    if isinstance(obj, ImpactAssessment):
        return ((DpiaRisk, DpiaMeasure),)
    if isinstance(obj, Project):
        return ((), ("project.cameras_changed",))
    return ()


@pytest.mark.django_db
def test_a_stale_report_section_is_named_by_its_title(two_officers: tuple[Client, Client]) -> None:
    first, second = two_officers
    report = BoardReport.objects.order_by("pk").first()
    url = reverse("reports:edit", args=[report.pk])
    data_first, data_second = _open(first, url), _open(second, url)
    section = next(name for name in data_first if name.startswith("section_"))
    data_first[section] = ["Den första skrev om avsnittet."]
    assert first.post(url, data_first).status_code == 302
    data_second[section] = ["Den andra skrev något annat."]
    text = second.post(url, data_second).content.decode()
    report.refresh_from_db()
    assert report.sections[section.removeprefix("section_")] == "Den första skrev om avsnittet."
    assert "Avsnittet ”" in text
    assert "ändrade till ”Den första skrev om avsnittet.”, ditt värde är ”Den andra skrev något annat.”" in text


@pytest.mark.django_db
def test_the_admin_refuses_a_stale_save_too(demo_users) -> None:
    first, second = _officer("forsta", FIRST_NAME, admin=True), _officer("andra", SECOND_NAME, admin=True)
    organisation = Organisation.objects.order_by("pk").first()
    url = reverse("admin:core_organisation_change", args=[organisation.pk])
    data_first = browser_post_data(first.get(url).content.decode(), form_id="organisation_form")
    data_second = browser_post_data(second.get(url).content.decode(), form_id="organisation_form")
    assert data_second[VERSION_FIELD]
    data_first["dpo_phone"] = ["010-111 11 11"]
    assert first.post(url, data_first).status_code == 302
    data_second["dpo_phone"] = ["010-222 22 22"]
    text = second.post(url, data_second).content.decode()
    assert "ändrade till ”010-111 11 11”, ditt värde är ”010-222 22 22”" in text
    organisation.refresh_from_db()
    assert organisation.dpo_phone == "010-111 11 11"


@pytest.mark.django_db
def test_a_form_that_only_moved_cameras_is_stale_for_the_project_form(two_officers) -> None:
    """Moving cameras into a project changes the cameras' rows; the project's page must still see it."""
    first, second = two_officers
    project = Project.objects.order_by("pk").first()
    url = reverse("projects:edit", args=[project.pk])
    data_first, data_second = _open(first, url), _open(second, url)
    chosen = data_first.get("cameras", [])
    assert chosen, "the demo project has cameras"
    removed = Camera.objects.get(pk=chosen[0])
    data_first["cameras"] = chosen[1:]
    assert first.post(url, data_first).status_code == 302
    removed.refresh_from_db()
    assert removed.project_id is None
    text = second.post(url, data_second).content.decode()
    assert "Inte sparat" in text
    assert "kameror" in text.lower()
    removed.refresh_from_db()
    assert removed.project_id is None


#
# The function the API calls
#


@pytest.mark.django_db
def test_check_version_raises_a_typed_error_with_the_changed_fields(demo_users) -> None:
    site = Site.objects.order_by("pk").first()
    version = current_version(site)
    with transaction.atomic():
        check_version(site, version)  # current: passes
    with audit_context(user=demo_users["officer"]):
        site.notes = "Ändrad av någon annan"
        site.save()
    assert current_version(site) > version
    with pytest.raises(StaleEditError) as raised, transaction.atomic():
        check_version(site, version)
    conflict = raised.value.conflict
    assert [c.name for c in conflict.changes] == ["notes"]
    assert conflict.changes[0].theirs == "Ändrad av någon annan"
    assert conflict.current_version == current_version(site)
    with transaction.atomic():
        check_version(site, None)  # no claimed version: not checked


@pytest.mark.django_db
def test_check_version_locks_the_row(demo_users) -> None:
    # (Outside a transaction it raises TransactionManagementError; pytest-django's test is one, so not tried here.)
    site = Site.objects.order_by("pk").first()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        check_version(site, current_version(site))
    if connection.features.has_select_for_update:  # PostgreSQL
        assert any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)
    else:  # SQLite: the write lock is taken when the transaction begins
        assert connection.settings_dict["OPTIONS"].get("transaction_mode") == "IMMEDIATE"


@pytest.mark.django_db
def test_a_deleted_object_is_reported_as_deleted(demo_users) -> None:
    zone = Zone.objects.order_by("pk").first()
    version = current_version(zone)
    copy = Zone.objects.get(pk=zone.pk)
    copy.delete()
    with pytest.raises(StaleEditError) as raised, transaction.atomic():
        check_version(zone, version)
    assert raised.value.conflict.deleted
    assert "har tagits bort" in raised.value.conflict.messages()[0]
