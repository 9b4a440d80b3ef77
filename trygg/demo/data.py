"""The demo situation: the seed document's facts as of 2024-10-29, plus illustrative cameras.

Names and facts come from the board report "Uppdragsrapportering – Trygghetskameror ska sättas upp
på fler utsatta eller potentiellt utsatta platser" (tjänsteutlåtande 2024-10-29). Positions are
approximate. Cameras at places other than Kvisthamraskolan are illustrative, not real, and say so.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

AS_OF = dt.date(2024, 10, 29)
ILLUSTRATIVE = "Illustrativt exempel i demodata, inte en verklig kamera."

ORGANISATION = {
    "municipality_name": "Norrtälje kommun",
    "municipality_code": "0188",
    "controller_board": "Kommunstyrelsen",
    "dpo_name": "Kommunens dataskyddsombud",
    "dpo_email": "dataskyddsombud@kommun.example",
    "dpo_phone": "0176-00 00 00",
    "case_number_pattern": r"^KS \d{4}/\d{3,4}$",
    "case_number_example": "KS 2024/0123",
    "decision_delegation": "Kommunstyrelsens delegationsordning, punkt 4.2 (illustrativ)",
    "camera_budget_per_year": Decimal("1000000.00"),
}

ADMINISTRATIONS = [
    ("Kommunstyrelsekontoret", "KSK"),
    ("Barn- och utbildningsförvaltningen", "BUF"),
    ("Kultur- och fritidsförvaltningen", "KFF"),
    ("Samhällsbyggnadsförvaltningen", "SBF"),
]

ASSIGNMENT = {
    "title": "Trygghetskameror ska sättas upp på fler utsatta eller potentiellt utsatta platser",
    "description": (
        "Politiskt framtaget uppdrag i verksamhetsplan 2024. Arbetet med kamerabevakning på utsatta platser "
        "och i kommunens lokaler har pågått sedan 2019 och har tidigare följts upp med en indikator för "
        "antalet upprättade bevakningskameror."
    ),
    "origin": "political",
    "plan_year": 2024,
    "responsible_unit": "Kommunstyrelsekontoret, enheten Trygghet och säkerhet",
    "status": "ongoing",
    "followed_up_since": 2019,
}

# name, kind, administration short name, address, lon, lat, area kind, vulnerability, reason
SITES = [
    (
        "Kvisthamraskolan",
        "school",
        "BUF",
        "Kvisthamra, Norrtälje",
        18.6868,
        59.7652,
        "urban",
        "vulnerable",
        "Upprepad skadegörelse och klotter på skolbyggnaden kvällar och helger; "
        "övriga åtgärder har inte haft avsedd effekt.",
    ),
    (
        "Rodengymnasiet",
        "upper_secondary_school",
        "BUF",
        "Norrtälje",
        18.6952,
        59.7591,
        "urban",
        "potentially_vulnerable",
        "Dialog pågår med skolan om behovet av bevakning 2025.",
    ),
    (
        "Hallsta skola",
        "school",
        "BUF",
        "Hallstavik",
        18.6012,
        60.0521,
        "rural",
        "potentially_vulnerable",
        "Dialog pågår med skolan om behovet av bevakning 2025.",
    ),
    (
        "Stora torget",
        "public_place",
        "SBF",
        "Stora torget, Norrtälje",
        18.7031,
        59.7583,
        "urban",
        "vulnerable",
        "Ordningsstörningar och våld kvällstid. " + ILLUSTRATIVE,
    ),
    (
        "Kommunhuset",
        "municipal_building",
        "KSK",
        "Norrtälje",
        18.6993,
        59.7619,
        "urban",
        "potentially_vulnerable",
        "Hot mot personal i entrén. " + ILLUSTRATIVE,
    ),
    (
        "Societetsparken",
        "park",
        "SBF",
        "Norrtälje",
        18.7124,
        59.7556,
        "urban",
        "vulnerable",
        "Skadegörelse och otrygghet kvällstid. " + ILLUSTRATIVE,
    ),
    (
        "Sporthallen",
        "sports_facility",
        "KFF",
        "Norrtälje",
        18.6921,
        59.7531,
        "urban",
        "vulnerable",
        "Inbrott och skadegörelse. " + ILLUSTRATIVE,
    ),
    (
        "Rimbo bibliotek",
        "municipal_building",
        "KFF",
        "Rimbo",
        18.3652,
        59.7449,
        "rural",
        "potentially_vulnerable",
        "Skadegörelse på fasaden. " + ILLUSTRATIVE,
    ),
    (
        "Grisslehamns hamnplan",
        "public_place",
        "SBF",
        "Grisslehamn",
        18.8172,
        60.1009,
        "archipelago",
        "vulnerable",
        "Skadegörelse sommartid. " + ILLUSTRATIVE,
    ),
    (
        "Norrtälje hamn",
        "public_place",
        "SBF",
        "Norrtälje hamn",
        18.7091,
        59.7566,
        "urban",
        "vulnerable",
        "Ordningsstörningar kvällstid. " + ILLUSTRATIVE,
    ),
]

# Measures tried at Kvisthamraskolan before cameras: kind, from, to, effect, notes.
KVISTHAMRA_MEASURES = [
    ("lighting", dt.date(2022, 9, 1), None, "none", "Ny fasadbelysning 2022; skadegörelsen fortsatte kvällstid."),
    (
        "guards",
        dt.date(2023, 1, 15),
        dt.date(2023, 12, 31),
        "partial",
        "Väktarrondering helgnätter 2023; färre tillbud under ronderna men skadegörelse mellan dem.",
    ),
    (
        "graffiti_removal",
        dt.date(2023, 3, 1),
        None,
        "none",
        "Snabbsanering av klotter inom 24 timmar; nytt klotter återkommer.",
    ),
]

PROJECT = {
    "name": "Kvisthamraskolan – yttre bevakning av byggnad",
    "plan_year": 2024,
    "scope_description": "Yttre bevakning av byggnad (ej skolgård).",
    "target_min": 3,
    "target_max": 4,
    "target_date": dt.date(2024, 12, 31),
    "forecast_date": dt.date(2025, 3, 31),
    "status": "designing",
    "delay_reasons": ["operation_preparation"],
    # The officer's own words beside the reason ticked; the report writes both.
    "delay_description": "Skolans underlag om lokaler och el till kamerorna är inte klart.",
}

# site, held on, with whom, what was said, concerns year, belongs to the project
DIALOGUE_NOTES = [
    (
        "Kvisthamraskolan",
        dt.date(2024, 3, 12),
        "Rektor och barn- och utbildningsförvaltningen",
        "Behovet av yttre bevakning av byggnaden (ej skolgård) gicks igenom. "
        "Övriga åtgärder har inte haft avsedd effekt.",
        2024,
        True,
    ),
    (
        "Kvisthamraskolan",
        dt.date(2024, 9, 24),
        "Rektor och fastighetsansvarig",
        "Skolans förarbete (underlag om lokaler och el) är försenat; kamerorna kan komma på plats först Q1 2025.",
        2024,
        True,
    ),
    (
        "Rodengymnasiet",
        dt.date(2024, 10, 8),
        "Rektor, Rodengymnasiet",
        "Fortsatt dialog om kamerabevakning som kan vara aktuell 2025.",
        2025,
        False,
    ),
    (
        "Hallsta skola",
        dt.date(2024, 10, 15),
        "Rektor, Hallsta skola",
        "Fortsatt dialog om kamerabevakning som kan vara aktuell 2025.",
        2025,
        False,
    ),
]

# Illustrative cameras: identifier, site, east/north offset from the site (m), bearing, hfov, mount,
# height, type, indoor, schedule template, coverage in words, then the dated life cycle.
D = dt.date
# The cameras on the square the municipality chooses to publish in OpenStreetMap (open data, issue 13).
PUBLISHED_IN_OSM = frozenset({"TORG-01", "TORG-02"})

ILLUSTRATIVE_CAMERAS = [
    (
        "TORG-01",
        "Stora torget",
        (-12, 8),
        135,
        90,
        "pole",
        6.0,
        "fixed",
        False,
        "always",
        "Torgytan mot sydost.",
        [("designed", D(2019, 3, 1)), ("installed", D(2019, 6, 10)), ("in_operation", D(2019, 9, 1))],
    ),
    (
        "TORG-02",
        "Stora torget",
        (14, -6),
        315,
        90,
        "pole",
        6.0,
        "fixed",
        False,
        "always",
        "Torgytan mot nordväst.",
        [("designed", D(2019, 3, 1)), ("installed", D(2019, 6, 10)), ("in_operation", D(2019, 9, 1))],
    ),
    (
        "TORG-03",
        "Stora torget",
        (0, 20),
        180,
        60,
        "wall",
        5.0,
        "fixed",
        False,
        "always",
        "Passagen mot torget.",
        [
            ("designed", D(2019, 9, 1)),
            ("installed", D(2019, 12, 1)),
            ("in_operation", D(2020, 1, 10)),
            ("decommissioned", D(2023, 2, 1)),
        ],
    ),
    (
        "KOM-01",
        "Kommunhuset",
        (0, -10),
        180,
        80,
        "wall",
        3.0,
        "fixed",
        False,
        "always",
        "Huvudentrén utifrån.",
        [("designed", D(2019, 11, 1)), ("installed", D(2020, 2, 20)), ("in_operation", D(2020, 3, 15))],
    ),
    (
        "PARK-01",
        "Societetsparken",
        (5, 5),
        200,
        100,
        "pole",
        5.0,
        "dome",
        False,
        "always",
        "Parkens gångstråk.",
        [
            ("designed", D(2021, 1, 10)),
            ("installed", D(2021, 4, 20)),
            ("in_operation", D(2021, 5, 10)),
            ("paused", D(2024, 6, 1)),
        ],
    ),
    (
        "SPORT-01",
        "Sporthallen",
        (-20, 0),
        270,
        70,
        "wall",
        4.0,
        "fixed",
        False,
        "always",
        "Västra fasaden.",
        [("designed", D(2022, 5, 1)), ("installed", D(2022, 10, 1)), ("in_operation", D(2022, 11, 1))],
    ),
    (
        "SPORT-02",
        "Sporthallen",
        (20, 0),
        90,
        70,
        "wall",
        4.0,
        "fixed",
        False,
        "always",
        "Östra fasaden och ytan öster om hallen.",
        [("designed", D(2022, 5, 1)), ("installed", D(2022, 10, 1)), ("in_operation", D(2022, 11, 1))],
    ),
    (
        "RIM-01",
        "Rimbo bibliotek",
        (0, 8),
        0,
        80,
        "wall",
        4.0,
        "fixed",
        False,
        "always",
        "Norra fasaden och entrén.",
        [("designed", D(2022, 10, 1)), ("installed", D(2023, 3, 1)), ("in_operation", D(2023, 4, 1))],
    ),
    (
        "GRI-01",
        "Grisslehamns hamnplan",
        (0, 0),
        90,
        90,
        "pole",
        6.0,
        "fixed",
        False,
        "always",
        "Hamnplanen mot öster.",
        [("designed", D(2023, 11, 1)), ("installed", D(2024, 4, 20)), ("in_operation", D(2024, 5, 15))],
    ),
    (
        "HAMN-01",
        "Norrtälje hamn",
        (0, 0),
        160,
        90,
        "pole",
        6.0,
        "fixed",
        False,
        "always",
        "Kajen mot söder.",
        [("designed", D(2024, 2, 1)), ("installed", D(2024, 8, 15)), ("in_operation", D(2024, 9, 1))],
    ),
]

# Kvisthamraskolan's planned cameras: on the facades, looking along them, away from the schoolyard
# (which lies south of the building). identifier, offset (m), bearing, hfov, state.
# The building spans 60 m × 18 m (west -30 to east 30, south -10 to north 8 m from the site's point);
# the schoolyard starts 2 m south of it. Narrow lenses along the facades keep to the facade strip.
# The outline is drawn square to the SWEREF 99 TM grid, whose north here lies about 3.2° west of
# true north, so a bearing along the north facade is 90° + 3.2° true, not 90°.
KVISTHAMRA_CAMERAS = [
    ("KVI-01", (-30, 8), 99, 20, "designed", "Norra fasaden från nordvästra hörnet, med 2 m-remsa."),
    ("KVI-02", (30, 8), 267, 20, "designed", "Norra fasaden från nordöstra hörnet, med 2 m-remsa."),
    ("KVI-03", (-30, -10), 357, 20, "designed", "Västra gaveln från sydvästra hörnet, med 2 m-remsa."),
    ("KVI-04", (30, -10), 9, 20, "planned", "Östra gaveln från sydöstra hörnet (fjärde kameran, om målbilden nås)."),
]

# Sporthallen (illustrative): the hall is 40 m × 30 m around the site's point; SPORT-02 on its east
# wall looks straight at the homes on the neighbouring property, which must not be filmed. It shows
# what an intrusion looks like: the sector (70°, 30 m) reaches 15 m past the wall into the plot
# (392 m², 71 % of what it sees). No privacy mask is recorded with an image from the camera, so its
# checklist shows the blocker KBL-9-ZONE-INTRUSION as a real finding: the officer records the mask
# (page /kameror/<id>/maskering/) or turns the camera.
SPORTHALLEN_BUILDING = (-20, -15, 20, 15)
SPORTHALLEN_NEIGHBOUR = (35, -25, 70, 25)

# Demo users: username, password, first name, last name, role, administrations.
USERS = [
    ("admin", "trygg-admin", "Alva", "Systemförvaltare", "admin", []),
    ("handlaggare", "trygg-handlaggare", "Hanna", "Handläggare", "officer", []),
    ("forvaltning", "trygg-forvaltning", "Fredrik", "Förvaltningskontakt", "administration_contact", ["BUF"]),
    ("dataskydd", "trygg-dataskydd", "Dana", "Dataskyddsombud", "dpo", []),
    ("lasare", "trygg-lasare", "Lars", "Läsare", "reader", []),
]

# Follow-up (issue 6): the indicator the assignment is followed up with, its yearly targets, the
# reporting points, the earmarked budget with costs, the seed's deadlines and the draft report.
INDICATOR = {
    "code": "kameror-i-drift",
    "name": "Antal bevakningskameror i drift",
    "definition": (
        "Antal kameror vars senaste statusändring på dagen är ”i drift”. Räknas ur kamerornas daterade "
        "statusändringar; pausade och avvecklade kameror räknas inte."
    ),
    "unit": "st",
    "source": "Trygg: kamerornas statusändringar",
    "frequency": "Delår per april och augusti samt helår",
}
# The seed gives no targets: these are illustrative.
INDICATOR_TARGETS = [
    (2023, 7, "Illustrativt målvärde i demodata."),
    (2024, 11, "Illustrativt målvärde i demodata: dagens kameror och 3–4 på Kvisthamraskolan."),
    (2025, 13, "Illustrativt målvärde i demodata."),
]
# kind, year, title, due on, status, submitted on
REPORTING_POINTS = [
    ("interim_april", 2024, "", D(2024, 5, 15), "reported", D(2024, 5, 14)),
    ("interim_august", 2024, "", D(2024, 9, 16), "reported", D(2024, 9, 13)),
    ("special", 2024, "Skriftlig uppdragsrapportering till kommunstyrelsen", D(2024, 10, 28), "drafting", None),
    ("annual", 2024, "", D(2025, 2, 14), "not_started", None),
]
WRITTEN_REPORT_TITLE = "Skriftlig uppdragsrapportering till kommunstyrelsen"
# kind, title, date, time, location, belongs to the written report, notes
DEADLINES = [
    (
        "submission",
        "Inlämning av uppdragsrapporteringen till nämndsekretariatet",
        D(2024, 10, 28),
        None,
        "",
        True,
        "Enligt tjänsteutlåtandet: inlämning senast den 28 oktober.",
    ),
    (
        "work_committee_meeting",
        "Kommunstyrelsens arbetsutskott behandlar uppdragsrapporteringen",
        D(2024, 11, 18),
        dt.time(9, 0),
        "Kommunhuset",
        True,
        "Datumet är ett illustrativt exempel i demodata.",
    ),
    (
        "board_meeting",
        "Kommunstyrelsen: uppdragsrapportering trygghetskameror",
        D(2024, 12, 2),
        dt.time(13, 0),
        "Kommunhuset",
        True,
        "Enligt tjänsteutlåtandet: skriftlig rapport till kommunstyrelsen den 2 december 2024.",
    ),
]
BUDGET_ALLOCATIONS = [
    (2024, Decimal("1000000.00"), "Verksamhetsplan 2024: särskilt tilldelade medel för kamerabevakning"),
    (2025, Decimal("1000000.00"), "Verksamhetsplan 2025: särskilt tilldelade medel för kamerabevakning"),
]
PROJECT_ESTIMATED_COST = Decimal("320000.00")
# Illustrative costs: date, category, status, amount, description, camera, belongs to the project
COST_ENTRIES = [
    (D(2024, 1, 31), "operation", "spent", Decimal("36000.00"), "Drift och överföring 2024", None, False),
    (
        D(2024, 3, 20),
        "licences",
        "spent",
        Decimal("48000.00"),
        "Licenser för videohanteringssystemet 2024",
        None,
        False,
    ),
    (
        D(2024, 5, 10),
        "hardware",
        "spent",
        Decimal("62500.00"),
        "Kamera och stolpe, Grisslehamns hamnplan",
        "GRI-01",
        False,
    ),
    (
        D(2024, 5, 10),
        "installation",
        "spent",
        Decimal("38000.00"),
        "Installation, Grisslehamns hamnplan",
        "GRI-01",
        False,
    ),
    (D(2024, 6, 15), "maintenance", "spent", Decimal("21500.00"), "Service och rengöring av kameror", None, False),
    (
        D(2024, 8, 30),
        "hardware",
        "spent",
        Decimal("95000.00"),
        "Kamera, stolpe och installation, Norrtälje hamn",
        "HAMN-01",
        False,
    ),
    (
        D(2024, 10, 1),
        "hardware",
        "committed",
        Decimal("180000.00"),
        "Kameror och fästen till Kvisthamraskolan (beställda)",
        None,
        True,
    ),
]
BOARD_REPORT = {
    "case_number": "KS 2024/0123",
    "title": "Uppdragsrapportering – Trygghetskameror ska sättas upp på fler utsatta eller potentiellt utsatta platser",
    "year": 2024,
    "as_of": AS_OF,
    "report_date": AS_OF,
    "recipient_body": "Kommunstyrelsen",
    "proposing_body": "Kommunstyrelsens arbetsutskott",
    "office": "Kommunstyrelsekontoret",
    "unit": "Enheten Trygghet och säkerhet",
    "signatories": (
        "Anette Madsen | Kommundirektör | Kommunstyrelsekontoret\n"
        "Johan Hernman | Stabs- och planeringschef | Stabs- och planeringsavdelningen"
    ),
    "recipients": "Enheten Trygghet och säkerhet",
}
