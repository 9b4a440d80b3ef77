"""Shared steps for the compliance tests: completing the documents Kvisthamraskolan still lacks."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from trygg.cameras import services as camera_services
from trygg.cameras.models import Camera
from trygg.compliance import decisions
from trygg.compliance.choices import DocumentStatus
from trygg.compliance.models import (
    ChildRightsAssessment,
    ImpactAssessment,
    Sign,
    SurveillanceAssessment,
    VersionedDocument,
)

D = dt.date
INSTALLED_ON, ASSESSED_ON, DPIA_ON, CHILD_RIGHTS_ON, SIGN_ON = (
    D(2025, 5, 1),
    D(2025, 5, 2),
    D(2025, 5, 3),
    D(2025, 5, 4),
    D(2025, 5, 20),
)
CASE_NUMBER = "KS 2025/0042"


def dpo():
    return get_user_model().objects.get(username="dataskydd")


def officer():
    return get_user_model().objects.get(username="handlaggare")


def submit_and_approve(document: VersionedDocument, on: dt.date, **kwargs) -> VersionedDocument:
    """The officer submits (if not yet submitted) and the DPO approves with a case number."""
    if document.status == DocumentStatus.DRAFT:
        document = decisions.submit(document, officer())
    kwargs.setdefault("case_number", CASE_NUMBER)
    return decisions.approve(document, dpo(), on, **kwargs)


def install(identifier: str = "KVI-01", on: dt.date = INSTALLED_ON) -> Camera:
    camera = Camera.objects.get(identifier=identifier)
    if camera.state == "planned":
        camera_services.move(camera, "designed", on)
    camera_services.move(camera, "installed", on)
    camera.refresh_from_db()
    return camera


def approve_addendum(identifier: str = "KVI-01", on: dt.date = ASSESSED_ON) -> SurveillanceAssessment:
    addendum = SurveillanceAssessment.objects.get(
        camera__identifier=identifier, status__in=[DocumentStatus.DRAFT, DocumentStatus.SUBMITTED]
    )
    return submit_and_approve(addendum, on)


def approve_dpia(on: dt.date = DPIA_ON) -> ImpactAssessment:
    dpia = ImpactAssessment.objects.get(site__name="Kvisthamraskolan", status="draft")
    dpia.planned_measures = "Maskering av skolgården, praxistider, 72 timmar, inget ljud."
    dpia.residual_risk = "low"
    dpia.full_clean()
    dpia.save()
    return submit_and_approve(dpia, on, advice="Genomför med maskering av skolgården och följ upp efter ett år.")


def approve_child_rights(on: dt.date = CHILD_RIGHTS_ON) -> ChildRightsAssessment:
    cra = ChildRightsAssessment.objects.get(site__name="Kvisthamraskolan", status="draft")
    cra.children_heard = True
    cra.children_heard_how = "Elevrådet och en klassdiskussion i årskurs 5."
    cra.children_heard_on = D(2024, 11, 20)
    cra.children_heard_result = "Eleverna vill inte bli filmade på skolgården men vill ha hela fönster."
    cra.conclusion = "compatible_with_measures"
    cra.conclusion_reasoning = "Förenligt med barnets bästa när skolgården maskeras och tiderna begränsas."
    cra.follow_up_on = D(2026, 5, 1)
    cra.follow_up_indicator = "Trygghetsenkäten och antal skadegörelser."
    cra.full_clean()
    cra.save()
    return submit_and_approve(cra, on)


def put_up_sign(site_name: str = "Kvisthamraskolan", on: dt.date = SIGN_ON) -> Sign:
    camera = Camera.objects.get(identifier="KVI-01")
    sign = Sign(
        site=camera.site,
        position="Vid huvudentrén, i ögonhöjd.",
        text_version="2025-1",
        layer2_phone="0176-00 00 00",
        installed_on=on,
    )
    sign.full_clean()
    sign.save()
    return sign
