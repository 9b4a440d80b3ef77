"""The sections of each assessment in the order the law asks for them, with what the law wants in each.

- 9 § kamerabevakningslagen: task and necessity (7 §), the area and hours (what IMY asked for in an
  application, legal.md §9), the interests for (8 § first paragraph), documented incidents and
  alternatives tried (8 §, IMY), the interest of privacy (8 § second paragraph), workplace and
  processor (21 § KBL, art. 28 GDPR), the conclusion.
- The DPIA: the risk criteria (art. 35.1, 35.4), then art. 35.7 a–d, the data subjects' views (35.9),
  residual risk and prior consultation (art. 36); the DPO's advice (35.2) is given on the decision page.
- The child-rights assessment: the nine parts of legal.md R5.3 (lag 2018:1197 art. 3, 12, 16).

The same sections order the form, the preview and the DPO's decision page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    """One section of a document: its anchor, heading, legal reference, help and fields.

    `part` names a part of the page that is not a plain field: "incidents", "alternatives",
    "incident_hours", "risks", "measures" or "advice".
    """

    key: str
    title: Promise
    reference: Promise
    help: Promise
    fields: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()


ASSESSMENT_SUBJECT = Section(
    "vad-bedomningen-galler",
    _("Vad bedömningen gäller"),
    _("9 § kamerabevakningslagen; IMY:s svar 2024-06-03 om gemensamma bedömningar"),
    _(
        "En intresseavvägning görs för varje kamera före start och före varje ändring som ökar intrånget. "
        "Likadana skolfasader inom IMY:s praxistider kan dela en gemensam mall; kameran får då ett tillägg med "
        "platsens egna uppgifter, och det som lämnas tomt hämtas från mallen."
    ),
    ("camera", "is_template", "template_site_kind", "template", "title"),
)
ASSESSMENT_SECTIONS = (
    Section(
        "uppgift-och-nodvandighet",
        _("1. Uppgift av allmänt intresse och nödvändighet"),
        _("7 § kamerabevakningslagen; art. 6.1 e dataskyddsförordningen; 2 kap. 2 § dataskyddslagen"),
        _(
            "Kommunen får kamerabevaka bara när det är nödvändigt för en uppgift av allmänt intresse som den har "
            "enligt lag. Ange uppgiften – t.ex. 14 § lagen (2023:196) för allmän plats eller 5 kap. 3 § skollagen "
            "för skolmiljön – och förklara varför just kamerabevakning behövs för den."
        ),
        ("legal_task", "legal_task_other", "necessity"),
    ),
    Section(
        "upptagningsomrade-och-tider",
        _("2. Upptagningsområde och bevakningstider"),
        _("9 § kamerabevakningslagen; IMY:s krav på ansökan (ritning av upptagningsområdet och tider)"),
        _(
            "Beskriv vad kameran får filma och när. Ytorna och kartan i faktarutan är uträknade ur kamerans läge, "
            "riktning och optik; texten ska stämma med dem. Vid skolor godtar IMY normalt fasaden och 2 m ut, "
            "vardagar 20–06 och helger och lov 17–07."
        ),
        ("area_description", "hours_description"),
    ),
    Section(
        "skal-for-bevakning",
        _("3. Skäl för bevakningen"),
        _("8 § första stycket kamerabevakningslagen"),
        _(
            "Bevakningsintresset: minst ett av lagens skäl, till exempel att förebygga, förhindra eller upptäcka "
            "brott på en brottsutsatt plats."
        ),
        ("factors_for",),
    ),
    Section(
        "brott-och-incidenter",
        _("4. Dokumenterade brott och incidenter"),
        _("8 § kamerabevakningslagen; IMY:s vägledning om kamerabevakning"),
        _(
            "IMY:s vanligaste skäl att avslå var att brottsligheten på platsen inte var dokumenterad, och bevakning "
            "godtogs ofta bara de tider då händelserna inträffar. Välj händelserna på kamerans plats ur registret "
            "och sammanfatta dem; skriv till det som inte finns i registret, till exempel polisens uppgifter."
        ),
        ("incidents_relied_on", "incident_count"),
        ("incidents", "incident_hours"),
    ),
    Section(
        "andra-atgarder",
        _("5. Mindre ingripande åtgärder som prövats"),
        _("8 § kamerabevakningslagen; IMY:s vägledning för kommuner"),
        _(
            "Kamera ska väljas först när mindre ingripande åtgärder – belysning, växtlighet, lås, larm, väktare, "
            "vuxennärvaro – inte räcker. Välj de åtgärder som prövats på platsen; en ny åtgärd läggs till på "
            "platsens sida."
        ),
        (),
        ("alternatives",),
    ),
    Section(
        "integritetsintresset",
        _("6. Integritetsintresset: hur, med vilken teknik och var"),
        _("8 § andra stycket kamerabevakningslagen"),
        _(
            "Det som väger mot bevakning: hur den sker (tider, inspelning eller direktsändning, ljud), om "
            "integritetshöjande teknik används (maskering, pixelering, kort lagringstid), vilket område som "
            "bevakas och om någon ser bilderna i realtid."
        ),
        ("against_how", "against_privacy_technology", "against_area", "live_viewing"),
    ),
    Section(
        "arbetsplats-och-bitraden",
        _("7. Arbetsplats och personuppgiftsbiträde"),
        _("21 § kamerabevakningslagen; 11–14 §§ medbestämmandelagen; art. 28 dataskyddsförordningen"),
        _(
            "Filmas en arbetsplats ska arbetsgivaren förhandla med arbetstagarorganisationen innan beslut. "
            "Hanterar en larmcentral eller ett bevakningsföretag materialet krävs ett personuppgiftsbiträdesavtal."
        ),
        ("mbl_negotiation", "external_operator", "processor_agreement", "processor_agreement_valid_to"),
    ),
    Section(
        "slutsats",
        _("8. Slutsats"),
        _("8 och 9 §§ kamerabevakningslagen"),
        _(
            "Väg bevakningsintresset mot integritetsintresset och skriv slutsatsen med motivering. Bedömningen "
            "sparas minst fem år efter att bevakningen har upphört."
        ),
        ("outcome", "outcome_reasoning"),
    ),
)
# A shared template holds the general reasoning; the site's incidents and measures belong to each addendum.
TEMPLATE_SECTION_KEYS = frozenset(
    {"uppgift-och-nodvandighet", "upptagningsomrade-och-tider", "skal-for-bevakning", "integritetsintresset"}
    | {"arbetsplats-och-bitraden", "slutsats"}
)

IMPACT_SUBJECT = Section(
    "vad-bedomningen-galler",
    _("Vad bedömningen gäller"),
    _("art. 35.1 dataskyddsförordningen"),
    _(
        "En konsekvensbedömning kan omfatta flera kameror på samma plats med likartade risker. Välj kamerorna "
        "som den gäller."
    ),
    ("title", "cameras"),
)
IMPACT_SECTIONS = (
    Section(
        "riskkriterier",
        _("Riskkriterier: krävs en konsekvensbedömning?"),
        _("art. 35.1, 35.3 c och 35.4 dataskyddsförordningen; IMY:s förteckning"),
        _(
            "En konsekvensbedömning krävs när minst två kriterier är uppfyllda – alltid vid skolor (systematisk "
            "övervakning, sårbara registrerade) och vid allmänna platser. Kriterier som följer av kamerorna "
            "räknas alltid (se faktarutan); kryssa i de övriga som gäller."
        ),
        ("criteria",),
    ),
    Section(
        "beskrivning",
        _("a) Beskrivning av behandlingen och ändamålen"),
        _("art. 35.7 a dataskyddsförordningen"),
        _("Vad som filmas, när, hur länge inspelningarna sparas, vem som ser dem och varför."),
        ("description",),
    ),
    Section(
        "nodvandighet",
        _("b) Nödvändighet och proportionalitet"),
        _("art. 35.7 b dataskyddsförordningen"),
        _(
            "Varför bevakningen behövs för ändamålet, varför mindre ingripande åtgärder inte räcker och att inte "
            "mer filmas, eller sparas längre, än nödvändigt."
        ),
        ("necessity_proportionality",),
    ),
    Section(
        "risker",
        _("c) Risker för de registrerades rättigheter och friheter"),
        _("art. 35.7 c dataskyddsförordningen"),
        _(
            "Bedöm varje risk först utan åtgärderna: allvarlighet och sannolikhet från 1 till 4. Riskmatrisen "
            "ritas ur raderna; allvarlighet gånger sannolikhet 9 eller mer är hög risk."
        ),
        ("risk_assessment",),
        ("risks",),
    ),
    Section(
        "atgarder",
        _("d) Åtgärder för att hantera riskerna"),
        _("art. 35.7 d dataskyddsförordningen"),
        _("Skyddsåtgärder, säkerhetsåtgärder och rutiner, med vem som ansvarar och när de ska vara genomförda."),
        ("planned_measures",),
        ("measures",),
    ),
    Section(
        "synpunkter",
        _("Synpunkter från de registrerade"),
        _("art. 35.9 dataskyddsförordningen"),
        _("Där det är lämpligt: synpunkter från de som filmas eller deras företrädare (elever, vårdnadshavare, fack)."),
        ("stakeholder_views",),
    ),
    Section(
        "kvarstaende-risk",
        _("Kvarstående risk och förhandssamråd"),
        _("art. 35.11 och 36 dataskyddsförordningen"),
        _(
            "Den risk som återstår efter åtgärderna. Är den hög ska IMY höras i förhandssamråd innan bevakningen "
            "startar. Ange när bedömningen ses över."
        ),
        ("residual_risk", "prior_consultation", "prior_consultation_reference", "review_on"),
    ),
)

CHILD_RIGHTS_SUBJECT = Section(
    "vad-provningen-galler",
    _("Vad prövningen gäller"),
    _("art. 3 barnkonventionen; lag (2018:1197)"),
    _("Barnets bästa ska vara ett primärt hänsynstagande vid åtgärder som rör barn: pröva det för varje skola."),
    ("title",),
)
CHILD_RIGHTS_SECTIONS = (
    Section(
        "berorda-barn",
        _("1. Berörda barn"),
        _("art. 3 barnkonventionen"),
        _("Skola, åldrar och antal; finns förskola eller fritidshem; används skolgården kvällar och helger?"),
        ("affected_children",),
    ),
    Section(
        "problemet",
        _("2. Problemet ur barnens perspektiv"),
        _("art. 3 och 19 barnkonventionen"),
        _("Incidenterna och elevernas egen upplevelse av tryggheten, till exempel ur trygghetsenkäten."),
        ("problem_from_child_perspective",),
    ),
    Section(
        "barnens-rost",
        _("3. Barnens rätt att komma till tals"),
        _("art. 12 barnkonventionen"),
        _(
            "Barnen har rätt att uttrycka sina åsikter, och de ska tillmätas betydelse efter ålder och mognad. "
            "Ange hur och när barnen hördes och vad de sa – eller varför de inte har hörts."
        ),
        ("children_heard", "children_heard_how", "children_heard_on", "children_heard_result"),
    ),
    Section(
        "positiva-effekter",
        _("4. Positiva effekter"),
        _("art. 3 och 19 barnkonventionen"),
        _("Tryggare skolmiljö, mindre skadegörelse, snabbare utredning."),
        ("positive_effects",),
    ),
    Section(
        "negativa-effekter",
        _("5. Negativa effekter"),
        _("art. 16 och 31 barnkonventionen"),
        _(
            "Intrång i privatlivet (art. 16), att leken hämmas (art. 31), kartläggning av elevers och personalens "
            "vanor och risken att bilderna används för annat än ändamålet."
        ),
        ("negative_effects",),
    ),
    Section(
        "alternativ",
        _("6. Alternativ som prövats eller övervägts"),
        _("art. 3 barnkonventionen"),
        _("Belysning, väktare, utformning av miljön, vuxennärvaro."),
        ("alternatives",),
    ),
    Section(
        "skyddsatgarder",
        _("7. Skyddsåtgärder"),
        _("art. 16 barnkonventionen; IMY:s vägledning för skolor"),
        _(
            "Bara praxistider, fasaden och 2 m, ingen inomhusbevakning under skoltid, 72 timmars lagring, maskering "
            "av skolgård och lekytor, inget ljud, ingen analys och information anpassad till barnens ålder."
        ),
        ("mitigations",),
    ),
    Section(
        "slutsats",
        _("8. Slutsats: barnets bästa"),
        _("art. 3.1 barnkonventionen"),
        _(
            "Är åtgärden förenlig med barnets bästa? Om inte: varför den ändå väljs efter en avvägning, och vilka "
            "kompenserande åtgärder som gäller."
        ),
        ("conclusion", "conclusion_reasoning"),
    ),
    Section(
        "uppfoljning",
        _("9. Uppföljning"),
        _("art. 3 barnkonventionen"),
        _("När åtgärden följs upp (till exempel efter tolv månader) och med vilket mått."),
        ("follow_up_on", "follow_up_indicator"),
    ),
)

ADVICE_SECTION = Section(
    "dataskyddsombudets-rad",
    _("Dataskyddsombudets råd"),
    _("art. 35.2 och 39 dataskyddsförordningen"),
    _(
        "Dataskyddsombudet lämnar sitt råd på beslutssidan när versionen har skickats för beslut. För en "
        "konsekvensbedömning ska rådet finnas innan den godkänns."
    ),
    (),
    ("advice",),
)


def assessment_sections(is_template: bool) -> tuple[Section, ...]:
    """The 9 § sections; a shared template leaves out the site's own incidents and measures."""
    if is_template:
        return tuple(s for s in ASSESSMENT_SECTIONS if s.key in TEMPLATE_SECTION_KEYS)
    return ASSESSMENT_SECTIONS


def section_of(sections: tuple[Section, ...], field: str) -> Section | None:
    """The section that holds `field` (for links from a list of what is missing)."""
    return next((s for s in sections if field in s.fields or field in s.parts), None)
