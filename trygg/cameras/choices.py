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
    """Exemptions from 8–10 §§ kamerabevakningslagen (11–13 §§) that a municipal camera may claim."""

    PARKING_GARAGE_CRIME = "parking_garage_crime", _("Parkeringsgarage, i brottsbekämpande syfte (12 §)")
    PUBLIC_TRANSPORT = "public_transport", _("Kollektivtrafik: fordon, stationer, hållplatser (12 §)")
    PROTECTED_OBJECT = "protected_object", _("Skyddsobjekt (11 §)")
    OTHER = "other", _("Annat undantag enligt 11–13 §§")
