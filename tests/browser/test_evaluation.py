"""Issue 14: an officer evaluates the cameras at a site from the site page and reads the result,
with the verdict, its interval, the warnings and the chart; the board reads the programme page.
Axe checks and screenshots in test-artifacts/."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in, server_held
from trygg.evaluation.models import Evaluation
from trygg.sites.models import Site


def test_officer_evaluates_sporthallen_from_its_site_page(page, screenshot, axe_check):
    sporthallen = Site.objects.get(name="Sporthallen")
    # The demo's own evaluation of Sporthallen has the default periods: this one would be its duplicate.
    Evaluation.objects.filter(title="Kamerorna vid Sporthallen").delete()
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto(f"/platser/{sporthallen.pk}/")
    page.get_by_role("link", name="Utvärdera effekt").click()
    expect(page.get_by_label("Insatsens datum")).to_have_value("2022-11-01")
    expect(page.get_by_label("Föreperioden börjar")).to_have_value("2021-10-01")
    # The suggested controls are selected, and the officer may change them.
    controls = page.get_by_label("Kontrollplatser")
    assert len(controls.evaluate("select => Array.from(select.selectedOptions).map(o => o.text)")) >= 1
    page.get_by_label("Rubrik").fill("Sporthallen, kamerorna 2022")
    page.get_by_label("Förväntad effekt").fill("Färre inbrott och mindre skadegörelse vid fasaderna.")
    axe_check(page)
    screenshot(page, "evaluation-form")
    page.get_by_role("button", name="Spara utvärderingen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sporthallen, kamerorna 2022")
    verdict = page.locator(".verdict")
    expect(verdict).to_contain_text("Färre än väntat")
    expect(verdict).to_contain_text(re.compile(r"95 % konfidensintervall \d+ till \d+ % färre"))
    expect(page.get_by_role("heading", name="Varningar")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Diagram över händelser per månad"))).to_be_visible()
    page.get_by_text("Tabell: händelser per månad").click()
    expect(page.get_by_role("cell", name="2022-11").first).to_be_visible()
    axe_check(page)
    screenshot(page, "evaluation-detail")


def test_rimbo_shows_the_regression_to_the_mean_warning_and_the_board_reads_the_programme(page, screenshot, axe_check):
    log_in(page, "lasare", "trygg-lasare")
    page.goto("/utvardering/")
    page.get_by_role("link", name="Kameran vid Rimbo bibliotek").click()
    expect(page.locator('[data-warning="peak"]')).to_contain_text("Urval efter en topp")
    axe_check(page)
    screenshot(page, "evaluation-rimbo")
    page.goto("/utvardering/programmet/")
    expect(page.get_by_text("Heterogenitet Q")).to_be_visible()
    axe_check(page)
    screenshot(page, "evaluation-programme")


def test_after_cancelling_the_recompute_the_button_comes_back_without_a_reload(page, screenshot, axe_check, settings):
    # The "Räkna om nu" button stayed away after "Avbryt" until the page was reloaded.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    from trygg.evaluation import programme_store

    programme_store.recompute()
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto("/utvardering/programmet/")
    page.get_by_role("button", name="Räkna om nu").click()
    page.wait_for_url(re.compile(r"/utvardering/programmet/\?jobb=\d+$"))
    expect(page.get_by_label(re.compile("Väntar på bakgrundsprocessen"))).to_be_visible()
    expect(page.get_by_role("button", name="Räkna om nu")).to_have_count(0)
    url = page.url
    page.get_by_role("button", name="Avbryt").click()
    expect(page.get_by_text("Jobbet avbröts.")).to_be_visible()
    expect(page.get_by_role("button", name="Räkna om nu")).to_be_visible(timeout=10_000)
    assert page.url == url  # no reload, no navigation
    axe_check(page)
    screenshot(page, "evaluation-programme-recompute-cancelled")


def test_the_recompute_is_followed_to_its_end_and_the_new_result_shown(page, screenshot, axe_check, settings):
    # The page's own "fetch me again" settings must not leak into the job's polling (htmx inherits
    # hx-select): the progress vanished at its first poll and the page stood still.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    from trygg.evaluation import programme_store
    from trygg.jobs import runner
    from trygg.jobs.models import Job, JobKind

    old = programme_store.recompute()
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto("/utvardering/programmet/")
    page.get_by_role("button", name="Räkna om nu").click()
    page.wait_for_url(re.compile(r"/utvardering/programmet/\?jobb=\d+$"))
    page.wait_for_timeout(2500)  # a few polls of the queued job
    expect(page.get_by_label(re.compile("Väntar på bakgrundsprocessen"))).to_be_visible()
    with server_held(page):
        runner.execute(Job.objects.get(kind=JobKind.PROGRAMME_EFFECT).pk)  # what `trygg db_worker` does
    expect(page.get_by_role("button", name="Räkna om nu")).to_be_visible(timeout=10_000)
    expect(page.locator("section.job")).to_have_attribute("data-state", "done")
    new = programme_store.latest()
    assert new.pk != old.pk
    expect(page.get_by_text(re.compile(r"platserna som har haft kameror i drift \(7 av 7\)"))).to_be_visible()
    axe_check(page)
    screenshot(page, "evaluation-programme-recompute-done")
