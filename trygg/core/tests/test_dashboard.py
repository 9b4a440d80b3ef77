"""The start page per role: counts for everyone, legal findings only for staff who see cameras."""

import re

import pytest

from trygg.core.dashboard import _year_target


def test_officer_sees_cameras_that_need_legal_action(client_for):
    html = client_for("officer").get("/").content.decode()
    findings = html[html.index('id="findings"') :]
    # Kvisthamraskolan's planned cameras lack their approved 9 § assessment (demo: drafts only).
    assert "KVI-01" in findings and "hinder" in findings
    assert "Dokumenterad intresseavvägning godkänd" in findings


def test_reader_sees_no_camera_findings(client_for):
    html = client_for("reader").get("/").content.decode()
    assert 'id="findings"' not in html
    assert "KVI-01" not in html


def test_contact_sees_only_own_administrations_findings(client_for):
    html = client_for("administration_contact").get("/").content.decode()
    findings = html[html.index('id="findings"') :]
    assert "KVI-01" in findings and "SPORT-02" not in findings
    # Its own count beside the whole programme's target: each labelled for what it counts.
    assert "Kameror i drift i er förvaltning</h2>" in html
    assert "<caption>Hela kommunens program</caption>" in html
    officer = client_for("officer").get("/").content.decode()
    assert "Kameror i drift</h2>" in officer and "Hela kommunens program" not in officer


@pytest.mark.parametrize(
    ("language", "register", "admin"), [("sv", "Förteckning", "Administrera"), ("en", "Surveillance register", "Admin")]
)
def test_the_menu_tells_the_surveillance_register_from_the_admin_pages(client_for, language, register, admin):
    # The 10 § register and Django's admin (every table) were "Surveillance register" and "Register" side by side.
    client = client_for("officer")
    client.cookies["django_language"] = language
    html = client.get("/").content.decode()
    nav = html[html.index("<nav") : html.index("</nav>")]
    links = dict(re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav))
    assert links["/efterlevnad/forteckning/"] == register
    assert links["/admin/"] == admin
    words = [set(label.lower().split()) for label in links.values()]
    shared = [a & b for i, a in enumerate(words) for b in words[i + 1 :] if a & b]
    assert not shared, shared


def test_the_year_target_comes_from_the_indicator(db):
    # The demo's targets: 2023 = 7, 2024 = 11, 2025 = 13 (trygg/demo/data.py).
    assert _year_target(2024) == 11
    assert _year_target(2031) is None


def menu(client) -> str:
    html = client.get("/").content.decode()
    return html[html.index('aria-label="Huvudmeny"') : html.index("</nav>")]


def test_each_role_gets_its_own_menu(client_for):
    officer = menu(client_for("officer"))
    for item in ["Platser", "Kameror", "Karta", "Behov", "Uppföljning", "Rapporter", "Förteckning", "Administrera"]:
        assert item in officer, item
    reader = menu(client_for("reader"))
    assert all(item in reader for item in ["Behov", "Uppföljning", "Rapporter"])
    assert not any(item in reader for item in ["Platser", "Kameror", "Karta", "Förteckning", "Administrera"])
    contact = menu(client_for("administration_contact"))
    assert all(item in contact for item in ["Platser", "Behov", "Administrera"])
    assert not any(item in contact for item in ["Uppföljning", "Rapporter", "Förteckning"])
    anonymous = menu(client_for(None))
    assert "Behov" not in anonymous and "Översikt" in anonymous
    html = client_for(None).get("/").content.decode()
    account = html[html.index('aria-label="Konto"') :]
    assert "Logga in" in account[: account.index("</nav>")]


@pytest.mark.django_db
def test_the_findings_summary_counts_the_cameras_listed(client_for):
    # The walkthrough saw "Visa de första 0 av 13 kameror": the template added a list to a number.
    html = client_for("officer").get("/").content.decode()
    assert "Visa de första 0 av" not in html
    assert re.search(r"Visa (alla \d+|de första [1-9]\d* av \d+) kameror", html)


def test_the_dpo_sees_the_decided_reviews_waiting_for_the_note_with_links(client_for, demo_users):
    # New users found the DPO's start page silent about the reviews waiting for the DPO's statement.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trygg.cameras.models import Camera
    from trygg.evaluation import review_services
    from trygg.evaluation.review_models import CameraReview

    client = client_for("dpo")
    assert "Inga beslutade omprövningar väntar på att noteras." in client.get("/").content.decode()

    def decide(identifier):
        review, _ = review_services.decide(
            Camera.objects.get(identifier=identifier), demo_users["officer"], "keep", "Fortfarande motiverad."
        )
        return review

    first = decide("KOM-01")
    with CaptureQueriesContext(connection) as one:
        html = client.get("/").content.decode()
    section = html[html.index('id="reviews-to-note"') :]
    section = section[: section.index("</section>")]
    assert "1 beslutad omprövning väntar på att du noterar den" in section
    assert f'href="/utvardering/omprovning/{first.pk}/"' in section and "KOM-01" in section
    decide("TORG-01")
    with CaptureQueriesContext(connection) as two:
        html = client.get("/").content.decode()
    assert "2 beslutade omprövningar väntar" in html
    assert len(two) == len(one)  # one more review, no more queries
    # Others read it on the due list; only the DPO notes, so only the DPO's start page asks for it.
    assert 'id="reviews-to-note"' not in client_for("officer").get("/").content.decode()
    assert CameraReview.objects.filter(noted_at__isnull=True).count() == 2
