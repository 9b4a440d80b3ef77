"""The yearly review pages, the decision's consequences, the checklist warning and the dashboard list."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trygg.cameras.lifecycle import State
from trygg.cameras.models import Camera
from trygg.cameras.services import register_existing
from trygg.compliance.facts import compliance_for
from trygg.compliance.models import SurveillanceAssessment
from trygg.evaluation import review_services as services
from trygg.evaluation import review_views
from trygg.evaluation.models import CameraReview
from trygg.incidents.models import Incident

pytestmark = pytest.mark.django_db

RULE = "KBL-9-YEARLY-REVIEW"


def failing_codes(camera, on):
    return {check.code for check in compliance_for(camera, on).checklist() if not check.passed}


def test_overdue_review_is_a_checklist_warning_on_both_sides_of_the_due_date():
    camera = Camera.objects.get(identifier="TORG-02")  # in operation since 2019-09-01, never reviewed
    assert RULE not in failing_codes(camera, dt.date(2020, 9, 1))  # due that day
    assert RULE in failing_codes(camera, dt.date(2020, 9, 2))  # a day late
    check = next(c for c in compliance_for(camera, dt.date(2020, 9, 2)).checklist() if c.code == RULE)
    assert "2020-09-01" in check.reason


def test_a_review_covers_its_anniversary():
    camera = Camera.objects.get(identifier="TORG-01")  # reviewed 2020-08-24 for the 2020-09-01 anniversary
    assert RULE not in failing_codes(camera, dt.date(2020, 9, 2))
    assert RULE not in failing_codes(camera, dt.date(2025, 9, 1))
    assert RULE in failing_codes(camera, dt.date(2025, 9, 2))


def test_the_demo_reviews_move_the_due_date():
    camera = Camera.objects.get(identifier="KOM-01")  # reviewed every March 2021–2025
    assert RULE not in failing_codes(camera, dt.date(2025, 3, 15))
    assert RULE not in failing_codes(camera, dt.date(2025, 6, 1))  # the 2025 review covers it
    assert RULE in failing_codes(camera, dt.date(2026, 3, 16))
    due = services.review_due_dates(
        list(services.cameras_for_review(Camera.objects.filter(pk=camera.pk))), dt.date(2025, 6, 1)
    )
    assert due[camera.pk] == dt.date(2026, 3, 15)
    # As of a date before the 2025 review was decided, that review does not count yet.
    due_before = services.review_due_dates(
        list(services.cameras_for_review(Camera.objects.filter(pk=camera.pk))), dt.date(2025, 3, 1)
    )
    assert due_before[camera.pk] == dt.date(2025, 3, 15)


def test_due_list_shows_overdue_cameras_and_links_to_the_form(client_for):
    page = client_for("officer").get("/utvardering/omprovning/").content.decode()
    torg = Camera.objects.get(identifier="TORG-01")
    assert "TORG-01" in page and f"/utvardering/omprovning/kamera/{torg.pk}/ny/" in page
    assert "försenad" in page
    assert "TORG-03" not in page  # decommissioned: nothing to review


def test_contact_sees_only_own_administrations_cameras(client_for):
    page = client_for("administration_contact").get("/utvardering/omprovning/").content.decode()
    assert "TORG-01" not in page  # Stora torget belongs to another administration
    kom = CameraReview.objects.filter(camera__identifier="KOM-01").first()
    status = client_for("administration_contact").get(f"/utvardering/omprovning/{kom.pk}/").status_code
    assert status == (200 if kom.camera.site.administration.short_name == "BUF" else 404)


def test_due_list_query_count_does_not_grow_with_cameras(client_for, monkeypatch):
    monkeypatch.setattr(review_views, "DUE_PER_PAGE", 2)  # more due cameras than a page, before and after
    client = client_for("officer")
    client.get("/utvardering/omprovning/")
    with CaptureQueriesContext(connection) as before:
        client.get("/utvardering/omprovning/")
    source = Camera.objects.get(identifier="TORG-01")
    for n in range(3):
        source.pk, source.identifier = None, f"TORG-X{n}"
        register_existing(source, {State.INSTALLED: dt.date(2020, 2, 1), State.IN_OPERATION: dt.date(2020, 3, 1)})
    with CaptureQueriesContext(connection) as after:
        client.get("/utvardering/omprovning/")
    assert len(after) == len(before)
    last = client.get("/utvardering/omprovning/").context["page"].paginator.num_pages
    assert "TORG-X2" in "".join(
        client.get(f"/utvardering/omprovning/?page={n}").content.decode() for n in range(1, last + 1)
    )


def _due_identifiers(response):
    return [row.camera.identifier for row in response.context["rows"]]


def test_due_list_pages_show_the_computed_rows_in_order(client_for, monkeypatch):
    """Today's rows come from the stored due dates, a page at a time, the same as computed from the life cycles."""
    monkeypatch.setattr(review_views, "DUE_PER_PAGE", 2)
    today = timezone.localdate()
    expected = services.due_reviews(Camera.objects.all(), today)
    assert len(expected) > 2  # the demo has more due reviews than a page here
    client = client_for("officer")
    first = client.get("/utvardering/omprovning/")
    pages = first.context["page"].paginator.num_pages
    assert pages == (len(expected) + 1) // 2
    assert f"Sida 1 av {pages}" in first.content.decode()
    shown = []
    for number in range(1, pages + 1):
        response = client.get(f"/utvardering/omprovning/?page={number}")
        assert f"Sida {number} av {pages}" in response.content.decode()
        shown += [(row.camera.identifier, row.due_on, row.overdue, row.days) for row in response.context["rows"]]
    assert shown == [(row.camera.identifier, row.due_on, row.overdue, row.days) for row in expected]
    overdue = sum(row.overdue for row in expected)
    assert first.context["overdue_count"] == overdue
    assert f"{len(expected)} kameror, varav {overdue} försenade" in first.content.decode()
    assert "Datumen för omprövning beräknades" in first.content.decode()


@pytest.mark.parametrize(
    ("query", "message"), [("page=0", "heltal från 1"), ("page=x", "heltal"), ("page=999", "högst")]
)
def test_due_list_refuses_a_bad_page_number_in_swedish(client_for, query, message):
    response = client_for("officer").get(f"/utvardering/omprovning/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_due_list_pages_the_reviews_awaiting_the_dpo(client_for, demo_users, monkeypatch):
    monkeypatch.setattr(review_views, "AWAITING_PER_PAGE", 1)
    for identifier in ("TORG-01", "TORG-02"):
        services.decide(Camera.objects.get(identifier=identifier), demo_users["officer"], "keep", "Fortsatt behov.")
    waiting = list(CameraReview.objects.filter(noted_at__isnull=True).order_by("-decided_at", "-pk"))
    assert len(waiting) >= 2
    client = client_for("dpo")
    shown = [
        list(client.get(f"/utvardering/omprovning/?vantar={n}").context["awaiting"]) for n in range(1, len(waiting) + 1)
    ]
    assert [row for page in shown for row in page] == waiting
    assert client.get(f"/utvardering/omprovning/?vantar={len(waiting) + 1}").status_code == 400


def test_a_contact_pages_only_its_own_due_cameras(client_for, demo_users, monkeypatch):
    monkeypatch.setattr(review_views, "DUE_PER_PAGE", 1)
    contact = demo_users["administration_contact"]
    expected = services.due_reviews(services.visible_cameras(contact), timezone.localdate())
    client = client_for("administration_contact")
    pages = client.get("/utvardering/omprovning/").context["page"].paginator.num_pages
    assert pages == max(len(expected), 1)
    shown = [i for n in range(1, pages + 1) for i in _due_identifiers(client.get(f"/utvardering/omprovning/?page={n}"))]
    assert shown == [row.camera.identifier for row in expected]
    assert "TORG-01" not in shown


def test_review_page_shows_incidents_counted_by_kind():
    camera = Camera.objects.get(identifier="TORG-01")
    today = timezone.localdate()
    before = services.review_facts(camera, today)
    Incident.objects.create(site=camera.site, kind="graffiti", occurred_on=today)
    Incident.objects.create(site=camera.site, kind="graffiti", occurred_on=today)
    after = services.review_facts(camera, today)
    counts_before, counts_after = dict(before.incidents_since_start), dict(after.incidents_since_start)
    assert counts_after["graffiti"] == counts_before.get("graffiti", 0) + 2
    assert after.total_in_period == before.total_in_period + 2


def test_a_kind_absent_from_the_period_shows_zero(client_for):
    camera = Camera.objects.get(identifier="TORG-01")
    Incident.objects.create(site=camera.site, kind="arson", occurred_on=dt.date(2019, 10, 1))  # before the period
    page = client_for("officer").get(f"/utvardering/omprovning/kamera/{camera.pk}/ny/").content.decode()
    row = page.split("Anlagd brand eller brand</th>")[1].split("</tr>")[0]
    assert row.replace(" ", "") == "<td>1</td><td>0</td>"


def test_keep_without_reason_is_refused_and_nothing_saved(client_for):
    camera = Camera.objects.get(identifier="TORG-01")
    before = camera.reviews.count()
    response = client_for("officer").post(f"/utvardering/omprovning/kamera/{camera.pk}/ny/", {"outcome": "keep"})
    assert response.status_code == 400
    assert "Motivera beslutet." in response.content.decode()
    assert camera.reviews.count() == before


def test_changed_circumstances_need_a_description(client_for):
    camera = Camera.objects.get(identifier="TORG-01")
    before = camera.reviews.count()
    response = client_for("officer").post(
        f"/utvardering/omprovning/kamera/{camera.pk}/ny/",
        {"outcome": "keep", "reason": "Fortsatt behov.", "circumstances_changed": "on"},
    )
    assert response.status_code == 400
    assert "Beskriv vad som har ändrats på platsen." in response.content.decode()
    assert camera.reviews.count() == before


def test_plain_keep_moves_the_due_date_and_opens_no_assessment(client_for):
    camera = Camera.objects.get(identifier="TORG-01")
    versions = SurveillanceAssessment.objects.filter(camera=camera).count()
    response = client_for("officer").post(
        f"/utvardering/omprovning/kamera/{camera.pk}/ny/", {"outcome": "keep", "reason": "Fortsatt behov kvällstid."}
    )
    review = camera.reviews.order_by("-decided_at").first()
    assert response.status_code == 302 and response.url == f"/utvardering/omprovning/{review.pk}/"
    assert review.assessment_version is None
    assert SurveillanceAssessment.objects.filter(camera=camera).count() == versions
    assert review.due_on == dt.date(2025, 9, 1)  # the demo's last review was in August 2024
    assert RULE not in failing_codes(camera, timezone.localdate())


@pytest.mark.parametrize(
    ("data", "opens"),
    [
        ({"outcome": "change", "reason": "Kortare tider räcker."}, True),
        (
            {
                "outcome": "keep",
                "reason": "Behovet kvarstår.",
                "circumstances_changed": "on",
                "circumstances_description": "Ny belysning på torget sedan våren.",
            },
            True,
        ),
        ({"outcome": "remove", "reason": "Inga händelser på två år."}, False),
    ],
)
def test_change_and_changed_keep_open_a_new_assessment_version(client_for, data, opens):
    camera = Camera.objects.get(identifier="TORG-02")
    latest = SurveillanceAssessment.objects.filter(camera=camera).order_by("-version").first()
    client_for("officer").post(f"/utvardering/omprovning/kamera/{camera.pk}/ny/", data)
    review = camera.reviews.get()
    if opens:
        assert review.assessment_version.version == latest.version + 1
        assert review.assessment_version.status == "draft"
        assert review.assessment_version.series == latest.series
        page = client_for("officer").get(f"/efterlevnad/intresseavvagningar/{review.assessment_version.pk}/")
        assert f"/utvardering/omprovning/{review.pk}/" in page.content.decode()  # the version links back
    else:
        assert review.assessment_version is None
        camera.refresh_from_db()
        assert camera.state == "in_operation"  # "remove" never moves the camera by itself
        page = client_for("officer").get(f"/utvardering/omprovning/{review.pk}/").content.decode()
        assert f"/kameror/{camera.pk}/#livscykel" in page


def test_only_the_dpo_notes_and_only_once(client_for):
    review = CameraReview.objects.filter(camera__identifier="KOM-01").order_by("-decided_at").first()
    review.noted_at, review.noted_by = None, None
    review.save()
    assert client_for("officer").post(f"/utvardering/omprovning/{review.pk}/noterat/").status_code == 403
    page = client_for("dpo").get(f"/utvardering/omprovning/{review.pk}/").content.decode()
    assert "Noterat" in page
    client_for("dpo").post(f"/utvardering/omprovning/{review.pk}/noterat/", {"dpo_comment": "Ok."})
    review.refresh_from_db()
    assert review.noted_by.username == "dataskydd" and review.dpo_comment == "Ok."
    first = review.noted_at
    client_for("dpo").post(f"/utvardering/omprovning/{review.pk}/noterat/", {"dpo_comment": "Igen."})
    review.refresh_from_db()
    assert review.noted_at == first and review.dpo_comment == "Ok."


def test_dashboard_lists_reviews_to_do(client_for):
    page = client_for("officer").get("/").content.decode()
    torg = Camera.objects.get(identifier="TORG-01")
    assert "Omprövningar att göra" in page
    assert f"/utvardering/omprovning/kamera/{torg.pk}/ny/" in page
    reader = client_for("reader").get("/").content.decode()
    assert "Omprövningar att göra" in reader and "/ny/" not in reader.split("omprovningar")[1].split("</section>")[0]


def test_history_lists_the_cameras_reviews(client_for):
    camera = Camera.objects.get(identifier="KOM-01")
    page = client_for("reader").get(f"/utvardering/omprovning/kamera/{camera.pk}/").content.decode()
    assert page.count("/utvardering/omprovning/") >= 5
    assert "2026-03-15" in page


@pytest.mark.parametrize("role", ["officer", "dpo", "administration_contact", "reader"])
def test_the_review_pages_link_to_the_cameras_own_page_for_those_who_may_open_it(client_for, demo_users, role):
    # The history had only "Ompröva <kamera>" and the form no link at all to /kameror/<id>/; the camera page
    # is for staff roles (a reader gets 403 there), so the link is shown to them only.
    camera = services.visible_cameras(demo_users["administration_contact"]).order_by("pk").first()
    reviewed = CameraReview.objects.filter(camera__identifier="KOM-01").order_by("pk").first()
    client = client_for(role)
    camera_link = f'href="/kameror/{camera.pk}/"'
    may_open = client.get(f"/kameror/{camera.pk}/").status_code == 200
    assert may_open == (role != "reader")
    pages = [(camera, f"/utvardering/omprovning/kamera/{camera.pk}/")]
    if role != "administration_contact":  # KOM-01 is another administration's
        pages.append((reviewed.camera, f"/utvardering/omprovning/{reviewed.pk}/"))
    for shown, page in pages:
        html = client.get(page).content.decode()
        assert (f'href="/kameror/{shown.pk}/"' in html) == may_open, page
        assert may_open or "/kameror/" not in html.split('<main id="main"')[1], page
    if role == "officer":
        form = client.get(f"/utvardering/omprovning/kamera/{camera.pk}/ny/").content.decode()
        assert camera_link in form and "Kamerans sida (" in form
