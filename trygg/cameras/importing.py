"""Reading a spreadsheet of existing cameras, row by row, with no Django.

A municipality that starts with Trygg has cameras since years; it brings them in from a CSV or
XLSX file (the reading itself, with Swedish Excel's semicolons, encodings and title rows, is
`trygg.incidents.tabular`). This module turns each data row into plain values and per-row
problems, each naming the column (its header as written in the file) and what is wrong:

- numbers may have a decimal comma ("22,5") and spaces; dates are ÅÅÅÅ-MM-DD or Excel dates;
- the position is longitud/latitud (WGS 84) or SWEREF 99 TM E/N (metres, reprojected);
  it is checked with `trygg.geo.validation.check_place` (swapped axes, distance from the site,
  inside the municipality);
- the site is matched on its exact name (spaces trimmed), never guessed;
- an identifier already in Trygg is "exists" (left unchanged), a repeated one in the file an error.

Messages are Swedish templates marked with the no-op `_` and named placeholders; the Django layer
translates them (`gettext(template) % params`). Life-cycle dates are checked by the caller with
`lifecycle.history_steps`, the same check the camera form makes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import Point

from trygg.cameras.lifecycle import State
from trygg.geo import GeoInputError
from trygg.geo.crs import grid_to_lonlat
from trygg.geo.validation import MunicipalityArea, SiteAnchor, check_place
from trygg.incidents.i18n import _

#: Column keys and the header texts (lower case, without a unit in parentheses) that mean them.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "identifier": ("beteckning", "kamera", "kamerabeteckning", "id"),
    "site": ("plats", "platsens namn"),
    "longitude": ("longitud", "lon", "lng"),
    "latitude": ("latitud", "lat"),
    "easting": ("e", "östlig", "easting", "sweref 99 tm e", "e sweref 99 tm"),
    "northing": ("n", "nordlig", "northing", "sweref 99 tm n", "n sweref 99 tm"),
    "bearing": ("riktning", "kamerans riktning", "camera:direction"),
    "hfov": ("synvinkel", "bildvinkel", "horisontell bildvinkel"),
    "range": ("räckvidd",),
    "camera_type": ("typ", "kameratyp"),
    "mount": ("montering",),
    "mount_height": ("monteringshöjd", "höjd"),
    "planned": ("planerad", "planerad från"),
    "designed": ("projekterad",),
    "installed": ("installerad",),
    "in_operation": ("i drift sedan", "i drift"),
    "retention": ("lagringstid",),
    "purpose": ("ändamål",),
}
REQUIRED = ("identifier", "site", "bearing", "hfov", "camera_type", "mount", "mount_height")

#: The life-cycle dates a row may give, in the order of the history.
DATE_COLUMNS: dict[str, State] = {
    "planned": State.PLANNED,
    "designed": State.DESIGNED,
    "installed": State.INSTALLED,
    "in_operation": State.IN_OPERATION,
}

#: Words in the file for the camera's kind and mount, to the stored values (see `choices`).
CAMERA_TYPES = {
    "fast": "fixed",
    "fixed": "fixed",
    "dom": "dome",
    "dome": "dome",
    "ptz": "ptz",
    "ptz (styrbar)": "ptz",
    "styrbar": "ptz",
    "värmekamera": "thermal",
    "thermal": "thermal",
}
MOUNTS = {
    "vägg": "wall",
    "wall": "wall",
    "stolpe": "pole",
    "pole": "pole",
    "tak": "ceiling",
    "tak (inomhus)": "ceiling",
    "ceiling": "ceiling",
    "yttertak": "roof",
    "roof": "roof",
}

#: What the message for an unknown kind or mount suggests.
CHOICE_WORDS = {"camera_type": "fast, dom, ptz, värmekamera", "mount": "vägg, stolpe, tak, yttertak"}

_UNIT = re.compile(r"\s*\([^)]*\)\s*")
_SPACES = re.compile(r"\s+")


class HeaderProblem(Exception):
    """The header lacks a required column; `template % params` is the Swedish message."""

    def __init__(self, template: str, **params: Any) -> None:
        super().__init__(template % params)
        self.template = template
        self.params = params


@dataclass(frozen=True)
class Problem:
    """One fault in a row: the column as written in the file, and a Swedish template with its params."""

    column: str
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class CameraRow:
    """One data row: the values read (keys as in `HEADER_NAMES`, positions in WGS 84) and its faults.

    `status` is "new" (will be created), "exists" (an identifier already in Trygg: left as it is)
    or "error" (`problems` says why).
    """

    number: int
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    exists: bool = False
    messages: list[str] = field(default_factory=list)  # the problems translated, filled by the caller
    warnings: list[Problem] = field(default_factory=list)  # what was assumed (OpenStreetMap), not a fault
    notes: list[str] = field(default_factory=list)  # the warnings translated, filled by the caller

    @property
    def status(self) -> str:
        if self.exists:
            return "exists"  # left as it is, whatever the row says
        return "error" if self.problems else "new"

    def dates(self) -> dict[State, dt.date | None]:
        """The life-cycle dates given, keyed by state (None where the cell is empty)."""
        return {state: self.values.get(key) for key, state in DATE_COLUMNS.items()}


def normalise_header(text: str) -> str:
    """A header as compared: lower case, single spaces, a unit in parentheses dropped ("Räckvidd (m)")."""
    plain = _UNIT.sub(" ", str(text or "")).replace("_", " ")
    return _SPACES.sub(" ", plain).strip().lower().rstrip(":")


def map_headers(headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """Which column index holds each key, and the headers that are not used.

    Raises HeaderProblem naming the missing columns (a position needs longitud and latitud, or E and N).
    The first column of a kind wins; a second one of the same kind is listed as unused.
    """
    lookup = {name: key for key, names in HEADER_NAMES.items() for name in names}
    columns: dict[str, int] = {}
    unused: list[str] = []
    for index, header in enumerate(headers):
        key = lookup.get(normalise_header(header))
        if key is None or key in columns:
            if str(header or "").strip():
                unused.append(str(header).strip())
            continue
        columns[key] = index
    missing = [HEADER_NAMES[key][0] for key in REQUIRED if key not in columns]
    has_wgs84 = "longitude" in columns and "latitude" in columns
    has_grid = "easting" in columns and "northing" in columns
    if not has_wgs84 and not has_grid:
        missing.append(_("longitud och latitud (eller E och N i SWEREF 99 TM)"))
    if missing:
        raise HeaderProblem(
            _("Kolumner saknas i filens rubrikrad: %(columns)s. Exempel på rubrikrad: %(example)s"),
            columns=", ".join(missing),
            example=EXAMPLE_HEADER,
        )
    return columns, unused


EXAMPLE_HEADER = (
    "beteckning;plats;longitud;latitud;riktning;synvinkel;räckvidd;typ;montering;monteringshöjd;"
    "planerad;installerad;i drift sedan;lagringstid"
)


def is_header(cells: list[str]) -> bool:
    """Whether a row looks like the header: it names the identifier and the site."""
    names = {normalise_header(cell) for cell in cells}
    return bool(names & set(HEADER_NAMES["identifier"])) and bool(names & set(HEADER_NAMES["site"]))


def cell_text(cell: Any) -> str:
    """A cell as text: spaces collapsed and trimmed, a whole float without ".0" (Excel's 12 is 12.0)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return _SPACES.sub(" ", str(cell)).strip()


def parse_number(cell: Any) -> float | None:
    """A number from a cell: 22.5, "22,5", "1 234,5", "−3" (None for an empty cell).

    Raises ValueError when the cell holds something else, NaN or infinity.
    """
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, bool):
        raise ValueError(cell)
    if isinstance(cell, int | float):
        value = float(cell)
    else:
        text = str(cell).strip().replace("\u2212", "-").replace("\u00a0", "").replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", text):
            raise ValueError(cell)
        value = float(text)
    if not math.isfinite(value):
        raise ValueError(cell)
    return value


def parse_date(cell: Any) -> dt.date | None:
    """A date from a cell: an Excel date, or text ÅÅÅÅ-MM-DD (None for an empty cell). Raises ValueError."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = str(cell).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(cell)
    return dt.date.fromisoformat(text)


def _number(row: CameraRow, cells: list[Any], columns: dict[str, int], headers: list[str], key: str) -> None:
    if key not in columns:
        return
    cell = cells[columns[key]] if columns[key] < len(cells) else None
    try:
        row.values[key] = parse_number(cell)
    except ValueError:
        row.problems.append(
            Problem(
                headers[columns[key]],
                _("%(value)s är inget tal; skriv t.ex. 22,5."),
                {"value": cell_text(cell)[:40]},
            )
        )


def read_row(
    number: int,
    cells: list[Any],
    columns: dict[str, int],
    headers: list[str],
    *,
    sites: Mapping[str, SiteAnchor],
    area: MunicipalityArea | None,
    today: dt.date,
) -> CameraRow:
    """One data row read and checked on its own (not against other rows or stored cameras).

    `sites` maps each site's exact name to its anchor; `area` is the municipality's (Sweden when
    None). Dates in the future are refused here with the column named; their order is the caller's
    check (`lifecycle.history_steps`).
    """
    row = CameraRow(number, {})

    def cell(key: str) -> Any:
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    def header(key: str) -> str:
        return headers[columns[key]] if key in columns else HEADER_NAMES[key][0]

    def problem(key: str, template: str, **params: Any) -> None:
        row.problems.append(Problem(header(key), template, params))

    for key in ("identifier", "site", "purpose"):
        row.values[key] = cell_text(cell(key))
    for key in ("identifier", "site"):
        if not row.values[key]:
            problem(key, _("Värde saknas."))
    if len(row.values["identifier"]) > 50:
        problem("identifier", _("Beteckningen är längre än 50 tecken."))
    for key in (
        "bearing",
        "hfov",
        "range",
        "mount_height",
        "retention",
        "longitude",
        "latitude",
        "easting",
        "northing",
    ):
        _number(row, cells, columns, headers, key)
    for key in ("bearing", "hfov", "mount_height"):
        if row.values.get(key) is None and not any(p.column == header(key) for p in row.problems):
            problem(key, _("Värde saknas."))
    bearing = row.values.get("bearing")
    if bearing is not None and not 0 <= bearing < 360:
        problem("bearing", _("Riktningen ska vara 0–359 grader medurs från norr; %(value)s är utanför."), value=bearing)
    hfov = row.values.get("hfov")
    if hfov is not None and not 1 <= hfov <= 360:
        problem("hfov", _("Synvinkeln ska vara 1–360 grader; %(value)s är utanför."), value=hfov)
    reach = row.values.get("range")
    if reach is not None and not 1 <= reach <= 1000:
        problem("range", _("Räckvidden ska vara 1–1000 meter; %(value)s är utanför."), value=reach)
    height = row.values.get("mount_height")
    if height is not None and not 0 <= height <= 100:
        problem("mount_height", _("Monteringshöjden ska vara 0–100 meter; %(value)s är utanför."), value=height)
    retention = row.values.get("retention")
    if retention is not None and (retention < 1 or not float(retention).is_integer()):
        problem("retention", _("Lagringstiden anges i hela timmar, minst 1; %(value)s går inte."), value=retention)
    for key, choices in (("camera_type", CAMERA_TYPES), ("mount", MOUNTS)):
        text = cell_text(cell(key))
        if not text:
            problem(key, _("Värde saknas."))
        elif text.lower() not in choices:
            problem(
                key,
                _("%(value)s är inget känt värde; skriv något av %(choices)s."),
                value=text[:40],
                choices=CHOICE_WORDS[key],
            )
        else:
            row.values[key] = choices[text.lower()]
    for key in DATE_COLUMNS:
        if key not in columns:
            continue
        try:
            row.values[key] = parse_date(cell(key))
        except ValueError:
            problem(
                key, _("%(value)s är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2019-05-20."), value=cell_text(cell(key))[:40]
            )
            continue
        if row.values[key] is not None and row.values[key] > today:
            problem(
                key,
                _("Datumet %(date)s ligger i framtiden; historik kan bara gälla det som har hänt."),
                date=row.values[key].isoformat(),
            )
    _position(row, columns, headers, header, sites, area)
    return row


def _position(
    row: CameraRow,
    columns: dict[str, int],
    headers: list[str],
    header: Any,
    sites: Mapping[str, SiteAnchor],
    area: MunicipalityArea | None,
) -> None:
    site = sites.get(row.values["site"]) if row.values["site"] else None
    if row.values["site"] and site is None:
        row.problems.append(
            Problem(
                header("site"),
                _("Platsen %(site)s finns inte i Trygg; skriv platsens namn exakt som i platslistan."),
                {"site": row.values["site"][:100]},
            )
        )
    lon, lat = row.values.get("longitude"), row.values.get("latitude")
    east, north = row.values.get("easting"), row.values.get("northing")
    if lon is not None or lat is not None:
        keys = ("longitude", "latitude")
    elif east is not None or north is not None:
        keys = ("easting", "northing")
    else:
        keys = ("longitude", "latitude") if "longitude" in columns else ("easting", "northing")
    if any(p.column in {header(k) for k in keys} for p in row.problems):
        return  # not a number: said already
    first, second = (row.values.get(k) for k in keys)
    if first is None or second is None:
        missing = keys[0] if first is None else keys[1]
        row.problems.append(Problem(header(missing), _("Värde saknas; positionen behöver båda koordinaterna.")))
        return
    if keys[0] == "easting":
        if first > second:  # E is about 200 000–1 000 000, N 6 100 000–7 700 000 in Sweden
            row.problems.append(
                Problem(
                    f"{header('easting')}/{header('northing')}",
                    _("E och N verkar omkastade: i SWEREF 99 TM är N (norr) det större talet, omkring 6–7 miljoner."),
                )
            )
            return
        xs, ys = grid_to_lonlat(first, second)
        lon, lat = float(xs), float(ys)
        if not (math.isfinite(lon) and math.isfinite(lat)):
            row.problems.append(Problem(header("easting"), _("Koordinaterna kunde inte räknas om från SWEREF 99 TM.")))
            return
        lon, lat = round(lon, 7), round(lat, 7)
    else:
        lon, lat = first, second
    row.values["longitude"], row.values["latitude"] = lon, lat
    try:
        check_place(Point(lon, lat), area=area, site=site)
    except GeoInputError as error:
        row.problems.append(Problem(f"{header(keys[0])}/{header(keys[1])}", error.message, error.params))


def read_rows(
    rows: Iterable[tuple[int, list[Any]]],
    headers: list[str],
    *,
    sites: Mapping[str, SiteAnchor],
    existing: Iterable[str],
    area: MunicipalityArea | None,
    today: dt.date,
) -> list[CameraRow]:
    """Every non-empty data row read, with identifiers checked against the file and against Trygg.

    `rows` are (row number in the file, cells); `existing` the identifiers already stored. A repeated
    identifier is an error on its second and later rows, naming the first row. Raises HeaderProblem.
    """
    columns, _unused = map_headers(headers)
    stored = set(existing)
    first_seen: dict[str, int] = {}
    result: list[CameraRow] = []
    for number, cells in rows:
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        row = read_row(number, cells, columns, headers, sites=sites, area=area, today=today)
        identifier = row.values["identifier"]
        if identifier in first_seen:
            row.problems.append(
                Problem(
                    headers[columns["identifier"]],
                    _("Beteckningen %(identifier)s finns redan på rad %(row)s i filen."),
                    {"identifier": identifier, "row": first_seen[identifier]},
                )
            )
        elif identifier:
            first_seen[identifier] = number
        row.exists = identifier in stored
        result.append(row)
    return result
