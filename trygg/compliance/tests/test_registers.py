"""The 10 § register, its CSV and PDF exports, the IMY request, the art. 30 record and query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from trygg.cameras import services as camera_services
from trygg.cameras.models import Camera
from trygg.compliance import facts, registers
from trygg.compliance.models import Sign, SurveillanceAssessment
from trygg.core.models import ObjectChange
from trygg.sites.models import Site

from .helpers import submit_and_approve

pytestmark = pytest.mark.django_db
D = dt.date
AS_OF = D(2024, 10, 29)
MARKING = "Kan omfattas av sekretess enligt 18 kap. 8 § offentlighets- och sekretesslagen"
IN_OPERATION_ON_AS_OF = {"TORG-01", "TORG-02", "KOM-01", "SPORT-01", "SPORT-02", "RIM-01", "GRI-01", "HAMN-01"}


def body_of(response) -> bytes:
    """The whole body of a response, streamed or not."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("on", [AS_OF, D(2026, 11, 26)])
def test_register_has_the_five_fields_for_ongoing_and_recently_ended_surveillance(on):
    rows = {row.camera: row for row in registers.register_rows(on)}
    # In operation, paused (still ongoing) and TORG-03, decommissioned 2023-02-01: within five years.
    assert set(rows) == IN_OPERATION_ON_AS_OF | {"PARK-01", "TORG-03"}
    for row in rows.values():
        entry = row.entry
        assert entry.address and entry.place_type and entry.purpose  # 1–3
        assert entry.special_technology == ()  # 4: none in the demo, shown as "nej"
        assert entry.latest_assessment_on is not None and entry.latest_assessment_on <= on  # 5
        assert row.complete
    assert rows["TORG-03"].status == "avslutad" and rows["TORG-03"].ended_on == D(2023, 2, 1)
    assert rows["PARK-01"].status == "pågående (pausad)"
    assert rows["TORG-01"].entry.latest_assessment_on == D(2019, 5, 20)
    assert "KVI-01" not in rows  # never in operation


def test_ended_surveillance_leaves_the_register_five_years_after_it_ended():
    assert "TORG-03" in {row.camera for row in registers.register_rows(D(2028, 1, 31))}
    assert "TORG-03" not in {row.camera for row in registers.register_rows(D(2028, 2, 1))}
    assert "TORG-03" not in {row.camera for row in registers.register_rows(D(2019, 12, 31))}  # not yet started


def test_register_names_sound_and_special_technology():
    camera = Camera.objects.get(identifier="PARK-01")  # paused, so the change is allowed
    camera.records_sound = True
    camera.save()
    row = next(r for r in registers.register_rows(D(2025, 6, 1)) if r.camera == "PARK-01")
    assert row.entry.special_technology == ("ljud",)


def test_register_page_csv_and_pdf(client_for):
    client = client_for("dpo")
    page = client.get("/efterlevnad/forteckning/?datum=2024-10-29").content.decode()
    assert MARKING in page and "TORG-03" in page and "2019-05-20" in page

    response = client.get("/efterlevnad/forteckning.csv?datum=2024-10-29")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body_of(response).decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [MARKING]
    assert rows[2] == [
        "Kamera",
        "Adress eller plats",
        "Typ av plats",
        "Ändamål",
        "Ljud eller annan särskild teknik",
        "Senaste intresseavvägning (9 §)",
        "Status",
        "Avslutad",
    ]
    body = {row[0]: row for row in rows[3:]}
    assert set(body) == IN_OPERATION_ON_AS_OF | {"PARK-01", "TORG-03"}
    assert body["TORG-03"] == [
        "TORG-03",
        "Stora torget, Norrtälje",
        "allmän plats (gata, torg)",
        "Förebygga och utreda våld och ordningsstörningar på torget kvällar och nätter.",
        "nej",
        "2019-11-15",
        "avslutad",
        "2023-02-01",
    ]
    assert all(all(row[1:6]) for row in body.values())

    pdf = client.get("/efterlevnad/forteckning.pdf?datum=2024-10-29")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "18 kap. 8 §" in text and "offentlighets- och sekretesslagen" in text
    for identifier in IN_OPERATION_ON_AS_OF | {"TORG-03"}:
        assert identifier in text
    assert "Kommunstyrelsen" in text and "2023-02-01" in text
    assert ObjectChange.objects.filter(event="register.exported").count() == 2  # CSV and PDF


def test_imy_request_export_is_logged(client_for):
    client = client_for("officer")
    empty = client.post("/efterlevnad/forteckning/imy-begaran/", {"imy_case_number": "", "on_date": "2025-13-01"})
    assert empty.status_code == 200
    errors = empty.context["form"].errors
    assert errors["imy_case_number"] == ["Fyll i fältet ”IMY:s diarienummer”."]
    assert errors["on_date"] == ["Fältet ”förteckningen per datum” ska vara ett datum som ÅÅÅÅ-MM-DD."]
    assert not ObjectChange.objects.filter(event="register.imy_request").exists()

    response = client.post(
        "/efterlevnad/forteckning/imy-begaran/", {"imy_case_number": "IMY-2025-1234", "on_date": "2025-06-01"}
    )
    assert response["Content-Type"] == "application/pdf"
    assert "IMY-2025-1234" in pdf_text(response.content)
    event = ObjectChange.objects.get(event="register.imy_request")
    assert event.user_name == "handlaggare"
    assert event.postchange_data == {"format": "pdf", "as_of": "2025-06-01", "imy_case_number": "IMY-2025-1234"}
    assert str(event.event_label) == "Förteckningen över kamerabevakning lämnades till IMY på begäran"


def test_art_30_record_is_generated(client_for):
    client = client_for("dpo")
    html = client.get("/efterlevnad/behandling/?datum=2024-10-29").content.decode()
    assert "Kommunstyrelsen" in html and "dataskyddsombud@kommun.example" in html
    assert "inspelningar raderas efter 72 timmar" in html
    rows = dict(
        csv.reader(io.StringIO(client.get("/efterlevnad/behandling.csv").content.decode("utf-8-sig")), delimiter=";")
    )
    assert rows["c) Kategorier av registrerade"] == "allmänheten och besökare, personal"
    assert "32 kap. 3 a §" in rows["d) Mottagare"]
    assert rows["Antal kameror i drift eller pausade"] == "9"  # eight in operation, PARK-01 paused


def test_bad_date_gives_a_swedish_message_naming_the_field(client_for):
    message = "Fältet ”datum” ska vara ett datum som ÅÅÅÅ-MM-DD, till exempel 2024-10-29 (fick ”29/10/2024”)."
    page = client_for("dpo").get("/efterlevnad/forteckning/?datum=29/10/2024")
    assert page.status_code == 400
    assert f'<p role="alert">{message}</p>' in page.content.decode()  # the error page, with the menu
    data = client_for("dpo").get("/efterlevnad/forteckning.csv?datum=29/10/2024")
    assert data.status_code == 400 and data.content.decode() == message


def add_cameras(n: int) -> None:
    """n more cameras in operation at a new site, each with an approved assessment and a sign."""
    template = Camera.objects.get(identifier="TORG-01")
    for i in range(n):
        site = Site.objects.create(
            name=f"Torg {i}",
            kind="public_place",
            administration=template.site.administration,
            address=f"Gatan {i}",
            longitude=18.7,
            latitude=59.76,
        )
        camera = Camera(
            identifier=f"Q-{i}",
            site=site,
            longitude=18.7,
            latitude=59.76,
            mount="pole",
            mount_height_m=5,
            bearing_deg=90,
            hfov_deg=60,
            camera_type="fixed",
            purpose="Förebygga brott.",
        )
        camera.planned_on = D(2024, 1, 1)
        camera.save()
        for state in ["designed", "installed", "in_operation"]:
            camera_services.move(camera, state, D(2024, 2, 1))
        assessment = SurveillanceAssessment.objects.get(camera=template)
        copy = SurveillanceAssessment.objects.create(
            **{**assessment.content_values(), "camera_id": camera.pk, "area_description": "Torget."}
        )
        submit_and_approve(copy, D(2024, 1, 15))
        Sign.objects.create(site=site, position="Vid torget.", text_version="1", installed_on=D(2024, 1, 20))


def count_queries(client, url) -> int:
    """Queries of one request; a whole export is written anew (not served from trygg.core.export_cache)."""
    caches["exports"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        body_of(response)  # a streamed file reads the database while it is sent
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/efterlevnad/forteckning/?datum=2025-06-01",
        "/efterlevnad/kameror/checklista.json?datum=2025-06-01",
        "/efterlevnad/forteckning.csv?datum=2025-06-01",
        "/efterlevnad/behandling/?datum=2025-06-01",
    ],
)
def test_register_and_list_json_use_constant_queries(client_for, url):
    client = client_for("officer")
    client.get(url)  # warm per-process caches
    assert Camera.objects.count() < 20
    before = count_queries(client, url)
    add_cameras(20)  # ~10 → ~30 cameras: a query per camera would show
    assert count_queries(client, url) == before


@pytest.mark.parametrize("on", ["", "?datum=2024-10-29"])
def test_register_page_is_paged_with_a_total_and_every_line_on_some_page(client_for, monkeypatch, on):
    """The page shows REGISTER_PAGE_SIZE lines at a time; together the pages hold the CSV's lines, in order."""
    monkeypatch.setattr(registers, "REGISTER_PAGE_SIZE", 4)
    client = client_for("dpo")
    csv_rows = list(
        csv.reader(
            io.StringIO(body_of(client.get(f"/efterlevnad/forteckning.csv{on}")).decode("utf-8-sig")), delimiter=";"
        )
    )[3:]
    assert len(csv_rows) > 8  # three pages
    seen = []
    number = 1
    while True:
        response = client.get(f"/efterlevnad/forteckning/{on or '?'}{'&' if on else ''}sida={number}")
        page = response.context["page"]
        seen += [row.as_list() for row in page.object_list]
        html = response.content.decode()
        assert f"{len(csv_rows)} poster per" in html
        assert f"Sida {number} av {page.paginator.num_pages}" in html
        if not page.has_next():
            break
        assert f"sida={number + 1}" in html
        number += 1
    assert number == 3
    assert seen == csv_rows


@pytest.mark.parametrize("on", ["", "2024-10-29"])
def test_the_checklists_json_is_paged_and_its_next_links_walk_every_camera_once(client_for, monkeypatch, on):
    """Paged (CAMERAS_PER_JSON_PAGE a page); following `next` gives every camera the user may see, in order,
    each judged as of the date; for a past date only a page's cameras are judged (its work does not grow)."""
    from trygg.compliance.views import checklists as checklist_views

    client = client_for("officer")
    query = f"?datum={on}" if on else ""
    whole = client.get(f"/efterlevnad/kameror/checklista.json{query}").json()
    assert whole["pages"] == 1 and whole["next"] is None
    assert whole["total_cameras"] == len(whole["cameras"]) > 7
    monkeypatch.setattr(checklist_views, "CAMERAS_PER_JSON_PAGE", 3)
    url, seen, pages = f"http://testserver/efterlevnad/kameror/checklista.json{query}", [], 0
    judged = []
    real = facts.compliance_for_many

    def counting(cameras, *args, **kwargs):
        cameras = list(cameras)
        judged.append(len(cameras))
        return real(cameras, *args, **kwargs)

    monkeypatch.setattr(facts, "compliance_for_many", counting)
    while url:
        data = client.get(url).json()
        assert data["total_cameras"] == whole["total_cameras"] and data["date"] == whole["date"]
        seen += data["cameras"]
        url = data["next"]
        pages += 1
    assert seen == whole["cameras"]
    assert pages == data["pages"] == -(-whole["total_cameras"] // 3)
    assert judged == ([] if not on else [3] * (pages - 1) + [len(seen) - 3 * (pages - 1)])


@pytest.mark.parametrize(("page", "message"), [("0", "från 1 och uppåt"), ("x", "från 1 och uppåt"), ("99", "högst 1")])
def test_a_bad_page_of_the_checklists_json_is_refused_in_swedish(client_for, page, message):
    response = client_for("officer").get(f"/efterlevnad/kameror/checklista.json?sida={page}")
    assert response.status_code == 400
    assert response.content.decode().startswith("Fältet ”sida” ska vara") and message in response.content.decode()
