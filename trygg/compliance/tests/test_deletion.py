"""Assessments are kept five years after the camera was decommissioned (9–10 §§ KBL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from trygg.compliance.models import ChildRightsAssessment, ImpactAssessment, SurveillanceAssessment, add_years

pytestmark = pytest.mark.django_db
D = dt.date


def test_deleting_an_assessment_of_a_camera_in_operation_is_refused():
    assessment = SurveillanceAssessment.objects.get(camera__identifier="TORG-01")
    with pytest.raises(ValidationError) as error:
        assessment.delete()
    assert error.value.messages == [
        "Intresseavvägningen kan inte tas bort: kameran TORG-01 är inte avvecklad, och handlingen ska sparas i minst "
        "fem år efter att bevakningen har upphört (9 och 10 §§ kamerabevakningslagen)."
    ]
    assert SurveillanceAssessment.objects.filter(pk=assessment.pk).exists()


def test_deleting_within_five_years_of_decommissioning_is_refused_with_the_date():
    assessment = SurveillanceAssessment.objects.get(camera__identifier="TORG-03")  # decommissioned 2023-02-01
    message = assessment.deletion_refusal(D(2028, 1, 31))
    assert message == (
        "Intresseavvägningen kan inte tas bort förrän fem år efter att kameran TORG-03 avvecklades (2023-02-01), "
        "det vill säga tidigast 2028-02-01 (9 och 10 §§ kamerabevakningslagen)."
    )
    assert assessment.deletion_refusal(D(2028, 2, 1)) is None


def test_dpia_and_child_rights_assessment_are_kept_as_long_as_their_cameras():
    dpia = ImpactAssessment.objects.get(site__name="Stora torget")
    assert "TORG-01" in dpia.deletion_refusal(D(2040, 1, 1))  # TORG-01 still in operation
    cra = ChildRightsAssessment.objects.get(site__name="Kvisthamraskolan")
    assert cra.deletion_refusal() is None  # a draft never decided may be removed


def test_the_admin_cannot_delete_or_change_an_assessment(client_for):
    # The assessments are read-only in the admin: the workflow lives on Trygg's own pages.
    assessment = SurveillanceAssessment.objects.get(camera__identifier="TORG-03")
    for role in ("admin", "officer"):
        client = client_for(role)
        url = f"/admin/compliance/surveillanceassessment/{assessment.pk}/"
        assert client.post(url + "delete/", {"post": "yes"}).status_code == 403
        change = client.get(url + "change/")
        assert change.status_code == 200 and b'name="necessity"' not in change.content
        assert client.get("/admin/compliance/surveillanceassessment/add/").status_code == 403
    assert SurveillanceAssessment.objects.filter(pk=assessment.pk).exists()


def test_add_years_handles_leap_days():
    assert add_years(D(2024, 2, 29), 5) == D(2029, 2, 28)
    assert add_years(D(2023, 2, 1), 5) == D(2028, 2, 1)
