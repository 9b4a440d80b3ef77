"""The stored programme evaluation (issue 15): equal to a fresh one in Swedish and English, shown with
when it was computed and whether the register changed since, paged, recomputed by the nightly
command and by a job from the page (progress, cancel, failure in Swedish), and read by the board
report when it is current; and the evaluation page's source spans read in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from trygg.evaluation import programme, programme_store, services, views
from trygg.evaluation.models import StoredProgrammeEffect, StoredProgrammeSite
from trygg.incidents.models import Incident, IncidentSource
from trygg.jobs import runner
from trygg.jobs.models import Job, JobKind, JobState
from trygg.sites.models import Site

pytestmark = pytest.mark.django_db
URL = "/utvardering/programmet/"


def comparable_row(row: programme.SiteRow, with_texts: bool = True) -> tuple:
    # repr: NaN equals NaN there, and an estimate's every field is compared.
    warnings = [(w.code, w.title) + ((w.text,) if with_texts else ()) for w in row.warnings]
    return (
        row.site.pk,
        row.started,
        row.periods,
        [site.pk for site in row.controls],
        row.counts,
        repr(row.res),
        repr(row.wdd),
        row.reason,
        row.waiting,
        row.register_behind,
        warnings,
    )


def comparable_headline(summary: programme.Summary) -> tuple:
    return (
        repr(summary.pooled),
        summary.pooled_percent,
        summary.distinguishable,
        repr(summary.avoided),
        summary.cost,
        summary.cost_per_avoided,
        summary.cost_text,
    )


def stored_summary(translate=gettext) -> programme.Summary:
    effect = programme_store.latest()
    return programme_store.summary_of(effect, programme_store.site_rows(effect), translate)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_stored_evaluation_equals_a_fresh_one(demo_users, language):
    programme_store.recompute()
    with translation.override(language):
        fresh = programme.evaluate_programme(gettext)
        stored = stored_summary()
    assert fresh.rows and any(row.res for row in fresh.rows) and any(row.waiting for row in fresh.rows)
    assert any(row.warnings for row in fresh.rows)
    # Warnings' long texts are kept in Swedish (the page and the report show code and title).
    with_texts = language == "sv"
    assert [comparable_row(r, with_texts) for r in stored.rows] == [comparable_row(r, with_texts) for r in fresh.rows]
    assert comparable_headline(stored) == comparable_headline(fresh)
    if language == "en":
        assert stored.cost_text.startswith("Cost per avoided incident")
        assert any(row.reason.startswith("the after period") for row in stored.rows)
    effect = programme_store.latest()
    assert (effect.sites_total, effect.sites_included, effect.sites_waiting, effect.sites_register_behind) == (
        len(fresh.rows),
        fresh.included_count,
        fresh.waiting_count,
        fresh.register_behind_count,
    )


def test_one_result_is_kept(demo_users):
    first = programme_store.recompute()
    second = programme_store.recompute()
    assert list(StoredProgrammeEffect.objects.values_list("pk", flat=True)) == [second.pk]
    assert not StoredProgrammeSite.objects.filter(effect_id=first.pk).exists()
    assert StoredProgrammeSite.objects.filter(effect=second).count() == second.sites_total


def test_the_page_says_when_it_was_computed_and_when_the_register_changed_since(client_for):
    effect = programme_store.recompute()
    client = client_for("reader")
    html = client.get(URL).content.decode()
    local = timezone.localtime(effect.computed_at).strftime("%Y-%m-%d %H:%M")
    assert f"Beräknad {local}, med händelser till och med {effect.data_last_day.isoformat()}." in html
    assert "Inget i registret har ändrats sedan dess." in html and 'id="stale"' not in html
    # A new incident (the counts' version moves on): the stored numbers are shown, said to be older.
    Incident.objects.create(site=Site.objects.get(name="Sporthallen"), kind="graffiti", occurred_on=dt.date(2024, 9, 2))
    html = client.get(URL).content.decode()
    assert 'id="stale"' in html and "Registret har ändrats sedan dess" in html
    assert f"Beräknad {local}" in html
    # Computed on an earlier day: the waiting sites' reasons name today, so it is not current either.
    programme_store.recompute()
    assert 'id="stale"' not in client.get(URL).content.decode()
    StoredProgrammeEffect.objects.update(as_of=timezone.localdate() - dt.timedelta(days=1))
    assert 'id="stale"' in client.get(URL).content.decode()


def test_a_changed_camera_or_cost_makes_the_result_not_current(demo_users):
    from trygg.programme.models import CostEntry

    effect = programme_store.recompute()
    assert programme_store.is_current(effect)
    entry = CostEntry.objects.order_by("pk").first()
    entry.description = (entry.description or "") + " ändrad"
    entry.save()  # audited: the change log moves on
    assert not programme_store.is_current(effect)


def test_without_a_stored_result_the_page_says_so_and_offers_to_compute(client_for):
    StoredProgrammeEffect.objects.all().delete()
    reader = client_for("reader").get(URL).content.decode()
    assert "Programmets effekt har inte beräknats ännu." in reader
    assert "Räkna nu" not in reader and "Sammanvägt resultat" not in reader
    officer = client_for("officer").get(URL).content.decode()
    assert "Räkna nu" in officer and 'action="/utvardering/programmet/rakna-om/"' in officer


def test_the_sites_are_paged_with_the_headline_unchanged(client_for, monkeypatch):
    programme_store.recompute()
    monkeypatch.setattr(views, "PROGRAMME_SITES_PER_PAGE", 2)
    effect = programme_store.latest()
    names = list(programme_store.site_rows(effect).values_list("site__name", flat=True))
    pages = (len(names) + 1) // 2
    assert pages >= 2
    client = client_for("reader")

    def shown(html):
        return re.findall(r'<th scope="row"><a href="[^"]*">([^<]*)</a></th>', html)

    first = client.get(URL).content.decode()
    assert f"Sida 1 av {pages}" in first and shown(first) == names[:2]
    second = client.get(URL + "?page=2").content.decode()
    assert f"Sida 2 av {pages}" in second and shown(second) == names[2:4]
    for html in (first, second):
        basis = re.search(r'id="pooled-basis">(.*?)</p>', html, re.S).group(1)
        assert f"Bygger på {effect.sites_included} av {effect.sites_total} platser" in basis
        assert re.search(r'class="verdict">(.*?)</p>', first, re.S).group(1) in html


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_sites(client_for, monkeypatch):
    monkeypatch.setattr(views, "PROGRAMME_SITES_PER_PAGE", 2)
    programme_store.recompute()
    client = client_for("reader")
    before = count_queries(client, URL + "?page=2")
    # More stored rows (copies of the stored ones at other positions): the page reads the same.
    effect = programme_store.latest()
    rows = list(StoredProgrammeSite.objects.filter(effect=effect))
    for copy in range(3):
        StoredProgrammeSite.objects.bulk_create(
            StoredProgrammeSite(effect=effect, position=1000 * (copy + 1) + r.position, site_id=r.site_id, row=r.row)
            for r in rows
        )
    assert count_queries(client, URL + "?page=2") == before


def test_the_nightly_command_stores_the_result(demo_users):
    StoredProgrammeEffect.objects.all().delete()
    call_command("recompute_programme_effect", stdout=open("/dev/null", "w"))  # noqa: SIM115
    effect = programme_store.latest()
    assert effect is not None and effect.as_of == timezone.localdate()
    assert effect.sites_total == len(programme.evaluate_programme(gettext).rows)


def test_the_button_recomputes_as_a_job_with_its_progress(client_for, demo_users):
    old = programme_store.recompute()
    client = client_for("officer")
    response = client.post("/utvardering/programmet/rakna-om/")
    job = Job.objects.get(kind=JobKind.PROGRAMME_EFFECT)
    assert response.status_code == 302 and response["Location"] == f"{URL}?jobb={job.pk}"
    assert job.state == JobState.DONE and job.started_by == demo_users["officer"]  # the tests run jobs at once
    with translation.override("sv"):
        assert job.step_text.startswith("Programmets effekt är beräknad för") and job.result_url == URL
    new = programme_store.latest()
    assert new.pk != old.pk and new.computed_at >= old.computed_at
    html = client.get(response["Location"]).content.decode()
    assert f'id="job-{job.pk}"' in html and "Klart." in html
    # A reader may read the page but not start the computation.
    assert client_for("reader").post("/utvardering/programmet/rakna-om/").status_code == 403


def test_a_cancelled_job_keeps_the_stored_result(demo_users, monkeypatch):
    old = programme_store.recompute()

    def cancel_midway(self, done, total, step=""):
        Job.objects.filter(pk=self.job.pk).update(cancel_requested=True)
        self.check_cancelled()

    monkeypatch.setattr(runner.Progress, "__call__", cancel_midway)
    job = runner.start(JobKind.PROGRAMME_EFFECT, demo_users["officer"])
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and "Avbrutet" in job.step
    assert list(StoredProgrammeEffect.objects.values_list("pk", flat=True)) == [old.pk]


def test_a_failed_job_says_so_in_swedish_and_keeps_the_stored_result(demo_users, monkeypatch):
    old = programme_store.recompute()

    def broken(*args, **kwargs):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(programme, "evaluate_programme", broken)
    job = runner.start(JobKind.PROGRAMME_EFFECT, demo_users["officer"])
    job.refresh_from_db()
    with translation.override("sv"):
        failure = job.failure_text
    assert job.state == JobState.FAILED and "tekniskt fel" in failure and "division" not in failure
    assert list(StoredProgrammeEffect.objects.values_list("pk", flat=True)) == [old.pk]


def test_the_board_report_reads_the_stored_result_when_it_is_current_for_its_date(demo_users, monkeypatch):
    from trygg.reports.context import _effect
    from trygg.reports.models import BoardReport

    report = BoardReport.objects.get(case_number="KS 2024/0123")
    report.include_effect = True
    computed = _effect(report)  # the demo report's date is not today: computed for that date
    programme_store.recompute()
    report.as_of = timezone.localdate()
    fresh = _effect(report)
    calls = []
    real = programme.evaluate_programme
    monkeypatch.setattr(programme, "evaluate_programme", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert _effect(report) == fresh and not calls  # today's stored result, the same facts
    Incident.objects.create(site=Site.objects.get(name="Sporthallen"), kind="graffiti", occurred_on=dt.date(2024, 9, 2))
    _effect(report)
    assert calls  # the register changed since: computed again
    assert computed.sites


def test_source_spans_are_read_in_a_fixed_number_of_queries_manual_entry_first(demo_users):
    def spans():
        with CaptureQueriesContext(connection) as captured:
            found = services.source_spans()
        return found, len(captured)

    Incident.objects.create(site=Site.objects.get(name="Sporthallen"), kind="graffiti", occurred_on=dt.date(2019, 5, 6))
    before, queries = spans()
    assert before[0].label == "Registrerad för hand"
    for n in range(3):
        source = IncidentSource.objects.create(name=f"Extra källa {n}")
        Incident.objects.bulk_create(
            Incident(
                site=Site.objects.get(name="Sporthallen"),
                kind="graffiti",
                occurred_on=dt.date(2020 + n, 1 + i, 1),
                source=source,
                source_key=f"{n}-{i}",
            )
            for i in range(3)
        )
    after, queries_after = spans()
    assert queries_after == queries == 3
    extra = [span for span in after if span.label.startswith("Extra källa")]
    assert [(s.label, s.first_on, s.last_on) for s in extra] == [
        (f"Extra källa {n}", dt.date(2020 + n, 1, 1), dt.date(2020 + n, 3, 1)) for n in range(3)
    ]
    manual = Incident.objects.filter(source__isnull=True)
    first, last = manual.order_by("occurred_on").first(), manual.order_by("-occurred_on").first()
    assert (after[0].first_on, after[0].last_on) == (first.occurred_on, last.occurred_on)


def test_buffer_sites_are_the_same_as_measuring_every_site_but_only_nearby_ones_are_measured(demo_users, monkeypatch):
    from trygg.evaluation.models import Evaluation

    evaluation = Evaluation.objects.filter(buffer_metres__gt=0).order_by("pk").first()
    treated, controls = list(evaluation.sites.all()), list(evaluation.control_sites.all())
    taken = {s.pk for s in treated + controls}

    def every_site(metres):
        return {
            site.pk
            for site in Site.objects.exclude(pk__in=taken)
            if any(
                services.GEOD.inv(c.longitude, c.latitude, site.longitude, site.latitude)[2] <= metres for c in treated
            )
        }

    template = treated[0]
    for n in range(5):  # far away (Kiruna): never measured
        Site.objects.create(
            name=f"Långt bort {n}",
            kind=template.kind,
            administration=template.administration,
            longitude=20.2 + 0.01 * n,
            latitude=67.85,
            area_kind=template.area_kind,
        )
    measured = []
    real = services.GEOD

    class Counting:
        def inv(self, *args):
            measured.append(args)
            return real.inv(*args)

    monkeypatch.setattr(services, "GEOD", Counting())
    for metres in (evaluation.buffer_metres, 5_000, 60_000):
        evaluation.buffer_metres = metres
        measured.clear()
        found = {site.pk for site in services.buffer_sites(evaluation, treated, controls)}
        assert not any(args[3] > 67 for args in measured)
        assert found == every_site(metres)
    assert found  # 60 km takes in the demo's other sites
