"""Kinds and states of sites, zones and measures, with Swedish labels and colours."""

from django.utils.translation import gettext_lazy as _

from trygg.core.choices import ColouredChoices, with_colours


class SiteKind(ColouredChoices):
    SCHOOL = "school", _("Grundskola")
    PRESCHOOL = "preschool", _("Förskola")
    UPPER_SECONDARY_SCHOOL = "upper_secondary_school", _("Gymnasieskola")
    PUBLIC_PLACE = "public_place", _("Allmän plats")
    PARK = "park", _("Park")
    MUNICIPAL_BUILDING = "municipal_building", _("Kommunal byggnad")
    SPORTS_FACILITY = "sports_facility", _("Idrottsanläggning")
    PARKING = "parking", _("Parkering")
    OTHER = "other", _("Övrigt")


# Sites where children are the main people filmed: DPIA and child-rights assessment apply.
SCHOOL_KINDS = frozenset({SiteKind.SCHOOL, SiteKind.PRESCHOOL, SiteKind.UPPER_SECONDARY_SCHOOL})


class AreaKind(ColouredChoices):
    URBAN = "urban", _("Tätort")
    RURAL = "rural", _("Landsbygd")
    ARCHIPELAGO = "archipelago", _("Skärgård")


class Vulnerability(ColouredChoices):
    VULNERABLE = "vulnerable", _("Utsatt")
    POTENTIALLY_VULNERABLE = "potentially_vulnerable", _("Potentiellt utsatt")
    NOT_ASSESSED = "not_assessed", _("Ej bedömd")


with_colours(Vulnerability, {"vulnerable": "red", "potentially_vulnerable": "orange", "not_assessed": "grey"})


class ZoneKind(ColouredChoices):
    BUILDING = "building", _("Byggnad")
    FACADE_STRIP = "facade_strip", _("Fasad med 2 m-remsa")
    SCHOOLYARD = "schoolyard", _("Skolgård")
    NEIGHBOURING_PROPERTY = "neighbouring_property", _("Grannfastighet")
    STREET = "street", _("Gata")
    PLAYGROUND = "playground", _("Lekplats")
    ENTRANCE = "entrance", _("Entré")
    WALL = "wall", _("Mur")
    FENCE = "fence", _("Staket eller plank")
    OTHER = "other", _("Övrigt")


# Zones a camera cannot see through: they block the view as imported buildings do (occlusion).
OBSTACLE_ZONE_KINDS = frozenset({ZoneKind.BUILDING, ZoneKind.WALL, ZoneKind.FENCE})
# Zones that may be drawn as a line (a wall or fence has no area worth drawing).
LINE_ZONE_KINDS = frozenset({ZoneKind.WALL, ZoneKind.FENCE})


class ZoneRule(ColouredChoices):
    """Whether cameras may film a zone; the values match trygg.geo's ZoneRule."""

    MAY_MONITOR = "may_monitor", _("Får bevakas")
    MUST_NOT_MONITOR = "must_not_monitor", _("Får inte bevakas")
    ONLY_OUTSIDE_SCHOOL_HOURS = "only_outside_school_hours", _("Får bevakas endast utanför skoltid")


with_colours(ZoneRule, {"may_monitor": "green", "must_not_monitor": "red", "only_outside_school_hours": "orange"})


class MeasureKind(ColouredChoices):
    LIGHTING = "lighting", _("Belysning")
    GUARDS = "guards", _("Väktare")
    FENCING = "fencing", _("Stängsel")
    ALARMS = "alarms", _("Larm")
    GRAFFITI_REMOVAL = "graffiti_removal", _("Klottersanering")
    STAFF_PRESENCE = "staff_presence", _("Vuxennärvaro")
    OTHER = "other", _("Övrigt")


class MeasureEffect(ColouredChoices):
    INTENDED = "intended", _("Avsedd effekt")
    PARTIAL = "partial", _("Delvis effekt")
    NONE = "none", _("Ingen avsedd effekt")
    NOT_ASSESSED = "not_assessed", _("Ej bedömd")


with_colours(MeasureEffect, {"intended": "green", "partial": "orange", "none": "red", "not_assessed": "grey"})
