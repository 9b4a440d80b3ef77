"""Compliance demo data: the documents of the demo's cameras as of 2024-10-29 (issue 4, item 9).

- The illustrative cameras that have run since 2019 have approved 9 § assessments dated before they
  started, DPIAs where two criteria hold (public places, the park), signs, and under the regime of
  their time an IMY permit, except RIM-01: installed 2023 without one, so its checklist shows the
  warning "historisk avvikelse – granskas" for the DPO. Sporthallen's sign is overdue for inspection,
  and SPORT-02 sees 392 m² of the neighbours' plot with no privacy mask recorded (its assessment
  relies on masking, but no mask is confirmed with an image from the camera): its checklist shows
  the blocker KBL-9-ZONE-INTRUSION, a real finding for the officer to fix.
- Kvisthamraskolan shares an approved template for school facades within IMY's hours; its cameras
  have addenda (KVI-01 and KVI-02 in draft, KVI-03 submitted and waiting in the DPO's queue), and
  the school's DPIA and child-rights assessment are in progress, so the checklist shows what is
  still missing before the cameras may go into operation.
- Every approval went the way of the pages: submitted by the officer, decided by the DPO under the
  organisation's delegation with an (illustrative) case number.

Everything is illustrative (see trygg.demo.data.ILLUSTRATIVE); loading twice duplicates nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from trygg.cameras.models import Camera
from trygg.compliance import decisions
from trygg.compliance.models import (
    ChildRightsAssessment,
    DpiaMeasure,
    DpiaRisk,
    ImpactAssessment,
    LegacyPermit,
    ProcessingRecord,
    Sign,
    SurveillanceAssessment,
)
from trygg.core.models import Organisation
from trygg.incidents.models import Incident
from trygg.sites.models import Measure, Site

D = dt.date
EVENINGS_AND_NIGHTS = [{"days": [0, 1, 2, 3, 4, 5, 6], "start": "18:00", "end": "06:00"}]
KVISTHAMRA_INCIDENT_HOURS = [
    {"days": [0, 1, 2, 3, 4], "start": "20:00", "end": "02:00"},
    {"days": [5, 6], "start": "17:00", "end": "03:00"},
]

PURPOSES = {
    "Stora torget": "Förebygga och utreda våld och ordningsstörningar på torget kvällar och nätter.",
    "Kommunhuset": "Förebygga hot och våld mot besökare och personal vid kommunhusets entré.",
    "Societetsparken": "Förebygga skadegörelse och öka tryggheten i parkens gångstråk kvällstid.",
    "Sporthallen": "Förebygga inbrott och skadegörelse på sporthallens fasader.",
    "Rimbo bibliotek": "Förebygga skadegörelse på bibliotekets fasad och entré.",
    "Grisslehamns hamnplan": "Förebygga skadegörelse på hamnplanen.",
    "Norrtälje hamn": "Förebygga ordningsstörningar och våld vid kajen kvällstid.",
    "Kvisthamraskolan": "Förebygga skadegörelse, klotter och anlagd brand på skolbyggnaden utanför skoltid.",
}

# identifier: (legal task, IMY permit number and decision date or None, approval date of the assessment)
ILLUSTRATIVE = {
    "TORG-01": ("public_place", ("DI-2019-2741", D(2019, 7, 10)), D(2019, 5, 20)),
    "TORG-02": ("public_place", ("DI-2019-2741", D(2019, 7, 10)), D(2019, 5, 20)),
    "TORG-03": ("public_place", ("DI-2019-2741", D(2019, 7, 10)), D(2019, 11, 15)),
    "KOM-01": ("property", ("DI-2020-0412", D(2020, 2, 28)), D(2019, 12, 10)),
    "PARK-01": ("public_place", ("DI-2021-1177", D(2021, 4, 12)), D(2021, 2, 1)),
    "SPORT-01": ("property", ("DI-2022-3310", D(2022, 9, 20)), D(2022, 6, 15)),
    "SPORT-02": ("property", ("DI-2022-3310", D(2022, 9, 20)), D(2022, 6, 15)),
    # Installed 2023 without an IMY permit: the checklist flags a historical deviation for the DPO.
    "RIM-01": ("property", None, D(2023, 1, 20)),
    "GRI-01": ("public_place", ("IMY-2024-0815", D(2024, 4, 30)), D(2024, 1, 15)),
    "HAMN-01": ("public_place", ("IMY-2024-2209", D(2024, 8, 20)), D(2024, 3, 1)),
}

# Sites where two DPIA criteria hold (public place or park: systematic monitoring, large scale).
DPIA_SITES = {
    "Stora torget": D(2019, 5, 10),
    "Societetsparken": D(2021, 1, 25),
    "Grisslehamns hamnplan": D(2024, 1, 10),
    "Norrtälje hamn": D(2024, 2, 20),
}

# site: (installed, last inspected); Sporthallen's inspection is overdue on 2024-10-29.
SIGNS = {
    "Stora torget": (D(2019, 8, 20), D(2024, 9, 12)),
    "Kommunhuset": (D(2020, 3, 1), D(2024, 9, 12)),
    "Societetsparken": (D(2021, 5, 1), D(2024, 9, 13)),
    "Sporthallen": (D(2022, 10, 20), D(2023, 11, 20)),
    "Rimbo bibliotek": (D(2023, 3, 20), D(2024, 8, 30)),
    "Grisslehamns hamnplan": (D(2024, 5, 2), D(2024, 9, 20)),
    "Norrtälje hamn": (D(2024, 8, 25), D(2024, 8, 25)),
}


def _decide(document: Any, officer: Any, dpo: Any, on: dt.date, number: int) -> None:
    """Submitted by the officer a week before, approved by the DPO on `on` with a case number."""
    submitted = dt.datetime.combine(on - dt.timedelta(days=7), dt.time(9, 0), tzinfo=timezone.get_current_timezone())
    decisions.submit(document, officer, at=submitted)
    decisions.approve(document, dpo, on, case_number=f"KS {on.year}/{number:04d}")


def _save(obj: Any) -> Any:
    obj.full_clean()
    obj.save()
    return obj


def _users() -> tuple[Any, Any]:
    users = get_user_model().objects
    return users.filter(username="handlaggare").first(), users.filter(username="dataskydd").first()


def _processing_record() -> None:
    board = Organisation.current().controller_board
    if board and not ProcessingRecord.objects.filter(controller_board=board).exists():
        _save(
            ProcessingRecord(
                controller_board=board,
                controller_contact="761 80 Norrtälje; kommun@kommun.example; 0176-00 00 00",
                security_measures=(
                    "Inspelningar lagras krypterat i kommunens videosystem och raderas automatiskt efter "
                    "lagringstiden. Endast namngivna behöriga granskare får titta på inspelningar, och varje "
                    "uttag loggas och följs upp av dataskyddsombudet varje månad."
                ),
                information_phone="0176-00 00 00",
            )
        )


def _purposes() -> None:
    for camera in Camera.objects.select_related("site").filter(site__name__in=PURPOSES, purpose=""):
        camera.purpose = PURPOSES[camera.site.name]
        _save(camera)


def _alternative(site: Site) -> Measure:
    measure = Measure.objects.filter(site=site).order_by("started_on").first()
    if measure is None:
        measure = _save(
            Measure(
                site=site,
                kind="lighting",
                started_on=D(2018, 9, 1),
                effect="partial",
                effect_notes="Bättre belysning minskade otryggheten men inte skadegörelsen kvällstid.",
            )
        )
    return measure


def _illustrative_assessments(officer: Any, dpo: Any) -> None:
    for number, (identifier, (task, permit, approved_on)) in enumerate(ILLUSTRATIVE.items(), start=101):
        camera = Camera.objects.select_related("site").filter(identifier=identifier).first()
        if camera is None or camera.surveillance_assessments.exists():
            continue
        site = camera.site
        assessment = _save(
            SurveillanceAssessment(
                camera=camera,
                author=officer,
                legal_task=task,
                necessity=(
                    f"Brott och ordningsstörningar vid {site.name} har fortsatt trots andra åtgärder; "
                    "kameran behövs för att förebygga och utreda dem."
                ),
                factors_for=["crime", "public_order"] if task == "public_place" else ["crime"],
                against_how="Inspelning utan ljud, ingen direktövervakning, lagring 72 timmar.",
                against_privacy_technology="Fast maskering av bostadsfönster och entréer till grannfastigheter.",
                against_area=f"Endast den del av {site.name} där händelserna inträffar.",
                area_description=camera.coverage_description,
                hours_description="Dygnet runt; händelserna är dokumenterade kvällar och nätter.",
                incidents_relied_on="Polisanmälningar och kommunens skaderapporter de senaste två åren.",
                incident_count=12,
                incident_hours=EVENINGS_AND_NIGHTS,
                outcome="allowed",
                outcome_reasoning="Bevakningsintresset väger tyngre än integritetsintresset på platsen.",
            )
        )
        assessment.alternatives.set([_alternative(site)])
        assessment.incidents.set(Incident.objects.filter(site=site, occurred_on__lte=approved_on))
        _decide(assessment, officer, dpo, approved_on, number)
        if permit is not None:
            permit_number, decided = permit
            record = LegacyPermit.objects.filter(imy_case_number=permit_number).first() or _save(
                LegacyPermit(
                    imy_case_number=permit_number,
                    decision_date=decided,
                    conditions="Tillståndet gäller bevakning av den plats som anges i ansökan.",
                )
            )
            record.cameras.add(camera)


def _illustrative_dpias(officer: Any, dpo: Any) -> None:
    for number, (site_name, approved_on) in enumerate(DPIA_SITES.items(), start=201):
        site = Site.objects.get(name=site_name)
        if site.impact_assessments.exists():
            continue
        dpia = _save(
            ImpactAssessment(
                site=site,
                author=officer,
                title=f"Konsekvensbedömning kamerabevakning {site_name}",
                criteria=["systematic_monitoring", "large_scale"],
                description="Kamerabevakning av en allmän plats dygnet runt med inspelning, utan ljud.",
                necessity_proportionality="Andra åtgärder har prövats utan tillräcklig effekt; bevakningen begränsas.",
                risk_assessment="Risk för kartläggning av besökares vanor och för obehörig åtkomst till inspelningar.",
                planned_measures="Maskering, 72 timmars lagring, behörighetsstyrning och loggning.",
                residual_risk="low",
                review_on=D(2025, 12, 31),
            )
        )
        dpia.cameras.set(site.cameras.all())
        mapping = DpiaRisk.objects.create(
            assessment=dpia, title="Kartläggning av enskildas rörelser", severity=3, likelihood=2
        )
        access = DpiaRisk.objects.create(
            assessment=dpia, title="Obehörig åtkomst till inspelningar", severity=4, likelihood=1
        )
        DpiaMeasure.objects.create(
            assessment=dpia, risk=mapping, description="Lagring högst 72 timmar.", owner="Trygghet och säkerhet"
        )
        DpiaMeasure.objects.create(
            assessment=dpia,
            risk=access,
            description="Namngivna behöriga granskare och logg över varje uttag.",
            owner="Säkerhetssamordnaren",
            due_on=approved_on + dt.timedelta(days=60),
        )
        decisions.advise(
            dpia,
            dpo,
            "Bevakningen kan genomföras med de planerade åtgärderna; följ upp loggarna månadsvis.",
            approved_on,
        )
        _decide(dpia, officer, dpo, approved_on, number)


def _illustrative_signs() -> None:
    for site_name, (installed, inspected) in SIGNS.items():
        site = Site.objects.get(name=site_name)
        if site.signs.exists():
            continue
        _save(
            Sign(
                site=site,
                position="Vid varje väg in till det bevakade området, i ögonhöjd.",
                text_version="2019-1",
                layer2_phone="0176-00 00 00",
                installed_on=installed,
                last_inspected_on=inspected,
            )
        )


def _kvisthamra(officer: Any, dpo: Any) -> None:
    site = Site.objects.get(name="Kvisthamraskolan")
    template = SurveillanceAssessment.objects.filter(is_template=True, template_site_kind="school").first()
    if template is None:
        template = _save(
            SurveillanceAssessment(
                is_template=True,
                template_site_kind="school",
                title="Skolfasader inom IMY:s praxistider",
                author=officer,
                legal_task="school_environment",
                necessity=(
                    "Skadegörelse, klotter och anlagda bränder på skolbyggnader utanför skoltid hotar en trygg "
                    "skolmiljö, och andra åtgärder har inte räckt."
                ),
                factors_for=["crime"],
                against_how="Inspelning utan ljud och utan direktövervakning, endast vardagar 20–06, helger och lov 17–07.",
                against_privacy_technology="Fast maskering av skolgården och fönster; lagring högst 72 timmar.",
                against_area="Endast fasaden och 2 m ut, aldrig skolgården.",
                hours_description="IMY:s praxistider för skolfasader: vardagar 20–06, helger och lov 17–07.",
                outcome="allowed_with_limits",
                outcome_reasoning=(
                    "Inom praxistiderna och med upptagningsområdet begränsat till fasaden och 2 m väger "
                    "bevakningsintresset tyngre, förutsatt platsens egna dokumenterade incidenter."
                ),
            )
        )
        _decide(template, officer, dpo, D(2024, 10, 1), 301)
    measures = list(site.measures.all())
    for camera in site.cameras.filter(identifier__in=["KVI-01", "KVI-02", "KVI-03"]):
        if camera.surveillance_assessments.exists():
            continue
        addendum = _save(
            SurveillanceAssessment(
                camera=camera,
                template=template,
                author=officer,
                area_description=camera.coverage_description,
                incidents_relied_on=(
                    "Skolans och fastighetsägarens sammanställning 2022–2024: klotter och skadegörelse på "
                    "fasaden kvällar och helger, två anlagda bränder vid entrén."
                ),
                incident_count=14,
                incident_hours=KVISTHAMRA_INCIDENT_HOURS,
            )
        )
        addendum.alternatives.set(measures)
        addendum.incidents.set(Incident.objects.filter(site=site))
        if camera.identifier == "KVI-03":  # waits in the DPO's queue
            decisions.submit(
                addendum,
                officer,
                at=dt.datetime.combine(D(2024, 10, 28), dt.time(14, 0), tzinfo=timezone.get_current_timezone()),
            )
    if not site.impact_assessments.exists():
        dpia = _save(
            ImpactAssessment(
                site=site,
                author=officer,
                title="Konsekvensbedömning yttre kamerabevakning Kvisthamraskolan",
                description="Yttre bevakning av skolbyggnadens fasader med 3–4 kameror utanför skoltid, utan ljud.",
                necessity_proportionality="Belysning, väktare och klottersanering har inte haft avsedd effekt.",
                risk_assessment="Barn och personal kan filmas kvällar och helger; risk för kartläggning av vanor.",
            )
        )
        dpia.cameras.set(site.cameras.all())
        risk = DpiaRisk.objects.create(
            assessment=dpia, title="Barn filmas när de leker vid skolan kvällstid", severity=3, likelihood=3
        )
        DpiaRisk.objects.create(assessment=dpia, title="Personalens vanor kartläggs", severity=2, likelihood=2)
        DpiaRisk.objects.create(
            assessment=dpia, title="Inspelningar används för disciplinära syften", severity=3, likelihood=1
        )
        DpiaMeasure.objects.create(
            assessment=dpia,
            risk=risk,
            description="Maskera skolgården och begränsa upptagningsområdet till fasaden och 2 m.",
            owner="Projektledaren, Trygghet och säkerhet",
            due_on=D(2025, 2, 28),
        )
    if not site.child_rights_assessments.exists():
        _save(
            ChildRightsAssessment(
                site=site,
                author=officer,
                title="Barnrättsprövning yttre kamerabevakning Kvisthamraskolan",
                affected_children="Cirka 350 elever i årskurs F–6 och fritidshem; skolgården används som lekplats kvällar och helger.",
                problem_from_child_perspective="Klotter och bränder gör skolmiljön otrygg; trygghetsenkäten 2024 tar upp skadegörelsen.",
                children_heard=False,
                children_heard_how="Elevrådet ska höras i november 2024, innan bedömningen slutförs.",
                positive_effects="Mindre skadegörelse och snabbare utredning av bränder.",
                negative_effects="Barn som leker vid skolan kvällstid kan filmas (art. 16 och 31).",
                alternatives="Belysning, väktare och klottersanering har prövats.",
                mitigations="Endast praxistider, fasad + 2 m, maskering av skolgården, 72 timmar, inget ljud.",
            )
        )


def load_compliance_demo() -> None:
    """Load the compliance demo (idempotent); call inside the demo's audit context, after the cameras."""
    officer, dpo = _users()
    _processing_record()
    _purposes()
    _illustrative_assessments(officer, dpo)
    _illustrative_dpias(officer, dpo)
    _illustrative_signs()
    _kvisthamra(officer, dpo)
