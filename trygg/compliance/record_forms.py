"""Forms for the records an officer keeps: signs (15 § KBL), legacy IMY permits and the art. 30 record.

Each form groups its fields in sections in the order the law asks (`sections()`), each section with
Swedish help and its legal reference. Every error names its field; the models' own `clean()` runs too
(a ModelForm calls it), so the admin and these pages refuse the same things.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.cameras.models import Camera
from trygg.compliance.engine.facts import PERMITS_LAPSED_ON
from trygg.compliance.models import LegacyPermit, ProcessingRecord, Sign
from trygg.core.attachments import accepted_suffixes, validate_upload
from trygg.core.versions import VERSION_FIELD, VersionedFormMixin
from trygg.sites.models import Site

DATE_WIDGET = {"type": "date"}


def name_fields_in_errors(form: forms.BaseForm) -> None:
    """Give every field error messages that name the field, in Swedish."""
    for bound_field in form.fields.values():
        label = bound_field.label
        messages = bound_field.error_messages
        messages["required"] = gettext("Fyll i fältet ”%(field)s”.") % {"field": label}
        if isinstance(bound_field, forms.DateField):
            messages["invalid"] = gettext("Fältet ”%(field)s” ska vara ett datum som ÅÅÅÅ-MM-DD.") % {"field": label}
        elif isinstance(bound_field, forms.TimeField):
            messages["invalid"] = gettext("Fältet ”%(field)s” ska vara ett klockslag som TT:MM.") % {"field": label}
        if isinstance(bound_field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
            messages["invalid_choice"] = gettext("Välj bara bland alternativen i fältet ”%(field)s”.") % {
                "field": label
            }
        elif isinstance(bound_field, forms.ChoiceField | forms.ModelChoiceField):
            messages["invalid_choice"] = gettext("Välj ett av alternativen i fältet ”%(field)s”.") % {"field": label}


@dataclass
class Section:
    """A group of fields as the law orders them, with help in Swedish and the legal reference."""

    anchor: str
    title: str
    help: str
    reference: str
    names: list[str]
    facts: list[tuple[str, str]] = field(default_factory=list)
    bound: list[Any] = field(default_factory=list)


def bind_sections(form: forms.BaseForm, sections: list[Section]) -> list[Section]:
    """Attach the form's bound fields to each section; a field in no section is a programming error."""
    placed = {name for section in sections for name in section.names}
    # The hidden version the edit started from (trygg.core.versions) is rendered by the template itself.
    missing = set(form.fields) - placed - {VERSION_FIELD}
    if missing:
        raise ValueError(f"fields without a section: {sorted(missing)}")
    for section in sections:
        section.bound = [form[name] for name in section.names]
    return sections


#
# Signs (15 § kamerabevakningslagen, art. 13 GDPR)
#


class SignForm(VersionedFormMixin, forms.ModelForm):
    """A sign for one camera or the whole site; its photo is stored as an attachment (kind sign_photo)."""

    photo_upload = forms.FileField(
        label=_("Foto av skylten"),
        required=False,
        help_text=_("Ett foto av skylten där den sitter (JPEG, PNG eller WebP). Sparas som bilaga till skylten."),
    )

    class Meta:
        model = Sign
        fields = [
            "camera",
            "position",
            "text_version",
            "includes_controller_contact",
            "includes_dpo_contact",
            "mentions_sound",
            "mentions_retention",
            "layer2_phone",
            "layer2_poster",
            "installed_on",
            "last_inspected_on",
            "removed_on",
        ]
        widgets = {
            "position": forms.Textarea(attrs={"rows": 2}),
            "installed_on": forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
            "last_inspected_on": forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
            "removed_on": forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        }
        help_texts = {
            "camera": _(
                "Välj kameran skylten hör till, eller hela platsen om skylten gäller hela det bevakade området."
            ),
            "includes_controller_contact": _(
                "Skylten anger den personuppgiftsansvariga nämnden och hur man når den (adress, e-post eller telefon)."
            ),
            "includes_dpo_contact": _("Skylten anger hur man når kommunens dataskyddsombud."),
            "mentions_sound": _("Krävs om någon kamera som skylten gäller tar upp ljud: en egen, tydlig upplysning."),
            "mentions_retention": _(
                "Krävs om inspelningarna sparas längre än sju dygn: det är något den filmade inte räknar med."
            ),
            "layer2_phone": _(
                "Ett nummer på skylten dit man kan ringa för fullständig information, så att den finns även utan "
                "internet."
            ),
            "layer2_poster": _("En större informationstavla på platsen med den fullständiga informationen."),
            "last_inspected_on": _("Fylls i med knappen ”Inspekterad i dag” när skylten har kontrollerats på plats."),
        }

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site = site
        self.instance.site = site
        camera_field = self.fields["camera"]
        camera_field.queryset = site.cameras.order_by("identifier")
        camera_field.empty_label = gettext("Hela platsen (alla kameror på %(site)s)") % {"site": site.name}
        camera_field.label_from_instance = lambda camera: f"{camera.identifier} ({camera.get_state_display()})"
        self.fields["photo_upload"].widget.attrs["accept"] = ",".join(accepted_suffixes(images_only=True))
        name_fields_in_errors(self)

    def clean_photo_upload(self) -> Any:
        upload = self.cleaned_data.get("photo_upload")
        if upload:
            validate_upload(upload, images_only=True, field=str(self.fields["photo_upload"].label))
        return upload

    def cameras(self) -> list[Camera]:
        """The cameras the sign concerns as the form stands: its camera, or the site's cameras in use."""
        camera = self.instance.camera if self.instance.camera_id else None
        if self.is_bound and hasattr(self, "cleaned_data"):
            camera = self.cleaned_data.get("camera", camera)
        if camera is not None:
            return [camera]
        return list(self.site.cameras.exclude(state="decommissioned").order_by("identifier"))

    def sections(self, organisation: Any, record: ProcessingRecord | None) -> list[Section]:
        """The fields in the order of 15 § KBL and IMY's layer 1 and 2 (legal.md R2.1–R2.4)."""
        cameras = self.cameras()
        purposes = sorted({c.purpose.strip() for c in cameras if c.purpose.strip()})
        sound = [c.identifier for c in cameras if c.records_sound]
        longest = max((c.retention_hours for c in cameras), default=0)
        dpo = ", ".join(v for v in (organisation.dpo_name, organisation.dpo_email, organisation.dpo_phone) if v)
        none = gettext("ej angivet")
        return bind_sections(
            self,
            [
                Section(
                    "skylten",
                    gettext("Skylten och var den sitter"),
                    gettext(
                        "Upplysningen ska ges genom tydlig skyltning: en skylt vid varje väg in till det bevakade "
                        "området, i ögonhöjd, så att den syns innan man kommer in i området. Placeringen visas aldrig "
                        "offentligt."
                    ),
                    gettext("15 § kamerabevakningslagen (2018:1200); IMY:s vägledning om skyltning"),
                    ["camera", "position", "text_version", "photo_upload"],
                ),
                Section(
                    "vem-och-varfor",
                    gettext("Vem som filmar och varför"),
                    gettext(
                        "Skylten ska säga vem som bevakar – den personuppgiftsansvariga nämnden – och ändamålet, och ge "
                        "den personuppgiftsansvariges kontaktuppgifter. Trygg skriver ut nämnd och ändamål på skylten "
                        "ur organisationens och kamerornas uppgifter."
                    ),
                    gettext("15 § kamerabevakningslagen; art. 13.1 a och c dataskyddsförordningen"),
                    ["includes_controller_contact"],
                    facts=[
                        (gettext("Personuppgiftsansvarig"), organisation.controller_board or none),
                        (
                            gettext("Kontaktuppgifter i registerposten"),
                            (record.controller_contact if record else "") or none,
                        ),
                        (gettext("Ändamål"), "; ".join(purposes) or none),
                    ],
                ),
                Section(
                    "dataskyddsombud",
                    gettext("Dataskyddsombudet"),
                    gettext(
                        "Kommunen måste ha ett dataskyddsombud, och skylten ska ge ombudets kontaktuppgifter så att den "
                        "som filmas kan fråga om sina rättigheter."
                    ),
                    gettext("art. 13.1 b och art. 37.1 a dataskyddsförordningen"),
                    ["includes_dpo_contact"],
                    facts=[(gettext("Dataskyddsombud"), dpo or none)],
                ),
                Section(
                    "ljud",
                    gettext("Ljud"),
                    gettext(
                        "Om ljud kan avlyssnas eller tas upp ska skylten särskilt upplysa om det; då gäller inga "
                        "undantag från upplysningsplikten."
                    ),
                    gettext("15 § kamerabevakningslagen (särskild upplysning om ljud)"),
                    ["mentions_sound"],
                    facts=[
                        (
                            gettext("Kameror som tar upp ljud"),
                            ", ".join(sound) if sound else gettext("ingen"),
                        )
                    ],
                ),
                Section(
                    "lagringstid",
                    gettext("Lagringstid, om den är lång"),
                    gettext(
                        "Det den filmade inte räknar med ska stå redan på skylten. IMY har angett att en lagringstid "
                        "över sju dygn bör anges där."
                    ),
                    gettext("art. 12–13 dataskyddsförordningen; EDPB:s riktlinjer 3/2019"),
                    ["mentions_retention"],
                    facts=[
                        (
                            gettext("Längsta lagringstid bland kamerorna"),
                            gettext("%(hours)s timmar") % {"hours": longest} if cameras else none,
                        )
                    ],
                ),
                Section(
                    "lager-2",
                    gettext("Var den fullständiga informationen finns (lager 2)"),
                    gettext(
                        "Skylten ska hänvisa till den fullständiga informationen: rättslig grund, lagringstid, "
                        "mottagare, rättigheter och rätten att klaga till IMY. Den ska gå att få även utan internet, "
                        "till exempel per telefon eller på en större tavla på platsen."
                    ),
                    gettext("art. 13 dataskyddsförordningen; IMY:s vägledning om information i två lager"),
                    ["layer2_phone", "layer2_poster"],
                    facts=[
                        (
                            gettext("Telefon i registerposten"),
                            (record.information_phone if record else "") or none,
                        ),
                    ],
                ),
                Section(
                    "datum",
                    gettext("Uppsatt, inspekterad och nedtagen"),
                    gettext(
                        "Bevakningen får bara pågå medan skylten sitter uppe och är tydlig. Kommunens rutin är att "
                        "inspektera skyltarna minst var sjätte månad."
                    ),
                    gettext("15 § kamerabevakningslagen; kommunens rutin för skyltinspektion"),
                    ["installed_on", "last_inspected_on", "removed_on"],
                ),
            ],
        )


class InspectionForm(forms.Form):
    """The one-click "inspected today": the date on the button must be today's date when it is sent."""

    inspected_on = forms.DateField(label=_("Inspekterad den"), widget=forms.HiddenInput)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        name_fields_in_errors(self)

    def clean_inspected_on(self) -> dt.date:
        day = self.cleaned_data["inspected_on"]
        if day != self.today:
            raise ValidationError(
                gettext(
                    "Fältet ”Inspekterad den” gällde %(day)s men i dag är det %(today)s. Ladda om sidan och bekräfta "
                    "dagens datum."
                )
                % {"day": day.isoformat(), "today": self.today.isoformat()}
            )
        return day


#
# Legacy IMY permits (before 2025-04-01)
#


class LegacyPermitForm(VersionedFormMixin, forms.ModelForm):
    """A permit from IMY (or Datainspektionen, länsstyrelsen) for cameras at one or more sites."""

    class Meta:
        model = LegacyPermit
        fields = ["cameras", "imy_case_number", "decision_date", "conditions", "expires_on"]
        widgets = {
            "cameras": forms.CheckboxSelectMultiple,
            "decision_date": forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
            "expires_on": forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
            "conditions": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "cameras": _("Kamerorna på platsen som tillståndet gällde."),
            "imy_case_number": _("Diarienumret på beslutet, t.ex. DI-2019-2741."),
            "decision_date": _("Dagen beslutet fattades; tillstånd gavs till och med 2025-03-31."),
            "conditions": _("Villkoren i beslutet, t.ex. område, maskering eller lagringstid."),
            "expires_on": _(
                "Om beslutet gällde en kortare tid. Alla tillstånd upphörde senast 2025-03-31 (SFS 2025:220)."
            ),
        }

    def __init__(self, *args: Any, sites: list[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sites = sites
        cameras = self.fields["cameras"]
        cameras.queryset = Camera.objects.filter(site__in=sites).select_related("site").order_by("identifier")
        several = len(sites) > 1
        cameras.label_from_instance = lambda camera: (
            f"{camera.identifier} ({camera.site.name})" if several else camera.identifier
        )
        name_fields_in_errors(self)
        cameras.error_messages["required"] = gettext("Välj minst en kamera i fältet ”%(field)s”.") % {
            "field": cameras.label
        }

    def clean_decision_date(self) -> dt.date:
        day = self.cleaned_data["decision_date"]
        if day > PERMITS_LAPSED_ON:
            raise ValidationError(
                gettext(
                    "Fältet ”%(field)s”: tillstånd från IMY gavs bara till och med 2025-03-31; därefter behövs i "
                    "stället en intresseavvägning enligt 9 § kamerabevakningslagen (SFS 2025:220)."
                )
                % {"field": self.fields["decision_date"].label}
            )
        return day


#
# The art. 30 record
#


class ProcessingRecordForm(VersionedFormMixin, forms.ModelForm):
    """What a person decides in the art. 30 record; the rest is generated from the cameras."""

    class Meta:
        model = ProcessingRecord
        fields = [
            "name",
            "controller_contact",
            "joint_controllers",
            "legal_basis",
            "recipients",
            "third_country_transfers",
            "security_measures",
            "information_phone",
        ]
        widgets = {
            "controller_contact": forms.Textarea(attrs={"rows": 2}),
            "joint_controllers": forms.Textarea(attrs={"rows": 2}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
            "third_country_transfers": forms.Textarea(attrs={"rows": 2}),
            "security_measures": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "name": _("Behandlingens namn i kommunens register, t.ex. Kamerabevakning – trygghetskameror."),
            "joint_controllers": _("Om någon annan bestämmer över bevakningen tillsammans med nämnden; annars tomt."),
            "recipients": _("Vem inspelningar lämnas ut till, t.ex. Polismyndigheten, och personuppgiftsbiträden."),
            "third_country_transfers": _("Om uppgifter förs över till ett land utanför EU/EES, och med vilket skydd."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name_fields_in_errors(self)

    def sections(self) -> list[Section]:
        """The written parts in the order of art. 30.1 a–g (b, c and f are generated from the cameras)."""
        return bind_sections(
            self,
            [
                Section(
                    "ansvarig",
                    gettext("a) Personuppgiftsansvarig och kontaktuppgifter"),
                    gettext(
                        "Namn och kontaktuppgifter till den personuppgiftsansvariga nämnden och eventuella gemensamt "
                        "personuppgiftsansvariga. Nämnden hämtas ur organisationsinställningarna."
                    ),
                    gettext("art. 30.1 a dataskyddsförordningen"),
                    ["name", "controller_contact", "joint_controllers"],
                ),
                Section(
                    "grund",
                    gettext("Rättslig grund"),
                    gettext(
                        "Kommunens bevakning vilar på en uppgift av allmänt intresse; ange vilken bestämmelse uppgiften "
                        "följer av. Uppgiften visas på den offentliga sidan."
                    ),
                    gettext("art. 6.1 e dataskyddsförordningen; 2 kap. 2 § dataskyddslagen (2018:218)"),
                    ["legal_basis"],
                ),
                Section(
                    "mottagare",
                    gettext("d) Mottagare och e) överföring till tredjeland"),
                    gettext(
                        "Vilka inspelningar kan lämnas ut till, och om något förs över till ett land utanför EU/EES."
                    ),
                    gettext("art. 30.1 d och e dataskyddsförordningen"),
                    ["recipients", "third_country_transfers"],
                ),
                Section(
                    "sakerhet",
                    gettext("g) Tekniska och organisatoriska säkerhetsåtgärder"),
                    gettext("En allmän beskrivning: behörighet, loggning av uttag, kryptering och gallring."),
                    gettext("art. 30.1 g och art. 32 dataskyddsförordningen"),
                    ["security_measures"],
                ),
                Section(
                    "information",
                    gettext("Information till dem som filmas"),
                    gettext(
                        "Ett telefonnummer där den som filmas kan få den fullständiga informationen även utan "
                        "internet. Det skrivs ut på skyltarna och visas på den offentliga sidan."
                    ),
                    gettext("art. 12–13 dataskyddsförordningen; 15 § kamerabevakningslagen"),
                    ["information_phone"],
                ),
            ],
        )
