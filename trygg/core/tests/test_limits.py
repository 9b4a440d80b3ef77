"""Input limits (issue 15): small inputs that expand into huge work are refused in Swedish, before the work."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.core import limits
from trygg.geo import GeoInputError
from trygg.geo.validation import MAX_VERTICES, check_geometry
from trygg.incidents import tabular
from trygg.sites.models import Site

# --- pure checks -----------------------------------------------------------------------------------


def test_nesting_depth_by_hand():
    assert limits.nesting_depth("") == 0
    assert limits.nesting_depth('{"type": "Polygon", "coordinates": [[[18.7, 59.7]]]}') == 4
    assert limits.nesting_depth('["[[[[", "{{{{"]') == 1  # brackets inside strings do not count
    assert limits.nesting_depth('["a\\"[[[["]') == 1  # nor after an escaped quote
    assert limits.nesting_depth("[" * 100_000) == limits.MAX_JSON_DEPTH + 1  # stops counting early


@given(st.integers(min_value=0, max_value=60))
def test_nesting_depth_of_nested_lists_is_their_depth(depth):
    text = json.dumps(json.loads("[" * depth + "]" * depth) if depth else 1)
    assert limits.nesting_depth(text, stop_after=100) == depth


@given(st.recursive(st.none() | st.text(max_size=5) | st.integers(), lambda c: st.lists(c, max_size=3), max_leaves=20))
def test_depth_of_any_json_never_exceeds_what_python_builds(value):
    def depth(v):
        return 1 + max((depth(x) for x in v), default=0) if isinstance(v, list) else 0

    assert limits.nesting_depth(json.dumps(value), stop_after=100) == depth(value)


def test_oversized_integers():
    assert limits.is_oversized_integer("1" + "0" * 18)  # 19 digits
    assert limits.is_oversized_integer(" -99999999999999999999999999 ")
    assert not limits.is_oversized_integer("9" * 18)
    assert not limits.is_oversized_integer("0" * 30 + "1")  # leading zeros are not digits of the value
    assert not limits.is_oversized_integer("K" + "1" * 25)  # a text with digits is a text
    assert limits.first_problem([("a", "1"), ("b", "[" * 40), ("c", "9" * 30)]) == ("b", "too-deep")


# --- the middleware: a Swedish 400 naming the field, nothing saved -----------------------------------


@pytest.mark.django_db
def test_deep_json_in_a_map_form_is_refused_naming_the_field(client_for):
    client = client_for("officer")
    site = Site.objects.get(name="Kvisthamraskolan")
    zones = site.zones.count()
    response = client.post(
        f"/platser/{site.pk}/omraden/nytt/",
        {"name": "Djup", "kind": "schoolyard", "geometry": "[" * 100_000 + "]" * 100_000},
    )
    assert response.status_code == 400
    text = response.content.decode()
    # Named by the form's label (Yta), never by the internal name "geometry".
    assert "Fältet ”Yta” innehåller data (JSON) som är nästlad i fler än 32 nivåer" in text
    assert "geometry" not in text
    assert site.zones.count() == zones


@pytest.mark.django_db
def test_a_number_too_large_for_the_database_is_refused_naming_the_field(client_for):
    from trygg.programme.models import Project

    client = client_for("officer")
    project = Project.objects.first()
    response = client.post(f"/projekteringar/{project.pk}/andra/", {"name": "x", "site": "9" * 26})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Fältet ”Plats” innehåller ett heltal med fler än 18 siffror" in text and "”site”" not in text
    project.refresh_from_db()
    assert project.name != "x"


@pytest.mark.django_db
def test_normal_input_passes_the_limits(client_for):
    client = client_for("officer")
    site = Site.objects.get(name="Kvisthamraskolan")
    geometry = json.dumps(
        {"type": "Polygon", "coordinates": [[[18.70, 59.76], [18.7005, 59.76], [18.7005, 59.7603], [18.70, 59.76]]]}
    )
    response = client.post(f"/platser/{site.pk}/omraden/nytt/", {"name": "Ny", "kind": "other", "geometry": geometry})
    assert response.status_code != 400


# --- geometry: too many corners refused before any geometry work -----------------------------------


def circle(n: int) -> dict:
    import math

    ring = [
        [18.7 + 0.001 * math.cos(2 * math.pi * i / n), 59.7 + 0.0005 * math.sin(2 * math.pi * i / n)] for i in range(n)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def test_a_geometry_with_too_many_corners_is_refused_with_the_count():
    check_geometry(circle(MAX_VERTICES - 1))  # within the limit (the closing corner counts too)
    with pytest.raises(GeoInputError) as refused:
        check_geometry(circle(100_000))
    assert refused.value.params == {"count": 100_001, "max": MAX_VERTICES}
    assert "Förenkla den" in refused.value.message


# --- tables: files that expand, rows too wide, cells too long ---------------------------------------


def bomb(path: Path, unpacked_mb: int) -> Path:
    """An .xlsx-shaped zip whose sheet is one row of empty cells, packing about 1000 to 1."""
    cell = b'<c r="A1"/>'
    sheet = b"<worksheet><sheetData><row r='1'>" + cell * (unpacked_mb * 1024 * 1024 // len(cell)) + b"</row>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", sheet + b"</sheetData></worksheet>")
    return path


def test_an_xlsx_that_unpacks_a_hundredfold_is_refused_before_it_is_opened(tmp_path, monkeypatch):
    import openpyxl

    def must_not_open(*args, **kwargs):
        raise AssertionError("openpyxl must not open a file built to expand")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_open)
    path = bomb(tmp_path / "bomb.xlsx", 12)
    assert path.stat().st_size < 200_000
    with pytest.raises(tabular.FileProblem) as refused:
        tabular.open_table(path, "skador.xlsx", lambda cells: True)
    assert "packas upp till 12 MB" in str(refused.value)


def test_a_csv_row_wider_than_the_limit_is_refused_naming_the_row(tmp_path):
    path = tmp_path / "bred.csv"
    rows = [["Datum", "Plats", "Typ"], ["2024-01-02", "Rimbo bibliotek", "Klotter"], ["x"] * (tabular.MAX_COLUMNS + 1)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    with pytest.raises(tabular.FileProblem) as refused:
        list(tabular.open_table(path, "bred.csv", lambda cells: "Datum" in cells).rows())
    assert "Rad 3 i filen har 201 kolumner; högst 200 går" in str(refused.value)


def test_trailing_empty_columns_do_not_count(tmp_path):
    path = tmp_path / "tomma.csv"
    path.write_text("Datum;Plats" + ";" * 500 + "\n2024-01-02;Rimbo bibliotek" + ";" * 500 + "\n", encoding="utf-8")
    table = tabular.open_table(path, "tomma.csv", lambda cells: "Datum" in cells)
    assert [row[:2] for _, row in table.rows()] == [["2024-01-02", "Rimbo bibliotek"]]


def test_a_csv_cell_longer_than_the_field_limit_is_refused_in_swedish(tmp_path):
    path = tmp_path / "lang.csv"
    path.write_text('Datum;Plats\n2024-01-02;"' + "x" * (csv.field_size_limit() + 10) + "\n", encoding="utf-8")
    with pytest.raises(tabular.FileProblem) as refused:
        list(tabular.open_table(path, "lang.csv", lambda cells: "Datum" in cells).rows())
    message = str(refused.value)
    assert "längre än" in message and "field" not in message


def test_an_unreadable_csv_names_the_line_not_the_library(tmp_path, monkeypatch):
    path = tmp_path / "trasig.csv"
    path.write_text("Datum;Plats\n2024-01-02;Rimbo\n", encoding="utf-8")
    table = tabular.open_table(path, "trasig.csv", lambda cells: "Datum" in cells)

    class Broken:
        line_num = 2

        def __init__(self, *args, **kwargs):
            pass

        def __iter__(self):
            raise csv.Error("new-line character seen in unquoted field")

    monkeypatch.setattr(tabular.csv, "reader", Broken)
    with pytest.raises(tabular.FileProblem) as refused:
        list(table.rows())
    assert "vid rad 2" in str(refused.value) and "new-line" not in str(refused.value)


def test_nesting_depth_reads_bytes_as_it_reads_text():
    text = '{"namn": "Åkersberga [norr]", "coordinates": [[[18.7, 59.7]]]}'
    assert limits.nesting_depth(text.encode("utf-8")) == limits.nesting_depth(text) == 4


@pytest.mark.django_db
def test_the_api_refuses_deep_json_and_huge_numbers_in_its_own_error_shape(demo_users):
    # The walkthrough's PATCH with 5000 levels gave the HTML 500 page (DRF views are csrf_exempt, so the
    # form check skipped them), and ?page_size=9…9 an HTML page saying "Inget har sparats" on a GET.
    from django.test import Client

    from trygg.cameras.models import Camera

    client = Client()
    client.force_login(demo_users["officer"])
    camera = Camera.objects.get(identifier="KVI-01")
    deep = client.patch(f"/api/v1/cameras/{camera.pk}/", "[" * 5000 + "]" * 5000, content_type="application/json")
    assert deep.status_code == 400 and deep["Content-Type"].startswith("application/json")
    assert deep.json()["code"] == "invalid" and "nästlad" in deep.json()["message"]
    huge = client.get("/api/v1/cameras/", {"page_size": "9" * 20})
    assert huge.status_code == 400 and huge.json()["fields"]["page_size"]
    assert "Inget har sparats" not in huge.json()["message"]


def test_a_field_without_a_known_label_is_not_named_by_its_internal_name(client_for):
    from trygg.core.field_names import label_of

    assert label_of("geometry_json") is None
    assert label_of("form-3-site") == "Plats"  # a formset row's field
    assert label_of("page_size") == "Antal per sida"
    site = Site.objects.get(name="Kvisthamraskolan")
    response = client_for("officer").post(
        f"/platser/{site.pk}/andra/", {"name": "x", "geometry_json": "[" * 100 + "]" * 100}
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "Ett av fälten innehåller data (JSON) som är nästlad i fler än 32 nivåer" in text
    assert "geometry_json" not in text
    outline = client_for("officer").post(f"/platser/{site.pk}/andra/", {"outline": "[" * 100 + "]" * 100})
    assert "Fältet ”Avgränsning”" in outline.content.decode()


# --- dates: a year between 1900 and 2100 in every posted form and API body ---------------------------


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("1900-01-01", False),
        ("2100-12-31", False),
        ("2024-10-29T13:05:00+01:00", False),
        ("1899-12-31", True),
        ("2101-01-01", True),
        ("9999-12-31", True),
        ("99999-01-01", True),
        ("0001-01-01T00:00:00Z", True),
        ("Storgatan 9999-12", False),
        ("9999", False),
    ],
)
def test_dates_outside_1900_to_2100_by_hand(text, refused):
    assert limits.is_date_out_of_range(text) is refused


def test_a_page_form_refuses_a_date_in_year_9999_beside_its_field_and_saves_nothing(client_for):
    # Walkthrough: a measure starting 9999-12-31 was saved (page form and API alike).
    from trygg.sites.models import Measure

    site = Site.objects.get(name="Kvisthamraskolan")
    before = Measure.objects.count()
    data = {"kind": "lighting", "description": "Ny belysning", "started_on": "9999-12-31", "effect": "not_assessed"}
    response = client_for("officer").post(f"/platser/{site.pk}/atgarder/ny/", data)
    assert response.status_code == 200  # the form again, with what the user wrote
    assert response.context["form"].errors["started_on"] == ["Ange ett datum mellan år 1900 och 2100."]
    assert Measure.objects.count() == before


def test_the_api_refuses_a_date_in_year_9999_in_its_own_error_shape(demo_users):
    from django.test import Client

    from trygg.sites.models import Measure

    site = Site.objects.get(name="Kvisthamraskolan")
    client = Client()
    client.force_login(demo_users["officer"])
    before = Measure.objects.count()
    body = {"site": site.pk, "kind": "lighting", "description": "Ny belysning", "started_on": "9999-12-31"}
    response = client.post("/api/v1/measures/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert "ska vara ett datum mellan år 1900 och 2100" in response.json()["fields"]["started_on"][0]
    assert Measure.objects.count() == before
