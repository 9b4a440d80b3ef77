"""The need heat map never reads "0" in a coloured cell: empty cells are blank, tiny shares read "<0,1"."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from trygg.incidents.models import Incident
from trygg.incidents.profile import heat_cell_label
from trygg.sites.models import Site


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (0.0, ""),
        (1 / 720, "<0,1"),  # one incident spread over 30 days
        (0.049, "<0,1"),
        (0.05, "0,1"),  # rounds half up, like the rest of the need pages
        (1 / 24, "<0,1"),
        (0.25, "0,3"),
        (1.0, "1"),
        (2.5, "2,5"),
        (1250.0, "1\xa0250"),
    ],
)
def test_cell_labels(value, label):
    assert heat_cell_label(value) == label


def test_a_negative_cell_is_an_error():
    with pytest.raises(ValueError):
        heat_cell_label(-0.1)


@pytest.mark.django_db
def test_a_long_range_shows_as_a_small_share_not_zero(client_for):
    site = Site.objects.get(name="Hallsta skola")
    for incident in Incident.objects.filter(site=site):
        incident.delete()
    # One incident on Tuesday 2024-03-05 at 22:10, and damage found after a range of 72 hours, Monday 2024-04-01
    # 00:00 to Thursday 00:00: 1/72 of an incident in each of those hours, nothing Thursday to Sunday.
    Incident.objects.create(
        site=site, kind="graffiti", occurred_on=dt.date(2024, 3, 5), occurred_time=dt.time(22, 10), description="a"
    )
    Incident.objects.create(
        site=site,
        kind="vandalism",
        occurred_on=dt.date(2024, 4, 1),
        occurred_time=dt.time(0, 0),
        until_on=dt.date(2024, 4, 4),
        until_time=dt.time(0, 0),
        description="b",
    )
    page = client_for("officer").get(f"/behov/platser/{site.pk}/").content.decode()
    table = page[page.index('<table class="heat">') : page.index("</table>", page.index('<table class="heat">'))]
    cells = re.findall(r'<td class="heat-(\d)">([^<]*)</td>', table)
    assert len(cells) == 7 * 24
    coloured = [(level, text) for level, text in cells if level != "0"]
    assert coloured and all(text not in {"", "0"} for _level, text in coloured)
    assert coloured.count(("1", "&lt;0,1")) == 72 - 1  # every hour of the range but Tuesday 22
    assert ("5", "1") in coloured  # Tuesday 22: the exact incident plus 1/72 of the range reads 1
    empty = [text for level, text in cells if level == "0"]
    assert len(empty) == 7 * 24 - 72 and set(empty) == {""}
