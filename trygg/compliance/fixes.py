"""From a failing check to the page that fixes it: `fix_links(check_code, camera)`.

Every check of the rule book (`engine/rules.py`) and the gate's zone check names at least one page:
the camera's 9 § assessment (its draft at the right field, or a new one), the site's DPIA or
child-rights assessment, the camera form at the right section, the privacy mask, signs, permits,
the art. 30 record, the organisation settings. Some pages belong to other parts of issue 10 and may
not exist on every branch; a URL name that does not resolve gives no link (never an error).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from trygg.compliance.choices import DocumentStatus
from trygg.core import roles

# Sections of the camera form (contract with the forms part of issue 10).
POSITION, HOURS, STORAGE, LEGAL = "lage-och-synfalt", "bevakningstider", "lagring-och-teknik", "rattsliga-uppgifter"
OPEN = frozenset({DocumentStatus.DRAFT, DocumentStatus.SUBMITTED})


@dataclass(frozen=True)
class Target:
    """A kind of page that fixes a check.

    `build(camera, documents, writer)` gives (label, URL name, args, query, anchor), or None when there
    is no such page for the camera; without `writer` (the user does not write assessments) a document
    is linked for reading instead of editing. `allowed(user)` says who gets the link at all.
    """

    key: str
    allowed: Callable[[Any], bool]
    build: Callable[[Any, Any, bool], tuple[Promise | str, str, Sequence[Any], str, str] | None]


def _newest(documents: Sequence[Any]) -> Any:
    open_ones = [d for d in documents if d.status in OPEN]
    pool = open_ones or list(documents)
    return max(pool, key=lambda d: (d.version, d.pk), default=None)


def _assessment(anchor: str = "") -> Callable[[Any, Any, bool], Any]:
    def build(camera: Any, documents: Any, writer: bool) -> Any:
        current = _newest(documents.assessments)
        if current is None:
            if not writer:
                return None
            return _("Skriv intresseavvägningen (9 §)"), "compliance:assessment_create", [], f"kamera={camera.pk}", ""
        if current.status == DocumentStatus.DRAFT and writer:
            return _("Fyll i intresseavvägningen (9 §)"), "compliance:assessment_edit", [current.pk], "", anchor
        return _("Öppna intresseavvägningen (9 §)"), "compliance:assessment_detail", [current.pk], "", ""

    return build


def _new_assessment_version(camera: Any, documents: Any, writer: bool) -> Any:
    current = _newest(documents.assessments)
    if current is None or current.status in OPEN:
        return _assessment()(camera, documents, writer)
    label = _("Starta en ny version av intresseavvägningen") if writer else _("Öppna intresseavvägningen (9 §)")
    return label, "compliance:assessment_detail", [current.pk], "", ""


def _site_dpias(camera: Any, documents: Any) -> list[Any]:
    # The DPIAs that cover the camera (made for its current site); without one the create page shows the
    # site's other DPIAs.
    return list(documents.impact_assessments)


def _dpia(anchor: str = "") -> Callable[[Any, Any, bool], Any]:
    def build(camera: Any, documents: Any, writer: bool) -> Any:
        current = _newest(_site_dpias(camera, documents))
        if current is None:
            if not writer:
                return None
            return (
                _("Skriv konsekvensbedömningen"),
                "compliance:impact_assessment_create",
                [],
                f"plats={camera.site_id}",
                "",
            )
        if current.status == DocumentStatus.DRAFT and writer:
            return _("Fyll i konsekvensbedömningen"), "compliance:impact_assessment_edit", [current.pk], "", anchor
        return _("Öppna konsekvensbedömningen"), "compliance:impact_assessment", [current.pk], "", ""

    return build


def _dpia_advice(camera: Any, documents: Any, writer: bool) -> Any:
    current = _newest(_site_dpias(camera, documents))
    if current is None or current.status not in OPEN:
        return None
    return (
        _("Dataskyddsombudets råd om konsekvensbedömningen"),
        "compliance:decision",
        ["konsekvensbedomningar", current.pk],
        "",
        "",
    )


def _child_rights(camera: Any, documents: Any, writer: bool) -> Any:
    current = _newest(documents.child_rights)
    if current is None:
        if not writer:
            return None
        return _("Skriv barnrättsprövningen"), "compliance:child_rights_create", [], f"plats={camera.site_id}", ""
    if current.status == DocumentStatus.DRAFT and writer:
        return _("Fyll i barnrättsprövningen"), "compliance:child_rights_edit", [current.pk], "", ""
    return _("Öppna barnrättsprövningen"), "compliance:child_rights_detail", [current.pk], "", ""


CAMERA_SECTIONS = {
    POSITION: _("Ändra kamerans läge och synfält"),
    HOURS: _("Ändra kamerans bevakningstider"),
    STORAGE: _("Ändra lagring och teknik"),
    LEGAL: _("Ändra kamerans rättsliga uppgifter"),
}


def _camera(section: str) -> Callable[[Any, Any, bool], Any]:
    def build(camera: Any, documents: Any, writer: bool) -> Any:
        return CAMERA_SECTIONS[section], "cameras:edit", [camera.pk], "", section

    return build


def _privacy_mask(camera: Any, documents: Any, writer: bool) -> Any:
    return _("Registrera maskering med bild från kameran"), "cameras:privacy_mask", [camera.pk], "", ""


def _sign_create(camera: Any, documents: Any, writer: bool) -> Any:
    return _("Registrera en skylt"), "compliance:sign_create", [], f"kamera={camera.pk}", ""


def _current_sign(documents: Any, camera: Any) -> Any:
    """The sign a fix goes to: the camera's own before the site's, the latest put up; None when none stands."""
    signs = [s for s in documents.signs if s.removed_on is None]
    if not signs:
        return None
    return max(signs, key=lambda s: (s.camera_id == camera.pk, s.installed_on or s.created_at.date(), s.pk))


def _sign(camera: Any, documents: Any, writer: bool) -> Any:
    sign = _current_sign(documents, camera)
    if sign is None:
        return _sign_create(camera, documents, writer)
    return _("Ändra skylten"), "compliance:sign_edit", [sign.pk], "", ""


def _sign_inspection(camera: Any, documents: Any, writer: bool) -> Any:
    sign = _current_sign(documents, camera)
    if sign is None:
        return _sign_create(camera, documents, writer)
    # The sign's page has the one-click "Inspekterad i dag" button.
    return _("Registrera inspektion av skylten"), "compliance:sign_detail", [sign.pk], "", "inspektion"


def _permit(camera: Any, documents: Any, writer: bool) -> Any:
    if documents.permits:
        permit = max(documents.permits, key=lambda p: (p.decision_date, p.pk))
        return _("Ändra tillståndet från IMY"), "compliance:permit_edit", [permit.pk], "", ""
    return _("Registrera tillstånd från IMY"), "compliance:permit_create", [], f"kamera={camera.pk}", ""


def _processing_record(camera: Any, documents: Any, writer: bool) -> Any:
    return _("Ändra registerposten enligt art. 30"), "compliance:processing_record_edit", [], "", ""


def _organisation(camera: Any, documents: Any, writer: bool) -> Any:
    from trygg.core.models import Organisation

    organisation = Organisation.current()
    if organisation.pk is None:
        return None
    return _("Organisationsinställningar"), "admin:core_organisation_change", [organisation.pk], "", ""


def _incident_add(camera: Any, documents: Any, writer: bool) -> Any:
    return _("Registrera händelser på platsen"), "incidents:incident_add", [], f"plats={camera.site_id}", ""


def _measure_add(camera: Any, documents: Any, writer: bool) -> Any:
    return _("Registrera en åtgärd som prövats på platsen"), "sites:measure_add", [camera.site_id], "", ""


def _register(camera: Any, documents: Any, writer: bool) -> Any:
    return _("Förteckningen (10 §)"), "compliance:register", [], "", ""


def _review(camera: Any, documents: Any, writer: bool) -> Any:
    return _("Gör den årliga omprövningen"), "evaluation:review_create", [camera.pk], "", ""


def _review_history(camera: Any, documents: Any, writer: bool) -> Any:
    return _("Kamerans omprövningar"), "evaluation:review_history", [camera.pk], "", ""


writes = roles.writes_assessments.test
decides = roles.decides_assessments.test
edits = roles.edits_register.test
sees_all = roles.sees_all_sites.test
notes = roles.adds_site_notes.test


def _records_incidents(user: Any) -> bool:
    return bool(roles.roles_of(user) & {roles.Role.ADMIN, roles.Role.OFFICER, roles.Role.ADMINISTRATION_CONTACT})


def _assessment_target(key: str, anchor: str) -> Target:
    return Target(key, sees_all, _assessment(anchor))


ASSESSMENT = _assessment_target("assessment", "")
NEW_ASSESSMENT_VERSION = Target("new_assessment_version", sees_all, _new_assessment_version)
DPIA = Target("dpia", sees_all, _dpia())
DPIA_PRIOR_CONSULTATION = Target("dpia_prior_consultation", sees_all, _dpia("id_prior_consultation"))
DPIA_ADVICE = Target("dpia_advice", decides, _dpia_advice)
CHILD_RIGHTS = Target("child_rights", sees_all, _child_rights)
CAMERA_POSITION = Target("camera_position", edits, _camera(POSITION))
CAMERA_HOURS = Target("camera_hours", edits, _camera(HOURS))
CAMERA_STORAGE = Target("camera_storage", edits, _camera(STORAGE))
CAMERA_LEGAL = Target("camera_legal", edits, _camera(LEGAL))
PRIVACY_MASK = Target("privacy_mask", edits, _privacy_mask)
SIGN_CREATE = Target("sign_create", edits, _sign_create)
SIGN = Target("sign", edits, _sign)
SIGN_INSPECTION = Target("sign_inspection", edits, _sign_inspection)
PERMIT = Target("permit", edits, _permit)
PROCESSING_RECORD = Target("processing_record", edits, _processing_record)
ORGANISATION = Target("organisation", sees_all, _organisation)
INCIDENT_ADD = Target("incident_add", _records_incidents, _incident_add)
MEASURE_ADD = Target("measure_add", notes, _measure_add)
REGISTER = Target("register", sees_all, _register)
# The yearly review (trygg.evaluation): the officer reviews; everyone else reads the camera's reviews.
REVIEW = Target("review", edits, _review)
REVIEW_HISTORY = Target("review_history", sees_all, _review_history)

# Every check code of the rule book, and the gate's zone check, with the pages that fix it.
FIXES: dict[str, tuple[Target, ...]] = {
    "GDPR-24-CONTROLLER": (ORGANISATION,),
    "GDPR-37-DPO": (ORGANISATION,),
    "GDPR-6-LEGAL-TASK": (_assessment_target("assessment_legal_task", "id_legal_task"),),
    "KBL-7-NECESSITY": (_assessment_target("assessment_necessity", "id_necessity"),),
    "KBL-3-SCOPE-IDENTIFICATION": (CAMERA_STORAGE,),
    "KBL-OLD-7-PERMIT": (PERMIT,),
    "KBL-OLD-7-HISTORICAL-DEVIATION": (PERMIT,),
    "KBL-OLD-7-PERMIT-HOURS": (PERMIT, CAMERA_HOURS),
    "KBL-11-13-EXEMPTION": (CAMERA_LEGAL,),
    "KBL-8-INCIDENTS": (_assessment_target("assessment_incidents", "id_incidents"), INCIDENT_ADD),
    "KBL-8-ALTERNATIVES": (_assessment_target("assessment_alternatives", "id_alternatives"), MEASURE_ADD),
    "KBL-8-INCIDENT-HOURS": (_assessment_target("assessment_incident_hours", "id_incidents"), CAMERA_HOURS),
    "KBL-9-SITE": (NEW_ASSESSMENT_VERSION, DPIA),
    "KBL-9-ASSESSMENT": (ASSESSMENT,),
    "KBL-9-REASSESSMENT": (NEW_ASSESSMENT_VERSION,),
    "KBL-9-YEARLY-REVIEW": (REVIEW, REVIEW_HISTORY),
    "KBL-9-ZONE-INTRUSION": (CAMERA_POSITION, PRIVACY_MASK),
    "GDPR-35-DPIA": (DPIA,),
    "GDPR-35-DPO-ADVICE": (DPIA_ADVICE, DPIA),
    "GDPR-36-PRIOR-CONSULTATION": (DPIA_PRIOR_CONSULTATION,),
    "BK-3-CHILD-RIGHTS": (CHILD_RIGHTS,),
    "IMY-SCHOOL-FACADE-HOURS": (CAMERA_HOURS, _assessment_target("assessment_incidents", "id_incidents")),
    "IMY-SCHOOL-INDOOR-HOURS": (CAMERA_HOURS, CAMERA_LEGAL),
    "IMY-TOILET-CHANGING-ROOM": (CAMERA_POSITION, PRIVACY_MASK, CAMERA_LEGAL),
    "KBL-15-SIGNS": (SIGN_CREATE,),
    "KBL-15-SOUND-NOTICE": (SIGN, CAMERA_STORAGE),
    "GDPR-13-LAYER2": (SIGN, PROCESSING_RECORD),
    "KBL-15-SIGN-INSPECTION": (SIGN_INSPECTION,),
    "GDPR-13-SIGN-CONTROLLER": (SIGN,),
    "GDPR-13-SIGN-DPO": (SIGN,),
    "GDPR-5-RETENTION": (CAMERA_STORAGE,),
    "GDPR-13-RETENTION-ON-SIGN": (SIGN, CAMERA_STORAGE),
    "GDPR-28-PROCESSOR": (_assessment_target("assessment_processor", "id_processor_agreement"),),
    "KBL-21-MBL": (_assessment_target("assessment_mbl", "id_mbl_negotiation"),),
    "KBL-10-REGISTER": (REGISTER, CAMERA_LEGAL),
}


def _reverse(name: str, args: Sequence[Any], query: str, anchor: str) -> str | None:
    try:
        url = reverse(name, args=list(args))
    except NoReverseMatch:
        return None  # a page of another part of the work that this installation does not have (yet)
    return url + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")


def fix_links(check_code: str, camera: Any, documents: Any = None, user: Any = None) -> list[tuple[str, str]]:
    """The pages that fix a failing check of `camera`: [(Swedish label, URL)], most direct first.

    `documents` (a `facts.CameraDocuments`) saves the queries when the caller has them; `user`
    leaves out pages the user may not use. An unknown code, or a page whose URL name does not
    resolve, gives no link.
    """
    targets = FIXES.get(check_code, ())
    if not targets:
        return []
    if documents is None:
        from trygg.compliance.facts import load_documents

        documents = load_documents([camera])[camera.pk]
    links: list[tuple[str, str]] = []
    writer = user is None or writes(user)
    for target in targets:
        if user is not None and not target.allowed(user):
            continue
        built = target.build(camera, documents, writer)
        if built is None:
            continue
        label, name, args, query, anchor = built
        url = _reverse(name, args, query, anchor)
        if url is not None and all(url != existing for _label, existing in links):
            links.append((str(label), url))
    return links


def with_fix_links(checks: list[dict[str, Any]], camera: Any, documents: Any = None, user: Any = None) -> None:
    """Add `fixes` (a list of (label, URL)) to every failing check dict of a checklist, in place."""
    for check in checks:
        check["fixes"] = [] if check["passed"] else fix_links(check["code"], camera, documents, user)
