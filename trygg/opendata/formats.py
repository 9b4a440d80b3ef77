"""The shapes open data is written in: Kolada and follow-up rows, OSM XML and GeoJSON. Pure Python, no Django.

The Django side (`trygg.opendata.views`) reads the database once and hands plain values in; everything
here is tested with hand-written examples.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Kolada's value of `gender` for a total (Kolada API v2, https://github.com/Hypergene/kolada).
KOLADA_TOTAL = "T"
KOLADA_CSV_COLUMNS = ("kpi", "municipality_id", "period", "value")

#: The columns of the follow-up CSV (Stratsys and similar systems), in this order, never translated.
FOLLOW_UP_COLUMNS = (
    "indikator_id",  # the indicator's code, e.g. kameror-i-drift
    "indikator",  # its name
    "kommunkod",  # SCB's four-digit municipality code, e.g. 0188
    "kommun",  # the municipality's name
    "period",  # the year, YYYY
    "datum",  # the day counted, YYYY-MM-DD (31 December for a finished year)
    "varde",  # the value on that day
    "enhet",  # the unit, e.g. st
    "malvarde",  # the year's target, empty when none is set
    "preliminar",  # ja when the year is not finished (the value is of `datum`), else nej
)


@dataclass(frozen=True)
class YearValue:
    """The indicator of one year: `value` counted at the end of `on` (31 December, or the day asked for
    in the running year) and the year's target, if any."""

    year: int
    on: dt.date
    value: int
    target: int | None = None

    @property
    def preliminary(self) -> bool:
        return (self.on.month, self.on.day) != (12, 31)


def year_values(points: Iterable[Any], targets: Mapping[int, int]) -> list[YearValue]:
    """One value per year from a series of points (objects with `on` and `value`, as
    `trygg.programme.indicator.series` gives: year ends, then the day asked for).

    When a year has several points the latest counts. Sorted by year.
    """
    latest: dict[int, Any] = {}
    for point in points:
        if point.on.year not in latest or point.on > latest[point.on.year].on:
            latest[point.on.year] = point
    return [YearValue(year, point.on, point.value, targets.get(year)) for year, point in sorted(latest.items())]


def kolada_document(kpi: str, municipality_id: str, values: Sequence[YearValue]) -> dict[str, Any]:
    """The values in the shape of Kolada's API v2 `/data` answer:
    `{"values": [{"kpi", "municipality", "period", "values": [{"gender": "T", "count": 1, "status": "",
    "value"}]}], "count"}`. `period` is the year as an integer, as in Kolada.
    """
    rows = [
        {
            "kpi": kpi,
            "municipality": municipality_id,
            "period": value.year,
            "values": [{"gender": KOLADA_TOTAL, "count": 1, "status": "", "value": value.value}],
        }
        for value in values
    ]
    return {"count": len(rows), "values": rows}


def kolada_rows(kpi: str, municipality_id: str, values: Sequence[YearValue]) -> list[list[Any]]:
    """The same as rows with KOLADA_CSV_COLUMNS as header."""
    return [list(KOLADA_CSV_COLUMNS)] + [[kpi, municipality_id, v.year, v.value] for v in values]


def follow_up_rows(
    code: str, name: str, municipality_id: str, municipality: str, unit: str, values: Sequence[YearValue]
) -> list[list[Any]]:
    """Rows with FOLLOW_UP_COLUMNS as header, one per year."""
    return [list(FOLLOW_UP_COLUMNS)] + [
        [
            code,
            name,
            municipality_id,
            municipality,
            v.year,
            v.on,
            v.value,
            unit,
            v.target,
            "ja" if v.preliminary else "nej",
        ]
        for v in values
    ]


@dataclass(frozen=True)
class OsmNode:
    """One camera as an OSM node: WGS 84 degrees and its tags (trygg.geo.osm.tags_for_camera)."""

    ref_id: int
    longitude: float
    latitude: float
    tags: Mapping[str, str]


#: OSM positions to 7 decimals, OSM's own precision (about 1 cm).
OSM_DECIMALS = 7


def osm_feature_collection(nodes: Iterable[OsmNode]) -> dict[str, Any]:
    """GeoJSON (RFC 7946) with the OSM tags as each point's properties."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": node.ref_id,
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(node.longitude, OSM_DECIMALS), round(node.latitude, OSM_DECIMALS)],
                },
                "properties": dict(node.tags),
            }
            for node in nodes
        ],
    }


def osm_xml(nodes: Iterable[OsmNode], generator: str = "Trygg") -> bytes:
    """An OSM XML 0.6 file (https://wiki.openstreetmap.org/wiki/OSM_XML) of new nodes.

    Ids are negative (new objects, as JOSM writes them) and the root carries `upload="never"`, so
    the file can be opened and compared in JOSM but not uploaded as it is: putting municipal data
    into OSM is an import and follows the OSM import guidelines.
    """
    root = ET.Element("osm", version="0.6", generator=generator, upload="never")
    for node in nodes:
        element = ET.SubElement(
            root,
            "node",
            id=str(-node.ref_id),
            visible="true",
            lat=f"{node.latitude:.{OSM_DECIMALS}f}",
            lon=f"{node.longitude:.{OSM_DECIMALS}f}",
        )
        for key, value in sorted(node.tags.items()):
            ET.SubElement(element, "tag", k=key, v=value)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
