"""Whether a camera needs a DPIA (konsekvensbedömning, art. 35 GDPR): two or more EDPB criteria.

IMY's list under art. 35.4 requires a DPIA when at least two of the nine EDPB criteria hold
(reference/legal.md R4.1). Some criteria follow from the camera itself and are added here, so that
an officer cannot forget them; the officer may tick more in `DpiaFacts.criteria`, never fewer.
"""

from __future__ import annotations

from trygg.compliance.engine.facts import CameraFacts

# Site kinds that are publicly accessible areas monitored on a large scale when part of a municipal
# camera programme (art. 35.3 c GDPR names "systematic monitoring of a publicly accessible area on a
# large scale"; IMY applies it to streets and squares).
PUBLIC_PLACE_KINDS = frozenset({"public_place", "park"})

DPIA_THRESHOLD = 2  # IMY: "minst två" of the criteria


def derived_dpia_criteria(facts: CameraFacts) -> frozenset[str]:
    """The EDPB criteria that follow from the camera's own facts.

    - school, preschool, upper-secondary school: systematic monitoring + vulnerable subjects
      (children; IMY: every school camera needs a DPIA);
    - public place or park (a public-place programme): systematic monitoring + large scale;
    - any place the public has access to: systematic monitoring of a publicly accessible area;
    - staff workplace filmed: vulnerable subjects (employees, WP248);
    - analytics or face recognition: innovative technology; face recognition also processes
      biometric data for identification (art. 9 GDPR): sensitive data.
    """
    criteria: set[str] = set()
    if facts.is_school:
        criteria |= {"systematic_monitoring", "vulnerable_subjects"}
    if facts.site_kind in PUBLIC_PLACE_KINDS:
        criteria |= {"systematic_monitoring", "large_scale"}
    if facts.public_access:
        criteria.add("systematic_monitoring")
    if facts.captures_staff_workplace:
        criteria.add("vulnerable_subjects")
    if facts.uses_analytics or facts.uses_face_recognition:
        criteria.add("innovative_technology")
    if facts.uses_face_recognition:
        criteria.add("sensitive_data")
    return frozenset(criteria)


def dpia_criteria(facts: CameraFacts) -> frozenset[str]:
    """All criteria that hold: the ones ticked in the DPIA facts and the derived ones."""
    return facts.dpia.criteria | derived_dpia_criteria(facts)


def dpia_required(facts: CameraFacts) -> bool:
    """Whether a DPIA is required: two or more criteria hold (IMY's list under art. 35.4 GDPR)."""
    return len(dpia_criteria(facts)) >= DPIA_THRESHOLD
