"""Contact details as links (pure): e-mail to mailto:, Swedish numbers to tel:, other text untouched."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.compliance.contact_links import Part, contact_parts, tel_href


def test_the_demo_contact_text():
    parts = contact_parts("761 80 Norrtälje; kommun@kommun.example; 0176-00 00 00")
    assert parts == [
        Part("761 80 Norrtälje; "),
        Part("kommun@kommun.example", "mailto:kommun@kommun.example"),
        Part("; "),
        Part("0176-00 00 00", "tel:+46176000000"),
    ]


@pytest.mark.parametrize(
    ("number", "href"),
    [
        ("0176-00 00 00", "tel:+46176000000"),
        ("08-123 456 78", "tel:+46812345678"),
        ("+46 (0)8-123 45 67", "tel:+4681234567"),
        ("+46 70 123 45 67", "tel:+46701234567"),
    ],
)
def test_phone_numbers(number, href):
    assert tel_href(number) == href
    assert contact_parts(f"Ring {number}.") == [Part("Ring "), Part(number, href), Part(".")]


def test_postcodes_dates_and_short_numbers_stay_text():
    for text in ["Box 800, 761 28 Norrtälje", "2024-10-29", "rum 0123", "a0176123456@exempel.se"]:
        assert all(not p.href.startswith("tel:") for p in contact_parts(text)), text
    with pytest.raises(ValueError):
        tel_href("012")


@given(st.text(max_size=80))
def test_no_character_is_lost(text):
    assert "".join(part.text for part in contact_parts(text)) == text
