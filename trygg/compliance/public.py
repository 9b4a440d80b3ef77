"""What the public may read: the art. 13 information per site (layer 2) and the printed signs (layer 1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from trygg.cameras.lifecycle import State
from trygg.cameras.models import Camera
from trygg.compliance import recording_hours
from trygg.compliance.choices import (
    FactorFor,
)
from trygg.compliance.contact_links import Part, contact_parts, mailto_href, tel_href
from trygg.compliance.engine.facts import SITE_KINDS
from trygg.compliance.facts import ONGOING_STATES, cameras_for_compliance, compliance_for_many
from trygg.compliance.models import (
    ProcessingRecord,
    Sign,
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
    recording_hours: recording_hours.RecordingHours | None = None
    # Ongoing cameras (in operation or paused), and how many of them the open data shows with their exact
    # position (`Camera.position_published`): what the page may say about secrecy depends on both.
    cameras_ongoing: int = 0
    positions_published: int = 0


def public_site_information(site: Any, on_date: dt.date) -> PublicSiteInformation:
    """Art. 13 information for one site (legal.md R2.3), aggregated so no camera can be located.

    Cameras with a secret placement (OSL 18 kap. 8 §) are only counted: what their signs say is
    already public, where they hang is not, so nothing per camera is shown for any camera. The page
    says how many positions the open data publishes (`positions_published`), so its word on secrecy
    holds for the cameras whose positions are not published.
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
    # Hours of the cameras that record on the date, merged so that no single camera's hours show.
    recording = [item.facts.schedule for item in items if item.lifecycle.state == State.IN_OPERATION.value]
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
        recording_hours=recording_hours.site_recording_hours(recording, translate=gettext),
        cameras_ongoing=len(items),
        positions_published=sum(1 for item in items if item.camera.position_published),
    )


@dataclass
class PublicContacts:
    """Who to contact about the surveillance, with links: the controller, the DPO, a phone for information."""

    controller: list[Part]
    dpo_name: str
    dpo_email: Part | None
    dpo_phone: Part | None
    information_phone: Part | None


def _phone_part(number: str) -> Part | None:
    number = number.strip()
    if not number:
        return None
    try:
        return Part(number, tel_href(number))
    except ValueError:
        return Part(number)  # shown as written when it is not a number a phone can dial


def public_contacts(organisation: Organisation, record: ProcessingRecord | None) -> PublicContacts:
    """The contacts of art. 13.1 a–b GDPR as text with `mailto:` and `tel:` links."""
    return PublicContacts(
        controller=contact_parts(record.controller_contact) if record and record.controller_contact else [],
        dpo_name=organisation.dpo_name,
        dpo_email=Part(organisation.dpo_email, mailto_href(organisation.dpo_email)) if organisation.dpo_email else None,
        dpo_phone=_phone_part(organisation.dpo_phone),
        information_phone=_phone_part(record.information_phone) if record else None,
    )


def current_record(organisation: Organisation | None = None) -> ProcessingRecord | None:
    """The art. 30 record of the organisation's controller board, if one is written."""
    organisation = organisation or Organisation.current()
    return ProcessingRecord.objects.filter(controller_board=organisation.controller_board).first()


def _sign_context(
    site: Any, cameras: list[Camera], paper: str, information_url: str, phone: str = ""
) -> dict[str, Any]:
    """What a printed sign says (15 § KBL; IMY's layer 1, legal.md R2.2), from organisation and cameras."""
    from trygg.compliance.engine.rules import RETENTION_ON_SIGN_ABOVE_HOURS

    organisation = Organisation.current()
    record = current_record(organisation)
    retention = max((c.retention_hours for c in cameras), default=0)
    return {
        "paper": paper,
        "organisation": organisation,
        "record": record,
        "camera": cameras[0] if len(cameras) == 1 else None,
        "site": site,
        "purpose": "; ".join(sorted({c.purpose.strip() for c in cameras if c.purpose.strip()})),
        "records_sound": any(c.records_sound for c in cameras),
        "retention_days": retention / 24,
        "show_retention": retention > RETENTION_ON_SIGN_ABOVE_HOURS,
        "information_url": information_url,
        "information_phone": phone.strip() or (record.information_phone if record else "") or organisation.dpo_phone,
    }


def sign_context(camera: Camera, paper: str, information_url: str) -> dict[str, Any]:
    """What a printed sign for one camera says."""
    return _sign_context(camera.site, [camera], paper, information_url)


def sign_pdf(camera: Camera, paper: str, information_url: str) -> bytes:
    return render_pdf("compliance/sign_pdf.html", sign_context(camera, paper, information_url))


def recorded_sign_context(sign: Sign, paper: str, information_url: str) -> dict[str, Any]:
    """What the printed version of a recorded sign says: for its camera, or for every camera at its site
    that is not decommissioned when it covers the whole site; its own layer-2 phone comes first."""
    if sign.camera_id:
        cameras = [sign.camera]
    else:
        cameras = list(sign.site.cameras.exclude(state=State.DECOMMISSIONED.value).order_by("identifier"))
    return _sign_context(sign.site, cameras, paper, information_url, phone=sign.layer2_phone)


def recorded_sign_pdf(sign: Sign, paper: str, information_url: str) -> bytes:
    return render_pdf("compliance/sign_pdf.html", recorded_sign_context(sign, paper, information_url))


def factor_labels(codes: Iterable[str]) -> list[str]:
    return [str(FactorFor(code).label) for code in codes if code in FactorFor.values]
