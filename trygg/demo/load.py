"""Loading the demo situation into the database, idempotently (loading twice duplicates nothing)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from shapely.geometry import LineString, Polygon

from trygg.cameras import services as camera_services
from trygg.cameras.coverage import deferred_recompute
from trygg.cameras.models import Camera
from trygg.compliance.demo import load_compliance_demo
from trygg.core.audit import audit_context, record_event
from trygg.core.models import Administration, Organisation
from trygg.demo import data
from trygg.demo.geometry import offset, polyline, rectangle, to_geojson
from trygg.evaluation.demo import load_evaluation_demo
from trygg.evaluation.review_demo import load_review_demo
from trygg.incidents.demo import load_incident_demo
from trygg.notifications.demo import load_notification_demo
from trygg.programme.models import (
    Assignment,
    BudgetAllocation,
    CostEntry,
    Deadline,
    Indicator,
    IndicatorTarget,
    Project,
    ReportingPoint,
)
from trygg.sites.models import Building, DialogueNote, Measure, Site, Zone


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str


def kvisthamra_building(site: Site) -> Polygon:
    """The school building, 60 m × 18 m, in EPSG:3006."""
    return rectangle(site.longitude, site.latitude, -30, -10, 30, 8)


def _load_organisation() -> dict[str, Administration]:
    organisation = Organisation.objects.order_by("pk").first() or Organisation()
    for name, value in data.ORGANISATION.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    administrations = {}
    for name, short in data.ADMINISTRATIONS:
        administrations[short], _created = Administration.objects.get_or_create(
            name=name, defaults={"short_name": short}
        )
    return administrations


def _load_sites(administrations: dict[str, Administration]) -> dict[str, Site]:
    sites = {}
    for name, kind, admin, address, lon, lat, area, vulnerability, reason in data.SITES:
        site = Site.objects.filter(name=name).first()
        if site is None:
            site = Site(
                name=name,
                kind=kind,
                administration=administrations[admin],
                address=address,
                longitude=lon,
                latitude=lat,
                area_kind=area,
                vulnerability=vulnerability,
                vulnerability_reason=reason,
                position_is_approximate=True,
                notes="Läget är ungefärligt (demodata).",
            )
            site.full_clean()
            site.save()
        sites[name] = site
    return sites


def _ensure_zones(site: Site, zones: list[tuple[str, str, str, Polygon | LineString, str]]) -> None:
    for name, kind, rule, polygon, notes in zones:
        if not Zone.objects.filter(site=site, name=name).exists():
            zone = Zone(site=site, name=name, kind=kind, rule=rule, geometry=to_geojson(polygon), notes=notes)
            zone.full_clean()
            zone.save()


def _ensure_building(site: Site, name: str, polygon: Polygon) -> None:
    if not Building.objects.filter(site=site, source="demo", source_id=name).exists():
        building = Building(site=site, name=name, geometry=to_geojson(polygon), source="demo", source_id=name)
        building.full_clean()
        building.save()


def _load_sporthallen(site: Site) -> None:
    """The illustrative intrusion: a camera that looks into the neighbours' plot."""
    _ensure_building(site, "Sporthallen", rectangle(site.longitude, site.latitude, *data.SPORTHALLEN_BUILDING))
    neighbour = rectangle(site.longitude, site.latitude, *data.SPORTHALLEN_NEIGHBOUR)
    _ensure_zones(
        site,
        [
            (
                "Grannfastighet med bostäder",
                "neighbouring_property",
                "must_not_monitor",
                neighbour,
                "Bostadstomt öster om hallen; får inte bevakas. " + data.ILLUSTRATIVE,
            )
        ],
    )


def _load_kvisthamra(site: Site, project: Project) -> None:
    building = kvisthamra_building(site)
    strip = building.buffer(2.0, join_style="mitre").difference(building)
    schoolyard = rectangle(site.longitude, site.latitude, -45, -60, 45, -12)
    zones = [
        ("Skolbyggnaden", "building", "may_monitor", building, "Skolans huvudbyggnad."),
        (
            "Fasad och 2 m",
            "facade_strip",
            "only_outside_school_hours",
            strip,
            "IMY:s praxis: fasaden och 2 m ut får bevakas utanför skoltid.",
        ),
        ("Skolgården", "schoolyard", "must_not_monitor", schoolyard, "Skolgården ska inte bevakas."),
        (
            "Staket mot gatan",
            "fence",
            "may_monitor",
            polyline(site.longitude, site.latitude, (45, -60), (45, 20)),
            "Ritat som en linje längs tomtens östra kant; staketet skymmer kamerornas sikt.",
        ),
    ]
    _ensure_zones(site, zones)
    _ensure_building(site, "Skolbyggnaden", building)
    if not site.outline:
        site.outline = to_geojson(rectangle(site.longitude, site.latitude, -50, -65, 50, 25))
        site.full_clean()
        site.save()
    for kind, started, ended, effect, notes in data.KVISTHAMRA_MEASURES:
        if not Measure.objects.filter(site=site, kind=kind, started_on=started).exists():
            measure = Measure(
                site=site, kind=kind, started_on=started, ended_on=ended, effect=effect, effect_notes=notes
            )
            measure.full_clean()
            measure.save()
    for identifier, (east, north), bearing, hfov, state, coverage in data.KVISTHAMRA_CAMERAS:
        if Camera.objects.filter(identifier=identifier).exists():
            continue
        lon, lat = offset(site.longitude, site.latitude, east, north)
        camera = Camera(
            identifier=identifier,
            site=site,
            project=project,
            longitude=lon,
            latitude=lat,
            mount="wall",
            mount_height_m=4.0,
            bearing_deg=bearing,
            hfov_deg=hfov,
            range_m=25.0,
            camera_type="fixed",
            schedule_template="imy_school_facade",
            retention_hours=72,
            coverage_description=coverage,
            secret_placement=True,
            notes="Planerad kamera i projekteringen. Läget är ungefärligt (demodata).",
        )
        camera.planned_on = data.D(2024, 4, 15)
        camera.full_clean()
        camera.save()
        if state == "designed":
            camera_services.move(camera, "designed", data.D(2024, 9, 30), note="Projekterad med verksamheten.")


def _load_illustrative_cameras(sites: dict[str, Site]) -> None:
    for row in data.ILLUSTRATIVE_CAMERAS:
        identifier, site_name, (east, north), bearing, hfov, mount, height, kind, indoor, schedule, coverage, moves = (
            row
        )
        if Camera.objects.filter(identifier=identifier).exists():
            continue
        site = sites[site_name]
        lon, lat = offset(site.longitude, site.latitude, east, north)
        camera = Camera(
            identifier=identifier,
            site=site,
            longitude=lon,
            latitude=lat,
            mount=mount,
            mount_height_m=height,
            bearing_deg=bearing,
            hfov_deg=hfov,
            range_m=30.0,
            camera_type=kind,
            is_indoor=indoor,
            schedule_template=schedule,
            coverage_description=coverage,
            publish_osm=identifier in data.PUBLISHED_IN_OSM,
            notes=data.ILLUSTRATIVE,
        )
        first_date = moves[0][1]
        camera.planned_on = data.D(first_date.year, 1, 1) if first_date.month > 1 else first_date
        camera.full_clean()
        camera.save()
        for state, on in moves:
            camera_services.move(camera, state, on, note=data.ILLUSTRATIVE)


def _load_users(administrations: dict[str, Administration]) -> list[DemoUser]:
    user_model = get_user_model()
    users = []
    for username, password, first, last, role, admins in data.USERS:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model(username=username, first_name=first, last_name=last, email=f"{username}@kommun.example")
            user.set_password(password)
            user.is_superuser = role == "admin"
            user.is_staff = role != "reader"
            user.save()
        user.groups.add(Group.objects.get(name=role))
        for short in admins:
            administrations[short].contacts.add(user)
        users.append(DemoUser(username, password, role))
    return users


def _load_follow_up(assignment: Assignment, project: Project) -> None:
    """The indicator and its targets, reporting points, budget and costs, deadlines and the draft report."""
    from trygg.reports import services as report_services
    from trygg.reports.models import BoardReport

    indicator, _created = Indicator.objects.get_or_create(
        code=data.INDICATOR["code"], defaults={k: v for k, v in data.INDICATOR.items() if k != "code"}
    )
    assignment.indicators.add(indicator)
    for year, value, note in data.INDICATOR_TARGETS:
        IndicatorTarget.objects.get_or_create(indicator=indicator, year=year, defaults={"value": value, "note": note})
    points = {}
    for kind, year, title, due_on, status, submitted_on in data.REPORTING_POINTS:
        point = ReportingPoint.objects.filter(assignment=assignment, kind=kind, year=year, title=title).first()
        if point is None:
            point = ReportingPoint(
                assignment=assignment,
                kind=kind,
                year=year,
                title=title,
                due_on=due_on,
                status=status,
                submitted_on=submitted_on,
            )
            if kind == "special":
                point.period_end = data.AS_OF
            point.full_clean()
            point.save()
            point.indicators.add(indicator)
        points[title or kind] = point
    written = points[data.WRITTEN_REPORT_TITLE]
    for kind, title, due_on, starts_at, location, in_report, notes in data.DEADLINES:
        if not Deadline.objects.filter(kind=kind, title=title, due_on=due_on).exists():
            deadline = Deadline(
                kind=kind,
                title=title,
                due_on=due_on,
                starts_at=starts_at,
                location=location,
                notes=notes,
                reporting_point=written if in_report else None,
            )
            deadline.full_clean()
            deadline.save()
    for year, amount, decided_in in data.BUDGET_ALLOCATIONS:
        if not BudgetAllocation.objects.filter(year=year).exists():
            allocation = BudgetAllocation(year=year, amount=amount, decided_in=decided_in)
            allocation.full_clean()
            allocation.save()
    if project.estimated_cost is None:
        project.estimated_cost = data.PROJECT_ESTIMATED_COST
        project.full_clean()
        project.save()
    for booked_on, category, status, amount, description, camera, in_project in data.COST_ENTRIES:
        if not CostEntry.objects.filter(booked_on=booked_on, description=description).exists():
            entry = CostEntry(
                booked_on=booked_on,
                category=category,
                status=status,
                amount=amount,
                description=description,
                camera=Camera.objects.get(identifier=camera) if camera else None,
                project=project if in_project else None,
                supplier="Illustrativ leverantör" if amount else "",
            )
            entry.full_clean()
            entry.save()
    if not BoardReport.objects.filter(case_number=data.BOARD_REPORT["case_number"]).exists():
        report = BoardReport(assignment=assignment, reporting_point=written, **data.BOARD_REPORT)
        report.full_clean()
        report.save()
        report_services.redraft(report)


@transaction.atomic
def load_demo() -> list[DemoUser]:
    """Load the demo situation as of 2024-10-29 and return the demo users with their passwords."""
    from trygg.core.roles import sync_role_groups

    sync_role_groups()
    from trygg.compliance import stored

    # Coverage and the stored checklists are computed once at the end, not per saved row.
    with audit_context(source="command:demo", message="Demodata"), stored.deferred(), deferred_recompute():
        administrations = _load_organisation()
        sites = _load_sites(administrations)
        assignment, first_load = Assignment.objects.get_or_create(
            title=data.ASSIGNMENT["title"], defaults={k: v for k, v in data.ASSIGNMENT.items() if k != "title"}
        )
        kvisthamra = sites["Kvisthamraskolan"]
        project = Project.objects.filter(name=data.PROJECT["name"]).first()
        if project is None:
            project = Project(
                site=kvisthamra,
                assignment=assignment,
                responsible_administration=administrations["KSK"],
                **data.PROJECT,
            )
            project.full_clean()
            project.save()
        _load_kvisthamra(kvisthamra, project)
        for site_name, held_on, with_whom, summary, year, in_project in data.DIALOGUE_NOTES:
            site = sites[site_name]
            if not DialogueNote.objects.filter(site=site, held_on=held_on, with_whom=with_whom).exists():
                note = DialogueNote(
                    site=site,
                    project=project if in_project else None,
                    held_on=held_on,
                    with_whom=with_whom,
                    summary=summary,
                    concerns_year=year,
                )
                note.full_clean()
                note.save()
        _load_illustrative_cameras(sites)
        _load_sporthallen(sites["Sporthallen"])
        users = _load_users(administrations)
        load_incident_demo()  # before compliance: the assessments rely on these incidents
        load_compliance_demo()
        load_evaluation_demo()
        load_review_demo()
        _load_follow_up(assignment, project)
        load_notification_demo([user.username for user in users])
        if first_load:
            record_event(assignment, "demo.loaded", {"as_of": data.AS_OF.isoformat()})
    # As the nightly `trygg recompute_programme_effect`, so the programme page has a result to show.
    from trygg.evaluation import programme_store

    programme_store.recompute()
    return users
