""" "Lagkrav som behöver åtgärdas": every camera with a failing blocker or warning today, paged, in the
start page's order; the start page shows the first few and links here (issue 15: a long list is paged)."""

import re

import pytest
from django.utils import timezone

from trygg.cameras import services
from trygg.cameras.lifecycle import State
from trygg.cameras.models import Camera
from trygg.compliance import stored
from trygg.compliance.engine import Severity
from trygg.compliance.models import StoredChecklist
from trygg.compliance.views import checklists

URL = "/efterlevnad/atgarder/"


@pytest.mark.parametrize(
    ("severity", "state", "order"),
    [
        (Severity.BLOCKER, State.IN_OPERATION.value, 0),
        (Severity.BLOCKER, State.PLANNED.value, 1),
        (Severity.WARNING, State.IN_OPERATION.value, 2),
        (Severity.WARNING, State.PAUSED.value, 3),
        (Severity.INFO, State.IN_OPERATION.value, None),
        (None, State.IN_OPERATION.value, None),
        (Severity.BLOCKER, State.DECOMMISSIONED.value, None),
    ],
)
def test_the_order_of_a_finding(severity, state, order):
    assert stored.finding_order(severity, state) == order


def camera_ids(html: str) -> list[int]:
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    return [int(pk) for pk in re.findall(r'<tr><td><a href="/kameror/(\d+)/">', table)]


def every_page(client, query: str = "") -> list[int]:
    found, number = [], 1
    while True:
        response = client.get(f"{URL}?{query}page={number}")
        assert response.status_code == 200
        html = response.content.decode()
        found += camera_ids(html)
        if 'rel="next"' not in html:
            return found
        number += 1


def test_every_finding_is_on_some_page_in_the_start_pages_order(client_for, monkeypatch):
    monkeypatch.setattr(checklists, "FINDINGS_PER_PAGE", 3)
    client = client_for("officer")
    listed = every_page(client)
    rows = StoredChecklist.objects.exclude(finding=None).exclude(state=State.DECOMMISSIONED.value)
    expected = [r for r in rows.select_related("camera") if r.finding["severity"] != "info"]
    expected.sort(
        key=lambda r: (r.finding["severity"] != "blocker", r.camera.state != "in_operation", r.camera.identifier)
    )
    assert len(expected) > 3  # more than one page in the demo
    assert listed == [r.camera_id for r in expected]
    # The start page shows the first few in the same order and links to the whole list with its count.
    home = client.get("/").content.decode()
    section = home[home.index('id="findings"') : home.index("</section>", home.index('id="findings"'))]
    first = camera_ids(section)
    assert first == listed[: len(first)] and 0 < len(first) < len(listed)
    assert f'<a href="{URL}">Visa alla {len(listed)} kameror med hinder eller varningar</a>' in section


def test_one_severity_at_a_time(client_for):
    client = client_for("officer")
    blockers, warnings = every_page(client, "allvarlighet=hinder&"), every_page(client, "allvarlighet=varning&")
    by_camera = {r.camera_id: r.finding["severity"] for r in StoredChecklist.objects.exclude(finding=None)}
    assert blockers and all(by_camera[pk] == "blocker" for pk in blockers)
    assert all(by_camera[pk] == "warning" for pk in warnings)
    assert sorted(blockers + warnings) == sorted(every_page(client))


def test_a_finding_goes_when_its_camera_is_decommissioned(client_for):
    client = client_for("officer")
    camera = Camera.objects.get(identifier="KVI-01")
    assert camera.pk in every_page(client)
    # Stored results follow the camera's facts (the way coverage does): here its life cycle.
    services.move(camera, State.DECOMMISSIONED.value, timezone.localdate())
    assert camera.pk not in every_page(client)


def test_each_role_sees_its_own_cameras(client_for):
    contact = client_for("administration_contact").get(URL).content.decode()
    assert ">KVI-01<" in contact and ">SPORT-02<" not in contact
    assert client_for("reader").get(URL).status_code == 403
    assert client_for(None).get(URL).status_code in (302, 403)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("allvarlighet=kritisk", "Fältet ”Allvar” ska vara ”hinder”, ”varning” eller tomt (fick ”kritisk”)."),
        ("page=0", "Fältet ”sida” (page) ska vara ett heltal från 1 och uppåt (fick ”0”)."),
        ("page=999", "Fältet ”sida” (page) ska vara högst"),
    ],
)
def test_bad_parameters_get_a_swedish_message(client_for, query, message):
    response = client_for("officer").get(f"{URL}?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()
