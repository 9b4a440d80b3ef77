"""The camera form; its validation lives in the model (and the hooks other apps add to it)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.cameras.choices import LifecycleState
from trygg.cameras.models import Camera

# Fields that change what the camera sees: editing them redraws the coverage preview at once.
GEOMETRY_FIELDS = [
    "longitude",
    "latitude",
    "mount_height_m",
    "bearing_deg",
    "pan_range",
    "tilt_deg",
    "hfov_deg",
    "focal_length_mm",
    "sensor_width_mm",
    "range_m",
    "camera_type",
    "schedule_template",
]


class CameraForm(forms.ModelForm):
    class Meta:
        model = Camera
        fields = [
            "identifier",
            "site",
            "project",
            "longitude",
            "latitude",
            "mount",
            "mount_height_m",
            "bearing_deg",
            "pan_range",
            "tilt_deg",
            "camera_type",
            "is_indoor",
            "hfov_deg",
            "focal_length_mm",
            "sensor_width_mm",
            "resolution_width_px",
            "resolution_height_px",
            "range_m",
            "records_sound",
            "uses_anpr",
            "uses_analytics",
            "uses_face_recognition",
            "is_ptz",
            "schedule_template",
            "schedule_rules",
            "schedule_deviation_reason",
            "retention_hours",
            "retention_justification",
            "purpose",
            "public_access",
            "identifies_persons",
            "privacy_masking",
            "covers_toilet_or_changing_room",
            "captures_staff_workplace",
            "serious_incident_basis",
            "exemption",
            "exemption_justification",
            "coverage_description",
            "secret_placement",
            "notes",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in [
                "schedule_deviation_reason",
                "retention_justification",
                "purpose",
                "serious_incident_basis",
                "exemption_justification",
                "coverage_description",
                "notes",
            ]
        } | {"schedule_rules": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in GEOMETRY_FIELDS:
            self.fields[name].widget.attrs["class"] = "geometry-field"


class MoveForm(forms.Form):
    to_state = forms.ChoiceField(label=_("Ny status"), choices=LifecycleState.choices)
    occurred_on = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirmed = forms.BooleanField(
        label=_("Jag har kontrollerat att statusändringen stämmer"),
        error_messages={"required": _("Bekräfta statusändringen genom att kryssa i rutan.")},
    )


class PrivacyMaskForm(forms.Form):
    """A privacy mask as the officer confirms it: the masked area, the date, an image from the camera."""

    area = forms.JSONField(
        label=_("maskerad yta"),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Rita den maskerade ytan på kartan (fältet ”maskerad yta”)."),
            "invalid": _("Fältet ”maskerad yta” ska vara en GeoJSON-polygon ritad på kartan."),
        },
    )
    confirmed_on = forms.DateField(
        label=_("kontrollerad i kamerans bild"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Datum då du såg maskeringen i kamerans egen bild."),
        error_messages={
            "required": _("Fyll i fältet ”kontrollerad i kamerans bild”."),
            "invalid": _("Fältet ”kontrollerad i kamerans bild” ska vara ett datum som ÅÅÅÅ-MM-DD."),
        },
    )
    image = forms.FileField(
        label=_("bild från kameran"),
        help_text=_("Ett foto eller en skärmbild av kamerans egen bild där maskeringen syns (PNG, JPEG eller WebP)."),
        error_messages={
            "required": _("Ladda upp en bild från kameran i fältet ”bild från kameran”."),
            "empty": _("Filen i fältet ”bild från kameran” är tom."),
        },
    )
    note = forms.CharField(
        label=_("kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("T.ex. vilka delar av bilden som maskeras och i vilket program maskeringen är inställd."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from trygg.core.attachments import accepted_suffixes

        self.fields["image"].widget.attrs["accept"] = ",".join(accepted_suffixes(images_only=True))

    def clean_image(self):
        from django.core.exceptions import ValidationError

        from trygg.core.attachments import validate_upload

        image = self.cleaned_data["image"]
        try:
            validate_upload(image, images_only=True, field=str(self.fields["image"].label))
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return image
