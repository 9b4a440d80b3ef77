"""The art. 30 record from one GROUP BY over the cameras equals the answers of one query per question."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q

from trygg.cameras.models import Camera
from trygg.cameras.services import cameras_with_state_on
from trygg.compliance import registers
from trygg.compliance.facts import ONGOING_STATES
from trygg.sites.choices import SCHOOL_KINDS

pytestmark = pytest.mark.django_db


def one_query_per_question(on_date):
    """What processing_summary computed before: the cameras of the date asked once per question."""
    cameras = cameras_with_state_on(on_date, Camera.objects.all()).filter(state_on_date__in=ONGOING_STATES)
    return {
        "purposes": sorted({p.strip() for p in cameras.values_list("purpose", flat=True).distinct() if p.strip()}),
        "school": cameras.filter(site__kind__in=SCHOOL_KINDS).exists(),
        "staff": cameras.filter(Q(captures_staff_workplace=True) | Q(site__kind="municipal_building")).exists(),
        "sound": cameras.filter(records_sound=True).exists(),
        "hours": sorted(set(cameras.order_by().values_list("retention_hours", flat=True).distinct())),
        "count": cameras.count(),
    }


def answers(summary):
    return {
        "purposes": summary.purposes,
        "school": "elever och barn" in summary.data_subjects,
        "staff": "personal" in summary.data_subjects,
        "sound": "ljud" in summary.data_categories,
        "count": summary.camera_count,
    }


@pytest.mark.parametrize("on_date", [dt.date(2023, 1, 1), dt.date(2024, 10, 29), dt.date(2025, 6, 1)])
def test_the_record_from_one_group_by_equals_one_query_per_question(on_date):
    camera = Camera.objects.exclude(site__kind__in=SCHOOL_KINDS).filter(state="in_operation").first()
    Camera.objects.filter(pk=camera.pk).update(records_sound=True, retention_hours=48, purpose="  Nytt syfte ")
    expected = one_query_per_question(on_date)
    summary = registers.processing_summary(on_date)
    assert answers(summary) == {k: v for k, v in expected.items() if k != "hours"}
    hours = expected["hours"]
    if not hours:
        assert summary.retention == "inga kameror i drift"
    elif len(hours) == 1:
        assert summary.retention == f"inspelningar raderas efter {hours[0]} timmar"
    else:
        assert summary.retention == f"inspelningar raderas efter {hours[0]}–{hours[-1]} timmar beroende på kamera"


def test_the_changed_camera_shows_in_the_record():
    camera = Camera.objects.exclude(site__kind__in=SCHOOL_KINDS).filter(state="in_operation").first()
    Camera.objects.filter(pk=camera.pk).update(records_sound=True, retention_hours=48, purpose="  Nytt syfte ")
    summary = registers.processing_summary(dt.date(2025, 6, 1))
    assert "Nytt syfte" in summary.purposes and "ljud" in summary.data_categories
    assert summary.retention.startswith("inspelningar raderas efter 48–")
