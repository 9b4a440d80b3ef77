"""What the public may read: the art. 13 information per site (layer 2) and the printed signs (layer 1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from trygg.cameras.lifecycle import State
from trygg.cameras.models import Camera
from trygg.compliance.choices import (
    FactorFor,
)
from trygg.compliance.engine.facts import SITE_KINDS
from trygg.compliance.facts import ONGOING_STATES, cameras_for_compliance, compliance_for_many
from trygg.compliance.models import (
    ProcessingRecord,
)
from trygg.core.models import Organisation
from trygg.core.pdf import render_pdf

#
# Public information (layer 2) and signs
#


@dataclass
class PublicSiteInformation:
    """What anyone may read about surveillance at a site: counts and purposes, never positions."""

    site_name: str
    site_kind: str
    on_date: dt.date
    cameras_in_operation: int
    purposes: list[str]
    records_sound: bool
    special_technology: list[str]
    retention_hours: list[int]
    latest_assessment_on: dt.date | None
    legal_bases: list[str]


def public_site_information(site: Any, on_date: dt.date) -> PublicSiteInformation:
    """Art. 13 information for one site (legal.md R2.3), aggregated so no camera can be located.

    Cameras with a secret placement (OSL 18 kap. 8 §) are only counted: what their signs say is
    already public, where they hang is not, so nothing per camera is shown for any camera.
    """
    items = [
        item
        for item in compliance_for_many(cameras_for_compliance(Camera.objects.filter(site=site)), on_date)
        if item.lifecycle.state in ONGOING_STATES
    ]
    open_items = [item for item in items if not item.camera.secret_placement]
    purposes = sorted({item.camera.purpose.strip() for item in items if item.camera.purpose.strip()})
    technology = sorted({gettext(t) for item in open_items for t in item.facts.special_technology()})
    approved = [item.approved_assessment.approved_on for item in items if item.approved_assessment]
    bases = sorted({item.facts.legal_task_reference for item in items if item.facts.legal_task_reference})
    return PublicSiteInformation(
        site_name=site.name,
        site_kind=str(SITE_KINDS.get(site.kind, site.kind)),
        on_date=on_date,
        cameras_in_operation=sum(1 for item in items if item.lifecycle.state == State.IN_OPERATION.value),
        purposes=purposes,
        records_sound=any(item.camera.records_sound for item in items),
        special_technology=technology,
        retention_hours=sorted({item.camera.retention_hours for item in items}),
        latest_assessment_on=max(approved, default=None),
        legal_bases=[gettext(b) for b in bases],
    )


def sign_context(camera: Camera, paper: str, information_url: str) -> dict[str, Any]:
    """What a printed sign says (15 § KBL; IMY's layer 1, legal.md R2.2), from organisation and camera."""
    organisation = Organisation.current()
    record = ProcessingRecord.objects.filter(controller_board=organisation.controller_board).first()
    from trygg.compliance.engine.rules import RETENTION_ON_SIGN_ABOVE_HOURS

    return {
        "paper": paper,
        "organisation": organisation,
        "record": record,
        "camera": camera,
        "site": camera.site,
        "purpose": camera.purpose.strip(),
        "records_sound": camera.records_sound,
        "retention_days": camera.retention_hours / 24,
        "show_retention": camera.retention_hours > RETENTION_ON_SIGN_ABOVE_HOURS,
        "information_url": information_url,
        "information_phone": (record.information_phone if record else "") or organisation.dpo_phone,
    }


def sign_pdf(camera: Camera, paper: str, information_url: str) -> bytes:
    return render_pdf("compliance/sign_pdf.html", sign_context(camera, paper, information_url))


def factor_labels(codes: Iterable[str]) -> list[str]:
    return [str(FactorFor(code).label) for code in codes if code in FactorFor.values]
