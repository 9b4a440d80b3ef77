"""Camera kinds, mounts, schedules and life-cycle states with Swedish labels and colours."""

from django.utils.translation import gettext_lazy as _

from trygg.cameras.lifecycle import State
from trygg.core.choices import ColouredChoices, with_colours


class LifecycleState(ColouredChoices):
    PLANNED = State.PLANNED.value, _("Planerad")
    DESIGNED = State.DESIGNED.value, _("Projekterad")
    INSTALLED = State.INSTALLED.value, _("Installerad")
    IN_OPERATION = State.IN_OPERATION.value, _("I drift")
    PAUSED = State.PAUSED.value, _("Pausad")
    DECOMMISSIONED = State.DECOMMISSIONED.value, _("Avvecklad")


with_colours(
    LifecycleState,
    {
        "planned": "grey",
        "designed": "blue",
        "installed": "purple",
        "in_operation": "green",
        "paused": "orange",
        "decommissioned": "black",
    },
)


class Mount(ColouredChoices):
    WALL = "wall", _("Vägg")
    POLE = "pole", _("Stolpe")
    CEILING = "ceiling", _("Tak (inomhus)")
    ROOF = "roof", _("Yttertak")


class CameraType(ColouredChoices):
    FIXED = "fixed", _("Fast")
    DOME = "dome", _("Dom")
    PTZ = "ptz", _("PTZ (styrbar)")
    THERMAL = "thermal", _("Värmekamera")


class ScheduleTemplate(ColouredChoices):
    ALWAYS = "always", _("Dygnet runt")
    IMY_SCHOOL_FACADE = "imy_school_facade", _("IMY:s tider för skolfasad (vardagar 20–06, helger och lov 17–07)")
    CUSTOM = "custom", _("Egna tider")


class PrivacyMasking(ColouredChoices):
    NONE = "none", _("Ingen")
    STATIC_MASK = "static_mask", _("Fast maskering")
    PIXELATION = "pixelation", _("Pixelering")
    THERMAL_ONLY = "thermal_only", _("Endast värmebild")


class Exemption(ColouredChoices):
    """The grounds of 11–13 §§ kamerabevakningslagen (SFS 2025:220) on which 8–10 §§ do not apply.

    Exactly the grounds the rules engine knows (`EXEMPTIONS_11_13`; a test holds them equal), so
    every choice can be accepted when its conditions hold. There is no "other": a ground that is
    not in the law is no exemption.
    """

    PROTECTED_OBJECT = "protected_object", _("Skyddsobjekt")
    ARMED_FORCES = "armed_forces", _("Försvarsmakten")
    ROAD_AUTHORITY = "road_authority", _("Trafikverket – väg, bro, trängselskatt eller vägavgift")
    ROAD_TUNNEL = "road_tunnel", _("Annan väghållare – vägtunnel")
    PUBLIC_TRANSPORT = "public_transport", _("Kollektivtrafik – fordon, station, hållplats eller spårområde")
    AIRPORT = "airport", _("Flygplats")
    POSTAL_PREMISES = "postal_premises", _("Postverksamhetens lokaler")
    PARKING_GARAGE_CRIME = (
        "parking_garage_crime",
        _("Parkeringsgarage – för att förebygga, förhindra eller upptäcka brott"),
    )
    VEHICLE_VISIBILITY = "vehicle_visibility", _("Sikt för fordon eller maskiner")
    PHARMACY = "pharmacy", _("Apotek")
    BORDER_AREA = "border_area", _("Brottsbekämpande myndighet i gränsområde")
    RESCUE_OR_POLICE_SHORT_TERM = (
        "rescue_or_police_short_term",
        _("Räddningsledare eller polis, högst en månad (13 §)"),
    )
