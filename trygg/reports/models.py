"""The board report (tjänsteutlåtande / uppdragsrapportering) and its frozen versions.

A `BoardReport` is drafted from the data as of a date (`trygg.reports.drafting`), edited by the
officer, and frozen: freezing stores a `BoardReportVersion` with the data the text was drafted
from and the text as sent, so the DOCX and the PDF/A can be made again, identical in content, at
any later time. A frozen version is never changed or deleted (kommunallagen: what the board decided on).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.core.models import AuditedModel, Organisation
from trygg.programme.models import YEAR_VALIDATORS, Assignment, ReportingPoint
from trygg.reports.choices import ReportStatus


def parse_signatories(text: str) -> list[dict[str, str]]:
    """One signatory a line: `Namn | Titel | Förvaltning` (the office may be left out)."""
    signatories = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) not in (2, 3) or not all(parts[:2]):
            raise ValidationError(
                gettext("Rad %(line)s under ”Undertecknare” ska vara Namn | Titel | Förvaltning.") % {"line": number}
            )
        signatories.append({"name": parts[0], "title": parts[1], "office": parts[2] if len(parts) == 3 else ""})
    return signatories


def parse_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class BoardReport(AuditedModel):
    """A tjänsteutlåtande reporting the assignment back to the board, drafted from data as of a date."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("uppdrag"), on_delete=models.PROTECT, related_name="board_reports"
    )
    reporting_point = models.ForeignKey(
        ReportingPoint,
        verbose_name=_("återrapportering"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="board_reports",
    )
    title = models.CharField(_("rubrik"), max_length=300)
    year = models.PositiveSmallIntegerField(_("år som redovisas"), validators=YEAR_VALIDATORS)
    as_of = models.DateField(_("uppgifter per"), help_text=_("Kameror, budget och dialoger räknas per detta datum."))
    report_date = models.DateField(_("tjänsteutlåtandets datum"))
    case_number = models.CharField(_("diarienummer"), max_length=50)
    recipient_body = models.CharField(_("beslutande organ"), max_length=200, default="Kommunstyrelsen")
    proposing_body = models.CharField(_("föreslås av"), max_length=200, default="Kommunstyrelsens arbetsutskott")
    office = models.CharField(_("förvaltning"), max_length=200, default="Kommunstyrelsekontoret")
    unit = models.CharField(_("enhet"), max_length=200, default="Enheten Trygghet och säkerhet")
    include_data_protection = models.BooleanField(_("med avsnitt om dataskydd"), default=False)
    include_effect = models.BooleanField(
        _("med avsnitt om effekt och omprövning"),
        default=False,
        help_text=_(
            "Programmets effektutvärdering för platserna med kameror, med osäkerhet och varningar, och årets omprövningar."
        ),
    )
    signatories = models.TextField(
        _("undertecknare"), blank=True, help_text=_("En per rad: Namn | Titel | Förvaltning.")
    )
    recipients = models.TextField(_("beslut skickas till"), blank=True, help_text=_("En mottagare per rad."))
    sections = models.JSONField(_("avsnitt"), default=dict, blank=True)
    drafted = models.JSONField(_("senaste utkast ur data"), default=dict, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT, editable=False
    )

    class Meta:
        verbose_name = _("tjänsteutlåtande")
        verbose_name_plural = _("tjänsteutlåtanden")
        ordering = ["-report_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_number} {self.title}"

    @property
    def is_frozen(self) -> bool:
        return self.status == ReportStatus.FROZEN

    def signatory_list(self) -> list[dict[str, str]]:
        return parse_signatories(self.signatories)

    def recipient_list(self) -> list[str]:
        return parse_lines(self.recipients)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.case_number:
            try:
                Organisation.current().validate_case_number(self.case_number.strip())
            except ValidationError as error:
                errors["case_number"] = error.messages
        try:
            parse_signatories(self.signatories)
        except ValidationError as error:
            errors["signatories"] = error.messages
        if self.as_of and self.year and self.as_of.year != self.year:
            # Figures of another year than the one reported contradict the text ("den 30 juni 2024 …
            # jämfört med utgången av 2024") and the year's target and budget.
            errors["as_of"] = gettext(
                "Uppgifterna ska gälla en dag under %(year)s, året som redovisas, till exempel %(year)s-12-31."
            ) % {"year": self.year}
        if self.as_of and self.report_date and self.report_date < self.as_of:
            errors["report_date"] = gettext("Tjänsteutlåtandet kan inte dateras före dagen uppgifterna gäller.")
        if self.assignment_id and self.year and self.assignment.plan_year > self.year:
            errors["assignment"] = gettext(
                "Uppdraget står i verksamhetsplan %(plan_year)s, som är senare än året som redovisas (%(year)s). "
                "Välj uppdraget i ett tidigare års verksamhetsplan."
            ) % {"plan_year": self.assignment.plan_year, "year": self.year}
        if self.assignment_id and self.year and self.assignment.plan_year < self.year:
            # The same assignment in a later plan up to the reported year: the text would cite the old plan.
            newer = (
                Assignment.objects.filter(
                    title__iexact=self.assignment.title.strip(),
                    plan_year__gt=self.assignment.plan_year,
                    plan_year__lte=self.year,
                )
                .order_by("-plan_year")
                .values_list("plan_year", flat=True)
                .first()
            )
            if newer is not None:
                errors["assignment"] = gettext(
                    "Uppdraget står också i verksamhetsplan %(newer)s. Välj det, så hänvisar tjänsteutlåtandet "
                    "för %(year)s till den planen och inte till verksamhetsplan %(plan_year)s."
                ) % {"newer": newer, "year": self.year, "plan_year": self.assignment.plan_year}
        if self.reporting_point_id and self.assignment_id and self.reporting_point.assignment_id != self.assignment_id:
            errors["reporting_point"] = gettext("Återrapporteringen hör till ett annat uppdrag.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = BoardReport._base_manager.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == ReportStatus.FROZEN and self.status == ReportStatus.FROZEN:
                raise ValidationError(gettext("Tjänsteutlåtandet är låst. Skapa en ny version för att ändra det."))
        super().save(*args, **kwargs)

    def latest_version(self) -> BoardReportVersion | None:
        return self.versions.order_by("-version").first()


class BoardReportVersion(AuditedModel):
    """A frozen tjänsteutlåtande: the data and the text as they were sent, never changed afterwards."""

    report = models.ForeignKey(
        BoardReport, verbose_name=_("tjänsteutlåtande"), on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveIntegerField(_("version"))
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("låst av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    frozen_by_name = models.CharField(_("låst av (namn)"), max_length=150, blank=True)
    frozen_by_title = models.CharField(
        _("låst av (titel)"),
        max_length=150,
        blank=True,
        help_text=_("Titeln den som låste hade, t.ex. Säkerhetssamordnare."),
    )
    data = models.JSONField(_("uppgifter"))
    document = models.JSONField(_("text och uppgifter om handlingen"))

    class Meta:
        verbose_name = _("låst version")
        verbose_name_plural = _("låsta versioner")
        ordering = ["report", "-version"]
        constraints = [models.UniqueConstraint(fields=["report", "version"], name="board_report_version_unique")]

    def __str__(self) -> str:
        return gettext("%(report)s, version %(version)s") % {"report": self.report, "version": self.version}

    def audit_related_object(self) -> BoardReport:
        return self.report

    @property
    def frozen_by_display(self) -> str:
        """Who locked the version, by full name.

        The name is stored when the version is locked, so it survives the user's deletion; versions
        locked before names were stored hold the user name, shown as the person's full name if known.
        """
        user = self.frozen_by
        if user is not None and self.frozen_by_name in ("", user.get_username()) and user.get_full_name():
            return user.get_full_name()
        return self.frozen_by_name

    @property
    def frozen_by_with_title(self) -> str:
        """“Hanna Handläggare, Säkerhetssamordnare”; the name alone for versions locked before titles were asked."""
        name = self.frozen_by_display
        return f"{name}, {self.frozen_by_title}" if name and self.frozen_by_title else name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError(gettext("En låst version av tjänsteutlåtandet kan inte ändras."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(gettext("En låst version av tjänsteutlåtandet kan inte tas bort."))
