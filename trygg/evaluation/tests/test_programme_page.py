"""The programme page as a fresh user read it: a summary that agrees with its table, sites linked to their own
evaluation, a staleness notice that says why, the recompute job counted and worded as the page (in the
reader's language, never queued twice, its button back after a cancel), only links the user may follow on
the evaluation pages, no Swedish left on the English page, and `?sida=` for the page number."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from trygg.cameras.models import Camera
from trygg.evaluation import programme_store, views
from trygg.incidents.models import Incident
from trygg.jobs.models import Job, JobKind, JobState
from trygg.sites.models import Site

pytestmark = pytest.mark.django_db
URL = "/utvardering/programmet/"
ROLES = ("admin", "officer", "administration_contact", "dpo", "reader")


def basis(html: str) -> str:
    return " ".join(re.search(r'id="pooled-basis">(.*?)</p>', html, re.S).group(1).split())


def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def today(monkeypatch):
    """today(date): the programme's "today" (the day it is computed for and the page compares with)."""

    real = timezone.localdate

    def set_today(day: dt.date) -> None:
        monkeypatch.setattr(
            timezone, "localdate", lambda value=None, tz=None: day if value is None else real(value, tz)
        )

    return set_today


def test_the_summary_tells_a_running_after_period_from_one_the_register_does_not_cover(client_for, today):
    # Computed on 2025-07-01 (the register runs to 2024-09-30): Grisslehamn's after period ended on 2025-05-31,
    # Norrtälje hamn's runs to 2025-08-31. The summary said "2 platser har ingen avslutad efterperiod ännu".
    today(dt.date(2025, 7, 1))
    effect = programme_store.recompute()
    assert (effect.sites_waiting, effect.sites_register_behind, effect.sites_running) == (2, 1, 1)
    text = basis(client_for("officer").get(URL).content.decode())
    assert (
        "1 plats har en avslutad efterperiod som händelseregistret inte täcker ännu: registret har hela månader "
        "bara till och med 2024-09-30." in text
    )
    assert "1 plats har en efterperiod som pågår ännu." in text
    assert "ingen avslutad efterperiod" not in text


def test_when_every_waiting_after_period_has_ended_the_summary_says_the_register_is_behind(client_for, today):
    today(dt.date(2026, 1, 15))  # both after periods ended; the table says "efterperioden slutade … men"
    programme_store.recompute()
    html = client_for("officer").get(URL).content.decode()
    assert html.count("nej: efterperioden slutade") == 2
    text = basis(html)
    assert "2 platser har en avslutad efterperiod som händelseregistret inte täcker ännu" in text
    assert "pågår" not in text and "ingen avslutad efterperiod" not in text


def test_the_count_of_sites_says_they_have_had_cameras_in_operation(client_for):
    # Societetsparken's only camera has been paused since 2024-06-01: it is one of the sites evaluated (its
    # after period ran with the camera), but not a site "med kameror i drift" today.
    effect = programme_store.recompute()
    park = Site.objects.get(name="Societetsparken")
    assert not Camera.objects.filter(site=park, state="in_operation").exists()
    running_today = Site.objects.filter(cameras__state="in_operation").distinct().count()
    assert effect.sites_total == running_today + 1
    text = basis(client_for("officer").get(URL).content.decode())
    assert f"Bygger på {effect.sites_included} av {effect.sites_total} platser som har haft kameror i drift." in text
    assert "med kameror i drift" not in text


def test_each_site_links_to_its_own_evaluations_which_every_reader_of_the_page_may_open(client_for):
    effect = programme_store.recompute()
    names = dict(programme_store.site_rows(effect).values_list("site_id", "site__name"))
    for role in ("admin", "officer", "dpo", "reader"):
        client = client_for(role)
        html = client.get(URL).content.decode()
        linked = dict(re.findall(r'<th scope="row"><a href="/utvardering/\?plats=(\d+)">([^<]*)</a></th>', html))
        assert {int(pk): name for pk, name in linked.items()} == names, role
        rimbo = Site.objects.get(name="Rimbo bibliotek")
        page = client.get(f"/utvardering/?plats={rimbo.pk}")
        assert page.status_code == 200, role
        assert "Kameran vid Rimbo bibliotek" in page.content.decode()


def test_the_staleness_notice_says_which_of_its_two_reasons_applies(client_for, today):
    today(dt.date(2026, 3, 2))
    programme_store.recompute()
    client = client_for("reader")

    def notice() -> str:
        found = re.search(r'<span class="warning" id="stale"[^>]*>(.*?)</span>', client.get(URL).content.decode())
        return found.group(1) if found else ""

    assert notice() == ""
    Incident.objects.create(site=Site.objects.get(name="Sporthallen"), kind="graffiti", occurred_on=dt.date(2024, 9, 2))
    assert notice() == "Registret har ändrats sedan dess: siffrorna nedan kan skilja sig från dagens."
    today(dt.date(2026, 3, 3))
    assert notice().startswith("Registret har ändrats sedan dess, och beräkningen gjordes för 2026-03-02, en tidigare")
    programme_store.recompute()
    today(dt.date(2026, 3, 4))
    assert notice().startswith("Inget i registret har ändrats sedan dess, men beräkningen gjordes för 2026-03-03")
    assert "eller" not in notice()


def test_the_english_page_has_no_swedish_left_in_the_figures_and_headings(client_for):
    programme_store.recompute()
    html = english(client_for("officer")).get(URL).content.decode()
    avoided = re.search(r"Avoided incidents.*?<dd>(.*?)</dd>", html, re.S).group(1)
    assert re.fullmatch(r"-?\d+ \(-?\d+ to -?\d+\)", avoided), avoided
    assert '<abbr title="confidence interval">CI</abbr>' in html and ">KI<" not in html
    assert "First in operation" in html
    assert "sites that have had cameras in operation" in basis(html)


def test_the_sites_are_paged_with_sida_and_old_page_links_still_work(client_for, monkeypatch):
    programme_store.recompute()
    monkeypatch.setattr(views, "PROGRAMME_SITES_PER_PAGE", 2)
    client = client_for("reader")
    first = client.get(URL).content.decode()
    assert re.search(r'href="\?sort=&amp;sida=2" rel="next"', first)
    assert "page=" not in re.search(r'<nav class="pagination".*?</nav>', first, re.S).group(0)
    for query in ("?sida=2", "?page=2"):
        assert "Sida 2 av" in client.get(URL + query).content.decode(), query


def test_the_recompute_job_counts_the_sites_the_page_lists(client_for):
    client = client_for("officer")
    client.post("/utvardering/programmet/rakna-om/")
    job = Job.objects.get(kind=JobKind.PROGRAMME_EFFECT)
    effect = programme_store.latest()
    # "7 platser … (10 av 10)" before: the progress counted every site of the register.
    assert job.state == JobState.DONE and (job.done, job.total) == (effect.sites_total, effect.sites_total)
    assert Site.objects.count() > effect.sites_total
    html = client.get(f"{URL}?jobb={job.pk}").content.decode()
    label = " ".join(re.search(r'<label for="job-\d+-bar">(.*?)</label>', html, re.S).group(1).split())
    assert label == (
        "Programmets effekt är beräknad för platserna som har haft kameror i drift "
        f"({effect.sites_total} av {effect.sites_total})"
    )


def test_the_jobs_texts_are_shown_in_the_readers_language(client_for):
    client = client_for("officer")
    client.post("/utvardering/programmet/rakna-om/")
    job = Job.objects.get(kind=JobKind.PROGRAMME_EFFECT)
    html = unescape(english(client).get(f"{URL}?jobb={job.pk}").content.decode())
    label = " ".join(re.search(r'<label for="job-\d+-bar">(.*?)</label>', html, re.S).group(1).split())
    # The summary was stored composed in Swedish ("Programmets effekt beräknad för 7 platser …").
    assert label.startswith("The programme's effect has been computed for the sites"), label
    assert "Programmets effekt" not in html
    listed = unescape(client.get("/jobb/").content.decode())
    assert "Programmets effekt" not in listed and "The programme's effect" in listed


def test_starting_the_recompute_again_shows_the_job_already_queued(client_for, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    officer = client_for("officer")
    first = officer.post("/utvardering/programmet/rakna-om/")
    job = Job.objects.get(kind=JobKind.PROGRAMME_EFFECT)
    assert job.state == JobState.QUEUED and first["Location"] == f"{URL}?jobb={job.pk}"
    # A second tab: the same job, not a second one.
    second = officer.post("/utvardering/programmet/rakna-om/")
    assert second["Location"] == first["Location"]
    # Another officer: told who started it; nothing queued either.
    other = client_for("admin")
    response = other.post("/utvardering/programmet/rakna-om/", follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert "Programmets effekt räknas redan om: " in response.content.decode()
    assert Job.objects.filter(kind=JobKind.PROGRAMME_EFFECT).count() == 1
    # Once it has ended, a new one is queued.
    Job.objects.filter(pk=job.pk).update(state=JobState.CANCELLED)
    third = officer.post("/utvardering/programmet/rakna-om/")
    assert Job.objects.filter(kind=JobKind.PROGRAMME_EFFECT).count() == 2 and third["Location"] != first["Location"]


def test_the_page_fetches_itself_again_when_the_job_it_shows_ends(client_for, settings):
    # After "Avbryt" the "Räkna om nu" button stayed away until a reload: the page now listens for the
    # event the job's last fragment raises and shows its own parts anew.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    programme_store.recompute()
    client = client_for("officer")
    job_url = client.post("/utvardering/programmet/rakna-om/")["Location"]
    job = Job.objects.get(kind=JobKind.PROGRAMME_EFFECT)
    html = client.get(job_url).content.decode()
    assert "Räkna om nu" not in html
    assert re.search(r'<div id="programme" hx-get="[^"]*jobb=' + str(job.pk) + '" hx-trigger="job-ended"', html)
    assert "HX-Trigger" not in client.get(f"/jobb/{job.pk}/status/", HTTP_HX_REQUEST="true")
    cancelled = client.post(f"/jobb/{job.pk}/avbryt/", HTTP_HX_REQUEST="true")
    assert cancelled["HX-Trigger"] == "job-ended"
    assert client.get(f"/jobb/{job.pk}/status/", HTTP_HX_REQUEST="true")["HX-Trigger"] == "job-ended"
    assert "Räkna om nu" in client.get(job_url).content.decode()


class Links(HTMLParser):
    """The addresses of the links in a page's <main>."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
        elif tag == "a" and self.depth:
            href = dict(attrs).get("href") or ""
            if href and not href.startswith(("#", "http", "mailto:")):
                self.found.append(href)

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1


def links_in(html: str, base: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return [base + href if href.startswith("?") else href for href in parser.found]


@pytest.mark.parametrize("role", ROLES)
def test_the_evaluation_pages_show_only_links_the_user_may_follow(client_for, role):
    # As the administration contact, /utvardering/ offered "Hela programmet", which answered 403.
    programme_store.recompute()
    client = client_for(role)
    pages = ["/utvardering/"] + ([URL] if role != "administration_contact" else [])
    assert (client.get(URL).status_code == 200) == (URL in pages)
    followed = 0
    for page in pages:
        for href in links_in(client.get(page).content.decode(), page):
            assert client.get(href).status_code == 200, (role, page, href)
            followed += 1
    assert followed
    index = client.get("/utvardering/").content.decode()
    assert ('href="/utvardering/programmet/"' in index) == (role != "administration_contact")
    assert 'href="/utvardering/omprovning/"' in index
