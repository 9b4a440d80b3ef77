"""Every URL × every role: the expected outcome is written here, independently of trygg.core.roles.

The test walks the URL configuration, so a new URL that this table does not know fails it.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path

from trygg.cameras.models import Camera
from trygg.compliance.models import (
    ChildRightsAssessment,
    ImpactAssessment,
    LegacyPermit,
    ProcessingRecord,
    Sign,
    SurveillanceAssessment,
)
from trygg.core.models import Administration, AuditVerification, ObjectChange, Organisation
from trygg.evaluation.models import CameraReview, Evaluation
from trygg.incidents.models import HarmWeight, ImportRun, Incident, IncidentSource
from trygg.programme.models import Assignment, BudgetAllocation, CostEntry, Deadline, Indicator, Project
from trygg.reports.models import BoardReport
from trygg.sites.models import Building, DialogueNote, Measure, Site, Zone

A, OFF, C, D, R = "admin", "officer", "administration_contact", "dpo", "reader"
ANON = None
ROLES = [A, OFF, C, D, R, ANON]
STAFF = {A, OFF, C, D}

OK, FORBIDDEN, NOT_FOUND, REDIRECT, NOT_ALLOWED = 200, 403, 404, 302, 405

# Who may view, add, change and delete each model in the register (the admin).
MODEL_ACCESS = {
    "auth/user": ({A}, {A}, {A}, {A}),
    "auth/group": ({A}, {A}, {A}, {A}),
    "core/organisation": ({A, OFF, D}, set(), {A}, {A}),  # one organisation: no second one can be added
    "core/administration": ({A, OFF, D}, {A}, {A}, {A}),
    "core/objectchange": ({A, OFF, D}, set(), set(), set()),  # the log is read-only for everyone
    "core/auditverification": ({A, OFF, D}, set(), set(), set()),  # so are the checks of its chain
    "sites/site": ({A, OFF, D, C}, {A, OFF}, {A, OFF}, {A, OFF}),
    "sites/zone": ({A, OFF, D, C}, {A, OFF}, {A, OFF}, {A, OFF}),
    "sites/building": ({A, OFF, D, C}, {A, OFF}, {A, OFF}, {A, OFF}),
    "sites/measure": ({A, OFF, D, C}, {A, OFF, C}, {A, OFF, C}, {A, OFF}),
    "sites/dialoguenote": ({A, OFF, D, C}, {A, OFF, C}, {A, OFF, C}, {A, OFF}),
    "programme/assignment": ({A, OFF, D}, {A, OFF}, {A, OFF}, {A, OFF}),
    "programme/project": ({A, OFF, D, C}, {A, OFF}, {A, OFF}, {A, OFF}),
    "cameras/camera": ({A, OFF, D, C}, {A, OFF}, {A, OFF}, {A, OFF}),
    # Follow-up (issue 6): officers keep indicator, budget and deadlines; the DPO reads them.
    "programme/indicator": ({A, OFF, D}, {A, OFF}, {A, OFF}, {A, OFF}),
    "programme/budgetallocation": ({A, OFF, D}, {A, OFF}, {A, OFF}, {A, OFF}),
    "programme/costentry": ({A, OFF, D}, {A, OFF}, {A, OFF}, {A, OFF}),
    "programme/deadline": ({A, OFF, D}, {A, OFF}, {A, OFF}, {A, OFF}),
    # Reports are written on their own pages; a frozen version is read-only for everyone.
    "reports/boardreport": ({A, OFF, D}, {A, OFF}, {A, OFF}, {A}),
    "reports/boardreportversion": ({A, OFF, D}, set(), set(), set()),
    # Assessments are written and decided on Trygg's own pages; in the admin they are read-only for everyone.
    "compliance/surveillanceassessment": ({A, OFF, D}, set(), set(), set()),
    "compliance/impactassessment": ({A, OFF, D}, set(), set(), set()),
    "compliance/childrightsassessment": ({A, OFF, D}, set(), set(), set()),
    "compliance/sign": ({A, OFF, D}, {A, OFF}, {A, OFF}, {A, OFF}),
    "compliance/legacypermit": ({A, OFF, D}, {A, OFF}, {A, OFF}, {A, OFF}),
    "compliance/processingrecord": ({A, OFF, D}, {A, OFF}, {A, OFF}, {A}),
    # Contacts record incidents at their own sites; import runs are read-only records (pages under /behov/).
    "incidents/incident": ({A, OFF, D, C}, {A, OFF, C}, {A, OFF, C}, {A, OFF}),
    "incidents/incidentsource": ({A, OFF, D, C}, {A, OFF}, {A, OFF}, {A, OFF}),
    "incidents/harmweight": ({A, OFF, D}, {A, OFF}, {A, OFF}, {A, OFF}),
    "incidents/importrun": ({A, OFF, D}, set(), set(), {A}),
}
APPS_VISIBLE = {  # app index pages: 404 when the user may see no model in the app
    "auth": {A},
    "core": {A, OFF, D},
    "sites": STAFF,
    "programme": STAFF,
    "cameras": STAFF,
    "reports": {A, OFF, D},
    "compliance": {A, OFF, D},
    "incidents": STAFF,
}
# Compliance pages outside the admin: camera pages for every staff role (the contact sees its own
# administration's cameras), the registers and the DPIA for those who see all sites, public pages for all.
CAMERA_PAGE = {r: OK for r in STAFF} | {R: FORBIDDEN, ANON: REDIRECT}
ALL_SITES_PAGE = {A: OK, OFF: OK, D: OK, C: FORBIDDEN, R: FORBIDDEN, ANON: REDIRECT}
# The assessments (issue 10): officers and the admin write and submit; everyone who sees all sites reads
# them and the queue; the DPO (or the admin acting as DPO) advises and decides. Actions are POST only.
WRITE_PAGE = {A: OK, OFF: OK, D: FORBIDDEN, C: FORBIDDEN, R: FORBIDDEN, ANON: REDIRECT}
WRITE_POST = {A: NOT_ALLOWED, OFF: NOT_ALLOWED, D: FORBIDDEN, C: FORBIDDEN, R: FORBIDDEN, ANON: REDIRECT}
DECIDE_PAGE = {A: OK, D: OK, OFF: FORBIDDEN, C: FORBIDDEN, R: FORBIDDEN, ANON: REDIRECT}
DECIDE_POST = {A: NOT_ALLOWED, D: NOT_ALLOWED, OFF: FORBIDDEN, C: FORBIDDEN, R: FORBIDDEN, ANON: REDIRECT}
DOCUMENT_PAGES = {}
for slug in ("intresseavvagningar", "konsekvensbedomningar", "barnrattsprovningar"):
    DOCUMENT_PAGES |= {
        f"efterlevnad/{slug}/": ALL_SITES_PAGE,
        f"efterlevnad/{slug}/ny/": WRITE_PAGE,
        f"efterlevnad/{slug}/<int:pk>/": ALL_SITES_PAGE,
        f"efterlevnad/{slug}/<int:pk>/andra/": WRITE_PAGE,
        f"efterlevnad/{slug}/<int:pk>/forhandsvisning/": ALL_SITES_PAGE,
    }
DOCUMENT_PAGES |= {
    "efterlevnad/<dokument:kind>/<int:pk>/skicka/": WRITE_POST,
    "efterlevnad/<dokument:kind>/<int:pk>/aterkalla/": WRITE_POST,
    "efterlevnad/<dokument:kind>/<int:pk>/ny-version/": WRITE_POST,
    "efterlevnad/beslut/": ALL_SITES_PAGE,
    "efterlevnad/beslut/<dokument:kind>/<int:pk>/": DECIDE_PAGE,
    "efterlevnad/beslut/<dokument:kind>/<int:pk>/rad/": DECIDE_POST,
}
COMPLIANCE_PAGES = {
    **DOCUMENT_PAGES,
    "efterlevnad/atgarder/": CAMERA_PAGE,
    "efterlevnad/kameror/checklista.json": CAMERA_PAGE,
    "efterlevnad/kameror/<int:pk>/checklista/": CAMERA_PAGE,
    "efterlevnad/kameror/<int:pk>/checklista.json": CAMERA_PAGE,
    "efterlevnad/kameror/<int:pk>/skylt-<str:paper>.pdf": CAMERA_PAGE,
    "efterlevnad/forteckning/": ALL_SITES_PAGE,
    "efterlevnad/forteckning.csv": ALL_SITES_PAGE,
    "efterlevnad/forteckning.pdf": ALL_SITES_PAGE,
    "efterlevnad/forteckning/imy-begaran/": ALL_SITES_PAGE,
    "efterlevnad/forteckning/pdf-jobb/": {
        A: NOT_ALLOWED,
        OFF: NOT_ALLOWED,
        D: NOT_ALLOWED,
        C: FORBIDDEN,
        R: FORBIDDEN,
        ANON: REDIRECT,
    },  # POST only
    "efterlevnad/behandling/": ALL_SITES_PAGE,
    "efterlevnad/behandling.csv": ALL_SITES_PAGE,
    "kamerabevakning/": {r: OK for r in ROLES},
    "kamerabevakning/platser/<int:pk>/": {r: OK for r in ROLES},
}
# Need pages (trygg.incidents.access): profiles for every role (the contact its own sites, readers only
# aggregates), the ranking for all but the contact (it names every site, never addresses), incidents
# with their descriptions for staff, recording and importing for those who may add incidents.
NEED_RECORDERS = {A, OFF, C}
INCIDENT_PAGES = {
    "behov/": {r: OK for r in ROLES} | {ANON: REDIRECT},
    "behov/platser/<int:pk>/": {r: OK for r in ROLES} | {ANON: REDIRECT},
    "behov/platser/<int:pk>/profil.json": {r: OK for r in ROLES} | {ANON: REDIRECT},
    "behov/rangordning/": {A: OK, OFF: OK, D: OK, R: OK, C: FORBIDDEN, ANON: REDIRECT},
    "behov/rangordning.json": {A: OK, OFF: OK, D: OK, R: OK, C: FORBIDDEN, ANON: REDIRECT},
    "behov/handelser/": {r: OK for r in STAFF} | {R: FORBIDDEN, ANON: REDIRECT},
    "behov/handelser/ny/": {r: OK if r in NEED_RECORDERS else FORBIDDEN for r in ROLES} | {ANON: REDIRECT},
    "behov/import/": {r: OK if r in NEED_RECORDERS else FORBIDDEN for r in ROLES} | {ANON: REDIRECT},
    "behov/import/<int:pk>/": {r: OK if r in NEED_RECORDERS else FORBIDDEN for r in ROLES} | {ANON: REDIRECT},
    "behov/import/<int:pk>/kolumner/": {r: OK if r in NEED_RECORDERS else FORBIDDEN for r in ROLES} | {ANON: REDIRECT},
    "behov/import/<int:pk>/status/": {r: OK if r in NEED_RECORDERS else FORBIDDEN for r in ROLES} | {ANON: REDIRECT},
    "behov/import/<int:pk>/importera/": {r: NOT_ALLOWED if r in NEED_RECORDERS else FORBIDDEN for r in ROLES}
    | {ANON: REDIRECT},  # POST only
    "behov/import/<int:pk>/platser/": {r: NOT_ALLOWED if r in NEED_RECORDERS else FORBIDDEN for r in ROLES}
    | {ANON: REDIRECT},  # POST only
    "behov/import/<int:pk>/avvisade.csv": {r: OK if r in NEED_RECORDERS else FORBIDDEN for r in ROLES}
    | {ANON: REDIRECT},
}

# Follow-up and board report pages (issue 6). Readers (board, management) and the DPO read the
# indicator, budget and frozen reports; officers write; administration contacts see deadlines only;
# the annex with exact placements is for those who see all sites. The feed's token is the key (404 if unknown).
FOLLOWERS = {A, OFF, D, R}
WRITERS = {A, OFF}
SIGNED_IN = {A, OFF, C, D, R}
FOLLOW_UP_PAGES = {
    "uppfoljning/indikator/": {r: OK if r in FOLLOWERS else FORBIDDEN for r in SIGNED_IN} | {ANON: REDIRECT},
    "uppfoljning/indikator.csv": {r: OK if r in FOLLOWERS else FORBIDDEN for r in SIGNED_IN} | {ANON: REDIRECT},
    "uppfoljning/indikator-lang.csv": {r: OK if r in FOLLOWERS else FORBIDDEN for r in SIGNED_IN} | {ANON: REDIRECT},
    "uppfoljning/budget/": {r: OK if r in FOLLOWERS else FORBIDDEN for r in SIGNED_IN} | {ANON: REDIRECT},
    "uppfoljning/budget.csv": {r: OK if r in FOLLOWERS else FORBIDDEN for r in SIGNED_IN} | {ANON: REDIRECT},
    "uppfoljning/tidsfrister/": {r: OK for r in SIGNED_IN} | {ANON: REDIRECT},
    "uppfoljning/tidsfrister/kalenderlank/": {r: NOT_ALLOWED for r in SIGNED_IN} | {ANON: REDIRECT},  # POST only
    "uppfoljning/kalender/<str:token>.ics": {r: NOT_FOUND for r in ROLES},
    # Each year's assignment (issue 11): followers read the list, the unit writes, on Trygg's own pages.
    "uppfoljning/uppdrag/": {r: OK if r in FOLLOWERS else FORBIDDEN for r in SIGNED_IN} | {ANON: REDIRECT},
    "uppfoljning/uppdrag/ny/": {r: OK if r in WRITERS else FORBIDDEN for r in SIGNED_IN} | {ANON: REDIRECT},
    "uppfoljning/uppdrag/<int:pk>/andra/": {r: OK if r in WRITERS else FORBIDDEN for r in SIGNED_IN} | {ANON: REDIRECT},
    "rapporter/": {r: OK if r in FOLLOWERS else FORBIDDEN for r in SIGNED_IN} | {ANON: REDIRECT},
    "rapporter/ny/": {r: OK if r in WRITERS else FORBIDDEN for r in SIGNED_IN} | {ANON: REDIRECT},
    "rapporter/<int:pk>/": {r: OK if r in WRITERS else FORBIDDEN for r in SIGNED_IN} | {ANON: REDIRECT},
    "rapporter/<int:pk>/utkast/": {r: NOT_ALLOWED if r in WRITERS else FORBIDDEN for r in SIGNED_IN} | {ANON: REDIRECT},
    "rapporter/<int:pk>/las/": {r: NOT_ALLOWED if r in WRITERS else FORBIDDEN for r in SIGNED_IN} | {ANON: REDIRECT},
    "rapporter/<int:pk>/ny-version/": {r: NOT_ALLOWED if r in WRITERS else FORBIDDEN for r in SIGNED_IN}
    | {ANON: REDIRECT},
    "rapporter/<int:pk>/utkast.docx": {r: OK if r in WRITERS else FORBIDDEN for r in SIGNED_IN} | {ANON: REDIRECT},
    "rapporter/<int:pk>/utkast.pdf": {r: OK if r in WRITERS else FORBIDDEN for r in SIGNED_IN} | {ANON: REDIRECT},
    # Starting a report file as a background job: POST only, by those who may download that file.
    "rapporter/<int:pk>/fil-jobb/": {r: NOT_ALLOWED if r in WRITERS else FORBIDDEN for r in SIGNED_IN}
    | {ANON: REDIRECT},
    "rapporter/versioner/<int:pk>/fil-jobb/": {r: NOT_ALLOWED if r in FOLLOWERS else FORBIDDEN for r in SIGNED_IN}
    | {ANON: REDIRECT},
    "rapporter/versioner/<int:pk>/": {r: OK if r in FOLLOWERS else FORBIDDEN for r in SIGNED_IN} | {ANON: REDIRECT},
    "rapporter/versioner/<int:pk>/tjansteutlatande.docx": {r: OK if r in FOLLOWERS else FORBIDDEN for r in SIGNED_IN}
    | {ANON: REDIRECT},
    "rapporter/versioner/<int:pk>/tjansteutlatande.pdf": {r: OK if r in FOLLOWERS else FORBIDDEN for r in SIGNED_IN}
    | {ANON: REDIRECT},
    "rapporter/versioner/<int:pk>/bilaga-sekretess.pdf": {r: OK if r in {A, OFF, D} else FORBIDDEN for r in SIGNED_IN}
    | {ANON: REDIRECT},
}


# Attachments (issue 10, item 6): those who see the object download its files (the sample is on camera
# KVI-01 at a BUF school, so the contact may; readers never, cameras have exact positions); those who
# may change the object upload and delete.
ATTACHMENT_PAGES = {
    "bilagor/<slug:owner>/<int:pk>/ny/": {A: OK, OFF: OK, C: FORBIDDEN, D: FORBIDDEN, R: FORBIDDEN, ANON: REDIRECT},
    "bilagor/<int:pk>/": {A: OK, OFF: OK, C: OK, D: OK, R: FORBIDDEN, ANON: REDIRECT},
    "bilagor/<int:pk>/ta-bort/": {A: OK, OFF: OK, C: FORBIDDEN, D: FORBIDDEN, R: FORBIDDEN, ANON: REDIRECT},
}

# OGC API – Features (issue 13, item 2): open at the door, what each reads is decided inside. The
# camera collection (sample: KVI-01 at a BUF school) is for staff, the contact its own administration's;
# readers and the public get only the public sites collection, so camera URLs answer 404 to them.
OGC_PAGES = {
    "ogc/": {r: OK for r in ROLES},
    "ogc/api": {r: OK for r in ROLES},
    "ogc/conformance": {r: OK for r in ROLES},
    "ogc/collections": {r: OK for r in ROLES},
    "ogc/collections/<str:collection_id>": {r: OK if r in STAFF else NOT_FOUND for r in ROLES},
    "ogc/collections/<str:collection_id>/items": {r: OK if r in STAFF else NOT_FOUND for r in ROLES},
    "ogc/collections/<str:collection_id>/items/<str:feature_id>": {r: OK if r in STAFF else NOT_FOUND for r in ROLES},
}


# Open data (issue 13, items 3–4): public files and their description, the same for every role.
OPENDATA_PAGES = {
    route: {r: OK for r in ROLES}
    for route in (
        "oppna-data/",
        "oppna-data/kamerabevakning.geojson",
        "oppna-data/kamerabevakning.csv",
        "oppna-data/openstreetmap.geojson",
        "oppna-data/openstreetmap.osm",
        "oppna-data/indikator/kolada.json",
        "oppna-data/indikator/kolada.csv",
        "oppna-data/indikator/uppfoljning.csv",
        "oppna-data/dcat.jsonld",
        "oppna-data/dcat.rdf",
    )
}


# The REST API (issue 13): the same rules as the pages for the same data, answered as an API answers: 401 to
# a request without a key or session (no redirect), 403 to a role without access, 404 for unknown addresses.
# The sample objects are at Kvisthamraskolan (BUF), so the contact sees them. The move takes POST only.
UNAUTHENTICATED = 401


def api_outcome(allowed, allowed_status=OK):
    return {r: allowed_status if r in allowed else FORBIDDEN for r in ROLES if r is not None} | {ANON: UNAUTHENTICATED}


API_OBJECTS = {
    "sites": "sites/site",
    "zones": "sites/zone",
    "measures": "sites/measure",
    "dialogue-notes": "sites/dialoguenote",
    "cameras": "cameras/camera",
    "projects": "programme/project",
    "incidents": "incidents/incident",
    "assessments/surveillance": "compliance/surveillanceassessment",
    "assessments/impact": "compliance/impactassessment",
    "assessments/child-rights": "compliance/childrightsassessment",
}
API_PAGES = {}
for _resource, _rule in {
    "sites": STAFF,
    "zones": STAFF,
    "measures": STAFF,
    "dialogue-notes": STAFF,
    "cameras": STAFF,
    "projects": STAFF,
    "incidents": STAFF,
    "assessments/surveillance": {A, OFF, D},
    "assessments/impact": {A, OFF, D},
    "assessments/child-rights": {A, OFF, D},
}.items():
    API_PAGES[f"api/v1/^{_resource}/$"] = api_outcome(_rule)
    API_PAGES[f"api/v1/^{_resource}/(?P<pk>[0-9]+)/$"] = api_outcome(_rule)
API_PAGES |= {
    "api/v1/^cameras/(?P<pk>[0-9]+)/move/$": {r: NOT_ALLOWED for r in ROLES},  # POST only, for everyone
    "api/v1/register/": api_outcome({A, OFF, D}),
    "api/v1/indicator/": api_outcome({A, OFF, D, R}),
    "api/v1/budget/": api_outcome({A, OFF, D, R}),
    "api/v1/me/": api_outcome({A, OFF, C, D, R}),
    "api/v1/schema/": {r: OK for r in ROLES},
    "api/v1/docs/": {r: OK for r in ROLES},
    r"api/^(?P<path>[\s\S]*)$": {r: NOT_FOUND for r in ROLES},
}


def admin_outcome(role, allowed):
    if role not in STAFF:
        return REDIRECT  # to the admin's login page
    return OK if role in allowed else FORBIDDEN


# Effect evaluation (issue 14): every role reads evaluations (the contact only those of its own
# administration's sites; the sample is Kvisthamraskolan's, a BUF site), the unit writes them, and
# the programme evaluation is for those who follow the programme (not the contact: it names every site).
EVALUATION_PAGES = {
    "utvardering/": {r: OK for r in ROLES if r is not None} | {ANON: REDIRECT},
    "utvardering/<int:pk>/": {r: OK for r in ROLES if r is not None} | {ANON: REDIRECT},
    "utvardering/ny/": {A: OK, OFF: OK, C: FORBIDDEN, D: FORBIDDEN, R: FORBIDDEN, ANON: REDIRECT},
    "utvardering/<int:pk>/andra/": {A: OK, OFF: OK, C: FORBIDDEN, D: FORBIDDEN, R: FORBIDDEN, ANON: REDIRECT},
    "utvardering/programmet/": {A: OK, OFF: OK, D: OK, R: OK, C: FORBIDDEN, ANON: REDIRECT},
    # Recomputing the stored programme evaluation (a job; POST only): those who write the board report.
    "utvardering/programmet/rakna-om/": {
        A: NOT_ALLOWED,
        OFF: NOT_ALLOWED,
        D: FORBIDDEN,
        R: FORBIDDEN,
        C: FORBIDDEN,
        ANON: REDIRECT,
    },
}


def page_outcome(allowed, allowed_status=OK):
    """A page outside the admin: the allowed roles get it, other signed-in users 403, anonymous login."""
    return {r: allowed_status if r in allowed else FORBIDDEN for r in ROLES if r is not None} | {ANON: REDIRECT}


# Records officers keep (signs, legacy IMY permits, the art. 30 record): officers and admins write; every
# staff role reads signs of cameras it may see (the contact its own administration's). The sample sign has no
# photo, so its photo URLs answer 404 to those allowed; the inspection takes POST only.
RECORD_WRITERS = {A, OFF}
RECORD_PAGES = {
    "efterlevnad/skyltar/ny/": page_outcome(RECORD_WRITERS),
    "efterlevnad/skyltar/<int:pk>/": page_outcome(STAFF),
    "efterlevnad/skyltar/<int:pk>/andra/": page_outcome(RECORD_WRITERS),
    "efterlevnad/skyltar/<int:pk>/inspekterad/": page_outcome(RECORD_WRITERS, allowed_status=NOT_ALLOWED),
    "efterlevnad/skyltar/<int:pk>/foto/": page_outcome(STAFF, allowed_status=NOT_FOUND),
    "efterlevnad/skyltar/<int:pk>/foto/<int:attachment_pk>/": page_outcome(STAFF, allowed_status=NOT_FOUND),
    "efterlevnad/skyltar/<int:pk>/skylt-<str:paper>.pdf": page_outcome(STAFF),
    "efterlevnad/tillstand/ny/": page_outcome(RECORD_WRITERS),
    "efterlevnad/tillstand/<int:pk>/andra/": page_outcome(RECORD_WRITERS),
    "efterlevnad/behandling/andra/": page_outcome(RECORD_WRITERS),
}


# The yearly review (issue 14, item 4): every role reads (the contact its own administration's cameras;
# the samples are KVI-01 at a BUF school); the officer and the admin decide; only the DPO notes (POST only).
REVIEW_PAGES = {
    "utvardering/omprovning/": page_outcome(SIGNED_IN),
    "utvardering/omprovning/kamera/<int:pk>/": page_outcome(SIGNED_IN),
    "utvardering/omprovning/kamera/<int:pk>/ny/": page_outcome({A, OFF}),
    "utvardering/omprovning/<int:pk>/": page_outcome(SIGNED_IN),
    "utvardering/omprovning/<int:pk>/noterat/": page_outcome({D}, allowed_status=NOT_ALLOWED),
}


# Background jobs (trygg.jobs): each signed-in user sees the jobs they started (a reader its board report
# files); the sample job is the officer's, so the others get 404 as for an unknown job. Cancel is POST
# only; recompute is for officers.
JOB_PAGES = {
    "jobb/": page_outcome(SIGNED_IN),
    "jobb/tackning/": page_outcome({A, OFF}, allowed_status=NOT_ALLOWED),
    "jobb/<int:pk>/": page_outcome(SIGNED_IN, allowed_status=NOT_FOUND) | {OFF: OK},
    "jobb/<int:pk>/status/": page_outcome(SIGNED_IN, allowed_status=NOT_FOUND) | {OFF: OK},
    "jobb/<int:pk>/fil/": page_outcome(SIGNED_IN, allowed_status=NOT_FOUND) | {OFF: OK},
    "jobb/<int:pk>/avbryt/": page_outcome(SIGNED_IN, allowed_status=NOT_ALLOWED),
}


def expected_table():
    table = {
        "": {A: OK, OFF: OK, C: OK, D: OK, R: OK, ANON: OK},
        "konto/logga-in/": {r: REDIRECT for r in ROLES} | {ANON: OK},  # signed-in users go on to the start page
        "konto/logga-ut/": {r: NOT_ALLOWED for r in ROLES},  # only POST logs out
        # Single sign-on with the municipality's account: open to anyone, 404 while not configured (as here;
        # test_oidc.py tries them configured).
        "konto/kommunens-konto/": {r: NOT_FOUND for r in ROLES},
        "konto/kommunens-konto/tillbaka/": {r: NOT_FOUND for r in ROLES},
        "sprak/": {r: REDIRECT for r in ROLES},
        # Each user's own choice of e-mail reminders (the kinds offered follow the role).
        "konto/paminnelser/": page_outcome(SIGNED_IN),
        # Each user's own API keys (issue 13); renaming and revoking take POST only.
        "konto/api-nycklar/": page_outcome(SIGNED_IN),
        "konto/api-nycklar/<int:pk>/namn/": page_outcome(SIGNED_IN, allowed_status=NOT_ALLOWED),
        "konto/api-nycklar/<int:pk>/aterkalla/": page_outcome(SIGNED_IN, allowed_status=NOT_ALLOWED),
        # Password change for every signed-in user; reset by e-mail for anyone (the link answers 200 with a
        # message when it is not valid).
        "konto/losenord/": page_outcome(SIGNED_IN),
        "konto/losenord/andrat/": page_outcome(SIGNED_IN),
        "konto/losenord/aterstall/": {r: OK for r in ROLES},
        "konto/losenord/aterstall/skickat/": {r: OK for r in ROLES},
        "konto/losenord/aterstall/<uidb64>/<token>/": {r: OK for r in ROLES},
        "konto/losenord/aterstall/klart/": {r: OK for r in ROLES},
        "admin/": {r: admin_outcome(r, STAFF) for r in ROLES},
        "admin/login/": {r: REDIRECT for r in STAFF} | {R: OK, ANON: OK},
        "admin/logout/": {r: NOT_ALLOWED for r in STAFF} | {R: REDIRECT, ANON: REDIRECT},
        "admin/password_change/": {r: admin_outcome(r, STAFF) for r in ROLES},
        "admin/password_change/done/": {r: admin_outcome(r, STAFF) for r in ROLES},
        "admin/autocomplete/": {r: FORBIDDEN for r in STAFF} | {R: REDIRECT, ANON: REDIRECT},  # no field given
        "admin/jsi18n/": {r: admin_outcome(r, STAFF) for r in ROLES},
        # Objects have no public URLs, so "view on site" finds nothing.
        "admin/r/<path:content_type_id>/<path:object_id>/": {r: NOT_FOUND for r in STAFF}
        | {R: REDIRECT, ANON: REDIRECT},
        "admin/^(?P<app_label>core|auth|sites|programme|cameras|compliance|incidents|reports)/$": "per app",
        "admin/(?P<url>.*)$": {r: NOT_FOUND for r in STAFF} | {R: REDIRECT, ANON: REDIRECT},
        "admin/auth/user/<id>/password/": {r: admin_outcome(r, {A}) for r in ROLES},
        "admin/cameras/camera/<path:object_id>/status/": {r: admin_outcome(r, {A, OFF}) for r in ROLES},
        "admin/sites/site/<path:object_id>/byggnader/": {r: admin_outcome(r, {A, OFF}) for r in ROLES},
        # Coverage data holds exact positions: staff only, never readers (and the contact only its own).
        "kameror/<int:pk>/tackning.geojson": page_outcome(STAFF),
        # The web pages (issue 5): staff read, the unit edits, contacts add notes and measures.
        "platser/": page_outcome(STAFF),
        "platser/ny/": page_outcome({A, OFF}),
        "platser/<int:pk>/": page_outcome(STAFF),
        "platser/<int:pk>/andra/": page_outcome({A, OFF}),
        "platser/<int:pk>/karta.geojson": page_outcome(STAFF),
        "platser/<int:site_pk>/omraden/nytt/": page_outcome({A, OFF}),
        "platser/<int:site_pk>/omraden/<int:pk>/andra/": page_outcome({A, OFF}),
        "platser/<int:site_pk>/atgarder/ny/": page_outcome({A, OFF, C}),
        "platser/<int:site_pk>/dialog/ny/": page_outcome({A, OFF, C}),
        "kameror/": page_outcome(STAFF),
        "kameror/kameror.csv": page_outcome(STAFF),
        "kameror/ny/": page_outcome({A, OFF}),
        "kameror/import/": page_outcome({A, OFF}),
        "kameror/forhandsvisning/": page_outcome({A, OFF}, allowed_status=NOT_ALLOWED),  # POST only
        "kameror/<int:pk>/": page_outcome(STAFF),
        "kameror/<int:pk>/andra/": page_outcome({A, OFF}),
        "kameror/<int:pk>/status/": page_outcome({A, OFF}, allowed_status=NOT_ALLOWED),  # POST only
        # Recording a privacy mask is the unit's; its images are shown to staff who see the camera
        # (no image with id 0: found nowhere, after the role check).
        "kameror/<int:pk>/maskering/": page_outcome({A, OFF}),
        "kameror/<int:pk>/maskering/bild/<int:attachment_pk>/": page_outcome(STAFF, allowed_status=NOT_FOUND),
        "projekteringar/": page_outcome(STAFF),
        # Project pages (issue 10): staff read (the contact its own administration's), the unit writes.
        "projekteringar/ny/": page_outcome({A, OFF}),
        "projekteringar/<int:pk>/": page_outcome(STAFF),
        "projekteringar/<int:pk>/andra/": page_outcome({A, OFF}),
        "karta/": page_outcome(STAFF),
        "karta/data.geojson": page_outcome(STAFF),
        **COMPLIANCE_PAGES,
        **RECORD_PAGES,
        **INCIDENT_PAGES,
        **FOLLOW_UP_PAGES,
        **ATTACHMENT_PAGES,
        **OGC_PAGES,
        **REVIEW_PAGES,
        **EVALUATION_PAGES,
        **OPENDATA_PAGES,
        **API_PAGES,
        **JOB_PAGES,
    }
    for prefix, (view, add, change, delete) in MODEL_ACCESS.items():
        base = f"admin/{prefix}/"
        table[base] = {r: admin_outcome(r, view) for r in ROLES}
        table[base + "add/"] = {r: admin_outcome(r, add) for r in ROLES}
        table[base + "<path:object_id>/change/"] = {r: admin_outcome(r, view | change) for r in ROLES}
        table[base + "<path:object_id>/history/"] = {r: admin_outcome(r, view) for r in ROLES}
        table[base + "<path:object_id>/delete/"] = {r: admin_outcome(r, delete) for r in ROLES}
        table[base + "<path:object_id>/"] = {r: REDIRECT for r in ROLES}  # old-style URL redirects
    return table


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _sample_job():
    from django.core.files.base import ContentFile

    from trygg.jobs.models import Job, JobKind, JobState

    job = Job.objects.create(
        kind=JobKind.REGISTER_PDF, started_by=get_user_model().objects.get(username="handlaggare"), state=JobState.DONE
    )
    job.result_file.save("forteckning.pdf", ContentFile(b"%PDF-1.4"), save=False)
    job.result_name = "forteckning.pdf"
    job.save()
    return job


def sample_objects():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from trygg.core.attachments import store_attachment
    from trygg.reports.services import freeze

    kvisthamra = Site.objects.get(name="Kvisthamraskolan")  # a BUF site, so the contact may see it
    report = BoardReport.objects.get(case_number="KS 2024/0123")
    version = freeze(report)  # rolled back with the test
    return {
        "programme/indicator": Indicator.objects.get(),
        "programme/budgetallocation": BudgetAllocation.objects.get(year=2024),
        "programme/costentry": CostEntry.objects.first(),
        "programme/deadline": Deadline.objects.first(),
        "reports/boardreport": report,
        "reports/boardreportversion": version,
        "auth/user": get_user_model().objects.get(username="lasare"),
        "auth/group": Group.objects.get(name="reader"),
        "core/organisation": Organisation.objects.get(),
        "core/administration": Administration.objects.get(short_name="BUF"),
        "core/objectchange": ObjectChange.objects.first(),
        "core/auditverification": AuditVerification.objects.create(checked_by="test", entries=0, ok=True),
        "sites/site": kvisthamra,
        "sites/zone": Zone.objects.filter(site=kvisthamra).first(),
        "sites/building": Building.objects.filter(site=kvisthamra).first(),
        "sites/measure": Measure.objects.filter(site=kvisthamra).first(),
        "sites/dialoguenote": DialogueNote.objects.filter(site=kvisthamra).first(),
        "programme/assignment": Assignment.objects.get(),
        "programme/project": Project.objects.get(site=kvisthamra),
        "cameras/camera": Camera.objects.get(identifier="KVI-01"),
        "core/attachment": store_attachment(
            Camera.objects.get(identifier="KVI-01"), SimpleUploadedFile("bild.png", b"\x89PNG\r\n\x1a\n" + b"0" * 40)
        ),
        "compliance/surveillanceassessment": SurveillanceAssessment.objects.get(camera__identifier="KVI-01"),
        "compliance/impactassessment": ImpactAssessment.objects.get(site=kvisthamra),
        "compliance/childrightsassessment": ChildRightsAssessment.objects.get(site=kvisthamra),
        "compliance/sign": Sign.objects.first(),
        "compliance/legacypermit": LegacyPermit.objects.first(),
        "compliance/processingrecord": ProcessingRecord.objects.get(),
        # A sign at a BUF site, so the administration contact may read it (rolled back with the test).
        "records/sign": Sign.objects.create(
            site=kvisthamra,
            camera=Camera.objects.get(identifier="KVI-01"),
            position="Vid entrén mot parkeringen, i ögonhöjd.",
            text_version="2025-1",
            installed_on=dt.date(2025, 6, 1),
        ),
        # A decided review of a camera at a BUF site (rolled back with the test).
        "evaluation/camerareview": CameraReview.objects.create(
            camera=Camera.objects.get(identifier="KVI-01"),
            due_on=dt.date(2026, 5, 1),
            period_start=dt.date(2025, 5, 1),
            period_end=dt.date(2026, 4, 20),
            outcome="keep",
            reason="Skadegörelsen fortsätter kvällstid.",
            decided_at=dt.datetime(2026, 4, 20, 10, tzinfo=dt.UTC),
        ),
        "incidents/incident": Incident.objects.filter(site=kvisthamra).first(),
        "evaluation/evaluation": Evaluation.objects.filter(sites=kvisthamra).first(),
        "incidents/incidentsource": IncidentSource.objects.first(),
        "incidents/harmweight": HarmWeight.objects.first(),
        # A checked run without errors, uploaded by the contact (so the contact may see it too).
        # A finished job of the officer's with its file (rolled back with the test).
        "jobs/job": _sample_job(),
        "incidents/importrun": ImportRun.objects.create(
            source=IncidentSource.objects.first(),
            original_name="skador.csv",
            status="checked",
            headers=["Datum", "Plats"],
            mapping={"date": "Datum", "site": "Plats"},
            created_by=get_user_model().objects.get(username="forvaltning"),
        ),
    }


def concrete_paths(route, objects):
    """The URLs to request for a route pattern, each with the expected-table key it checks."""
    if route in FOLLOW_UP_PAGES:
        key = "reports/boardreportversion" if "versioner/" in route else "reports/boardreport"
        key = "programme/assignment" if route.startswith("uppfoljning/uppdrag/") else key
        return [("/" + route.replace("<int:pk>", str(objects[key].pk)).replace("<str:token>", "okand-nyckel"), None)]
    if route.startswith("admin/^(?P<app_label>"):
        return [(f"/admin/{app}/", app) for app in APPS_VISIBLE]
    if route == "admin/(?P<url>.*)$":
        return [("/admin/finns-inte/", None)]
    if route == "admin/r/<path:content_type_id>/<path:object_id>/":
        site = objects["sites/site"]
        return [(f"/admin/r/{ContentType.objects.get_for_model(site).pk}/{site.pk}/", None)]
    if route.startswith("platser/"):
        site, zone = objects["sites/site"], objects["sites/zone"]
        pk = zone.pk if "omraden/<int:pk>" in route else site.pk
        return [("/" + route.replace("<int:site_pk>", str(site.pk)).replace("<int:pk>", str(pk)), None)]
    if route.startswith("projekteringar/"):
        return [("/" + route.replace("<int:pk>", str(objects["programme/project"].pk)), None)]
    if route.startswith("kameror/"):
        path = route.replace("<int:pk>", str(objects["cameras/camera"].pk)).replace("<int:attachment_pk>", "0")
        return [("/" + path, None)]
    if route in RECORD_PAGES:
        pk = objects["compliance/legacypermit"].pk if route.startswith("efterlevnad/tillstand/") else None
        pk = pk or objects["records/sign"].pk
        query = f"?kamera={objects['cameras/camera'].pk}" if route.endswith("/ny/") else ""
        url = route.replace("<int:pk>", str(pk)).replace("<int:attachment_pk>", "0").replace("<str:paper>", "a5")
        return [("/" + url + query, None)]
    if route in COMPLIANCE_PAGES:
        pk = {
            "efterlevnad/kameror/": objects["cameras/camera"].pk,
            "efterlevnad/intresseavvagningar/": objects["compliance/surveillanceassessment"].pk,
            "efterlevnad/konsekvensbedomningar/": objects["compliance/impactassessment"].pk,
            "efterlevnad/barnrattsprovningar/": objects["compliance/childrightsassessment"].pk,
            "efterlevnad/<dokument:kind>/": objects["compliance/surveillanceassessment"].pk,
            "efterlevnad/beslut/<dokument:kind>/": objects["compliance/surveillanceassessment"].pk,
            # The public page answers only for a site with cameras on the wall (Kvisthamra's are planned).
            "kamerabevakning/platser/": Site.objects.get(name="Stora torget").pk,
        }
        for prefix, value in pk.items():
            if route.startswith(prefix):
                route = route.replace("<int:pk>", str(value))
        route = route.replace("<dokument:kind>", "intresseavvagningar")
        return [("/" + route.replace("<str:paper>", "a4"), None)]
    if route in ATTACHMENT_PAGES:
        camera, attachment = objects["cameras/camera"], objects["core/attachment"]
        path = route.replace("<slug:owner>/<int:pk>", f"kamera/{camera.pk}").replace("<int:pk>", str(attachment.pk))
        return [("/" + path, None)]
    if route in EVALUATION_PAGES:
        return [("/" + route.replace("<int:pk>", str(objects["evaluation/evaluation"].pk)), None)]
    if route in OGC_PAGES:
        camera = objects["cameras/camera"]
        url = route.replace("<str:collection_id>", "cameras").replace("<str:feature_id>", str(camera.pk))
        return [("/" + url, None)]
    if route in REVIEW_PAGES:
        pk = objects["cameras/camera"].pk if "kamera/" in route else objects["evaluation/camerareview"].pk
        return [("/" + route.replace("<int:pk>", str(pk)), None)]
    if route in API_PAGES:
        if route == r"api/^(?P<path>[\s\S]*)$":
            return [("/api/finns-inte/", None)]
        resource = re.match(r"api/v1/\^?([a-z/-]+?)/(\(|\$|move|$)", route)
        url = route
        if "(?P<pk>" in url:
            url = url.replace("(?P<pk>[0-9]+)", str(objects[API_OBJECTS[resource.group(1)]].pk))
        url = url.replace("^", "").replace("$", "")
        return [("/" + url, None)]
    if route.startswith("konto/api-nycklar/"):
        return [("/" + route.replace("<int:pk>", "1"), None)]
    if route in INCIDENT_PAGES:
        pk = objects["incidents/importrun"].pk if route.startswith("behov/import/") else objects["sites/site"].pk
        return [("/" + route.replace("<int:pk>", str(pk)), None)]
    if route in JOB_PAGES:
        return [("/" + route.replace("<int:pk>", str(objects["jobs/job"].pk)), None)]
    if route == "konto/losenord/aterstall/<uidb64>/<token>/":
        return [("/konto/losenord/aterstall/MQ/ogiltig-nyckel/", None)]
    if route == "admin/auth/user/<id>/password/":
        return [(f"/admin/auth/user/{objects['auth/user'].pk}/password/", None)]
    if "<path:object_id>" in route:
        key = re.match(r"admin/(\w+/\w+)/", route).group(1)
        return [("/" + route.replace("<path:object_id>", str(objects[key].pk)), None)]
    return [("/" + route, None)]


@pytest.mark.django_db
def test_every_url_with_every_role(demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the sample attachment's file
    routes = list(walk(get_resolver().url_patterns))
    table = expected_table()
    assert set(routes) == set(table), "URLs without an expected outcome (or expected URLs that are gone)"
    objects = sample_objects()
    clients = {role: Client() for role in ROLES}
    for role, client in clients.items():
        if role is not None:
            client.force_login(demo_users[role])
    failures = []
    for route in routes:
        for url, app in concrete_paths(route, objects):
            for role in ROLES:
                if app is not None:
                    expected = OK if role in APPS_VISIBLE[app] else NOT_FOUND if role in STAFF else REDIRECT
                else:
                    expected = table[route][role]
                status = clients[role].get(url).status_code
                if status != expected:
                    failures.append(f"{url} as {role or 'anonymous'}: expected {expected}, got {status}")
    assert not failures, "\n".join(failures)


def test_contact_does_not_see_other_administrations_sites(client_for):
    other = Site.objects.get(name="Stora torget")  # SBF, not BUF
    client = client_for(C)
    assert client.get(f"/admin/sites/site/{other.pk}/change/").status_code == REDIRECT  # "does not exist"
    listing = client.get("/admin/sites/site/").content.decode()
    assert "Kvisthamraskolan" in listing and "Stora torget" not in listing
    camera = Camera.objects.get(identifier="TORG-01")
    assert client.get(f"/admin/cameras/camera/{camera.pk}/change/").status_code == REDIRECT


def test_contact_can_only_add_measures_to_own_sites(client_for):
    other = Site.objects.get(name="Stora torget")
    before = Measure.objects.filter(site=other).count()  # the demo has measures there (compliance alternatives)
    response = client_for(C).post(
        "/admin/sites/measure/add/",
        {"site": other.pk, "kind": "lighting", "started_on": "2024-01-01", "effect": "not_assessed"},
    )
    assert response.status_code == OK  # the form comes back with an error
    assert "site" in response.context["adminform"].form.errors
    assert Measure.objects.filter(site=other).count() == before


def view_without_rule(request):
    from django.http import HttpResponse

    return HttpResponse("hemligt")


urlpatterns = [path("utan-regel/", view_without_rule)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_view_without_a_rule_is_refused_even_for_the_admin(client_for):
    assert client_for(A).get("/utan-regel/").status_code == FORBIDDEN
    assert client_for(ANON).get("/utan-regel/").status_code == FORBIDDEN
