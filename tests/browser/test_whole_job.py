"""The whole job in Trygg's own pages (issue 10, first "Done when"), from the demo data, as a person does it.

The officer creates a school with a schoolyard that must not be watched, draws it on the map, adds a camera
that looks into it and is refused "i drift" with the schoolyard and its m² named; turns the camera away;
writes the 9 § assessment, the DPIA and the child-rights assessment and submits them. The DPO finds them
waiting on the start page, advises on the DPIA and approves all three with a case number. The officer records
the sign and the camera goes "i drift". A second, shorter test removes the intrusion with a privacy mask.

Only the start page and the log-in page are opened by address; everything else is reached by links and
buttons, and no /admin/ page is ever requested. axe runs on each new kind of page; screenshots are saved.
"""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

SCHOOL = "Solbackaskolan"
CAMERA = "SOL-01"
YARD = "Skolgården"
CONFIRM_DECISION = "Jag har läst versionen och bekräftar beslutet. Ett beslut kan inte ändras i efterhand."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def browse(browser, live_server, demo_users):
    """browse() -> a new page in a context of its own (one per user), with every request path recorded.

    Like conftest's `page`: fails the test on a request that leaves Trygg or a JavaScript error.
    """
    contexts, paths, external, errors = [], [], [], []

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()

        def on_request(request):
            if request.url.startswith(live_server.url):
                paths.append(urlsplit(request.url).path)
            else:
                external.append(request.url)

        page.on("request", on_request)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "console",
            lambda message: (
                errors.append(message.text)
                if message.type == "error" and "favicon" not in message.text and "status of 40" not in message.text
                else None
            ),
        )
        return page

    open_page.paths = paths
    yield open_page
    for context in contexts:
        context.close()
    assert not external, f"Sidan hämtade något utanför Trygg: {external}"
    assert not errors, f"JavaScript-fel: {errors}"


def field(scope, label):
    """The form field with exactly this label (required fields end with an asterisk)."""
    return scope.get_by_label(re.compile("^" + re.escape(label) + r"( \*)?$"))


def wait_for_map(page):
    page.locator("[data-map][data-loaded=true]").first.wait_for(timeout=15000)


def log_in(page, username, password):
    page.goto("/konto/logga-in/")
    field(page, "Användarnamn").fill(username)
    field(page, "Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(re.compile(r"/$"))


def log_out(page):
    page.get_by_role("button", name=re.compile("^Logga ut")).click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("button", name=re.compile("^Logga ut"))).to_have_count(0)


def menu(page, name):
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name=name, exact=True).click()


def message(page):
    return page.locator(".messages").inner_text()


def png(colour) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def create_school_with_yard_and_camera(page, axe_check, screenshot, prefix, school, camera):
    """Steps 1–2 up to the saved camera: a new school, its schoolyard drawn on the map, a camera looking in."""
    menu(page, "Platser")
    page.get_by_role("link", name="Ny plats").click()
    wait_for_map(page)
    if prefix == "whole-job":
        axe_check(page)
        screenshot(page, f"{prefix}-02-new-site")
    field(page, "Namn").fill(school)
    field(page, "Typ av plats").select_option(label="Grundskola")
    field(page, "Förvaltning").select_option(label="Barn- och utbildningsförvaltningen")
    field(page, "Adress").fill("Solbackavägen 1, Norrtälje")
    field(page, "Longitud").fill("18.6700")
    field(page, "Latitud").fill("59.7700")
    page.get_by_role("button", name="Spara platsen").click()
    page.wait_for_url(re.compile(r"/platser/\d+/$"))
    assert "Platsen är sparad." in message(page)
    expect(page.locator("h1")).to_have_text(school)
    wait_for_map(page)
    if prefix == "whole-job":
        axe_check(page)
        screenshot(page, f"{prefix}-03-site")

    # The schoolyard, drawn with Geoman's polygon tool north of the school's point (zoom 19: about 0.15 m/px).
    page.get_by_role("link", name="Rita nytt område").click()
    wait_for_map(page)
    field(page, "Namn").fill(YARD)
    field(page, "Typ av område").select_option(label="Skolgård")
    field(page, "Regel för bevakning").select_option(label="Får inte bevakas")
    page.get_by_role("button", name="Rita polygon").click()
    box = page.locator("[data-map]").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    corners = [(-150, -170), (150, -170), (150, -20), (-150, -20)]
    for dx, dy in [*corners, corners[0]]:  # closed on the first corner
        page.mouse.click(x + dx, y + dy)
    assert '"Polygon"' in page.locator("#id_geometry").input_value()
    if prefix == "whole-job":
        axe_check(page)
        screenshot(page, f"{prefix}-04-schoolyard-drawn")
    page.get_by_role("button", name="Spara området").click()
    page.wait_for_url(re.compile(r"/platser/\d+/$"))
    zones = page.locator("section", has=page.get_by_role("heading", name="Områden", exact=True))
    expect(zones.locator("tr", has_text=YARD)).to_contain_text("Får inte bevakas")

    # The camera, at the schoolyard's southern edge, looking north into it.
    page.get_by_role("link", name="Ny kamera").click()
    wait_for_map(page)
    expect(field(page, "Plats")).to_have_value(re.compile(r"\d+"))
    field(page, "Beteckning").fill(camera)
    yard = page.locator("[data-map] .leaflet-overlay-pane path[stroke='#c62828']").bounding_box()
    page.mouse.click(yard["x"] + yard["width"] / 2, yard["y"] + yard["height"] + 4)
    assert field(page, "Longitud").input_value() and field(page, "Latitud").input_value()
    field(page, "Montering").select_option(label="Vägg")
    field(page, "Monteringshöjd (m)").fill("4")
    field(page, "Riktning (grader)").fill("0")
    field(page, "Kameratyp").select_option(label="Fast")
    field(page, "Horisontell bildvinkel (grader)").fill("90")
    field(page, "Räckvidd (m)").fill("25")
    field(page, "Ändamål").fill("Att förebygga och utreda skadegörelse och inbrott i skolbyggnaden.")
    # Leaving the field sends the form's last preview (it cancels the one pending after typing); saving only
    # after its answer keeps the preview from reading while the save writes.
    with page.expect_response(
        lambda response: (
            "/kameror/forhandsvisning/" in response.url and "skolbyggnaden" in (response.request.post_data or "")
        )
    ):
        field(page, "Ändamål").blur()
    preview = page.locator("#coverage-preview")
    preview.get_by_text("Kameran ser in i områden som inte får bevakas").wait_for()
    assert YARD in preview.locator("table.intrusions").inner_text()
    if prefix == "whole-job":
        axe_check(page)
        screenshot(page, f"{prefix}-05-camera-looks-into-the-yard")
    page.get_by_role("button", name="Spara kameran").click()
    page.wait_for_url(re.compile(r"/kameror/\d+/$"))
    wait_for_map(page)
    assert "Kameran är sparad" in message(page)
    expect(page.locator("h1")).to_contain_text(f"Kamera {camera}")
    return page.url


def move(page, state):
    """Move the camera on its page to `state`, dated today (the form's default), confirmed."""
    form = page.locator(".move-form")
    field(form, "Ny status").select_option(label=state)
    field(form, "Jag har kontrollerat att statusändringen stämmer").check()
    form.get_by_role("button", name="Spara statusändringen").click()
    page.wait_for_load_state()


def refused_into_operation(page):
    """Projekterad and installerad are accepted; "i drift" is refused. Returns the refusal's text."""
    move(page, "Projekterad")
    expect(page.locator("h1")).to_contain_text("Projekterad")
    move(page, "Installerad")
    expect(page.locator("h1")).to_contain_text("Installerad")
    move(page, "I drift")
    expect(page.locator(".move-form .error-summary")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("Installerad")
    return page.locator(".move-form")  # the refusal's first line, then each missing item with its links


def test_the_whole_job_from_a_new_school_to_a_camera_in_operation(browse, axe_check, screenshot):
    today = timezone.localdate()
    officer = browse()
    log_in(officer, "handlaggare", "trygg-handlaggare")
    axe_check(officer)
    screenshot(officer, "whole-job-01-officer-dashboard")

    # 1–2. The school, its schoolyard and a camera looking into it.
    camera_url = create_school_with_yard_and_camera(officer, axe_check, screenshot, "whole-job", SCHOOL, CAMERA)
    text = officer.locator("main").inner_text()
    assert "Ingen maskering är registrerad: kameran får inte tas i drift" in text
    screenshot(officer, "whole-job-06-camera-page")  # axe runs on this page with the refusal on it, below

    refusal = refused_into_operation(officer)
    text = refusal.inner_text()
    assert f"Kameran {CAMERA} kan inte tas i drift" in text
    assert re.search(rf"”{YARD}” \(får inte bevakas\): \d[\d  ]*(,\d+)? m²", text), text
    expect(refusal).to_be_in_viewport()  # the page comes back to the reason, not to its top
    axe_check(officer)
    screenshot(officer, "whole-job-07-refused-into-operation")

    # 3. The failing check's link leads to the camera's view; turned south, the preview shows no intrusion.
    # The link right in the refusal, beside the schoolyard's line.
    officer.locator(".refusal-help").get_by_role("link", name="Ändra kamerans läge och synfält").click()
    officer.wait_for_url(re.compile(r"/kameror/\d+/andra/#lage-och-synfalt$"))
    wait_for_map(officer)
    field(officer, "Riktning (grader)").fill("180")
    field(officer, "Riktning (grader)").blur()
    preview = officer.locator("#coverage-preview")
    preview.get_by_text("Inget intrång i områden som inte får bevakas").wait_for()
    screenshot(officer, "whole-job-08-camera-turned-away")
    officer.get_by_role("button", name="Spara kameran").click()
    officer.wait_for_url(re.compile(r"/kameror/\d+/(#.*)?$"))
    wait_for_map(officer)
    checklist = officer.locator(".compliance-panel")
    assert "Inget intrång i områden som inte får bevakas" in officer.locator("main").inner_text()
    assert "Synfältet håller sig utanför områden som inte får bevakas" not in checklist.inner_text()

    # 4. The 9 § assessment, from the failing check's link.
    checklist.get_by_role("link", name="Skriv intresseavvägningen (9 §)").first.click()
    officer.wait_for_url(re.compile(r"/efterlevnad/intresseavvagningar/ny/\?kamera=\d+$"))
    wait_for_map(officer)
    assert f"Kamera {CAMERA}" in officer.locator(".facts-panel").inner_text()
    axe_check(officer)
    screenshot(officer, "whole-job-09-assessment-form")
    field(officer, "Uppgift av allmänt intresse").select_option(value="school_environment")
    field(officer, "Nödvändighet").fill(
        "Upprepad skadegörelse och inbrott i skolbyggnaden kvällstid trots belysning och väktarrundor."
    )
    field(officer, "Upptagningsområde").fill("Skolbyggnadens södra fasad och 2 m ut; inte skolgården.")
    field(officer, "Bevakningstider").fill("Vardagar 20–06, helger och lov 17–07 (IMY:s tider för skolfasader).")
    officer.get_by_label(
        "Förebygga, förhindra eller upptäcka brott på en brottsutsatt plats eller en plats med särskild risk"
    ).check()
    field(officer, "Övriga brott och incidenter som bedömningen bygger på").fill(
        "Polisen: sex anmälda inbrott och skadegörelser vid skolan de senaste två åren."
    )
    field(officer, "Antal dokumenterade incidenter").fill("6")
    field(officer, "Hur bevakningen sker").fill("Inspelning enligt tiderna ovan, utan ljud.")
    field(officer, "Integritetshöjande teknik").fill("Lagringstid 72 timmar; kameran är riktad bort från skolgården.")
    field(officer, "Vilket område som bevakas").fill("Fasaden och 2 m ut.")
    field(officer, "Direktövervakning").fill("Ingen ser bilderna i realtid.")
    field(officer, "Slutsats").select_option(label="Bevakningen får ske enligt förslaget")
    field(officer, "Motivering av slutsatsen").fill(
        "Bevakningsintresset väger tyngre: bara fasaden filmas, och bara när eleverna inte är där."
    )
    submit_document(officer, "intresseavvagningar", "whole-job-10-assessment-submitted", axe_check, screenshot)

    # Back to the camera from the assessment's facts, then the DPIA from the camera's failing check.
    officer.locator(".facts-panel").get_by_role("link", name=CAMERA, exact=True).click()
    officer.wait_for_url(camera_url)
    officer.locator(".compliance-panel").get_by_role("link", name="Skriv konsekvensbedömningen").first.click()
    officer.wait_for_url(re.compile(r"/efterlevnad/konsekvensbedomningar/ny/\?plats=\d+$"))
    wait_for_map(officer)
    expect(field(officer, "Rubrik")).to_have_value(f"Konsekvensbedömning kamerabevakning {SCHOOL}")
    expect(officer.get_by_label(f"{CAMERA} (Installerad)")).to_be_checked()
    axe_check(officer)
    screenshot(officer, "whole-job-11-dpia-form")
    officer.get_by_label("systematisk övervakning", exact=True).check()
    officer.get_by_label("sårbara registrerade (barn, anställda)", exact=True).check()
    field(officer, "Beskrivning av behandlingen och ändamålen").fill(
        f"Kameran {CAMERA} filmar skolans södra fasad kvällar, nätter och helger; inspelningarna sparas 72 timmar."
    )
    field(officer, "Nödvändighet och proportionalitet").fill(
        "Skadegörelsen har fortsatt trots belysning och väktare; bara fasaden filmas, inte skolgården."
    )
    field(officer, "Bedömning av riskerna för de registrerades rättigheter").fill(
        "Elever som är kvar vid skolan kvällstid kan filmas vid fasaden."
    )
    field(officer, "Risk, rad 1").fill("Elever filmas utanför skoltid")
    field(officer, "Beskrivning, rad 1").fill("Elever som är kvar på kvällen syns i bild vid entrén.")
    field(officer, "Allvarlighet, rad 1").select_option(label="2 – betydande")
    field(officer, "Sannolikhet, rad 1").select_option(label="2 – möjlig")
    field(officer, "Åtgärder för att hantera riskerna").fill("Tider enligt IMY:s praxis och 72 timmars lagring.")
    field(officer, "Synpunkter från de registrerade eller deras företrädare").fill(
        "Elevrådet har fått information och ställer sig bakom bevakning av fasaden nattetid."
    )
    field(officer, "Kvarstående risk").select_option(label="Låg")
    field(officer, "Förhandssamråd med IMY").select_option(label="Behövs inte")
    field(officer, "Ses över senast").fill(today.replace(year=today.year + 1).isoformat())
    submit_document(officer, "konsekvensbedomningar", "whole-job-12-dpia-submitted", axe_check, screenshot)
    body = officer.locator(".document-body").inner_text()
    assert "R1" in body and "Elever filmas utanför skoltid" in body

    # The child-rights assessment: from the DPIA's facts to the site, its camera, and the failing check.
    officer.locator(".facts-panel").get_by_role("link", name=CAMERA, exact=True).click()
    officer.wait_for_url(camera_url)
    officer.locator(".compliance-panel").get_by_role("link", name="Skriv barnrättsprövningen").first.click()
    officer.wait_for_url(re.compile(r"/efterlevnad/barnrattsprovningar/ny/\?plats=\d+$"))
    wait_for_map(officer)
    expect(field(officer, "Rubrik")).to_have_value(f"Barnrättsprövning kamerabevakning {SCHOOL}")
    axe_check(officer)
    screenshot(officer, "whole-job-13-child-rights-form")
    field(officer, "Berörda barn").fill("Cirka 300 elever i F–6 och fritidshem; skolgården används kvällar och helger.")
    field(officer, "Problemet ur barnens perspektiv").fill(
        "Krossat glas och klotter vid entréerna gör att eleverna känner sig otrygga på morgonen."
    )
    officer.get_by_label("Barnen har fått komma till tals").check()
    field(officer, "Hur barnen hördes").fill("Elevrådet och trygghetsenkäten.")
    field(officer, "När barnen hördes").fill(today.isoformat())
    field(officer, "Vad barnen framförde").fill(
        "Eleverna vill inte bli filmade på skolgården men tycker att fasaden kan bevakas på kvällen."
    )
    field(officer, "Positiva effekter").fill("Mindre skadegörelse och en tryggare skolmiljö.")
    field(officer, "Negativa effekter").fill("Elever som är kvar på kvällen kan filmas vid fasaden.")
    field(officer, "Alternativ som prövats eller övervägts").fill("Belysning och väktarrundor har prövats.")
    field(officer, "Skyddsåtgärder").fill(
        "Praxistider, fasad och 2 m, 72 timmars lagring, inget ljud, kameran riktad bort från skolgården."
    )
    field(officer, "Slutsats").select_option(label="Förenligt med barnets bästa med åtgärder")
    field(officer, "Motivering och kompenserande åtgärder").fill(
        "Skolgården filmas inte och bevakningen sker bara när eleverna inte är där."
    )
    field(officer, "Uppföljning senast").fill(today.replace(year=today.year + 1).isoformat())
    field(officer, "Indikator vid uppföljningen").fill("Antal skadegörelser per termin.")
    submit_document(officer, "barnrattsprovningar", "whole-job-14-child-rights-submitted", axe_check, screenshot)

    # The officer's start page shows the three as sent for decision.
    menu(officer, "Översikt")
    sent = officer.locator("section", has=officer.get_by_role("heading", name="Skickat för beslut"))
    expect(sent.locator("tr", has_text=SCHOOL)).to_have_count(3)
    log_out(officer)

    # 5. The DPO: the three wait on the start page; advice on the DPIA, then each approved with confirmation.
    dpo = browse()
    log_in(dpo, "dataskydd", "trygg-dataskydd")
    waiting = dpo.locator("section", has=dpo.get_by_role("heading", name="Väntar på ditt råd eller beslut"))
    expect(waiting.locator("tr", has_text=SCHOOL)).to_have_count(3)
    axe_check(dpo)
    screenshot(dpo, "whole-job-15-dpo-dashboard")
    decide(dpo, f"Konsekvensbedömning kamerabevakning {SCHOOL}", "KS 2026/0123", axe_check, screenshot, dpia=True)
    decide(dpo, f"{CAMERA}, {SCHOOL}", "KS 2026/0124", axe_check, screenshot)
    decide(dpo, f"Barnrättsprövning kamerabevakning {SCHOOL}", "KS 2026/0125", axe_check, screenshot)
    menu(dpo, "Översikt")
    expect(waiting.locator("tr", has_text=SCHOOL)).to_have_count(0)
    log_out(dpo)

    # 6. The officer: the sign from the failing check's link, then "i drift" is accepted.
    log_in(officer, "handlaggare", "trygg-handlaggare")
    menu(officer, "Kameror")
    officer.get_by_role("link", name=CAMERA, exact=True).click()
    officer.wait_for_url(camera_url)
    checklist = officer.locator(".compliance-panel")
    blockers = checklist.inner_text()
    assert "Skyltar uppsatta" in blockers and "Dokumenterad intresseavvägning godkänd" not in blockers
    checklist.get_by_role("link", name="Registrera en skylt").first.click()
    officer.wait_for_url(re.compile(r"/efterlevnad/skyltar/ny/\?kamera=\d+$"))
    expect(field(officer, "Anger den personuppgiftsansvariges kontaktuppgifter")).to_be_checked()
    expect(field(officer, "Anger dataskyddsombudets kontaktuppgifter")).to_be_checked()
    axe_check(officer)
    screenshot(officer, "whole-job-19-sign-form")
    field(officer, "Placering").fill("Vid huvudentrén på södra fasaden, i ögonhöjd.")
    field(officer, "Textversion").fill(f"{today.year}-1")
    field(officer, "Foto av skylten").set_input_files(
        files=[{"name": "skylt-solbacka.png", "mimeType": "image/png", "buffer": png("#f2c400")}]
    )
    officer.get_by_role("button", name="Spara skylten").click()
    officer.wait_for_url(re.compile(r"/efterlevnad/skyltar/\d+/$"))
    assert "Skylten är sparad." in message(officer)
    expect(officer.get_by_role("img", name=re.compile("skylt", re.IGNORECASE))).to_have_count(1)
    axe_check(officer)
    screenshot(officer, "whole-job-20-sign-saved")

    officer.locator("main dl").get_by_role("link", name=CAMERA, exact=True).click()
    officer.wait_for_url(camera_url)
    wait_for_map(officer)
    assert re.search(
        r"Alla hinder är undanröjda den \d{4}-\d{2}-\d{2}: kameran får tas i drift", checklist.inner_text()
    )
    move(officer, "I drift")
    officer.wait_for_url(re.compile(r"/kameror/\d+/#livscykel$"))
    assert "Kamerans status är ändrad." in message(officer)
    expect(officer.locator("h1")).to_contain_text("I drift")
    expect(officer.locator("#livscykel tbody tr").last).to_contain_text("I drift")
    screenshot(officer, "whole-job-21-camera-in-operation")

    admin_paths = [path for path in browse.paths if path.startswith("/admin/")]
    assert not admin_paths, admin_paths


def submit_document(page, slug, name, axe_check, screenshot):
    """Save the draft, check it on its page, submit it for decision; the version is then locked."""
    page.get_by_role("button", name="Spara utkastet").click()
    page.wait_for_url(re.compile(rf"/efterlevnad/{slug}/\d+/$"))
    assert "Utkastet är sparat." in message(page)
    expect(page.locator("h1")).to_contain_text("Under arbete")
    page.get_by_role("button", name="Skicka för beslut").click()
    expect(page.locator("h1")).to_contain_text("Skickad för beslut")
    assert "är skickad för beslut till dataskyddsombudet och är nu låst" in message(page)
    expect(page.get_by_role("link", name="Ändra utkastet")).to_have_count(0)
    wait_for_map(page)
    if slug == "intresseavvagningar":
        axe_check(page)  # the document pages share one template: one check for the kind
    screenshot(page, name)


def decide(page, row_text, case_number, axe_check, screenshot, dpia=False):
    """From the DPO's start page: open the decision page of the row and approve, confirmed, with a case number."""
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Översikt", exact=True).click()
    waiting = page.locator("section", has=page.get_by_role("heading", name="Väntar på ditt råd eller beslut"))
    waiting.locator("tr", has_text=row_text).get_by_role("link", name="Råd och beslut").click()
    page.wait_for_url(re.compile(r"/efterlevnad/beslut/[a-z]+/\d+/$"))
    wait_for_map(page)
    form = page.locator("form.decision-form")
    field(form, "Godkänn versionen").check()
    field(form, "Diarienummer").fill(case_number)
    field(form, CONFIRM_DECISION).check()
    if dpia:
        axe_check(page)
        screenshot(page, "whole-job-16-dpo-decision-page")
        # A DPIA is not approved without the DPO's advice (art. 35.2): the page says so and keeps the version.
        form.get_by_role("button", name="Fatta beslutet").click()
        expect(page.locator(".error-summary")).to_contain_text("råd")
        expect(page.locator("h1")).to_contain_text("Skickad för beslut")
        form = page.locator("form.decision-form")
        field(form, "Dataskyddsombudets råd").fill(
            "Tiderna och lagringstiden är rimliga. Följ upp elevernas synpunkter vid översynen."
        )
        field(form, CONFIRM_DECISION).check()
    form.get_by_role("button", name="Fatta beslutet").click()
    page.wait_for_url(re.compile(r"/efterlevnad/[a-z]+/\d+/$"))
    assert f"är godkänd (diarienummer {case_number})" in message(page)
    expect(page.locator("h1")).to_contain_text("Godkänd")
    record = page.locator(".decision-record").inner_text()
    assert case_number in record and "Dana Dataskyddsombud" in record
    if dpia:
        assert "Följ upp elevernas synpunkter" in page.locator(".document-body").inner_text()
        screenshot(page, "whole-job-17-dpia-approved")


def test_a_privacy_mask_with_an_image_removes_the_intrusion(browse, axe_check, screenshot):
    officer = browse()
    log_in(officer, "handlaggare", "trygg-handlaggare")
    create_school_with_yard_and_camera(officer, axe_check, screenshot, "mask", "Ekbackens skola", "EKB-01")
    refusal = refused_into_operation(officer).inner_text()
    assert re.search(rf"”{YARD}” \(får inte bevakas\): \d[\d  ]*(,\d+)? m²", refusal), refusal

    officer.locator(".compliance-panel").get_by_role("link", name="Registrera maskering med bild från kameran").click()
    officer.wait_for_url(re.compile(r"/kameror/\d+/maskering/$"))
    wait_for_map(officer)
    assert YARD in officer.locator("main").inner_text()
    assert '"Polygon"' in officer.locator("input[name=area]").input_value()  # the computed intrusion, to adjust
    axe_check(officer)
    screenshot(officer, "mask-01-form")
    field(officer, "Kontrollerad i kamerans bild").fill(timezone.localdate().isoformat())
    field(officer, "Bild från kameran").set_input_files(
        files=[{"name": "ekb-01-kamerabild.png", "mimeType": "image/png", "buffer": png("#303030")}]
    )
    field(officer, "Kommentar").fill("Skolgården maskerad i videosystemet; kontrollerad i kamerans bild.")
    officer.get_by_role("button", name="Spara maskeringen").click()
    officer.wait_for_url(re.compile(r"/kameror/\d+/$"))
    wait_for_map(officer)
    text = officer.locator("main").inner_text()
    assert "Maskeringen är registrerad och täcker det kameran ser av områden som inte får bevakas." in text
    assert (
        "Synfältet håller sig utanför områden som inte får bevakas"
        not in officer.locator(".compliance-panel").inner_text()
    )
    screenshot(officer, "mask-02-recorded")

    # "I drift" is still refused for what is missing, but no longer for the schoolyard.
    move(officer, "I drift")
    refusal = officer.locator(".move-form").inner_text()
    assert "kan inte tas i drift" in refusal and YARD not in refusal
    assert not [path for path in browse.paths if path.startswith("/admin/")]
