"""The camera form in sections, its schedule editor, and the history of a camera that already exists.

Validation of the camera itself lives in the model (and the hooks other apps add to it); this module
turns what a person types into the model's values: weekly rules from the rows of the weekly-hours
editor (`schedule_forms`) or a template's hours, a position from WGS 84 or SWEREF 99 TM, the life-cycle
dates of a camera registered after the fact.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import F, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from trygg.cameras import schedule as schedules
from trygg.cameras.choices import LifecycleState, ScheduleTemplate
from trygg.cameras.lifecycle import HistoryRefused, State, history_steps
from trygg.cameras.models import Camera
from trygg.cameras.schedule_forms import BaseWeeklyHoursFormSet, WeeklyHoursFormSet, describe_rule
from trygg.cameras.services import history_refusal_message
from trygg.core.position import PositionForm
from trygg.core.versions import VersionedFormMixin
from trygg.programme.models import Project
from trygg.sites.choices import SCHOOL_KINDS
from trygg.sites.models import Site

# Fields that change what the camera sees: editing them redraws the coverage preview at once.
GEOMETRY_FIELDS = [
    "longitude",
    "latitude",
    "grid_north",
    "grid_east",
    "mount_height_m",
    "bearing_deg",
    "pan_range",
    "tilt_deg",
    "hfov_deg",
    "focal_length_mm",
    "sensor_width_mm",
    "range_m",
    "camera_type",
    "schedule_template",
]


@dataclass(frozen=True)
class Section:
    """One part of the camera form: its HTML id (an anchor others link to), heading, lead and fields."""

    id: str
    title: Promise
    lead: Promise
    fields: tuple[str, ...]


# The ids are a contract: other pages link to e.g. /kameror/<pk>/andra/#bevakningstider.
SECTIONS = (
    Section(
        "kamera-och-plats",
        _("Kamera och plats"),
        _(
            "Beteckningen är kamerans namn i listor, skyltar och förteckningen. Platsen avgör vilka områden, "
            "byggnader och projekteringar som gäller för kameran."
        ),
        ("identifier", "site", "site_search", "confirm_site_change", "project", "notes"),
    ),
    Section(
        "lage-och-synfalt",
        _("Läge och synfält"),
        _(
            "Var kameran sitter och vart den tittar avgör vad den ser. Trygg räknar fram täckningen ur läge, "
            "riktning, optik och räckvidd och visar direkt på kartan om den når in i områden som inte får "
            "bevakas; intrånget ska vägas mot syftet (9 § kamerabevakningslagen)."
        ),
        (
            "longitude",
            "latitude",
            "grid_north",
            "grid_east",
            "mount",
            "mount_height_m",
            "bearing_deg",
            "tilt_deg",
            "camera_type",
            "is_ptz",
            "pan_range",
            "is_indoor",
            "hfov_deg",
            "focal_length_mm",
            "sensor_width_mm",
            "range_m",
            "coverage_description",
        ),
    ),
    Section(
        "bevakningstider",
        _("Bevakningstider"),
        _(
            "När kameran spelar in är en del av intresseavvägningen. Vid skolor godtar IMY bevakning av fasaden "
            "vardagar 20–06 och helger och lov 17–07, när eleverna inte är där; andra tider måste motiveras."
        ),
        ("schedule_template", "schedule_deviation_reason"),
    ),
    Section(
        "lagring-och-teknik",
        _("Lagring och teknik"),
        _(
            "Hur länge bilderna sparas och vad kameran kan göra avgör hur stort intrånget är. IMY:s tumregel är "
            "72 timmar; ljud, registreringsskyltar, analys och ansiktsigenkänning ska anges i förteckningen (10 §)."
        ),
        (
            "retention_hours",
            "retention_justification",
            "resolution_width_px",
            "resolution_height_px",
            "records_sound",
            "uses_anpr",
            "uses_analytics",
            "uses_face_recognition",
            "privacy_masking",
        ),
    ),
    Section(
        "rattsliga-uppgifter",
        _("Rättsliga uppgifter"),
        _(
            "Uppgifterna avgör vilka krav som gäller för kameran och används i intresseavvägningen, "
            "konsekvensbedömningen, förteckningen och skyltningen: ändamålet, om allmänheten har tillträde, "
            "undantag enligt 11–13 §§ och om placeringen omfattas av sekretess."
        ),
        (
            "purpose",
            "public_access",
            "identifies_persons",
            "covers_toilet_or_changing_room",
            "captures_staff_workplace",
            "serious_incident_basis",
            "exemption",
            "exemption_justification",
            "secret_placement",
            "publish_osm",
        ),
    ),
)

#
# The schedule editor (the weekly-hours editor, with templates)
#

SCHEDULE_PREFIX = "tider"


def template_rules(template: str) -> list[dict[str, Any]]:
    """The weekly rules of a schedule template, as stored JSON."""
    return schedules.rules_to_json(schedules.TEMPLATES[template])


def template_descriptions() -> dict[str, str]:
    """Each template's hours spelled out, for the page (custom: empty)."""
    return {key: "; ".join(describe_rule(rule) for rule in template_rules(key)) for key in schedules.TEMPLATES} | {
        ScheduleTemplate.CUSTOM.value: ""
    }


def default_template(site: Site | None) -> str:
    """IMY's school-facade hours at a school, förskola or gymnasieskola; round the clock elsewhere."""
    if site is not None and site.kind in SCHOOL_KINDS:
        return ScheduleTemplate.IMY_SCHOOL_FACADE.value
    return ScheduleTemplate.ALWAYS.value


#
# The camera form
#


# States in which a camera hangs at its site: changing its site moves surveillance that is (or was) going
# on to another place, which its assessments do not cover (9 § kamerabevakningslagen; legal.md R3.5).
MOUNTED_STATES = frozenset({State.INSTALLED.value, State.IN_OPERATION.value, State.PAUSED.value})


def site_change_warning(state: str, site: Site) -> str:
    """What changing the site of a camera that hangs at `site` in `state` means, in Swedish (the form's help)."""
    return gettext(
        "Kameran är %(state)s vid %(site)s. Intresseavvägningen och konsekvensbedömningen för %(site)s gäller "
        "bara bevakningen där: byter du plats stoppas kameran i checklistan (hinder) tills en intresseavvägning "
        "enligt 9 § kamerabevakningslagen och en konsekvensbedömning för den nya platsen är godkända, och skyltar "
        "sitter uppe där. Flytta också kamerans läge om den ska sitta någon annanstans."
    ) % {"state": str(LifecycleState(state).label).lower(), "site": site.name}


# The site choice lists at most this many sites, so the form's size and time do not grow with the number
# of sites: every site while they fit; else the chosen one and the nearest, or those a search finds.
SITE_CHOICES = 30
# The name of the button that searches for another site: the page comes back unsaved with the matches.
SITE_SEARCH_BUTTON = "sok_plats"


def offered_sites(chosen: Site | None, search: str = "", limit: int | None = None) -> tuple[QuerySet[Site], bool]:
    """The sites the camera form offers, by name, and whether there are more sites than those offered.

    Every site while there are at most `limit`. Else at most `limit`: the chosen site, and the sites whose
    name contains `search` (case-insensitive); without a search, the sites nearest the chosen site (by
    distance on the ground, positions in WGS 84 degrees), or the first by name when none is chosen yet.
    At most three queries whatever the number of sites. `limit` is SITE_CHOICES unless given.
    """
    limit = limit or SITE_CHOICES
    sites = Site.objects.order_by("name")
    if sites[: limit + 1].count() <= limit:
        return sites, False
    if search:
        found = sites.filter(name__icontains=search)
    elif chosen is not None:
        # A degree of longitude is cos(latitude) of a degree of latitude; near enough within a municipality.
        east = (F("longitude") - chosen.longitude) * math.cos(math.radians(chosen.latitude))
        north = F("latitude") - chosen.latitude
        found = Site.objects.order_by(east * east + north * north, "name")
    else:
        found = sites
    ids = list(found.values_list("pk", flat=True)[:limit])
    if chosen is not None and chosen.pk not in ids:
        ids = [chosen.pk, *ids[: limit - 1]]
    return Site.objects.filter(pk__in=ids).order_by("name"), True


class OfferedSites(ModelChoiceIterator):
    """The choices of a site field that accepts any site but lists only `queryset` (see `offered_sites`)."""

    def __init__(self, field: forms.ModelChoiceField, queryset: QuerySet[Site]) -> None:
        super().__init__(field)
        self.queryset = queryset


class SiteSelect(forms.Select):
    """The site choice; each option says whether the site is a school (the default hours follow)."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-school"] = "true" if instance.kind in SCHOOL_KINDS else "false"
        return option


class CameraForm(VersionedFormMixin, PositionForm, forms.ModelForm):
    """A camera in sections (see SECTIONS), with its schedule as editable rows."""

    class Meta:
        model = Camera
        error_messages = {
            "identifier": {"unique": _("Det finns redan en kamera med den beteckningen; välj en annan beteckning.")}
        }
        fields = [
            "identifier",
            "site",
            "project",
            "longitude",
            "latitude",
            "mount",
            "mount_height_m",
            "bearing_deg",
            "pan_range",
            "tilt_deg",
            "camera_type",
            "is_indoor",
            "hfov_deg",
            "focal_length_mm",
            "sensor_width_mm",
            "resolution_width_px",
            "resolution_height_px",
            "range_m",
            "records_sound",
            "uses_anpr",
            "uses_analytics",
            "uses_face_recognition",
            "is_ptz",
            "schedule_template",
            "schedule_rules",
            "schedule_deviation_reason",
            "retention_hours",
            "retention_justification",
            "purpose",
            "public_access",
            "identifies_persons",
            "privacy_masking",
            "covers_toilet_or_changing_room",
            "captures_staff_workplace",
            "serious_incident_basis",
            "exemption",
            "exemption_justification",
            "coverage_description",
            "secret_placement",
            "publish_osm",
            "notes",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in [
                "schedule_deviation_reason",
                "retention_justification",
                "purpose",
                "serious_incident_basis",
                "exemption_justification",
                "coverage_description",
                "notes",
            ]
        } | {"site": SiteSelect}

    site_search = forms.CharField(
        label=_("Sök en annan plats"),
        required=False,
        max_length=100,
        help_text=_("Listan Plats visar de närmaste platserna. Skriv en del av namnet och tryck Sök plats."),
    )
    confirm_site_change = forms.BooleanField(
        label=_("Jag byter plats och vet att kameran då stoppas tills den nya platsen är bedömd"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in GEOMETRY_FIELDS:
            self.fields[name].widget.attrs["class"] = "geometry-field"
        self.fields["site"].queryset = Site.objects.order_by("name")  # any site may be saved
        self._offer_site_change_confirmation()
        site = self.chosen_site()
        self._offer_sites(site)
        self._limit_projects(site)
        if self.instance.pk is None and "schedule_template" not in self.initial:
            self.initial["schedule_template"] = default_template(site)
        # The rules come from the editor's rows (self.schedule_rows), never from this field's own input.
        label = capfirst(Camera._meta.get_field("schedule_template").verbose_name)
        self.fields["schedule_rules"] = forms.JSONField(label=label, required=False, widget=forms.HiddenInput)
        template = self.initial.get("schedule_template") or self.instance.schedule_template
        if template == ScheduleTemplate.CUSTOM:
            initial_rules = self.instance.schedule_rules or []
        else:
            initial_rules = template_rules(template)
        self.schedule_rows: BaseWeeklyHoursFormSet = WeeklyHoursFormSet(
            self.data if self.is_bound else None, rules=initial_rules, prefix=SCHEDULE_PREFIX, label=label
        )

    def _offer_site_change_confirmation(self) -> None:
        """A camera on the wall asks for a confirmation before its site changes, saying what it means."""
        stored = self.instance
        self.stored_site = stored.site if stored.pk and stored.state in MOUNTED_STATES else None
        if self.stored_site is None:
            del self.fields["confirm_site_change"]
            return
        self.fields["confirm_site_change"].help_text = site_change_warning(stored.state, self.stored_site)

    def chosen_site(self) -> Site | None:
        """The site the form is about now: as posted, as stored, or as preselected."""
        if self.is_bound:
            key = self.data.get(self.add_prefix("site"))
        else:
            key = self.initial.get("site") or self.instance.site_id
        if isinstance(key, Site):
            return key
        if key is None or not str(key).isdigit():
            return None
        return Site.objects.filter(pk=key).first()

    def _offer_sites(self, site: Site | None) -> None:
        """List only the offered sites (`offered_sites`); with more sites than that, a search finds others."""
        self.searches_site = self.is_bound and SITE_SEARCH_BUTTON in self.data
        search = str(self.data.get(self.add_prefix("site_search"), "")).strip()[:100] if self.is_bound else ""
        self.offered_sites, more = offered_sites(site, search if self.searches_site else "")
        field = self.fields["site"]
        field.widget.choices = OfferedSites(field, self.offered_sites)
        if not more:
            del self.fields["site_search"]
        elif self.searches_site and search:
            matching = Site.objects.filter(name__icontains=search).count()
            if not matching:
                message = gettext("Ingen plats matchar ”%(search)s”.") % {"search": search}
            elif matching < SITE_CHOICES:
                message = ngettext(
                    "%(n)s plats matchar ”%(search)s”; välj den under Plats.",
                    "%(n)s platser matchar ”%(search)s”; välj en under Plats.",
                    matching,
                ) % {"n": matching, "search": search}
            else:
                message = gettext(
                    "%(n)s platser matchar ”%(search)s”; de första visas under Plats. Skriv mer av namnet för "
                    "att hitta fler."
                ) % {"n": matching, "search": search}
            self.fields["site_search"].help_text = message

    def _limit_projects(self, site: Site | None) -> None:
        field = self.fields["project"]
        # With no site chosen yet the offered sites' projects are listed; the page narrows them when a
        # site is picked.
        field.queryset = (
            Project.objects.filter(site=site)
            if site is not None
            else Project.objects.filter(site__in=self.offered_sites)
        )
        field.queryset = field.queryset.order_by("name")
        field.error_messages["invalid_choice"] = gettext("Välj en projektering för kamerans plats.")
        field.help_text = gettext("Bara projekteringar för den valda platsen kan väljas.")

    def sections(self) -> list[dict[str, Any]]:
        """The sections with their bound fields, for the template."""
        return [
            {
                "id": section.id,
                "title": section.title,
                "lead": section.lead,
                "fields": [self[n] for n in section.fields if n in self.fields],
            }
            for section in SECTIONS
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        new_site = cleaned.get("site")
        if (
            self.stored_site is not None
            and new_site is not None
            and new_site.pk != self.stored_site.pk
            and not cleaned.get("confirm_site_change")
        ):
            self.add_error(
                "confirm_site_change",
                gettext(
                    "Bekräfta platsbytet från %(old)s till %(new)s: kamerans bedömningar gäller %(old)s, så den "
                    "stoppas i checklistan tills %(new)s är bedömd. Kryssa i rutan, eller välj %(old)s igen."
                )
                % {"old": self.stored_site.name, "new": new_site.name},
            )
        if self.has_error("project"):
            self.instance.project = None  # already refused; the model's own check would only repeat it
        template = cleaned.get("schedule_template")
        rows_valid = self.schedule_rows.is_valid()
        self._row_errors = [] if rows_valid else [message for _anchor, message in self.schedule_rows.error_links()]
        if self._row_errors:
            for message in self._row_errors:
                self.add_error("schedule_rules", message)
            return cleaned
        rules = self.schedule_rows.rules()
        if template == ScheduleTemplate.CUSTOM:
            cleaned["schedule_rules"] = rules
        elif template:
            # A template keeps its own hours; rows changed to something else would be dropped silently.
            if self.schedule_rows.has_changed() and rules != template_rules(template):
                self.add_error(
                    "schedule_template",
                    gettext(
                        "Tiderna i tabellen har ändrats men mallen %(template)s är vald. Välj ”Egna tider” för att "
                        "spara de ändrade tiderna, eller välj mallen igen utan att ändra raderna."
                    )
                    % {"template": ScheduleTemplate(template).label},
                )
            cleaned["schedule_rules"] = []
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()
        if getattr(self, "_row_errors", None):
            # The rows' own messages say what is wrong; the model's "no rules" would only repeat it.
            self._errors["schedule_rules"] = self.error_class(self._row_errors)


class ExistingCameraForm(forms.Form):
    """The optional part of a new camera's form: it already hangs there, since these dates."""

    prefix = "befintlig"

    exists = forms.BooleanField(
        label=_("Kameran finns redan och registreras i efterhand med sin historik"), required=False
    )
    planned_on = forms.DateField(label=_("Planerad"), required=False)
    designed_on = forms.DateField(label=_("Projekterad"), required=False)
    installed_on = forms.DateField(label=_("Installerad"), required=False)
    in_operation_on = forms.DateField(label=_("I drift sedan"), required=False)
    paused_on = forms.DateField(label=_("Pausad sedan"), required=False, help_text=_("Bara om kameran är pausad nu."))
    decommissioned_on = forms.DateField(
        label=_("Avvecklad"), required=False, help_text=_("Bara om kameran redan är nedmonterad.")
    )

    STATE_FIELDS = {
        State.PLANNED: "planned_on",
        State.DESIGNED: "designed_on",
        State.INSTALLED: "installed_on",
        State.IN_OPERATION: "in_operation_on",
        State.PAUSED: "paused_on",
        State.DECOMMISSIONED: "decommissioned_on",
    }

    def __init__(self, *args: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        for name in self.STATE_FIELDS.values():
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"})

    def dates(self) -> dict[State, dt.date | None]:
        return {state: self.cleaned_data.get(name) for state, name in self.STATE_FIELDS.items()}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if any(self.has_error(name) for name in self.STATE_FIELDS.values()):
            return cleaned
        any_date = any(cleaned.get(name) for name in self.STATE_FIELDS.values())
        if not cleaned.get("exists"):
            if any_date:
                self.add_error(
                    "exists",
                    gettext("Datum är ifyllda: kryssa i att kameran finns redan, eller töm datumen."),
                )
            return cleaned
        try:
            history_steps(self.dates(), self.today or timezone.localdate())
        except HistoryRefused as refused:
            self.add_error(self.STATE_FIELDS[refused.state], history_refusal_message(refused, self.dates()))
        return cleaned

    @property
    def shown_open(self) -> bool:
        """Whether the part starts unfolded: the box was ticked, or something in it needs correcting."""
        return self.is_bound and (bool(self.data.get(self.add_prefix("exists"))) or bool(self.errors))


class MoveForm(forms.Form):
    to_state = forms.ChoiceField(label=_("Ny status"), choices=LifecycleState.choices)
    occurred_on = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirmed = forms.BooleanField(
        label=_("Jag har kontrollerat att statusändringen stämmer"),
        error_messages={"required": _("Bekräfta statusändringen genom att kryssa i rutan.")},
    )


class PrivacyMaskForm(forms.Form):
    """A privacy mask as the officer confirms it: the masked area, the date, an image from the camera."""

    area = forms.JSONField(
        label=_("maskerad yta"),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Rita den maskerade ytan på kartan (fältet ”maskerad yta”)."),
            "invalid": _("Fältet ”maskerad yta” ska vara en GeoJSON-polygon ritad på kartan."),
        },
    )
    confirmed_on = forms.DateField(
        label=_("kontrollerad i kamerans bild"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Datum då du såg maskeringen i kamerans egen bild."),
        error_messages={
            "required": _("Fyll i fältet ”kontrollerad i kamerans bild”."),
            "invalid": _("Fältet ”kontrollerad i kamerans bild” ska vara ett datum som ÅÅÅÅ-MM-DD."),
        },
    )
    image = forms.FileField(
        label=_("bild från kameran"),
        help_text=_("Ett foto eller en skärmbild av kamerans egen bild där maskeringen syns (PNG, JPEG eller WebP)."),
        error_messages={
            "required": _("Ladda upp en bild från kameran i fältet ”bild från kameran”."),
            "empty": _("Filen i fältet ”bild från kameran” är tom."),
        },
    )
    note = forms.CharField(
        label=_("kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("T.ex. vilka delar av bilden som maskeras och i vilket program maskeringen är inställd."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from trygg.core.attachments import accepted_suffixes

        self.fields["image"].widget.attrs["accept"] = ",".join(accepted_suffixes(images_only=True))

    def clean_image(self):
        from django.core.exceptions import ValidationError

        from trygg.core.attachments import validate_upload

        image = self.cleaned_data["image"]
        try:
            validate_upload(image, images_only=True, field=str(self.fields["image"].label))
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return image


#
# Importing existing cameras from a file
#

#: Camera files are a few hundred rows; the file travels signed in the preview page's form.
MAX_IMPORT_BYTES = 2 * 1024 * 1024


class CameraImportUploadForm(forms.Form):
    """The file of existing cameras to preview (CSV with semicolons as Swedish Excel writes, or .xlsx)."""

    PLANNED = "planned"
    EXISTING = "existing"

    file = forms.FileField(
        label=_("Fil (CSV, Excel .xlsx eller OpenStreetMap .osm, .osm.pbf, Overpass .json)"),
        help_text=_("En rad per kamera, rubrikrad överst. Inget sparas förrän du väljer att importera."),
    )
    osm_state = forms.ChoiceField(
        label=_("Kamerorna i en OpenStreetMap-fil är"),
        choices=[("", _("(bara för OpenStreetMap)")), (PLANNED, _("planerade")), (EXISTING, _("befintliga, i drift"))],
        required=False,
        help_text=_("OpenStreetMap har inga datum: välj en gång för hela filen."),
    )
    osm_since = forms.DateField(
        label=_("I drift sedan (befintliga kameror från OpenStreetMap)"),
        required=False,
        help_text=_("ÅÅÅÅ-MM-DD. Kameror i drift före 2025-04-01 följer reglerna som gällde då."),
    )

    def clean(self) -> dict[str, Any]:
        from trygg.geo.osm_files import is_osm_file

        data = super().clean()
        upload = data.get("file")
        if upload is None or not is_osm_file(b"", upload.name):
            return data
        state, since = data.get("osm_state"), data.get("osm_since")
        if not state:
            self.add_error(
                "osm_state", gettext("Välj om kamerorna i OpenStreetMap-filen är planerade eller befintliga.")
            )
        elif state == self.EXISTING and since is None and "osm_since" not in self.errors:
            self.add_error("osm_since", gettext("Ange sedan vilket datum de befintliga kamerorna är i drift."))
        elif state == self.EXISTING and since is not None and since > timezone.localdate():
            self.add_error("osm_since", gettext("Datumet ligger i framtiden; ange när kamerorna togs i drift."))
        return data

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(gettext("Filen är större än 2 MB; dela upp den i flera filer."))
        if upload.size == 0:
            raise forms.ValidationError(gettext("Filen är tom."))
        return upload


class CameraImportCommitForm(forms.Form):
    """The choice after the preview: all rows or nothing, or only the valid rows; the file travels signed."""

    ALL = "all"
    ONLY_VALID = "only_valid"

    payload = forms.CharField(widget=forms.HiddenInput)
    mode = forms.ChoiceField(
        label=_("Vad ska importeras?"),
        choices=[
            (ALL, _("Allt eller inget: importera bara om alla rader är giltiga")),
            (ONLY_VALID, _("Bara de giltiga raderna; rader med fel hoppas över")),
        ],
        initial=ALL,
        widget=forms.RadioSelect,
    )
