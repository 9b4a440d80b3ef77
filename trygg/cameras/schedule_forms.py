"""The weekly-hours editor: rows of weekdays and a clock interval, read from and written to weekly rules.

Trygg asks for weekly hours in several places — a camera's schedule (bevakningstider), the hours of
incidents outside the register in a 9 § assessment, the hours a legacy IMY permit allowed — and they
are one concept: the weekly rules of `trygg.cameras.schedule`, stored as the JSON `parse_rules` reads,
`[{"days": [0, 1], "start": "20:00", "end": "06:00", "school_free": true}]`. This is the one editor for
them: a row form, a formset whose errors name the row and the editor in Swedish, the conversion between
rules and rows, the template `includes/weekly_hours.html` and the script `trygg/weekly-hours.js`; and
the same words for rules shown as text (`describe_rule`), on the camera form and in the documents.

Options, for the differences that are real: `school_free` (whether a row can apply to school days or
school-free days only) and `extra` (empty rows shown). A camera's choice between a template and its own
hours, and the live preview, stay in the camera form; they read and fill the rows through this editor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.cameras import schedule as schedules

DAY_CHOICES = [
    (schedules.MONDAY, _("måndag")),
    (schedules.TUESDAY, _("tisdag")),
    (schedules.WEDNESDAY, _("onsdag")),
    (schedules.THURSDAY, _("torsdag")),
    (schedules.FRIDAY, _("fredag")),
    (schedules.SATURDAY, _("lördag")),
    (schedules.SUNDAY, _("söndag")),
]

DAY_ABBREVIATIONS = [_("mån"), _("tis"), _("ons"), _("tor"), _("fre"), _("lör"), _("sön")]

# A rule's `school_free` (None, False, True) as a choice a person reads.
APPLIES_ALL, APPLIES_SCHOOL_DAYS, APPLIES_SCHOOL_FREE = "all", "school_days", "school_free"
APPLIES_CHOICES = [
    (APPLIES_ALL, _("alla valda dagar")),
    (APPLIES_SCHOOL_DAYS, _("bara skoldagar")),
    (APPLIES_SCHOOL_FREE, _("bara lov och skolfria dagar")),
]
SCHOOL_FREE_OF_APPLIES: dict[str, bool | None] = {
    APPLIES_ALL: None,
    APPLIES_SCHOOL_DAYS: False,
    APPLIES_SCHOOL_FREE: True,
}
APPLIES_OF_SCHOOL_FREE = {value: key for key, value in SCHOOL_FREE_OF_APPLIES.items()}

MAX_ROWS = 20
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def describe_rule(rule: Mapping[str, Any]) -> str:
    """One stored rule in the editor's words: "mån–fre, bara skoldagar, 20:00–06:00", "lör, sön hela dygnet"."""
    days = schedules.day_span(rule["days"], [str(name) for name in DAY_ABBREVIATIONS])
    times = gettext("hela dygnet") if rule["start"] == rule["end"] else f"{rule['start']}–{rule['end']}"
    applies = APPLIES_OF_SCHOOL_FREE[rule.get("school_free")]
    if applies == APPLIES_ALL:
        return gettext("%(days)s %(times)s") % {"days": days, "times": times}
    return gettext("%(days)s, %(applies)s, %(times)s") % {
        "days": days,
        "applies": dict(APPLIES_CHOICES)[applies],
        "times": times,
    }


def describe_rules(rules: Iterable[Mapping[str, Any]]) -> list[str]:
    """Stored weekly rules in words, one line each (see `describe_rule`)."""
    return [describe_rule(rule) for rule in rules]


def rules_to_rows(rules: Iterable[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """Stored weekly rules as the editor's initial rows: days (0 = Monday), start, end, applies.

    Raises ValueError (or KeyError, TypeError) for rules `schedule.parse_rules` cannot read.
    """
    return [
        {
            "days": sorted(rule.days),
            "start": rule.start,
            "end": rule.end,
            "applies": APPLIES_OF_SCHOOL_FREE[rule.school_free],
        }
        for rule in schedules.parse_rules(rules or []).rules
    ]


class WeeklyHoursRowForm(forms.Form):
    """One row: days, optionally whether it applies to school days or school-free days only, from, to.

    A "to" at or before "from" runs past midnight (20:00–06:00); the same time in both means the whole
    day. A row left empty is no rule; a half-filled row is an error naming its row and the editor.
    """

    days = forms.TypedMultipleChoiceField(
        label=_("Dagar"), choices=DAY_CHOICES, coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    applies = forms.ChoiceField(label=_("Gäller"), choices=APPLIES_CHOICES, initial=APPLIES_ALL, required=False)
    start = forms.TimeField(label=_("Från klockan"), required=False, widget=TIME_WIDGET)
    end = forms.TimeField(label=_("Till klockan"), required=False, widget=TIME_WIDGET)

    def __init__(
        self, *args: Any, number: int | str = 1, editor: str = "", school_free: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.number = number  # "Rad 2"; "__row__" in the empty row the page copies when adding one
        self.editor = editor
        if not school_free:
            del self.fields["applies"]
        where = self._where()
        for field in self.fields.values():
            column = {"column": field.label} | where
            if isinstance(field, forms.TimeField):
                field.error_messages["invalid"] = (
                    gettext("Fältet ”%(column)s” på rad %(row)s i ”%(field)s” ska vara ett klockslag som TT:MM.")
                    % column
                )
            else:
                field.error_messages["invalid_choice"] = (
                    gettext("Välj bara bland alternativen i fältet ”%(column)s” på rad %(row)s i ”%(field)s”.") % column
                )

    def _where(self) -> dict[str, Any]:
        return {"row": self.number, "field": self.editor}

    def is_blank(self) -> bool:
        """No day, no start and no end: the row is ignored (what it "applies" to alone says nothing)."""
        data = getattr(self, "cleaned_data", {})
        return not data.get("days") and data.get("start") is None and data.get("end") is None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.is_blank() or data.get("DELETE"):
            return data
        where = self._where()
        if not data.get("days") and not self.has_error("days"):
            self.add_error("days", gettext("Välj minst en dag på rad %(row)s i ”%(field)s”.") % where)
        if data.get("start") is None and not self.has_error("start"):
            self.add_error("start", gettext("Ange från vilket klockslag på rad %(row)s i ”%(field)s”.") % where)
        if data.get("end") is None and not self.has_error("end"):
            self.add_error("end", gettext("Ange till vilket klockslag på rad %(row)s i ”%(field)s”.") % where)
        return data

    def weekly_rule(self) -> schedules.WeeklyRule | None:
        """The row as a weekly rule, or None for an empty row (call on a valid form)."""
        if self.is_blank():
            return None
        data = self.cleaned_data
        return schedules.WeeklyRule(
            days=frozenset(data["days"]),
            start=data["start"],
            end=data["end"],
            school_free=SCHOOL_FREE_OF_APPLIES[data.get("applies") or APPLIES_ALL],
        )


class BaseWeeklyHoursFormSet(forms.BaseFormSet):
    """The weekly-hours editor for `rules` (stored JSON), bound to `data` when the page was sent.

    Build it as `WeeklyHoursFormSet(data, rules=…, prefix=…, label=…)`. `prefix` names the fields
    (`<prefix>-0-days`, …) and is the editor's HTML id; `label` is the editor's name in error messages
    ("Välj minst en dag på rad 2 i ”Tillåtna tider”."); `school_free` offers the choice "bara skoldagar /
    bara lov och skolfria dagar" per row; `extra` empty rows follow the stored ones. A row is removed
    by ticking its box or leaving it empty, and added with JavaScript on the page, or without it by the
    button named `add_row_name`: the page comes back with one more row and `adds_row` true, and the
    view saves nothing.
    """

    # The name of the "add a row" button, after the prefix: `<prefix>-fler_rader`.
    ADD_ROW = "fler_rader"

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        rules: Iterable[Mapping[str, Any]] | None = None,
        prefix: str,
        label: str,
        school_free: bool = True,
        extra: int = 1,
        **kwargs: Any,
    ) -> None:
        self.label = str(label)
        self.school_free = school_free
        self.extra = extra
        self.adds_row = data is not None and f"{prefix}-{self.ADD_ROW}" in data
        if self.adds_row:
            # The "add a row" button without JavaScript: the same page again with one more empty row.
            data = data.copy()
            total = f"{prefix}-TOTAL_FORMS"
            data[total] = str(int(data.get(total) or 0) + 1)
        super().__init__(data, prefix=prefix, initial=rules_to_rows(rules), **kwargs)
        self.error_messages["too_many_forms"] = gettext("”%(field)s” kan ha högst %(rows)s rader.") % {
            "field": self.label,
            "rows": self.max_num,
        }

    @property
    def add_row_name(self) -> str:
        return f"{self.prefix}-{self.ADD_ROW}"

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(index),
            "number": "__row__" if index is None else index + 1,
            "editor": self.label,
            "school_free": self.school_free,
        }

    def _kept_forms(self) -> list[WeeklyHoursRowForm]:
        return [form for form in self.forms if not (self.can_delete and self._should_delete_form(form))]

    def schedule(self) -> schedules.Schedule:
        """The rows kept (not removed, not left empty) as a schedule, in row order (call after `is_valid()`)."""
        return schedules.Schedule(tuple(rule for form in self._kept_forms() if (rule := form.weekly_rule())))

    def rules(self) -> list[dict[str, Any]]:
        """The rows kept as stored weekly rules, the JSON `schedule.parse_rules` reads (after `is_valid()`)."""
        return schedules.rules_to_json(self.schedule())

    def error_links(self) -> list[tuple[str, str]]:
        """Every problem as (HTML id to link to, Swedish message naming row and editor), in row order."""
        links = []
        for form in self._kept_forms():
            for name, errors in form.errors.items():
                anchor = form[name].auto_id if name in form.fields else self.prefix
                links.extend((anchor, str(message)) for message in errors)
        links.extend((self.prefix, str(message)) for message in self.non_form_errors())
        return links


WeeklyHoursFormSet = forms.formset_factory(
    WeeklyHoursRowForm,
    formset=BaseWeeklyHoursFormSet,
    can_delete=True,
    max_num=MAX_ROWS,
    validate_max=True,
)
