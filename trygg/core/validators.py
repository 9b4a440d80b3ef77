"""Validators every form shares: a date's year between 1900 and 2100 (issue 15, "limits on date ranges").

No camera, incident, measure, note or decision Trygg records is dated outside 1900–2100; a year 9999
was accepted by the measure form and the API (walkthrough) and gave "year 10000 is out of range" where
periods were added up. `install()` adds the check to every form `DateField` (Django's documented
`default_validators`), so each page form shows it beside its field and the API's page-form writes
answer 400 naming it; a form that says more (the evaluation's periods) still can.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from trygg.core.limits import EARLIEST_YEAR, LATEST_YEAR


def year_in_range(value: dt.date | None) -> None:
    """Raise ValidationError (Swedish, code "year_out_of_range") for a date outside 1900–2100."""
    if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            gettext("Ange ett datum mellan år %(first)s och %(last)s.") % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
            code="year_out_of_range",
        )


def install() -> None:
    """Make `year_in_range` a default validator of every form DateField (called once, at start)."""
    if year_in_range not in forms.DateField.default_validators:
        forms.DateField.default_validators = [*forms.DateField.default_validators, year_in_range]
