"""Compliance pages under /efterlevnad/; each view names its access rule (trygg.core.access)."""

from django.urls import path, register_converter

from trygg.compliance import record_views, views
from trygg.compliance.documents import ASSESSMENT, CHILD_RIGHTS, IMPACT_ASSESSMENT, KINDS

app_name = "compliance"


class DocumentKindConverter:
    """The slug of one of the three assessments in a URL: intresseavvagningar, konsekvensbedomningar, …"""

    regex = "|".join(KINDS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DocumentKindConverter, "dokument")


def document_urls(slug: str, names: dict[str, str]) -> list:
    """List, create, detail, edit and preview of one kind, under its own slug."""
    kind = {"kind": slug}
    return [
        path(f"{slug}/", views.document_list, kind, name=names["list"]),
        path(f"{slug}/ny/", views.document_edit, kind, name=names["create"]),
        path(f"{slug}/<int:pk>/", views.document_detail, kind, name=names["detail"]),
        path(f"{slug}/<int:pk>/andra/", views.document_edit, kind, name=names["edit"]),
        path(f"{slug}/<int:pk>/forhandsvisning/", views.document_preview, kind, name=names["preview"]),
    ]


def _names(kind) -> dict[str, str]:
    return {
        "list": kind.list_url.split(":")[1],
        "create": kind.create_url.split(":")[1],
        "detail": kind.detail_url.split(":")[1],
        "edit": kind.edit_url.split(":")[1],
        "preview": kind.preview_url.split(":")[1],
    }


urlpatterns = [
    path("atgarder/", views.findings, name="findings"),
    path("kameror/checklista.json", views.checklist_list_json, name="checklist_list_json"),
    path("kameror/<int:pk>/checklista/", views.checklist, name="checklist"),
    path("kameror/<int:pk>/checklista.json", views.checklist_json, name="checklist_json"),
    path("kameror/<int:pk>/skylt-<str:paper>.pdf", views.sign_pdf, name="sign_pdf"),
    *document_urls(ASSESSMENT.slug, _names(ASSESSMENT)),
    *document_urls(IMPACT_ASSESSMENT.slug, _names(IMPACT_ASSESSMENT)),
    *document_urls(CHILD_RIGHTS.slug, _names(CHILD_RIGHTS)),
    path("<dokument:kind>/<int:pk>/skicka/", views.submit, name="submit"),
    path("<dokument:kind>/<int:pk>/aterkalla/", views.withdraw, name="withdraw"),
    path("<dokument:kind>/<int:pk>/ny-version/", views.new_version, name="new_version"),
    path("beslut/", views.queue, name="queue"),
    path("beslut/<dokument:kind>/<int:pk>/", views.decision, name="decision"),
    path("beslut/<dokument:kind>/<int:pk>/rad/", views.advice, name="advice"),
    path("forteckning/", views.register, name="register"),
    path("forteckning.csv", views.register_csv, name="register_csv"),
    path("forteckning.pdf", views.register_pdf, name="register_pdf"),
    path("forteckning/pdf-jobb/", views.register_pdf_job, name="register_pdf_job"),
    path("forteckning/imy-begaran/", views.imy_request, name="imy_request"),
    path("behandling/", views.processing_record, name="processing_record"),
    path("behandling.csv", views.processing_csv, name="processing_csv"),
    # Records an officer keeps: signs (15 § KBL), legacy IMY permits and the art. 30 record.
    path("skyltar/ny/", record_views.sign_create, name="sign_create"),
    path("skyltar/<int:pk>/", record_views.sign_detail, name="sign_detail"),
    path("skyltar/<int:pk>/andra/", record_views.sign_edit, name="sign_edit"),
    path("skyltar/<int:pk>/inspekterad/", record_views.sign_inspected, name="sign_inspected"),
    path("skyltar/<int:pk>/foto/", record_views.sign_photo, name="sign_photo"),
    path("skyltar/<int:pk>/foto/<int:attachment_pk>/", record_views.sign_photo, name="sign_photo_file"),
    path("skyltar/<int:pk>/skylt-<str:paper>.pdf", record_views.sign_print, name="sign_print"),
    path("tillstand/ny/", record_views.permit_create, name="permit_create"),
    path("tillstand/<int:pk>/andra/", record_views.permit_edit, name="permit_edit"),
    path("behandling/andra/", record_views.processing_record_edit, name="processing_record_edit"),
]

public_urlpatterns = [
    path("", views.public_index, name="public_index"),
    path("platser/<int:pk>/", views.public_site, name="public_site"),
]
