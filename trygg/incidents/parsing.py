"""Turning spreadsheet rows into incidents, with Swedish messages naming row, column and problem.

Pure: no Django. The import (`trygg.incidents.services`) maps columns to `FIELDS`, streams rows
from `trygg.incidents.tabular`, and calls `check_row` on each; the result says what would be
written and why a row is refused. Everything here is deterministic, so the rejected rows can be
produced again later by reading the file once more.

Accepted values, as Swedish spreadsheets write them:
- dates 2024-03-05, 20240305, 5/3/2024, 5/3/24, 05.03.2024, 5-3-2024, "5 mars 2024", Excel dates;
- times 22:15, 22.15, "kl. 22", 2215, Excel times, and ranges "16:00–07:00" (past midnight);
- money "12 500,50", "12 500 kr", "1200:-", 12500.5 (decimal comma or point, space thousands);
- kinds from words ("klotter", "inbrott", "anlagd brand" …) or Trygg's own codes and labels.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from trygg.incidents.i18n import _

# The fields a column can be mapped to, in the order the mapping form shows them.
FIELDS = (
    "date",
    "time",
    "end_date",
    "end_time",
    "site",
    "kind",
    "description",
    "police_report",
    "cost",
    "reported_by",
    "external_id",
)
FIELD_LABELS = {
    "date": _("Datum (då det hände eller upptäcktes)"),
    "time": _("Klockslag eller tid från"),
    "end_date": _("Datum till"),
    "end_time": _("Tid till"),
    "site": _("Plats eller objekt"),
    "kind": _("Typ av händelse"),
    "description": _("Beskrivning (vad som hänt)"),
    "police_report": _("Polisanmälan eller K-nummer"),
    "cost": _("Kostnad (kr)"),
    "reported_by": _("Rapporterad av"),
    "external_id": _("Id eller ärendenummer i källan"),
}

# Header names the two known layouts use (and common variants), lower case without punctuation.
# IMY's template "Sammanställning över brott och incidenter": datum, klockslag, plats, vad som hänt,
# polisanmälan. A municipal damage-report export: skadedatum, tid från, tid till, objekt, skadetyp,
# beskrivning, kostnad, k-nummer.
ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("datum", "skadedatum", "händelsedatum", "brottsdatum", "datum från", "från datum", "inträffade", "date"),
    "time": ("klockslag", "tid", "tid från", "tidpunkt", "kl", "klockan", "från kl", "time", "starttid"),
    "end_date": ("datum till", "till datum", "slutdatum", "upptäckt datum"),
    "end_time": ("tid till", "till kl", "sluttid", "tidpunkt till"),
    "site": ("plats", "objekt", "skola", "fastighet", "platsnamn", "objektnamn", "byggnad", "enhet", "anläggning"),
    "kind": ("skadetyp", "typ", "händelsetyp", "kategori", "brottstyp", "typ av händelse", "typ av skada"),
    "description": (
        "beskrivning",
        "vad som hänt",
        "vad har hänt",
        "händelse",
        "händelsebeskrivning",
        "skadebeskrivning",
        "kommentar",
    ),
    "police_report": (
        "polisanmälan",
        "k-nummer",
        "knummer",
        "k-nr",
        "polisens diarienummer",
        "polisanmäld",
        "polisanmält",
        "anmäld till polisen",
        "polisens k-nummer",
    ),
    "cost": (
        "kostnad",
        "kostnad kr",
        "kostnad (kr)",
        "kostnad i kr",
        "kostnad i kronor",
        "kostnad sek",
        "skadekostnad",
        "belopp",
        "belopp kr",
        "summa",
    ),
    "reported_by": ("rapporterad av", "anmäld av", "anmälare", "rapportör", "uppgiftslämnare"),
    "external_id": ("id", "ärendenummer", "ärende", "ärende-id", "skadenummer", "löpnummer", "skadeanmälan nr"),
}

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "mars": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "maj": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augusti": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}

# Words in "vad som hänt" or "skadetyp" and the kind they mean, tried in this order (a fire that
# was also vandalism is a fire; graffiti is a kind of vandalism but its own kind here).
KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("arson", r"brand|anlagd|mordbrand|eldsvåda|\beld|brann|brinn|tänt eld|rökutveckling"),
    ("break_in", r"inbrott|inbrotts|uppbrut|bruten dörr|tagit sig in|olovligt intrång|intrång"),
    (
        "threat_or_violence",
        r"\bhot(?:et|ad|ade|at|else|elser|full|fullt|fulla)?\b|våld|misshandel|\brån\b|överfall|knivhot",
    ),
    ("theft", r"stöld|stulen|stulna|stal\b|snatteri|tillgrepp"),
    ("graffiti", r"klotter|graffiti|tagg|sprayfärg|sprejad|sprayad"),
    ("vandalism", r"skadegörelse|vandalism|krossad|krossat|krossade|sönder|slagit sönder|ruta|fönster|förstör"),
    ("disorder", r"ordningsstörning|störning|bråk|oro|fylla|berusad|langning|narkotika|nedskräpning|spring"),
)
KIND_CODES = ("vandalism", "break_in", "arson", "graffiti", "theft", "threat_or_violence", "disorder", "other")
KIND_LABELS_SV = {
    "skadegörelse": "vandalism",
    "inbrott": "break_in",
    "anlagd brand eller brand": "arson",
    "brand": "arson",
    "klotter": "graffiti",
    "stöld": "theft",
    "hot eller våld": "threat_or_violence",
    "ordningsstörning": "disorder",
    "övrigt": "other",
    "annat": "other",
}
UNKNOWN_WORDS = {"", "-", "–", "okänt", "okänd", "vet ej", "ej känt", "saknas", "?", "n/a", "na", "x"}
NO_WORDS = {"nej", "ej", "ej anmäld", "ej anmält", "inte anmäld", "inte anmält", "ingen", "n", "no"}
YES_WORDS = {"ja", "j", "yes", "anmäld", "anmält", "polisanmäld", "polisanmält", "x"}

MAX_COST = Decimal("1000000000")
EARLIEST_YEAR = 1990


class ValueProblem(ValueError):
    """A cell that cannot be read; `template % params` is the Swedish explanation."""

    def __init__(self, template: str, **params: Any) -> None:
        super().__init__(template % params if params else template)
        self.template = template
        self.params = params


#
# Normalising text and headers
#


# Reading is cached per distinct text: a file of 100 000 rows holds a few thousand distinct dates,
# times, kinds and sites, so each is parsed once (the cached values are immutable).
CACHE_SIZE = 65536


def normalise(text: Any) -> str:
    """Lower case, single spaces, no surrounding punctuation: for comparing headers and words."""
    return _normalise(str(text or ""))


@functools.lru_cache(maxsize=CACHE_SIZE)
def _normalise(text: str) -> str:
    value = unicodedata.normalize("NFC", text).replace("_", " ").lower()
    return " ".join(value.split()).strip(" .:;*")


def cell_text(cell: Any) -> str:
    """The cell as text with single spaces (Excel's non-breaking spaces too), composed å, ä, ö."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())  # str.split() also splits on U+00A0 and the other Unicode spaces


KNOWN_HEADERS = {alias for aliases in ALIASES.values() for alias in aliases}


def header_keys(header: str) -> tuple[str, ...]:
    """The forms of a header to look up among the aliases, most exact first.

    "Polisanmälan (ja/nej, K-nummer)" → ("polisanmälan (ja/nej, k-nummer)", "polisanmälan");
    "Plats/objekt" → ("plats/objekt", "plats", "objekt"). A note in brackets and a choice of names
    separated by a slash are how people widen a header without renaming it.
    """
    full = normalise(header)
    keys = [full]
    bare = normalise(re.sub(r"\([^)]*\)?|\[[^\]]*\]?", " ", full))
    if bare and bare not in keys:
        keys.append(bare)
    if "/" in bare:
        keys += [part for part in (normalise(p) for p in bare.split("/")) if part and part not in keys]
    return tuple(keys)


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """{field: header} for the headers that match a known alias (see `header_keys`); each header used
    once. An exact alias wins over a variant: "Datum" is the date even when "Datum (till)" also exists."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for depth in range(3):
        forms: dict[str, str] = {}
        for header in headers:
            if header and header not in used:
                for key in header_keys(header)[: depth + 1]:
                    forms.setdefault(key, header)
        for name in FIELDS:
            if name in mapping:
                continue
            for alias in ALIASES[name]:
                header = forms.get(alias)
                if header is not None and header not in used:
                    mapping[name] = header
                    used.add(header)
                    break
    return mapping


def looks_like_header(cells: list[str]) -> bool:
    """A header row names at least two known columns (title rows above it name none)."""
    return sum(1 for cell in cells if any(key in KNOWN_HEADERS for key in header_keys(cell))) >= 2


def unused_columns(headers: list[str], mapping: Mapping[str, str]) -> list[str]:
    """The file's named columns that no field reads, in file order (shown so nothing is lost unseen)."""
    used = set(mapping.values())
    return [header for header in headers if header and header not in used]


#
# Values
#


def parse_date(cell: Any) -> dt.date | None:
    """A Swedish date in any of the usual spellings, or None for an empty cell."""
    if cell is None:
        return None
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _excel_serial_date(cell)
    return _parse_date_string(cell_text(cell))


@functools.lru_cache(maxsize=CACHE_SIZE)
def _parse_date_string(text: str) -> dt.date | None:
    if normalise(text) in UNKNOWN_WORDS:
        return None
    text = re.sub(r"^(mån|tis|ons|tors|fre|lör|sön)(dag)?\.?\s+", "", text, flags=re.IGNORECASE)
    date_part = re.split(r"[ T](?=\d{1,2}[:.]\d{2})", text)[0].strip()
    try:
        return _parse_date_text(date_part)
    except ValueError as error:
        raise ValueProblem(
            _("”%(value)s” är inget datum Trygg känner igen; skriv till exempel 2024-03-05 eller 5/3/2024."),
            value=text,
        ) from error


def _excel_serial_date(value: float) -> dt.date:
    if 20000 <= value <= 80000:  # Excel's day numbers for 1954–2119
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    if 19000101 <= value <= 21001231 and float(value).is_integer():
        return _parse_date_text(str(int(value)))
    raise ValueProblem(
        _("”%(value)s” är inget datum Trygg känner igen; skriv till exempel 2024-03-05 eller 5/3/2024."),
        value=cell_text(value),
    )


def _parse_date_text(text: str) -> dt.date:
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif match := re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})", text):
        day, month, year = (int(g) for g in match.groups())
        if year < 100:
            year += 2000
    elif match := re.fullmatch(r"(\d{1,2})\s*([a-zåäö]+)\.?\s+(\d{4})", text.lower()):
        day, year = int(match.group(1)), int(match.group(3))
        month = MONTHS.get(match.group(2))
        if month is None:
            raise ValueError(text)
    else:
        raise ValueError(text)
    return dt.date(year, month, day)


@dataclass(frozen=True)
class TimeOfDay:
    """A clock time, or a range of clock times when the cell says "16:00–07:00"."""

    start: dt.time
    end: dt.time | None = None


def parse_time(cell: Any) -> TimeOfDay | None:
    """A clock time or clock range; None for an empty or "okänt" cell."""
    if cell is None:
        return None
    if isinstance(cell, dt.datetime):
        return TimeOfDay(cell.time().replace(second=0, microsecond=0))
    if isinstance(cell, dt.time):
        return TimeOfDay(cell.replace(second=0, microsecond=0))
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if 0 <= cell < 1:  # an Excel time: a fraction of a day
            minutes = round(cell * 24 * 60) % (24 * 60)
            return TimeOfDay(dt.time(minutes // 60, minutes % 60))
        if float(cell).is_integer() and 0 <= cell <= 2359:
            return parse_time(str(int(cell)))
    return _parse_time_string(cell_text(cell))


@functools.lru_cache(maxsize=CACHE_SIZE)
def _parse_time_string(text: str) -> TimeOfDay | None:
    if normalise(text) in UNKNOWN_WORDS:
        return None
    cleaned = re.sub(r"^(kl\.?|klockan|ca\.?|cirka|omkring)\s*", "", text.lower()).strip()
    cleaned = re.sub(r"^(kl\.?|klockan)\s*", "", cleaned).strip()
    parts = re.split(r"\s*(?:-|–|—|till)\s*", cleaned)
    try:
        if len(parts) == 2 and parts[0] and parts[1]:
            return TimeOfDay(_clock(parts[0]), _clock(parts[1]))
        if len(parts) == 1:
            return TimeOfDay(_clock(parts[0]))
    except ValueError:
        pass
    raise ValueProblem(
        _("”%(value)s” är inget klockslag Trygg känner igen; skriv till exempel 22:15, 22 eller 16:00–07:00."),
        value=text,
    )


def _clock(text: str) -> dt.time:
    text = re.sub(r"^(kl\.?|klockan)\s*", "", text.strip())
    if match := re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?(?:[:.]\d{2})?", text):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
    elif match := re.fullmatch(r"(\d{2})(\d{2})", text):
        hour, minute = int(match.group(1)), int(match.group(2))
    else:
        raise ValueError(text)
    if hour == 24 and minute == 0:
        hour = 0
    return dt.time(hour, minute)


def parse_end(cell: Any) -> tuple[dt.date | None, dt.time | None]:
    """A "tid till" cell: a time (on the start's day, or the next if earlier), a date, or both."""
    if cell is None:
        return None, None
    if isinstance(cell, dt.datetime):
        has_time = cell.time() != dt.time(0)
        return cell.date(), cell.time().replace(second=0, microsecond=0) if has_time else None
    if isinstance(cell, dt.date):
        return cell, None
    if isinstance(cell, str):
        return _parse_end_string(cell_text(cell))
    return _parse_end_other(cell)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _parse_end_string(text: str) -> tuple[dt.date | None, dt.time | None]:
    return _parse_end_other(text)


def _parse_end_other(cell: Any) -> tuple[dt.date | None, dt.time | None]:
    text = cell_text(cell)
    if normalise(text) in UNKNOWN_WORDS:
        return None, None
    if match := re.fullmatch(r"(.+?)[ T]+(?:kl\.?\s*)?(\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)", text):
        return parse_date(match.group(1)), parse_time(match.group(2)).start  # type: ignore[union-attr]
    try:
        time = parse_time(cell)
    except ValueProblem:
        pass
    else:
        return None, time.start if time else None
    try:
        return parse_date(cell), None
    except ValueProblem as error:
        raise ValueProblem(
            _("”%(value)s” är varken ett klockslag eller ett datum; skriv till exempel 07:00 eller 2024-03-04 07:00."),
            value=text,
        ) from error


def parse_cost(cell: Any) -> Decimal | None:
    """Kronor: "12 500,50", "12 500 kr", "1200:-", 12500.5; None for an empty cell."""
    if cell is None:
        return None
    if isinstance(cell, int | float | Decimal) and not isinstance(cell, bool):
        amount = Decimal(str(cell))
    else:
        text = cell_text(cell)
        if normalise(text) in UNKNOWN_WORDS:
            return None
        cleaned = re.sub(r"(?i)\b(sek|kr|kronor)\b\.?|:-", "", text)
        cleaned = re.sub(r"[\s\u2009\u202f']", "", cleaned)
        if "," in cleaned and "." in cleaned:
            decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
            thousands = "." if decimal_mark == "," else ","
            cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
        elif cleaned.count(",") > 1:
            cleaned = cleaned.replace(",", "")
        elif cleaned.count(".") > 1:
            cleaned = cleaned.replace(".", "")
        else:
            cleaned = cleaned.replace(",", ".")
        if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
            raise ValueProblem(
                _("”%(value)s” är inget belopp i kronor; skriv till exempel 12 500 eller 12 500,50."), value=text
            )
        amount = Decimal(cleaned)
    if amount < 0:
        raise ValueProblem(_("Kostnaden kan inte vara negativ (fick %(value)s)."), value=cell_text(cell))
    if amount >= MAX_COST:
        raise ValueProblem(_("Kostnaden %(value)s kr är orimligt stor; kontrollera beloppet."), value=cell_text(cell))
    try:
        return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation as error:  # pragma: no cover - guarded by the size check
        raise ValueProblem(_("”%(value)s” är inget belopp i kronor."), value=cell_text(cell)) from error


@functools.lru_cache(maxsize=CACHE_SIZE)
def parse_kind(text: str) -> str | None:
    """The incident kind that `text` names, or None when no word matches."""
    if str(text or "").strip().lower() in KIND_CODES:
        return str(text).strip().lower()
    value = normalise(text)
    if not value:
        return None
    if value in KIND_LABELS_SV:
        return KIND_LABELS_SV[value]
    for kind, pattern in KIND_WORDS:
        if re.search(pattern, value):
            return kind
    return None


@dataclass(frozen=True)
class PoliceReport:
    reported: bool
    number: str = ""


def parse_police_report(cell: Any) -> PoliceReport:
    """ "Ja"/"Nej" (IMY's template) or a K-nummer such as 5000-K123456-24."""
    return _parse_police_string(cell_text(cell))


@functools.lru_cache(maxsize=CACHE_SIZE)
def _parse_police_string(text: str) -> PoliceReport:
    value = normalise(text)
    if value in UNKNOWN_WORDS - {"x"} or value in NO_WORDS:
        return PoliceReport(False)
    if value in YES_WORDS:
        return PoliceReport(True)
    number = re.sub(r"^(k-?nr|k-?nummer|polisanmälan|anmäld)[:\s]*", "", text, flags=re.IGNORECASE).strip()
    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z\-/ ]{2,38}", number) or not re.search(r"\d", number):
        raise ValueProblem(
            _("”%(value)s” ser inte ut som ett K-nummer; skriv numret (t.ex. 5000-K123456-24), Ja eller Nej."),
            value=text,
        )
    return PoliceReport(True, number.upper())


#
# Rows
#


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str  # the header as written in the file, or the field's label when no column
    template: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.template % self.params if self.params else self.template


@dataclass(frozen=True)
class ParsedIncident:
    """One valid row, ready to be stored (times are local wall-clock times)."""

    site_id: int
    kind: str
    occurred_on: dt.date
    occurred_time: dt.time | None
    until_on: dt.date | None
    until_time: dt.time | None
    description: str
    reported_to_police: bool
    police_report_number: str
    cost: Decimal | None
    reported_by: str
    external_id: str
    key: str
    place_detail: str = ""  # what the place cell says after the site's name ("entré B")


@dataclass(frozen=True)
class RowResult:
    row: int
    incident: ParsedIncident | None
    problems: tuple[RowProblem, ...] = ()


@dataclass
class CheckContext:
    """What checking a row needs to know besides the row: column positions, sites, today."""

    columns: Mapping[str, int]  # field → column index
    headers: list[str]
    sites: Mapping[str, int]  # normalised site name → id
    default_site_id: int | None
    today: dt.date

    confirmed_sites: Mapping[str, int] = field(default_factory=dict)  # normalised cell text → site id

    _site_cache: dict[str, SiteMatch] = field(default_factory=dict, repr=False)

    def site_match(self, text: str) -> SiteMatch:
        if text not in self._site_cache:
            self._site_cache[text] = match_site(text, self.sites, self.confirmed_sites)
        return self._site_cache[text]

    def site_id(self, text: str) -> int | None:
        return self.site_match(text).site_id

    def column_name(self, name: str) -> str:
        index = self.columns.get(name)
        if index is not None and index < len(self.headers) and self.headers[index]:
            return self.headers[index]
        return FIELD_LABELS[name]


def _cell(cells: list[Any], index: int | None) -> Any:
    if index is None or index >= len(cells):
        return None
    return cells[index]


# What may stand between a site's name and the detail after it: "Kvisthamraskolan, entré B",
# "Sporthallen - omklädningsrum", "Rodengymnasiet (hus C)", "Stora torget: busskuren".
DETAIL_SEPARATOR = re.compile(r"\s*(?:[,;:(/]|[-–—]\s)\s*")


@dataclass(frozen=True)
class SiteMatch:
    """What a place cell names: the site (or None), the place detail after the name, and, when the
    cell only starts like a site's name ("Sporthallen Rimbo"), that site as a candidate the user may
    confirm. `how` is "name", "confirmed", "candidate" or "unknown"."""

    site_id: int | None
    detail: str = ""
    candidate_id: int | None = None
    how: str = "unknown"


def match_site(value: str, sites: Mapping[str, int], confirmed: Mapping[str, int] | None = None) -> SiteMatch:
    """The site a place cell names, matching only whole names.

    `sites` maps normalised site names to ids; `confirmed` maps normalised cell texts to the site the
    user chose for them. A cell matches a site when it is the site's name, or the name followed by a
    separator and a detail ("Kvisthamraskolan, entré B" → Kvisthamraskolan, detail "entré B"). A cell
    that only begins with a name ("Sporthallen Rimbo" and the site Sporthallen) matches nothing until
    the user confirms it; the site is given as the candidate. Of several names the longest wins.
    """
    text = cell_text(value)
    key = normalise(text)
    lowered = text.lower()
    best: tuple[int, int, str] | None = None  # (name length, site id, detail)
    candidate: tuple[int, int] | None = None
    for name, site_id in sites.items():
        if not name or not lowered.startswith(name) or key == name:
            continue
        rest = text[len(name) :]
        separator = DETAIL_SEPARATOR.match(rest)
        if separator:
            detail = rest[separator.end() :].strip().rstrip(")").strip()
            if best is None or len(name) > best[0]:
                best = (len(name), site_id, detail)
        elif rest[:1].isspace() and (candidate is None or len(name) > candidate[0]):
            candidate = (len(name), site_id)
    if confirmed and key in confirmed:
        site_id = confirmed[key]
        detail = ""
        for name, named_id in sites.items():
            if named_id == site_id and lowered.startswith(name) and key != name:
                detail = DETAIL_SEPARATOR.sub("", text[len(name) :], count=1).strip().rstrip(")").strip()
        return SiteMatch(site_id, detail, how="confirmed")
    if key in sites:
        return SiteMatch(sites[key], how="name")
    if best is not None:
        return SiteMatch(best[1], best[2], how="name")
    if candidate is not None:
        return SiteMatch(None, candidate_id=candidate[1], how="candidate")
    return SiteMatch(None)


def resolve_site(value: str, sites: Mapping[str, int]) -> int | None:
    """The site a cell names (see `match_site`), or None."""
    return match_site(value, sites).site_id


def check_row(row: int, cells: list[Any], context: CheckContext) -> RowResult:
    """Read one row; either an incident or the problems that stop it, every problem named."""
    problems: list[RowProblem] = []
    columns = context.columns

    def problem(name: str, template: str, **params: Any) -> None:
        problems.append(RowProblem(row, context.column_name(name), template, params))

    def read(name: str, parser: Any) -> Any:
        try:
            return parser(_cell(cells, columns.get(name)))
        except ValueProblem as error:
            problems.append(RowProblem(row, context.column_name(name), error.template, error.params))
            return None

    occurred_on = read("date", parse_date)
    if occurred_on is None and not any(p.column == context.column_name("date") for p in problems):
        problem("date", _("Datum saknas; varje händelse behöver ett datum."))
    elif occurred_on is not None:
        if occurred_on > context.today:
            problem("date", _("Datumet %(date)s ligger i framtiden."), date=occurred_on.isoformat())
        elif occurred_on.year < EARLIEST_YEAR:
            problem("date", _("Datumet %(date)s är orimligt tidigt; kontrollera året."), date=occurred_on.isoformat())

    time = read("time", parse_time)
    end_date, end_time = (None, None)
    if "end_time" in columns:
        end_date, end_time = read("end_time", parse_end) or (None, None)
    if "end_date" in columns:
        explicit_end_date = read("end_date", parse_date)
        end_date = explicit_end_date or end_date
    occurred_time = time.start if time else None
    if time and time.end is not None and end_time is None:
        end_time = time.end
    if end_time is not None and end_date is None and occurred_on is not None:
        # "16:00–07:00": a clock range that ends earlier than it starts runs past midnight.
        start = occurred_time or dt.time(0)
        end_date = occurred_on + dt.timedelta(days=1) if end_time <= start else occurred_on
    if occurred_on is not None and end_date is not None:
        start_moment = dt.datetime.combine(occurred_on, occurred_time or dt.time(0))
        end_moment = dt.datetime.combine(end_date, end_time) if end_time else dt.datetime.combine(end_date, dt.time(0))
        end_moment += dt.timedelta(days=1) if end_time is None else dt.timedelta(0)
        name = "end_time" if "end_time" in columns else "end_date" if "end_date" in columns else "time"
        if end_moment <= start_moment:
            problem(name, _("Tiden till ligger före tiden från."))
        elif end_moment - start_moment > dt.timedelta(days=31):
            problem(name, _("Tidsintervallet är längre än 31 dagar; dela upp det eller ange när skadan upptäcktes."))
        elif end_date > context.today:
            problem(name, _("Tiden till ligger i framtiden."))
        if end_date == occurred_on and end_time is None and occurred_time is None:
            end_date = None  # the same single day: a date with unknown time

    site_id = context.default_site_id
    place_detail = ""
    site_text = cell_text(_cell(cells, columns.get("site")))
    if site_text:
        match = context.site_match(site_text)
        site_id, place_detail = match.site_id, match.detail[:200]
        if match.how == "candidate":
            problem(
                "site",
                _(
                    "Platsen ”%(value)s” är inte namnet på en plats i Trygg, bara början liknar en; "
                    "bekräfta platsen under ”Platser i filen” eller skriv platsens namn som i Trygg."
                ),
                value=site_text,
            )
        elif site_id is None:
            problem(
                "site",
                _(
                    "Platsen ”%(value)s” finns inte i Trygg (eller ligger utanför din behörighet); skriv platsens namn som i Trygg."
                ),
                value=site_text,
            )
    elif site_id is None:
        problem("site", _("Plats saknas, och ingen plats är vald för hela filen."))

    description = cell_text(_cell(cells, columns.get("description")))
    kind_text = cell_text(_cell(cells, columns.get("kind")))
    kind = parse_kind(kind_text) or parse_kind(description) or "other"
    if kind_text and not description:
        description = kind_text
    police = PoliceReport(False)
    if "police_report" in columns:
        police = read("police_report", parse_police_report) or PoliceReport(False)
    cost = read("cost", parse_cost)
    reported_by = cell_text(_cell(cells, columns.get("reported_by")))[:200]
    external_id = cell_text(_cell(cells, columns.get("external_id")))[:100]
    if len(description) > 5000:
        problem("description", _("Beskrivningen är längre än 5 000 tecken."))

    if problems or site_id is None or occurred_on is None:
        return RowResult(row, None, tuple(problems))
    values = (
        site_id,
        kind,
        occurred_on.isoformat(),
        occurred_time.isoformat() if occurred_time else "",
        end_date.isoformat() if end_date else "",
        end_time.isoformat() if end_time else "",
        normalise(description),
        police.number,
        str(cost) if cost is not None else "",
    )
    incident = ParsedIncident(
        site_id=site_id,
        kind=kind,
        occurred_on=occurred_on,
        occurred_time=occurred_time,
        until_on=end_date,
        until_time=end_time if end_date else None,
        description=description,
        reported_to_police=police.reported,
        police_report_number=police.number,
        cost=cost,
        reported_by=reported_by,
        external_id=external_id,
        key=row_key(external_id, values),
        place_detail=place_detail,
    )
    return RowResult(row, incident, ())


def row_key(external_id: str, values: tuple[Any, ...]) -> str:
    """A stable key per source row: the source's own id when it has one, else a hash of the values.

    Importing the same file again, or a later export that repeats old rows, gives the same keys, so
    nothing is stored twice (the database holds one row per source and key).
    """
    material = "id\x1f" + external_id if external_id else "values\x1f" + "\x1f".join(str(v) for v in values)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]
