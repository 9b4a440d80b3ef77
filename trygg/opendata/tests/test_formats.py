"""The open-data shapes, with hand-written examples (pure: no database)."""

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from trygg.opendata.formats import (
    FOLLOW_UP_COLUMNS,
    OsmNode,
    YearValue,
    follow_up_rows,
    kolada_document,
    kolada_rows,
    osm_feature_collection,
    osm_xml,
    year_values,
)


@dataclass
class P:
    on: dt.date
    value: int


SERIES = [P(dt.date(2023, 12, 31), 7), P(dt.date(2024, 12, 31), 8), P(dt.date(2025, 3, 15), 9)]


def test_year_values_take_one_value_per_year_and_the_years_target():
    values = year_values(SERIES, {2024: 11, 2025: 13})
    assert values == [
        YearValue(2023, dt.date(2023, 12, 31), 7, None),
        YearValue(2024, dt.date(2024, 12, 31), 8, 11),
        YearValue(2025, dt.date(2025, 3, 15), 9, 13),
    ]
    assert [v.preliminary for v in values] == [False, False, True]


def test_year_values_keep_the_latest_point_of_a_year():
    values = year_values([P(dt.date(2025, 6, 30), 4), P(dt.date(2025, 3, 1), 2)], {})
    assert values == [YearValue(2025, dt.date(2025, 6, 30), 4, None)]


def test_kolada_document_has_kolada_api_v2_shape():
    # Kolada API v2 /data: {"count", "values": [{"kpi", "municipality", "period", "values": [{"gender", ...}]}]}
    document = kolada_document("kameror-i-drift", "0188", year_values(SERIES[:2], {}))
    assert document == {
        "count": 2,
        "values": [
            {
                "kpi": "kameror-i-drift",
                "municipality": "0188",
                "period": 2023,
                "values": [{"gender": "T", "count": 1, "status": "", "value": 7}],
            },
            {
                "kpi": "kameror-i-drift",
                "municipality": "0188",
                "period": 2024,
                "values": [{"gender": "T", "count": 1, "status": "", "value": 8}],
            },
        ],
    }
    assert kolada_rows("k", "0188", year_values(SERIES[:1], {})) == [
        ["kpi", "municipality_id", "period", "value"],
        ["k", "0188", 2023, 7],
    ]


def test_follow_up_rows_have_the_documented_columns_in_order():
    rows = follow_up_rows("k", "Antal", "0188", "Norrtälje kommun", "st", year_values(SERIES, {2025: 13}))
    assert rows[0] == list(FOLLOW_UP_COLUMNS)
    assert rows[0][:5] == ["indikator_id", "indikator", "kommunkod", "kommun", "period"]
    assert rows[3] == ["k", "Antal", "0188", "Norrtälje kommun", 2025, dt.date(2025, 3, 15), 9, "st", 13, "ja"]
    assert rows[1][-2:] == [None, "nej"]


NODE = OsmNode(7, 18.7012345678, 59.7598765432, {"man_made": "surveillance", "camera:direction": "135"})


def test_osm_xml_is_osm_0_6_with_negative_ids_and_never_upload():
    root = ET.fromstring(osm_xml([NODE]))
    assert (root.tag, root.get("version"), root.get("upload")) == ("osm", "0.6", "never")
    (node,) = root.findall("node")
    assert node.get("id") == "-7"
    assert (node.get("lat"), node.get("lon")) == ("59.7598765", "18.7012346")  # 7 decimals, rounded
    assert {tag.get("k"): tag.get("v") for tag in node.findall("tag")} == dict(NODE.tags)


def test_osm_geojson_carries_the_tags_as_properties():
    collection = osm_feature_collection([NODE])
    (feature,) = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [18.7012346, 59.7598765]}
    assert feature["properties"] == {"man_made": "surveillance", "camera:direction": "135"}
