"""The one weekly-hours editor: rules as rows and back, Swedish errors naming row and editor, adding rows."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from trygg.cameras import schedule as schedules
from trygg.cameras.schedule_forms import MAX_ROWS, WeeklyHoursFormSet, rules_to_rows

IMY = schedules.rules_to_json(schedules.IMY_SCHOOL_FACADE)


def posted(rules, prefix="tider", initial=0, extra_rows=0, school_free=True):
    """What the page sends for `rules` (stored JSON), one row each, then `extra_rows` rows left empty."""
    rows = rules_to_rows(rules)
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows) + extra_rows), f"{prefix}-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rows):
        data[f"{prefix}-{index}-days"] = [str(day) for day in row["days"]]
        data[f"{prefix}-{index}-start"] = row["start"].strftime("%H:%M")
        data[f"{prefix}-{index}-end"] = row["end"].strftime("%H:%M")
        if school_free:
            data[f"{prefix}-{index}-applies"] = row["applies"]
    for index in range(len(rows), len(rows) + extra_rows):
        data[f"{prefix}-{index}-applies"] = "all"  # an untouched empty row still sends its select
    return data


def editor(data=None, **options):
    return WeeklyHoursFormSet(data, **({"prefix": "tider", "label": "Tillåtna tider"} | options))


def test_rules_become_rows_a_person_reads():
    assert rules_to_rows(IMY) == [
        {"days": [0, 1, 2, 3, 4], "start": dt.time(20), "end": dt.time(6), "applies": "school_days"},
        {"days": [0, 1, 2, 3, 4], "start": dt.time(17), "end": dt.time(7), "applies": "school_free"},
        {"days": [5, 6], "start": dt.time(17), "end": dt.time(7), "applies": "all"},
    ]
    assert rules_to_rows(None) == [] and rules_to_rows([]) == []


def test_the_stored_rules_and_empty_rows_are_shown():
    shown = editor(rules=IMY, extra=2)
    assert len(shown.forms) == 5
    assert [form.number for form in shown.forms] == [1, 2, 3, 4, 5]
    assert shown.empty_form.number == "__row__"  # the row the page copies, renumbered by the script
    assert "applies" in shown.forms[0].fields
    assert "applies" not in editor(school_free=False).forms[0].fields


def test_posted_rows_come_back_as_the_same_rules_with_empty_and_removed_rows_left_out():
    data = posted([*IMY, {"days": [2], "start": "08:00", "end": "09:00"}], extra_rows=1)
    data["tider-3-DELETE"] = "on"
    formset = editor(data)
    assert formset.is_valid(), formset.errors
    assert formset.rules() == IMY
    assert formset.schedule().hours_per_week() == 78


def test_without_the_school_day_choice_a_row_applies_to_every_chosen_day():
    data = posted([{"days": [4, 5], "start": "21:00", "end": "03:00"}], prefix="incident_hours", school_free=False)
    data["incident_hours-0-applies"] = "school_free"  # not offered, so not read
    formset = editor(data, prefix="incident_hours", school_free=False)
    assert formset.is_valid(), formset.errors
    assert formset.rules() == [{"days": [4, 5], "start": "21:00", "end": "03:00"}]


def test_half_filled_rows_are_refused_naming_row_and_editor():
    data = posted([{"days": [0], "start": "20:00", "end": "06:00"}, {"days": [1], "start": "20:00", "end": "06:00"}])
    data["tider-0-end"] = "25:00"
    data["tider-1-days"] = []
    data["tider-1-start"] = ""
    formset = editor(data)
    assert not formset.is_valid()
    assert formset.error_links() == [
        ("id_tider-0-end", "Fältet ”Till klockan” på rad 1 i ”Tillåtna tider” ska vara ett klockslag som TT:MM."),
        ("id_tider-1-days", "Välj minst en dag på rad 2 i ”Tillåtna tider”."),
        ("id_tider-1-start", "Ange från vilket klockslag på rad 2 i ”Tillåtna tider”."),
    ]


def test_a_removed_half_filled_row_is_no_error():
    data = posted([{"days": [0], "start": "20:00", "end": "06:00"}], extra_rows=1)
    data["tider-1-days"] = ["3"]
    data["tider-1-DELETE"] = "on"
    formset = editor(data)
    assert formset.is_valid(), formset.errors
    assert formset.rules() == [{"days": [0], "start": "20:00", "end": "06:00"}]


def test_a_day_that_does_not_exist_is_refused_in_swedish():
    data = posted([{"days": [0], "start": "20:00", "end": "06:00"}])
    data["tider-0-days"] = ["7"]
    formset = editor(data)
    assert not formset.is_valid()
    assert formset.error_links() == [
        ("id_tider-0-days", "Välj bara bland alternativen i fältet ”Dagar” på rad 1 i ”Tillåtna tider”.")
    ]


def test_more_rows_than_allowed_are_refused_in_swedish():
    rules = [{"days": [day % 7], "start": "20:00", "end": "06:00"} for day in range(MAX_ROWS + 1)]
    formset = editor(posted(rules))
    assert not formset.is_valid()
    assert formset.error_links() == [("tider", f"”Tillåtna tider” kan ha högst {MAX_ROWS} rader.")]


def test_the_add_row_button_without_javascript_gives_one_more_row_and_keeps_what_was_typed():
    data = posted([{"days": [0, 1], "start": "20:00", "end": "06:00"}], extra_rows=1)
    assert not editor(data).adds_row
    formset = editor(data | {"tider-fler_rader": "1"})
    assert formset.adds_row and formset.add_row_name == "tider-fler_rader"
    assert len(formset.forms) == 3
    assert formset.is_valid() and formset.rules() == [{"days": [0, 1], "start": "20:00", "end": "06:00"}]


times = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
rules_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "days": st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True).map(sorted),
            "start": times,
            "end": times,
        },
        optional={"school_free": st.booleans()},
    ),
    max_size=6,
)


@given(rules_strategy)
def test_any_rules_survive_the_editor_unchanged(rules):
    formset = editor(posted(rules, initial=len(rules)), rules=rules)
    assert formset.is_valid(), formset.errors
    assert formset.rules() == rules
    assert not formset.has_changed()
