"""Faults found with real incident files (issue 12, item 4), in the pure readers: each with a small input
that was read wrongly before."""

from __future__ import annotations

import io
import re
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from trygg.incidents.parsing import (
    guess_mapping,
    header_keys,
    looks_like_header,
    match_site,
    normalise,
    unused_columns,
)
from trygg.incidents.tabular import open_table
from trygg.incidents.tests.files import IMY_HEADERS, xlsx_bytes

SITES = {"kvisthamraskolan": 1, "sporthallen": 2, "rimbo bibliotek": 3}


def with_declared_dimension(content: bytes, ref: str) -> bytes:
    """The same workbook with each sheet declaring `<dimension ref="..."/>`, as some export tools write."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                if "<dimension" in text:
                    text = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', text)
                else:
                    text = text.replace("<sheetData", f'<dimension ref="{ref}"/><sheetData', 1)
                data = text.encode("utf-8")
            target.writestr(item, data)
    return buffer.getvalue()


def test_an_xlsx_that_declares_its_size_as_one_cell_is_read_whole(tmp_path):
    rows = [IMY_HEADERS, ["2024-03-05", "22:15", "Kvisthamraskolan", "Klotter", "Nej"]]
    content = with_declared_dimension(xlsx_bytes(rows), "A1")
    assert b'<dimension ref="A1"/>' in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    path = tmp_path / "export.xlsx"
    path.write_bytes(content)
    table = open_table(path, "export.xlsx", looks_like_header)
    assert table.headers == IMY_HEADERS  # before: [“Datum”] and then nothing
    assert [cells for _number, cells in table.rows()] == [rows[1]]


def test_header_variants_with_a_note_in_brackets_or_a_slash_are_recognised():
    headers = ["Datum (ÅÅÅÅ-MM-DD)", "Plats/objekt", "Polisanmälan (ja/nej, K-nummer)", "Kostnad i kr", "Åtgärd"]
    assert guess_mapping(headers) == {
        "date": "Datum (ÅÅÅÅ-MM-DD)",
        "site": "Plats/objekt",
        "police_report": "Polisanmälan (ja/nej, K-nummer)",
        "cost": "Kostnad i kr",
    }
    assert looks_like_header(headers)
    assert header_keys("Polisanmälan (ja/nej, K-nummer)") == ("polisanmälan (ja/nej, k-nummer)", "polisanmälan")
    assert unused_columns(headers, guess_mapping(headers)) == ["Åtgärd"]


def test_an_exact_header_wins_over_a_variant():
    assert guess_mapping(["Datum (senast ändrad)", "Datum", "Plats"])["date"] == "Datum"


def test_the_place_detail_after_the_name_is_kept():
    assert match_site("Kvisthamraskolan, entré B", SITES) == match_site("kvisthamraskolan , entré B", SITES)
    match = match_site("Kvisthamraskolan, entré B", SITES)
    assert (match.site_id, match.detail, match.how) == (1, "entré B", "name")
    assert match_site("Sporthallen – omklädningsrum", SITES).detail == "omklädningsrum"
    assert match_site("Kvisthamraskolan (hus C)", SITES).detail == "hus C"
    assert match_site("Sporthallen", SITES).detail == ""


def test_a_name_that_only_starts_like_a_site_is_not_matched_until_confirmed():
    match = match_site("Sporthallen Rimbo", SITES)
    assert (match.site_id, match.candidate_id, match.how) == (None, 2, "candidate")  # before: Sporthallen
    confirmed = match_site("Sporthallen Rimbo", SITES, {"sporthallen rimbo": 2})
    assert (confirmed.site_id, confirmed.detail, confirmed.how) == (2, "Rimbo", "confirmed")
    # A confirmation may also name a site the text does not start with (a misspelling).
    typo = match_site("Kvistamraskolan", SITES, {"kvistamraskolan": 1})
    assert (typo.site_id, typo.detail) == (1, "")
    # A longer site name that is the whole text wins over the shorter one it starts with.
    assert match_site("Sporthallen Rimbo", SITES | {"sporthallen rimbo": 4}).site_id == 4


names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö", min_size=3, max_size=12)
details = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö0123456789 ", min_size=1, max_size=20).filter(str.strip)


@given(names, details, st.sampled_from([", ", " - ", " (", ": ", "; "]))
def test_property_a_name_with_a_separator_matches_and_keeps_the_detail(name, detail, separator):
    sites = {normalise(name): 7}
    match = match_site(name.capitalize() + separator + detail, sites)
    assert match.site_id == 7
    assert match.detail == " ".join(detail.split())  # cells are read with single spaces (`cell_text`)


@given(names, names)
def test_property_a_name_followed_by_a_word_never_matches_silently(name, word):
    match = match_site(f"{name} {word}", {normalise(name): 7})
    assert match.site_id is None and match.candidate_id == 7
