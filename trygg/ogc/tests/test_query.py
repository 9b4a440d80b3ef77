"""The pure items-query rules: hand-worked examples and properties of the paging links."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.ogc.query import ItemsQuery, QueryError, page_links, parse_bbox, parse_datetime, parse_items_query


def test_defaults_when_nothing_is_given():
    assert parse_items_query({}) == ItemsQuery(limit=100, offset=0, bbox=None, on_date=None)


def test_all_parameters():
    query = parse_items_query({"limit": "25", "offset": "50", "bbox": "18.6,59.7,18.8,59.8", "datetime": "2025-06-01"})
    assert query == ItemsQuery(25, 50, (18.6, 59.7, 18.8, 59.8), dt.date(2025, 6, 1))


@pytest.mark.parametrize("value", ["0", "1001", "-1", "ten", "1.5", ""])
def test_limit_outside_1_to_1000_is_refused_naming_the_field(value):
    with pytest.raises(QueryError) as caught:
        parse_items_query({"limit": value})
    assert caught.value.params["name"] == "limit"
    assert caught.value.code == "InvalidParameterValue"
    assert "1000" in str(caught.value)


@pytest.mark.parametrize("value", ["-1", "x", "2.0"])
def test_offset_must_be_a_non_negative_integer(value):
    with pytest.raises(QueryError, match="offset"):
        parse_items_query({"offset": value})


def test_unknown_parameter_is_refused():
    with pytest.raises(QueryError) as caught:
        parse_items_query({"limt": "10"})
    assert caught.value.code == "UnknownParameter"
    assert caught.value.params["name"] == "limt"


def test_six_number_bbox_drops_heights():
    assert parse_bbox("18,59,0,19,60,100") == (18.0, 59.0, 19.0, 60.0)


@pytest.mark.parametrize(
    "value", ["18,59,19", "a,b,c,d", "18,59,19,60,1", "19,59,18,60", "18,60,19,59", "18,59,19,95", "nan,59,19,60"]
)
def test_bad_bbox_is_refused(value):
    with pytest.raises(QueryError, match="bbox"):
        parse_bbox(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-06-01", dt.date(2025, 6, 1)),
        ("2025-06-01T12:00:00Z", dt.date(2025, 6, 1)),
        # 00:30 in Stockholm summer time is 22:30 UTC the day before.
        ("2025-06-02T00:30:00+02:00", dt.date(2025, 6, 1)),
    ],
)
def test_datetime_instants(value, expected):
    assert parse_datetime(value) == expected


@pytest.mark.parametrize(
    "value", ["2025-06-01/2025-07-01", "../2025-01-01", "2025-13-01", "2025-06-01T12:00", "0001-01-01"]
)
def test_datetime_intervals_and_bad_values_are_refused(value):
    with pytest.raises(QueryError, match="datetime"):
        parse_datetime(value)


def _offset(link):
    return int(parse_qs(urlsplit(link["href"]).query)["offset"][0])


def test_page_links_hand_worked():
    # 250 features, pages of 100: the middle page links to offset 200 and back to 0.
    links = page_links("http://x/items", {"bbox": "1,2,3,4"}, ItemsQuery(limit=100, offset=100), 250)
    assert [(link["rel"], _offset(link)) for link in links] == [("next", 200), ("prev", 0)]
    assert parse_qs(urlsplit(links[0]["href"]).query)["bbox"] == ["1,2,3,4"]
    assert page_links("http://x/items", {}, ItemsQuery(limit=100, offset=200), 250) == [
        {
            "rel": "prev",
            "type": "application/geo+json",
            "title": "Föregående sida",
            "href": "http://x/items?limit=100&offset=100",
        }
    ]


@settings(deadline=None)  # up to thousands of pages per example; the machine is shared
@given(total=st.integers(0, 3000), limit=st.integers(1, 1000))
def test_following_next_visits_every_feature_once(total, limit):
    offset, seen = 0, 0
    while True:
        seen += min(limit, max(0, total - offset))
        nxt = [
            link for link in page_links("u", {}, ItemsQuery(limit=limit, offset=offset), total) if link["rel"] == "next"
        ]
        if not nxt:
            break
        assert _offset(nxt[0]) == offset + limit
        offset = _offset(nxt[0])
    assert seen == total
