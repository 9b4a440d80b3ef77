"""Kinds of incidents, where they came from, and the states of an import, with Swedish labels."""

from django.utils.translation import gettext_lazy as _

from trygg.core.choices import ColouredChoices, with_colours


class IncidentKind(ColouredChoices):
    """What happened; the values are also the keys of the pure modules (profile, ranking)."""

    VANDALISM = "vandalism", _("Skadegörelse")
    BREAK_IN = "break_in", _("Inbrott")
    ARSON = "arson", _("Anlagd brand eller brand")
    GRAFFITI = "graffiti", _("Klotter")
    THEFT = "theft", _("Stöld")
    THREAT_OR_VIOLENCE = "threat_or_violence", _("Hot eller våld")
    DISORDER = "disorder", _("Ordningsstörning")
    OTHER = "other", _("Övrigt")


with_colours(
    IncidentKind,
    {
        "vandalism": "orange",
        "break_in": "red",
        "arson": "red",
        "graffiti": "purple",
        "theft": "orange",
        "threat_or_violence": "red",
        "disorder": "blue",
        "other": "grey",
    },
)


class SourceKind(ColouredChoices):
    FILE = "file", _("Filimport (CSV eller Excel)")
    SYSTEM = "system", _("Namngivet system")


class TimePrecision(ColouredChoices):
    """How precisely the time of an incident is known."""

    EXACT = "exact", _("Datum och klockslag")
    DATE = "date", _("Datum, okänt klockslag")
    RANGE = "range", _("Tidsintervall (upptäckt skada)")


class ImportStatus(ColouredChoices):
    UPLOADED = "uploaded", _("Uppladdad, kolumner ska väljas")
    QUEUED_CHECK = "queued_check", _("Väntar på granskning")
    CHECKING = "checking", _("Granskas")
    CHECKED = "checked", _("Granskad, väntar på beslut")
    QUEUED_IMPORT = "queued_import", _("Väntar på import")
    IMPORTING = "importing", _("Importeras")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


with_colours(
    ImportStatus,
    {
        "uploaded": "grey",
        "queued_check": "grey",
        "checking": "blue",
        "checked": "orange",
        "queued_import": "grey",
        "importing": "blue",
        "done": "green",
        "failed": "red",
    },
)

# States in which a worker (or the request itself) still has work to do; the run page polls then.
WORKING_STATES = frozenset(
    {ImportStatus.QUEUED_CHECK, ImportStatus.CHECKING, ImportStatus.QUEUED_IMPORT, ImportStatus.IMPORTING}
)


class ImportMode(ColouredChoices):
    ALL = "all", _("Hela filen (bara om alla rader är giltiga)")
    VALID_ONLY = "valid_only", _("Bara de giltiga raderna")
